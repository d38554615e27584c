// Cookie names and attributes (OWASP ASVS V3.4). When the public URL is https every cookie is
// `Secure` and carries the `__Host-` prefix (Path=/, no Domain: a sibling subdomain cannot set
// or shadow it); on a plain-http demo the plain names stay, or the browser would drop them.
import type { FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** Whether cookies are Secure with `__Host-` names: the public URL is https. */
    secureCookies: boolean;
  }
}

/** Whether a deployment's cookies are Secure: its public URL is https. */
export function secureCookiesFor(publicUrl: string): boolean {
  return /^https:/i.test(publicUrl);
}

/** A cookie's name for this request: `__Host-name` on https, `name` on http. */
export function cookieName(req: FastifyRequest, base: string): string {
  return req.secureCookies ? `__Host-${base}` : base;
}

/** Appends one Set-Cookie (Path=/, SameSite=Lax, HttpOnly unless told otherwise, Secure on https). */
export function setCookie(reply: FastifyReply, base: string, value: string, opts: { maxAge?: number; httpOnly?: boolean } = {}): void {
  const req = reply.request;
  const parts = [`${cookieName(req, base)}=${value}`, 'Path=/'];
  if (opts.maxAge !== undefined) parts.push(`Max-Age=${opts.maxAge}`);
  if (opts.httpOnly !== false) parts.push('HttpOnly');
  parts.push('SameSite=Lax');
  if (req.secureCookies) parts.push('Secure');
  reply.header('set-cookie', parts.join('; '));
}
