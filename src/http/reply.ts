// Sending JSON that a service already encoded. Fastify sends Buffers as they are; the route's
// response schema still documents the shape in /openapi.json.
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

export function sendJsonBytes(reply: FastifyReply, bytes: Buffer): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(bytes);
}

/** Sends a generated document (a PDF, say) to be shown in the browser. */
export function sendDocument(reply: FastifyReply, contentType: string, bytes: Buffer | Readable, filename: string): FastifyReply {
  return reply.type(contentType).header('content-disposition', `inline; filename="${filename}"`).send(bytes);
}

/** Sends a server-rendered page. */
export function sendPage(reply: FastifyReply, markup: { value: string }, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(markup.value);
}
