// CSRF protection for the portal's forms, by double submit: a random token in a SameSite cookie,
// repeated in a hidden field of every POST form, and compared on the server. The API, when a
// browser's session cookie authenticates it, needs the same token in a header or its own Origin
// (apiCsrfHook); with a Bearer header, which a foreign page cannot send, it needs neither.
import { dossierReaders } from '../domain/roles.ts';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PageContext } from '../web/context.ts';
import { readCookie } from './auth.ts';
import { cookieName, setCookie } from './cookies.ts';
import { fail } from '../errors.ts';

export const csrfCookie = 'motcua_csrf';
export const csrfField = '_csrf';

/** The request's token, issuing one (as a cookie) when the browser has none yet. */
export function csrfToken(req: FastifyRequest, reply: FastifyReply): string {
  const existing = readCookie(req.headers.cookie, cookieName(req, csrfCookie));
  if (existing && /^[A-Za-z0-9_-]{32,64}$/.test(existing)) return existing;
  const token = randomBytes(24).toString('base64url');
  setCookie(reply, csrfCookie, token);
  return token;
}

/** Whether a token sent with a form is the one in the browser's cookie. */
export function csrfMatches(req: FastifyRequest, sent: unknown): boolean {
  const cookie = readCookie(req.headers.cookie, cookieName(req, csrfCookie)) ?? '';
  return typeof sent === 'string' && sent.length === cookie.length && cookie.length > 0 && timingSafeEqual(Buffer.from(sent), Buffer.from(cookie));
}

/** For url-encoded forms; multipart forms check csrfMatches on the field before the file. */
export function checkCsrf(req: FastifyRequest): void {
  if (!csrfMatches(req, (req.body as Record<string, unknown> | undefined)?.[csrfField])) fail('csrf');
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The origin (scheme://host[:port]) of a URL, or null when it is not one. */
function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const o = new URL(url).origin;
    return o === 'null' ? null : o;
  } catch {
    return null;
  }
}

/**
 * The API's CSRF check (OWASP ASVS V4.2.2), for a state-changing request that a browser's session
 * cookie authenticates: it passes with an `X-CSRF-Token` header equal to the CSRF cookie (the
 * double-submit token the pages use), or when its `Origin` (else `Referer`) is the public URL's
 * origin. A Bearer request needs neither (a foreign page cannot send the header), and a request
 * with no session is left to fail authentication where it must.
 */
export function apiCsrfHook(publicUrl: string): (req: FastifyRequest) => Promise<void> {
  const own = originOf(publicUrl);
  return async (req) => {
    if (!req.isApi || !unsafeMethods.has(req.method) || !req.user) return;
    if (req.headers.authorization?.startsWith('Bearer ')) return;
    const header = req.headers['x-csrf-token'];
    if (typeof header === 'string' && csrfMatches(req, header)) return;
    const from = originOf(req.headers.origin) ?? originOf(req.headers.referer);
    if (from !== null && from === own) return;
    fail('csrf');
  };
}

export function pageContext(req: FastifyRequest, reply: FastifyReply): PageContext {
  return { lang: req.lang, url: req.url, user: req.user ? { name: req.user.name, staff: req.user.roles.some((r) => dossierReaders.has(r.role)) } : null, csrf: csrfToken(req, reply) };
}
