// Receiving a file into storage: its type is read from its first bytes (never its name), its size
// is capped while it streams, and nothing is left in storage when any check fails or the upload is
// cut off.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { sniffFileType, sniffLength } from '../../domain/file-types.ts';
import { AppError, fail } from '../../errors.ts';
import { limitStream, TooLargeError, type FileStorage } from '../files/files.storage.ts';

export type StoredUpload = { storageKey: string; name: string; mime: string; size: number; sha256: string };

/** Reads up to `n` leading bytes, and gives back a stream that still yields everything. */
async function peek(input: Readable, n: number): Promise<{ head: Buffer; whole: Readable }> {
  const chunks: Buffer[] = [];
  let length = 0;
  const iterator = input[Symbol.asyncIterator]();
  while (length < n) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = Buffer.from(next.value as Buffer);
    chunks.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(chunks);
  async function* rest() {
    yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value as Buffer;
  }
  return { head, whole: Readable.from(rest(), { objectMode: false }) };
}

/**
 * Stores one uploaded file under `<folder>/<uuid>` (`dossiers/<id>` for attachments, `results/<id>` for results). Refuses an empty file or a type
 * outside `allowed` (415) before writing anything, and a file over `maxBytes` (413) as soon as it
 * passes the limit.
 */
export async function storeUpload(
  storage: FileStorage,
  folder: string,
  file: { filename: string; stream: Readable },
  opts: { allowed: ReadonlySet<string>; maxBytes: number },
): Promise<StoredUpload> {
  const { head, whole } = await peek(file.stream, sniffLength);
  if (head.length === 0) {
    file.stream.resume();
    fail('empty_file');
  }
  const type = sniffFileType(head.subarray(0, sniffLength));
  if (type.mime === null || !opts.allowed.has(type.mime)) {
    // Read the rest away so the client gets the answer rather than a reset connection.
    file.stream.resume();
    fail('file_type_not_allowed');
  }
  const storageKey = `${folder}/${randomUUID()}`;
  try {
    const stored = await storage.put(storageKey, limitStream(whole, opts.maxBytes), { contentType: type.mime });
    // Multipart parsing caps the part too; a truncated part must not pass as complete.
    if ((file.stream as Readable & { truncated?: boolean }).truncated) {
      await storage.delete(storageKey);
      fail('file_too_large');
    }
    return { storageKey, name: cleanName(file.filename, type.ext), mime: type.mime, ...stored };
  } catch (err) {
    file.stream.resume();
    if (err instanceof TooLargeError) fail('file_too_large');
    if (err instanceof AppError) throw err;
    // A stream cut off mid-upload: storage kept nothing.
    fail('upload_incomplete');
  }
}

/** A display name: the citizen's own, without paths or control characters, with the real extension. */
export function cleanName(filename: string, ext: string): string {
  const base = (filename.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 150);
  const stem = base.replace(/\.[A-Za-z0-9]{1,5}$/, '') || 'tep';
  return `${stem}.${ext}`;
}
