// Errors are values with stable codes (style.md §3). A service throws an AppError; the one error
// handler in http/app.ts maps its code to the HTTP status and to the message in the user's language.
import { format, messages, type Lang, type Messages } from '../web/i18n/index.ts';

export type ErrorCode = keyof Messages['errors'];
export type FieldErrorCode = keyof Messages['fieldErrors'];

/** A field's problem: a message key and its parameters, turned into words in the user's language. */
export type FieldProblem = { key: FieldErrorCode; params?: Record<string, string | number> };

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    readonly fields?: Record<string, FieldProblem>,
    /** Seconds until the caller may try again (429). */
    readonly retryAfter?: number,
  ) {
    super(code);
  }
}

export const notFound = (code: ErrorCode = 'not_found') => new AppError(code, 404);

export const invalid = (fields: Record<string, FieldProblem>) => new AppError('validation', 400, fields);

/** The error body of api-v1.md, in the caller's language; never a stack trace. */
export function errorBody(lang: Lang, e: AppError): { error: { code: string; message: string; fields?: Record<string, string> } } {
  const m = messages(lang);
  const body: { code: string; message: string; fields?: Record<string, string> } = { code: e.code, message: m.errors[e.code] };
  if (e.fields) {
    body.fields = Object.fromEntries(Object.entries(e.fields).map(([k, p]) => [k, format(m.fieldErrors[p.key], p.params ?? {})]));
  }
  return { error: body };
}

