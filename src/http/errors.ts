// Errors are values with stable codes (style.md §3). A service throws an AppError; the one error
// handler in http/app.ts maps its code to the HTTP status and to the message in the user's language.
import type { Messages } from '../web/i18n/index.ts';

export type ErrorCode = keyof Messages['errors'];
export type FieldErrorCode = keyof Messages['fieldErrors'];

/** A field's problem: a message key and its parameters, turned into words in the user's language. */
export type FieldProblem = { key: FieldErrorCode; params?: Record<string, string | number> };

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    readonly fields?: Record<string, FieldProblem>,
  ) {
    super(code);
  }
}

export const notFound = (code: ErrorCode = 'not_found') => new AppError(code, 404);

export const invalid = (fields: Record<string, FieldProblem>) => new AppError('validation', 400, fields);
