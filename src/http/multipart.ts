// Reads a multipart upload with one `file` part and a few text fields, streaming the file into
// storage through `receive`. For pages, the form token must come before the file and is checked
// before a byte is stored. A broken or cut-off body answers 400 and leaves no file behind.
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { csrfField, csrfMatches } from './csrf.ts';
import { AppError, fail } from '../errors.ts';

/** Where the file goes: `receive` stores it and says what was stored, `discard` removes it again. */
export type UploadHandlers<S> = {
  maxBytes: number;
  csrf?: boolean;
  receive(file: { filename: string; stream: Readable }): Promise<S>;
  discard(stored: S): Promise<void>;
};

export async function readUpload<S>(req: FastifyRequest, h: UploadHandlers<S>): Promise<{ fields: Record<string, string>; stored?: S }> {
  // A body that announces itself as too large is refused before a byte of it is read.
  if (Number(req.headers['content-length'] ?? 0) > h.maxBytes + 64 * 1024) fail('file_too_large');
  if (!req.isMultipart()) fail('unsupported_media_type');
  const fields: Record<string, string> = {};
  let stored: S | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value).slice(0, 200);
      } else if (part.fieldname === 'file' && !stored) {
        if (h.csrf && !csrfMatches(req, fields[csrfField])) fail('csrf');
        // A form sent with no file chosen still has an empty file part.
        if (!part.filename) part.file.resume();
        else stored = await h.receive({ filename: part.filename, stream: part.file });
      } else {
        part.file.resume();
      }
    }
  } catch (err) {
    if (stored) await h.discard(stored);
    if (err instanceof AppError) throw err;
    // Broken multipart, or a body cut off in the middle.
    fail('bad_multipart');
  }
  return { fields, stored };
}
