// Rules for citizens' accounts: who a username is, what a password must be, how long codes live,
// and how sign-in slows down after failures. No I/O; time is passed in.

import type { Role } from './roles.ts';

/** Who a request comes from: an account and the roles it holds, each at a unit (maybe with its subtree). */
export type SessionUser = {
  id: string; username: string; name: string; email: string | null; phone: string | null;
  roles: Array<{ role: Role; unitId: string | null; subtree: boolean }>;
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

/** One-time codes: six digits, ten minutes, five tries. */
export const codeRules = { digits: 6, ttlMinutes: 10, maxAttempts: 5 } as const;

/**
 * Sign-in throttling: the first failures are free (people mistype), then each failure doubles the
 * wait, from 1 s up to 15 minutes. Counted per username, and per address with a far larger
 * allowance: a school session puts 200 students behind one address.
 */
export const throttleRules = { freeFailures: 5, freeFailuresPerAddress: 100, maxLockSeconds: 15 * 60 } as const;

export function lockSeconds(failures: number, free: number = throttleRules.freeFailures): number {
  if (failures < free) return 0;
  return Math.min(2 ** (failures - free), throttleRules.maxLockSeconds);
}

/** Sessions last 30 days from sign-in. */
export const sessionDays = 30;
