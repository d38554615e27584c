// Answers for errors: the status from the code table in src/errors.ts, and the message in the
// caller's language (the error body of docs/api-v1.md). No stack trace ever reaches a user.
import type { AppError, ErrorCode } from '../errors.ts';
import { format, messages, type Lang } from '../i18n/index.ts';

// Every error code has its words in both languages (en.ts is typed against vi.ts).
const worded: Record<ErrorCode, string> = messages('vi').errors;
void worded;

export function errorBody(lang: Lang, e: AppError): { error: { code: string; message: string; fields?: Record<string, string> } } {
  const m = messages(lang);
  const body: { code: string; message: string; fields?: Record<string, string> } = { code: e.code, message: format(m.errors[e.code], e.params ?? {}) };
  if (e.fields) {
    body.fields = Object.fromEntries(Object.entries(e.fields).map(([k, p]) => [k, format(m.fieldErrors[p.key], p.params ?? {})]));
  }
  return { error: body };
}
