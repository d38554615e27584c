// Rules for citizens' accounts: who a username is, what a password must be, how long codes live,
// and how sign-in slows down after failures. No I/O; time is passed in.

import type { Role } from './roles.ts';

/** Who a request comes from: an account and the roles it holds, each at a unit (maybe with its subtree). */
export type SessionUser = {
  id: string; username: string; name: string; email: string | null; phone: string | null;
  roles: Array<{ role: Role; unitId: string | null; subtree: boolean }>;
  /** A role of this account requires the second factor and it is not set up yet: nothing else until it is. */
  totpSetupRequired?: boolean;
  /** Whether the second factor is on for this account. */
  totpEnabled?: boolean;
};

export type Username = { kind: 'email'; value: string } | { kind: 'phone'; value: string };

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

/**
 * An email address (lower-cased), or a Vietnamese mobile number in +84 form. People type
 * "0912 345 678", "0912.345.678", "+84912345678" or "84912345678": all the same number.
 */
export function parseUsername(input: string): Username | null {
  const text = input.trim();
  if (text.includes('@')) {
    const email = text.toLowerCase();
    return emailPattern.test(email) && email.length <= 254 ? { kind: 'email', value: email } : null;
  }
  const digits = text.replace(/[\s.\-()]/g, '');
  const national = /^(?:\+?84|0)([35789]\d{8})$/.exec(digits);
  return national ? { kind: 'phone', value: `+84${national[1]}` } : null;
}

export const passwordRules = { minLength: 8, maxLength: 128 } as const;

export function passwordProblem(password: string): 'tooShort' | 'tooLong' | null {
  if (password.length < passwordRules.minLength) return 'tooShort';
  if (password.length > passwordRules.maxLength) return 'tooLong';
  return null;
}

/**
 * One-time codes: six digits, ten minutes. Five wrong tries per account in an hour, counted across
 * codes (a fresh code does not bring fresh tries). Codes are issued at most three an hour and ten a
 * day per account; per address the allowance is larger, because a school or a mobile carrier's
 * shared address (CGNAT) puts many people behind one address.
 */
export const codeRules = {
  digits: 6, ttlMinutes: 10, maxAttempts: 5, attemptWindowMinutes: 60,
  issuePerAccount: { hour: 3, day: 10 },
  issuePerAddress: { hour: 30, day: 200 },
} as const;

/**
 * Sign-in throttling: the first failures are free (people mistype), then each failure doubles the
 * wait, from 1 s up to 15 minutes. Counted per username, and per address with a far larger
 * allowance: a school session puts 200 students behind one address.
 */
export const throttleRules = { freeFailures: 5, freeFailuresPerAddress: 100, addressWindowMinutes: 15, maxLockSeconds: 15 * 60 } as const;

export function lockSeconds(failures: number, free: number = throttleRules.freeFailures): number {
  if (failures < free) return 0;
  return Math.min(2 ** (failures - free), throttleRules.maxLockSeconds);
}

/** Every count of failures that locks for less than the maximum, with its wait: the rest wait the maximum. */
export function lockSteps(free: number = throttleRules.freeFailures): Array<{ failures: number; seconds: number }> {
  const steps: Array<{ failures: number; seconds: number }> = [];
  for (let n = free; lockSeconds(n, free) < throttleRules.maxLockSeconds; n++) steps.push({ failures: n, seconds: lockSeconds(n, free) });
  return steps;
}

/**
 * A sliding window, approximated from two fixed ones: the count over the last `seconds` is this
 * window's count plus the previous window's, weighted by how much of it is still inside. It decays
 * smoothly instead of resetting all at once, and needs one row per key.
 */
export function slidingWindow(now: Date, seconds: number): { start: string; previousStart: string; nextStart: string; elapsed: number } {
  const ms = seconds * 1000;
  const start = Math.floor(now.getTime() / ms) * ms;
  return {
    start: new Date(start).toISOString(), previousStart: new Date(start - ms).toISOString(), nextStart: new Date(start + ms).toISOString(),
    elapsed: (now.getTime() - start) / ms,
  };
}

export function slidingCount(count: { current: number; previous: number }, elapsed: number): number {
  return count.previous * (1 - elapsed) + count.current;
}

/** Seconds until one more event fits under `limit` (0 when it fits now). */
export function slidingWait(count: { current: number; previous: number }, elapsed: number, limit: number, seconds: number): number {
  if (slidingCount(count, elapsed) + 1 <= limit) return 0;
  // Within this window, the previous window's share must shrink enough.
  if (count.current + 1 <= limit && count.previous > 0) {
    const f = 1 - (limit - count.current - 1) / count.previous;
    return Math.max(1, Math.ceil((f - elapsed) * seconds));
  }
  // Otherwise in the next window, when this window's count has become the previous one.
  const g = count.current > 0 ? Math.max(0, 1 - (limit - 1) / count.current) : 0;
  return Math.max(1, Math.ceil((1 - elapsed + g) * seconds));
}

/** Sessions last 30 days from sign-in. */
export const sessionDays = 30;

/**
 * How long a session lives (OWASP ASVS V3.3): ended after `idleSeconds` without a request and in
 * any case `absoluteSeconds` after sign-in. Staff sessions open every dossier of their units (ID
 * numbers, addresses, health and land records) and run on shared office computers, so they end
 * after 30 idle minutes and within a working day (12 h). A citizen sees only their own dossiers,
 * often from a phone over days of filing, so a week idle and 30 days at most (as before).
 * Activity moves the last-seen time at most once a `touchSeconds`, to spare the database.
 */
export type SessionLimit = { idleSeconds: number; absoluteSeconds: number };
export type SessionLimits = { staff: SessionLimit; citizen: SessionLimit; touchSeconds: number };

export const sessionLimits: SessionLimits = {
  staff: { idleSeconds: 30 * 60, absoluteSeconds: 12 * 3600 },
  citizen: { idleSeconds: 7 * 86400, absoluteSeconds: sessionDays * 86400 },
  touchSeconds: 60,
};

/** The limits for an account: staff's as soon as it holds any role but citizen. */
export function sessionLimitsFor(roles: ReadonlyArray<{ role: Role }>, limits: SessionLimits = sessionLimits): SessionLimit {
  return roles.some((r) => r.role !== 'citizen') ? limits.staff : limits.citizen;
}

/** Whether a session has run out: idle too long, or past its absolute end. */
export function sessionExpired(s: { lastSeenAt: string; expiresAt: string; idleSeconds: number }, now: Date): boolean {
  if (Date.parse(s.expiresAt) <= now.getTime()) return true;
  return s.idleSeconds > 0 && Date.parse(s.lastSeenAt) + s.idleSeconds * 1000 <= now.getTime();
}

/** Second sign-in step: the pending token lives 5 minutes and allows 5 wrong codes. */
export const secondFactorRules = { pendingSeconds: 5 * 60, maxAttempts: 5 } as const;
