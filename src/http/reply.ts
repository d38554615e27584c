// Sending JSON that a service already encoded. Fastify sends Buffers as they are; the route's
// response schema still documents the shape in /openapi.json.
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { uploadHeaders } from './security.ts';

export function sendJsonBytes(reply: FastifyReply, bytes: Buffer): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(bytes);
}

/** Sends a generated document (a PDF, say) to be shown in the browser. */
/**
 * Sends a file to be shown inline. Header values must be Latin-1, and file names are often
 * Vietnamese: the plain `filename` gets an ASCII form, `filename*` the exact name (RFC 6266).
 */
export function sendDocument(reply: FastifyReply, contentType: string, bytes: Buffer | Readable, filename: string): FastifyReply {
  const ascii = filename.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]|["\\]/g, '_');
  return reply
    .type(contentType)
    .header('content-disposition', `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .send(bytes);
}

/** Sends a server-rendered page. */
export function sendPage(reply: FastifyReply, markup: { value: string }, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(markup.value);
}

/**
 * Sends a file someone uploaded (an attachment, a result): like sendDocument, but sandboxed and never
 * sniffed, so an HTML or SVG file that slipped past the type check cannot run as this site's page.
 */
export function sendUpload(reply: FastifyReply, contentType: string, bytes: Buffer | Readable, filename: string): FastifyReply {
  return sendDocument(reply.headers(uploadHeaders), contentType, bytes, filename);
}
