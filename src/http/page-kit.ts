// What every page route needs: send visitors to sign in first, read a posted form's fields, and
// show a form again with what was typed when a service rejects it (GOV.UK error summary).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { errorBody } from './errors.ts';

/** Sends a visitor to the sign-in page, to come back to this address afterwards. */
export function signInFirst(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.redirect(`/dang-nhap?next=${encodeURIComponent(req.url)}`, 303);
}

/** One posted field as text: '' when it is missing or not text. */
export function formText(body: unknown, key: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[key];
  return typeof v === 'string' ? v : '';
}

/** Several posted fields as text, keyed by name: what a form shows again after an error. */
export function formTexts<K extends string>(body: unknown, keys: readonly K[]): Record<K, string> {
  return Object.fromEntries(keys.map((k) => [k, formText(body, k)])) as Record<K, string>;
}

/** Why a form's post was turned down: a message per field, and the status to answer with. */
export type Rejection = { error: AppError; errors: Record<string, string>; status: number };

export type Outcome<T> = { ok: true; value: T } | { ok: false; rejected: Rejection };

/**
 * Runs what a form asks for. When a service turns the input down (a 4xx error with field
 * problems, or any 4xx error when `field` names where to show it), the page gets the messages in
 * the caller's language to show beside what was typed. Anything else (a forged form, something
 * not found or not allowed to be seen, a fault) is left to the one error handler.
 */
export async function attempt<T>(req: FastifyRequest, run: () => Promise<T>, opts: { field?: string } = {}): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (err) {
    const rejected = rejection(req, err, opts.field);
    if (!rejected) throw err;
    return { ok: false, rejected };
  }
}

/** The form errors an error stands for, or null when it is not the caller's input at fault. */
export function rejection(req: FastifyRequest, err: unknown, field?: string): Rejection | null {
  if (!(err instanceof AppError) || err.status >= 500 || err.status === 404 || err.code === 'csrf') return null;
  if (!err.fields && !field) return null;
  const body = errorBody(req.lang, err).error;
  return { error: err, errors: body.fields ?? { [field!]: body.message }, status: err.status };
}
