// Tells a file's real type from its first bytes (magic numbers), never from its name or the
// browser's Content-Type: both are chosen by whoever uploads, so "giay-khai-sinh.pdf" may be anything.

/** A type we can name: the MIME type to store and serve it as, and the extension to save it under. */
export type FileType = { readonly mime: string; readonly ext: string };

/**
 * What the first bytes say. An executable is named as such (not just "unknown") so that the refusal
 * can be logged and answered differently from a merely unsupported format.
 */
export type SniffResult = FileType | { readonly mime: null; readonly kind: 'executable' | 'unknown' };

export const fileTypes = {
  pdf: { mime: 'application/pdf', ext: 'pdf' },
  jpeg: { mime: 'image/jpeg', ext: 'jpg' },
  png: { mime: 'image/png', ext: 'png' },
  heic: { mime: 'image/heic', ext: 'heic' },
  heif: { mime: 'image/heif', ext: 'heif' },
  webp: { mime: 'image/webp', ext: 'webp' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx' },
  odt: { mime: 'application/vnd.oasis.opendocument.text', ext: 'odt' },
  doc: { mime: 'application/msword', ext: 'doc' },
  xls: { mime: 'application/vnd.ms-excel', ext: 'xls' },
} as const satisfies Record<string, FileType>;

/**
 * What a citizen may attach to a dossier by default: scans and phone photos. HEIF (brand mif1 without
 * heic) is listed with HEIC because some phones label their HEIC photos that way.
 */
export const allowedForDocuments: ReadonlySet<string> = new Set(
  [fileTypes.pdf, fileTypes.jpeg, fileTypes.png, fileTypes.heic, fileTypes.heif, fileTypes.webp].map((t) => t.mime),
);

/** Office documents, for the procedures whose forms are filled in Word or Excel (opt-in per procedure). */
export const officeTypes: ReadonlySet<string> = new Set(
  [fileTypes.docx, fileTypes.xlsx, fileTypes.odt, fileTypes.doc, fileTypes.xls].map((t) => t.mime),
);

/**
 * How many leading bytes to pass to `sniffFileType`. Images and PDF need 16; the rest is for the
 * office containers, whose telling entries usually sit in the first few KB (see below).
 */
export const sniffLength = 8 * 1024;

const executable = { mime: null, kind: 'executable' } as const;
const unknown = { mime: null, kind: 'unknown' } as const;

export function sniffFileType(head: Uint8Array): SniffResult {
  // Executables first, and by name: a refusal as `executable` is worth an alert, not just a message.
  if (isExecutable(head)) return executable;
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return fileTypes.pdf; // %PDF-
  if (startsWith(head, [0xff, 0xd8, 0xff])) return fileTypes.jpeg;
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return fileTypes.png;
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') return fileTypes.webp;
  if (ascii(head, 4, 4) === 'ftyp') return sniffIsoMedia(head);
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return sniffZip(head);
  if (startsWith(head, oleSignature)) return sniffOle(head);
  return unknown;
}

function isExecutable(head: Uint8Array): boolean {
  if (ascii(head, 0, 2) === 'MZ') return true; // DOS/PE: .exe, .dll, .scr, .sys, EFI
  if (startsWith(head, [0x7f, 0x45, 0x4c, 0x46])) return true; // ELF
  if (ascii(head, 0, 2) === '#!') return true; // a script the kernel will run with its interpreter
  if (startsWith(head, [0x00, 0x61, 0x73, 0x6d])) return true; // WebAssembly
  const magic = u32be(head, 0);
  // Mach-O 32/64-bit in both byte orders, and universal ("fat") binaries. CAFEBABE is also a Java
  // class file, which is no more welcome.
  return magic !== null && [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe, 0xcafebabf, 0xbebafeca].includes(magic);
}

/**
 * ISO base media files (HEIF, but also MP4, MOV, AVIF) start with an `ftyp` box: size, "ftyp", a
 * major brand, a minor version, then compatible brands. Only HEIC/HEIF stills are accepted.
 */
function sniffIsoMedia(head: Uint8Array): SniffResult {
  const major = ascii(head, 8, 4);
  const boxSize = u32be(head, 0);
  if (major === null || boxSize === null || boxSize < 16) return unknown;
  const compatible: string[] = [];
  for (let at = 16; at + 4 <= Math.min(boxSize, head.length); at += 4) compatible.push(ascii(head, at, 4) ?? '');
  const brands = [major, ...compatible];
  if (major === 'heic' || major === 'heix') return fileTypes.heic;
  if (major === 'mif1' || major === 'msf1') {
    // AVIF also declares mif1; it is not on our list, so it must not slip in as HEIF.
    if (brands.some((b) => b === 'avif' || b === 'avis')) return unknown;
    if (brands.some((b) => b === 'heic' || b === 'heix' || b === 'hevc' || b === 'hevx')) return fileTypes.heic;
    return fileTypes.heif;
  }
  return unknown;
}

/**
 * DOCX, XLSX and ODT are all ZIP archives. We walk the local file headers that lie within `head`
 * and decide on the first telling entry: a name under `word/` or `xl/`, or an ODF `mimetype` entry
 * (stored uncompressed and first, as the ODF spec requires) that reads as a text document.
 *
 * What this can prove: the file starts like a ZIP whose early entries are named like a Word, Excel
 * or Writer package. What it cannot: that the rest of the archive is intact or the document opens;
 * that it has no macros (`vbaProject.bin` usually comes later, and a .docm renamed .docx has a
 * content type we cannot read without inflating `[Content_Types].xml`); that it is not a zip bomb or
 * a polyglot with something else appended. Office files stay untrusted: never opened on the server.
 */
function sniffZip(head: Uint8Array): SniffResult {
  let at = 0;
  while (at + 30 <= head.length && startsWith(head, zipLocalHeader, at)) {
    const flags = u16le(head, at + 6)!;
    const method = u16le(head, at + 8)!;
    const compressedSize = u32le(head, at + 18)!;
    const nameLength = u16le(head, at + 26)!;
    const extraLength = u16le(head, at + 28)!;
    const name = ascii(head, at + 30, nameLength);
    if (name === null) break;
    const dataStart = at + 30 + nameLength + extraLength;
    if (name.startsWith('word/')) return fileTypes.docx;
    if (name.startsWith('xl/')) return fileTypes.xlsx;
    if (name === 'mimetype') {
      const content = method === 0 ? ascii(head, dataStart, compressedSize) : null;
      return content === fileTypes.odt.mime ? fileTypes.odt : unknown; // another ODF kind, EPUB, or cut off
    }
    if (flags & 0x08) {
      // The sizes follow the data (a "data descriptor", as LibreOffice and Java write them), so the
      // next entry can only be found by its signature. A false match in compressed data is possible
      // but harmless: its "name" would have to start with word/ or xl/ to change the answer.
      const next = indexOf(head, zipLocalHeader, dataStart);
      if (next < 0) break;
      at = next;
    } else {
      at = dataStart + compressedSize;
    }
  }
  return unknown;
}

/**
 * Legacy DOC and XLS share the OLE2 compound file header, and so do Windows installers (MSI) and
 * Outlook messages: the signature alone proves nothing. What tells them apart is the directory:
 * a `WordDocument` stream, a `Workbook` (or Excel 5 `Book`) stream, or the installer's class id on
 * the root entry. The header says where the directory starts; if that lies beyond `head`, the file
 * is refused as unknown rather than guessed from its name.
 */
function sniffOle(head: Uint8Array): SniffResult {
  const sectorShift = u16le(head, 30);
  const firstDirectorySector = u32le(head, 48);
  if (sectorShift === null || firstDirectorySector === null || (sectorShift !== 9 && sectorShift !== 12)) return unknown;
  const sectorSize = 1 << sectorShift;
  const directoryStart = (firstDirectorySector + 1) * sectorSize;
  for (let entry = directoryStart; entry + 128 <= Math.min(directoryStart + sectorSize, head.length); entry += 128) {
    const nameBytes = u16le(head, entry + 64)!;
    const name = utf16le(head, entry, Math.max(0, Math.min(nameBytes, 64) - 2)); // the length counts the final NUL
    const objectType = head[entry + 66];
    if (objectType === 5 && installerClassIds.some((id) => startsWith(head, id, entry + 80))) return executable;
    if (objectType === 2 && name === 'WordDocument') return fileTypes.doc;
    if (objectType === 2 && (name === 'Workbook' || name === 'Book')) return fileTypes.xls;
  }
  return unknown;
}

const zipLocalHeader = [0x50, 0x4b, 0x03, 0x04];
const oleSignature = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** {000C1084-…-46} MSI package and {000C1086-…-46} MSI patch, as stored (little-endian fields). */
const installerClassIds = [0x84, 0x86].map((b) => [b, 0x10, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46]);

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (at + prefix.length > bytes.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

function indexOf(bytes: Uint8Array, needle: readonly number[], from: number): number {
  for (let i = from; i + needle.length <= bytes.length; i++) if (startsWith(bytes, needle, i)) return i;
  return -1;
}

/** Bytes as Latin-1 text, or null when they run past the end: a cut-off signature matches nothing. */
function ascii(bytes: Uint8Array, at: number, length: number): string | null {
  if (at + length > bytes.length) return null;
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

function utf16le(bytes: Uint8Array, at: number, length: number): string | null {
  if (at + length > bytes.length) return null;
  let s = '';
  for (let i = 0; i + 1 < length; i += 2) s += String.fromCharCode(bytes[at + i]! | (bytes[at + i + 1]! << 8));
  return s;
}

function u16le(bytes: Uint8Array, at: number): number | null {
  return at + 2 <= bytes.length ? bytes[at]! | (bytes[at + 1]! << 8) : null;
}

function u32le(bytes: Uint8Array, at: number): number | null {
  return at + 4 <= bytes.length ? (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0 : null;
}

function u32be(bytes: Uint8Array, at: number): number | null {
  return at + 4 <= bytes.length ? ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0 : null;
}
