// Rules for telling an upload's real type from its first bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import PDFDocument from 'pdfkit';
import { allowedForDocuments, fileTypes, officeTypes, sniffFileType, sniffLength, type SniffResult } from './file-types.ts';

type Part = number[] | string | Uint8Array;

/** Bytes from arrays of byte values, Latin-1 strings and buffers, in order. */
function bytes(...parts: Part[]): Uint8Array {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
}

const u16le = (n: number) => [n & 0xff, (n >>> 8) & 0xff];
const u32le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const u32be = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

const executable = { mime: null, kind: 'executable' };
const unknown = { mime: null, kind: 'unknown' };
const sniff = (...parts: Part[]): SniffResult => sniffFileType(bytes(...parts));

/** A real 1×1 PNG: signature, IHDR, one deflated scanline, IEND. */
function png1x1(): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const body = bytes(type, data);
    return bytes(u32be(data.length), body, u32be(zlib.crc32(body)));
  };
  const ihdr = bytes(u32be(1), u32be(1), [8, 2, 0, 0, 0]); // 8-bit RGB
  const idat = zlib.deflateSync(bytes([0, 0xc0, 0x10, 0x10])); // filter byte, one red pixel
  return bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array()));
}

/** A real one-page PDF, as the portal's own receipts are made. */
async function tinyPdf(): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: [72, 72], margin: 0 });
  const parts: Buffer[] = [];
  doc.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise((resolve) => doc.on('end', resolve));
  doc.text('Giấy khai sinh').end();
  await done;
  return Buffer.concat(parts);
}

/** One ZIP local file entry; with `dataDescriptor` the sizes follow the data, as LibreOffice writes them. */
function zipEntry(name: string, data: string, opts: { dataDescriptor?: boolean; method?: number } = {}): Uint8Array {
  const size = Buffer.byteLength(data, 'latin1');
  const sizes = opts.dataDescriptor ? [...u32le(0), ...u32le(0)] : [...u32le(size), ...u32le(size)];
  const header = bytes(
    [0x50, 0x4b, 0x03, 0x04],
    u16le(20),
    u16le(opts.dataDescriptor ? 0x08 : 0),
    u16le(opts.method ?? 0),
    u32le(0), // time, date
    u32le(0), // crc
    sizes,
    u16le(name.length),
    u16le(0),
    name,
  );
  const descriptor = opts.dataDescriptor ? bytes([0x50, 0x4b, 0x07, 0x08], u32le(0), u32le(size), u32le(size)) : new Uint8Array();
  return bytes(header, data, descriptor);
}

const contentTypes = '<?xml version="1.0"?><Types>' + '<Default Extension="xml" ContentType="application/xml"/>'.repeat(8) + '</Types>';

/** An ftyp box as ISO base media files start. */
const ftyp = (major: string, ...compatible: string[]) => bytes(u32be(16 + 4 * compatible.length), 'ftyp', major, u32be(0), ...compatible);

type OleEntry = { name: string; type: 1 | 2 | 5; classId?: number[] };

/** An OLE2 compound file with 512-byte sectors whose directory starts in sector `directorySector`. */
function oleFile(entries: OleEntry[], directorySector = 0): Uint8Array {
  const header = new Uint8Array(512);
  header.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  header.set(u16le(0x3e), 24);
  header.set(u16le(3), 26);
  header.set(u16le(0xfffe), 28);
  header.set(u16le(9), 30); // 512-byte sectors
  header.set(u32le(directorySector), 48);
  const directory = new Uint8Array(512);
  entries.forEach((e, i) => {
    const at = i * 128;
    directory.set(Buffer.from(e.name + '\0', 'utf16le'), at);
    directory.set(u16le((e.name.length + 1) * 2), at + 64);
    directory[at + 66] = e.type;
    if (e.classId) directory.set(e.classId, at + 80);
  });
  return bytes(header, new Uint8Array(512 * directorySector), directory);
}

const msiClassId = [0x84, 0x10, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46];

test('a real PDF is recognised by %PDF- at its very start', async () => {
  assert.deepEqual(sniffFileType(await tinyPdf()), fileTypes.pdf);
});

test('a PDF with anything before %PDF- is unknown: the signature must be at byte 0', () => {
  assert.deepEqual(sniff('\n\n%PDF-1.7\n'), unknown);
});

test('a JPEG is recognised by FF D8 FF, from a scanner (JFIF) or a phone camera (Exif)', () => {
  assert.deepEqual(sniff([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF\0'), fileTypes.jpeg);
  assert.deepEqual(sniff([0xff, 0xd8, 0xff, 0xe1, 0x1c, 0x45], 'Exif\0\0'), fileTypes.jpeg);
});

test('a real 1×1 PNG is recognised by its 8-byte signature', () => {
  assert.deepEqual(sniffFileType(png1x1()), fileTypes.png);
});

test('an iPhone photo (ftyp heic, compatible mif1) is HEIC', () => {
  assert.deepEqual(sniffFileType(ftyp('heic', 'mif1', 'heic')), fileTypes.heic);
  assert.deepEqual(sniffFileType(ftyp('heix', 'mif1', 'heix')), fileTypes.heic);
});

test('a mif1 file that lists heic among its brands is HEIC; plain mif1 or msf1 is HEIF', () => {
  assert.deepEqual(sniffFileType(ftyp('mif1', 'mif1', 'heic')), fileTypes.heic);
  assert.deepEqual(sniffFileType(ftyp('mif1', 'mif1')), fileTypes.heif);
  assert.deepEqual(sniffFileType(ftyp('msf1', 'msf1')), fileTypes.heif);
});

test('AVIF, MP4 and QuickTime share the ftyp box but are not HEIF', () => {
  assert.deepEqual(sniffFileType(ftyp('avif', 'avif', 'mif1', 'miaf')), unknown);
  assert.deepEqual(sniffFileType(ftyp('mif1', 'mif1', 'avif')), unknown);
  assert.deepEqual(sniffFileType(ftyp('isom', 'isom', 'mp42')), unknown);
  assert.deepEqual(sniffFileType(ftyp('qt  ', 'qt  ')), unknown);
});

test('WebP is RIFF....WEBP; another RIFF file (a WAV recording) is unknown', () => {
  assert.deepEqual(sniff('RIFF', u32le(1234), 'WEBPVP8 '), fileTypes.webp);
  assert.deepEqual(sniff('RIFF', u32le(1234), 'WAVEfmt '), unknown);
});

test('DOCX is a ZIP with an entry under word/, XLSX under xl/, even when sizes follow the data', () => {
  const docx = bytes(zipEntry('[Content_Types].xml', contentTypes), zipEntry('_rels/.rels', '<Relationships/>'), zipEntry('word/document.xml', '<w:document/>'));
  assert.deepEqual(sniffFileType(docx), fileTypes.docx);
  const xlsx = bytes(
    zipEntry('[Content_Types].xml', contentTypes, { dataDescriptor: true, method: 8 }),
    zipEntry('_rels/.rels', '<Relationships/>', { dataDescriptor: true, method: 8 }),
    zipEntry('xl/workbook.xml', '<workbook/>', { dataDescriptor: true, method: 8 }),
  );
  assert.deepEqual(sniffFileType(xlsx), fileTypes.xlsx);
});

test('ODT is a ZIP whose stored mimetype entry says opendocument.text; a spreadsheet or EPUB is unknown', () => {
  assert.deepEqual(sniffFileType(bytes(zipEntry('mimetype', fileTypes.odt.mime), zipEntry('content.xml', '<office/>'))), fileTypes.odt);
  assert.deepEqual(sniffFileType(zipEntry('mimetype', 'application/vnd.oasis.opendocument.spreadsheet')), unknown);
  assert.deepEqual(sniffFileType(zipEntry('mimetype', 'application/epub+zip')), unknown);
  assert.deepEqual(sniffFileType(zipEntry('mimetype', fileTypes.odt.mime, { method: 8 })), unknown); // ODF requires it stored
});

test('a ZIP that is no office document, or whose telling entry lies beyond the bytes read, is unknown', () => {
  assert.deepEqual(sniffFileType(bytes(zipEntry('readme.txt', 'xin chào'), zipEntry('src/main.c', 'int main() {}'))), unknown);
  const late = bytes(zipEntry('[Content_Types].xml', 'x'.repeat(sniffLength)), zipEntry('word/document.xml', '<w:document/>'));
  assert.deepEqual(sniffFileType(late.subarray(0, sniffLength)), unknown);
  assert.deepEqual(sniffFileType(late), fileTypes.docx);
});

test('legacy DOC and XLS are told apart by the streams in their OLE2 directory', () => {
  const root = { name: 'Root Entry', type: 5 } as const;
  assert.deepEqual(sniffFileType(oleFile([root, { name: '1Table', type: 2 }, { name: 'WordDocument', type: 2 }])), fileTypes.doc);
  assert.deepEqual(sniffFileType(oleFile([root, { name: 'Workbook', type: 2 }], 3)), fileTypes.xls);
  assert.deepEqual(sniffFileType(oleFile([root, { name: 'Book', type: 2 }])), fileTypes.xls);
  assert.deepEqual(sniffFileType(oleFile([root, { name: '__substg1.0_0037001F', type: 2 }])), unknown); // an Outlook message
});

test('an OLE2 file whose directory lies beyond the bytes read is unknown, never guessed from its name', () => {
  const doc = oleFile([{ name: 'Root Entry', type: 5 }, { name: 'WordDocument', type: 2 }], 20);
  assert.ok(doc.length > sniffLength);
  assert.deepEqual(sniffFileType(doc.subarray(0, sniffLength)), unknown);
});

test('a Windows installer (MSI), though an OLE2 file like DOC, is refused as an executable', () => {
  assert.deepEqual(sniffFileType(oleFile([{ name: 'Root Entry', type: 5, classId: msiClassId }, { name: 'WordDocument', type: 2 }])), executable);
});

test('"giay-khai-sinh.pdf" that starts with MZ is an executable: the name plays no part', () => {
  const peStub = bytes('MZ', [0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00], 'This program cannot be run in DOS mode.');
  assert.deepEqual(sniffFileType(peStub), executable);
  assert.deepEqual(sniff('MZ', '%PDF-1.4\n'), executable); // a polyglot is still an executable
});

test('ELF, Mach-O (both byte orders, 32 and 64 bit, universal), WebAssembly and #! scripts are executables', () => {
  assert.deepEqual(sniff([0x7f], 'ELF', [2, 1, 1]), executable);
  for (const magic of [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe]) assert.deepEqual(sniff(u32be(magic), [0, 0, 0, 7]), executable);
  assert.deepEqual(sniff([0, 0x61, 0x73, 0x6d], u32le(1)), executable);
  assert.deepEqual(sniff('#!/bin/sh\nrm -rf /\n'), executable);
  assert.deepEqual(sniff('#!/usr/bin/env python3\n'), executable);
});

test('a file cut shorter than a signature is unknown', () => {
  assert.deepEqual(sniff([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a]), unknown); // 7 of PNG's 8 bytes
  assert.deepEqual(sniff('%PDF'), unknown);
  assert.deepEqual(sniff([0xff, 0xd8]), unknown);
  assert.deepEqual(sniff('RIFF', u32le(10), 'WEB'), unknown);
  assert.deepEqual(sniff(u32be(24), 'ftyp', 'he'), unknown);
  assert.deepEqual(sniff([0x50, 0x4b, 0x03, 0x04, 20, 0]), unknown);
  assert.deepEqual(sniff([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), unknown);
  assert.deepEqual(sniff([0x7f, 0x45, 0x4c]), unknown); // not even a whole ELF signature
});

test('an empty file is unknown', () => {
  assert.deepEqual(sniffFileType(new Uint8Array()), unknown);
});

test('text, HTML and SVG are unknown, whatever they claim to be', () => {
  assert.deepEqual(sniff('Giấy khai sinh'), unknown);
  assert.deepEqual(sniff('<!doctype html><script>alert(1)</script>'), unknown);
  assert.deepEqual(sniff('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), unknown);
});

test('documents default to PDF and photos (JPEG, PNG, HEIC/HEIF, WebP); office files are opt-in', () => {
  assert.deepEqual([...allowedForDocuments].sort(), ['application/pdf', 'image/heic', 'image/heif', 'image/jpeg', 'image/png', 'image/webp']);
  for (const t of [fileTypes.docx, fileTypes.xlsx, fileTypes.odt, fileTypes.doc, fileTypes.xls]) {
    assert.ok(officeTypes.has(t.mime), t.ext);
    assert.ok(!allowedForDocuments.has(t.mime), t.ext);
  }
});
