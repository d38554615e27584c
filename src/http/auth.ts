// Who is calling: a Bearer token (API) or the session cookie (pages), both backed by the sessions
// table. Routes ask with requireUser(); permission checks build on the user's roles.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sessionDays, type SessionUser } from '../domain/accounts.ts';
import { fail } from '../errors.ts';
import { cookieName, setCookie } from './cookies.ts';

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | null;
    sessionToken: string | null;
  }
}

export const sessionCookie = 'motcua_session';

/** The value of one cookie from the Cookie header. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function tokenOf(req: FastifyRequest): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim() || null;
  return readCookie(req.headers.cookie, cookieName(req, sessionCookie));
}

/** A preHandler hook that finds the caller's account from the token, when there is one. */
/** Reads the session cookie or Bearer token; `accounts` finds the user a token belongs to. */
export function authenticate(accounts: { userForToken(token: string): Promise<SessionUser | null> }): (req: FastifyRequest) => Promise<void> {
  return async (req) => {
    const token = tokenOf(req);
    if (!token) return;
    req.user = await accounts.userForToken(token);
    req.sessionToken = req.user ? token : null;
  };
}

export function requireUser(req: FastifyRequest): SessionUser {
  if (!req.user) fail('not_signed_in');
  return req.user;
}

/** The session cookie, living as long as the session may (its absolute limit); Secure and `__Host-` on https. */
export function setSessionCookie(reply: FastifyReply, token: string, maxAgeSeconds: number = sessionDays * 86400): void {
  setCookie(reply, sessionCookie, token, { maxAge: maxAgeSeconds });
}

export function clearSessionCookie(reply: FastifyReply): void {
  setCookie(reply, sessionCookie, '', { maxAge: 0 });
}

/**
 * While a role of the caller requires the second factor and it is not set up, only the setup
 * (and signing out) answer: pages send the caller to the setup page, the API answers 403
 * totp_setup_required.
 */
export function secondFactorGate(setupPath: string, allowed: readonly string[]): (req: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (req, reply) => {
    if (!req.user?.totpSetupRequired) return;
    const path = req.url.split('?')[0]!;
    if (path === setupPath || path.startsWith('/static/') || allowed.includes(path)) return;
    if (req.isApi) fail('totp_setup_required');
    return reply.redirect(setupPath, 303);
  };
}
