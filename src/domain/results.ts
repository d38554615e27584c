// What a result document records (docs/domain.md, "Signed e-results"): its type, from a small fixed
// list, and its number and symbol (số, ký hiệu) and date. Decree 30/2020/NĐ-CP on clerical work
// (Appendix I) writes an administrative document's number in Arabic digits, followed by its symbol
// (the document type's abbreviation and the issuing body's, e.g. "15/QĐ-UBND"), and its date; a
// decision, a written answer and a refusal are such documents, so their symbol is required here.
// Licences and certificates carry the issuing system's own serial, sometimes without a symbol.
// The names of the types are in src/i18n (office.resultTypes).

export const resultTypes = ['licence', 'decision', 'written_answer', 'refusal', 'other'] as const;
export type ResultType = (typeof resultTypes)[number];

export function isResultType(v: unknown): v is ResultType {
  return typeof v === 'string' && (resultTypes as readonly string[]).includes(v);
}

/** The types that are administrative documents with a symbol (Decree 30/2020). */
export const symbolRequired: ReadonlySet<ResultType> = new Set(['decision', 'written_answer', 'refusal']);

export type ResultFields = { number: string; symbol: string | null; type: ResultType; issuedOn: string };
export type ResultInput = { number?: unknown; symbol?: unknown; type?: unknown; issuedOn?: unknown };
/** A field's problem, named by the message key of src/i18n's fieldErrors. */
export type ResultProblem = { key: 'required' | 'notAllowed' | 'resultNumber' | 'resultSymbol' | 'badDate' | 'issuedInFuture'; params?: Record<string, string> };

const numberPattern = /^(?=.*\d)[\p{L}\d][\p{L}\d./-]{0,29}$/u;
const symbolPattern = /^\p{Lu}[\p{Lu}\d./-]{0,39}$/u;

const text = (v: unknown) => (typeof v === 'string' ? v.normalize('NFC').trim() : '');

/** Checks and tidies what an officer typed; `today` (YYYY-MM-DD, Vietnam) is the default date and the latest allowed. */
export function checkResultFields(input: ResultInput, today: string): { ok: true; value: ResultFields } | { ok: false; problems: Record<string, ResultProblem> } {
  const problems: Record<string, ResultProblem> = {};
  const type = text(input.type);
  if (!type) problems.type = { key: 'required' };
  else if (!isResultType(type)) problems.type = { key: 'notAllowed', params: { allowed: resultTypes.join(', ') } };
  const number = text(input.number);
  if (!number) problems.number = { key: 'required' };
  else if (!numberPattern.test(number)) problems.number = { key: 'resultNumber' };
  const symbol = text(input.symbol).toLocaleUpperCase('vi');
  if (!symbol) {
    if (isResultType(type) && symbolRequired.has(type)) problems.symbol = { key: 'required' };
  } else if (!symbolPattern.test(symbol)) problems.symbol = { key: 'resultSymbol' };
  let issuedOn = text(input.issuedOn);
  if (!issuedOn) issuedOn = today;
  else if (!realDate(issuedOn)) problems.issuedOn = { key: 'badDate' };
  else if (issuedOn > today) problems.issuedOn = { key: 'issuedInFuture' };
  if (Object.keys(problems).length) return { ok: false, problems };
  return { ok: true, value: { number, symbol: symbol || null, type: type as ResultType, issuedOn } };
}

function realDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** "Số: 15/QĐ-UBND" as the number and symbol are written together. */
export function numberAndSymbol(number: string | null, symbol: string | null): string {
  return [number, symbol].filter(Boolean).join('/');
}
