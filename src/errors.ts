// Errors are values with stable codes. They belong to no layer: a service or the domain fails with
// a code (`fail('invalid_transition')`) and never picks an HTTP status; `src/http/errors.ts` maps
// the code to the status below and to the message in the caller's language.
import type { Messages } from './i18n/index.ts';

/** Every error code the portal answers with, and the HTTP status it is answered with. */
export const errorStatus = {
  validation: 400,
  bad_request: 400,
  bad_encoding: 400,
  bad_multipart: 400,
  empty_file: 400,
  upload_incomplete: 400,
  request_too_long: 400,
  not_signed_in: 401,
  invalid_credentials: 401,
  otp_required: 401,
  bad_api_key: 401,
  forbidden: 403,
  csrf: 403,
  totp_setup_required: 403,
  account_not_verified: 403,
  filing_disabled: 403,
  not_found: 404,
  route_not_found: 404,
  procedure_not_found: 404,
  dossier_not_found: 404,
  payment_not_found: 404,
  conflict: 409,
  invalid_transition: 409,
  account_exists: 409,
  already_rated: 409,
  apology_too_late: 409,
  no_next_step: 409,
  unit_without_identifier: 409,
  national_code_taken: 409,
  payment_due: 409,
  payment_already_paid: 409,
  payment_not_due: 409,
  payment_not_paid: 409,
  payment_method_unavailable: 409,
  too_large: 413,
  file_too_large: 413,
  dossier_files_too_large: 413,
  unsupported_media_type: 415,
  file_type_not_allowed: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export type FieldErrorCode = keyof Messages['fieldErrors'];

/** A field's problem: a message key and its parameters, turned into words in the user's language. */
export type FieldProblem = { key: FieldErrorCode; params?: Record<string, string | number> };

/** What an error may carry beside its code. */
export type ErrorExtra = {
  fields?: Record<string, FieldProblem>;
  retryAfter?: number;
  /** Values for the `{name}` placeholders of the code's message (e.g. the unit it names). */
  params?: Record<string, string | number>;
};

export class AppError extends Error {
  readonly fields?: Record<string, FieldProblem>;
  /** Seconds until the caller may try again (429). */
  readonly retryAfter?: number;
  readonly params?: Record<string, string | number>;

  constructor(readonly code: ErrorCode, extra: ErrorExtra = {}) {
    super(code);
    this.fields = extra.fields;
    this.retryAfter = extra.retryAfter;
    this.params = extra.params;
  }

  /** The HTTP status the code is answered with (the table above); pages use it to tell a caller's mistake from a fault. */
  get status(): number {
    return errorStatus[this.code];
  }
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(errorStatus, code);
}

/** Fails with a code; the HTTP layer decides what the caller sees. */
export function fail(code: ErrorCode, extra?: ErrorExtra): never {
  throw new AppError(code, extra);
}

/** The error of a form or request whose fields are wrong (400 with `fields`). */
export const invalid = (fields: Record<string, FieldProblem>) => new AppError('validation', { fields });
