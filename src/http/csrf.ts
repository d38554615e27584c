// CSRF protection for the portal's forms, by double submit: a random token in a SameSite cookie,
// repeated in a hidden field of every POST form, and compared on the server. The API is not
// affected: it authenticates with a Bearer header, which a foreign page cannot send.
import { dossierReaders } from '../domain/roles.ts';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PageContext } from '../web/context.ts';
import { readCookie } from './auth.ts';
import { fail } from '../errors.ts';

export const csrfCookie = 'motcua_csrf';
export const csrfField = '_csrf';

/** The request's token, issuing one (as a cookie) when the browser has none yet. */
export function csrfToken(req: FastifyRequest, reply: FastifyReply): string {
  const existing = readCookie(req.headers.cookie, csrfCookie);
  if (existing && /^[A-Za-z0-9_-]{32,64}$/.test(existing)) return existing;
  const token = randomBytes(24).toString('base64url');
  reply.header('set-cookie', `${csrfCookie}=${token}; Path=/; HttpOnly; SameSite=Lax`);
  return token;
}

/** Whether a token sent with a form is the one in the browser's cookie. */
export function csrfMatches(req: FastifyRequest, sent: unknown): boolean {
  const cookie = readCookie(req.headers.cookie, csrfCookie) ?? '';
  return typeof sent === 'string' && sent.length === cookie.length && cookie.length > 0 && timingSafeEqual(Buffer.from(sent), Buffer.from(cookie));
}

/** For url-encoded forms; multipart forms check csrfMatches on the field before the file. */
export function checkCsrf(req: FastifyRequest): void {
  if (!csrfMatches(req, (req.body as Record<string, unknown> | undefined)?.[csrfField])) fail('csrf');
}

export function pageContext(req: FastifyRequest, reply: FastifyReply): PageContext {
  return { lang: req.lang, url: req.url, user: req.user ? { name: req.user.name, staff: req.user.roles.some((r) => dossierReaders.has(r.role)) } : null, csrf: csrfToken(req, reply) };
}
