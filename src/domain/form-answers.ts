// Server-side checking of a dossier's form answers against its form definition. The API and the
// pages call the same function, so a rule holds however the answers arrive. No I/O: "today" and the
// administrative-area lookup are passed in.
import type { FormDefinition, FormField, ShowIf } from './forms.ts';
import { isIsoDay } from './units.ts';

/**
 * The message keys these rules answer with. Each is a key of `fieldErrors` in src/i18n/vi.ts;
 * the web layer formats them with `m.fieldErrors[key]`, which does not compile if one is missing.
 */
export type AnswerProblemKey =
  | 'required' | 'invalid' | 'tooLong' | 'tooBig' | 'tooSmall' | 'notAllowed'
  | 'badDate' | 'notARealDate' | 'dateInFuture' | 'dateInPast' | 'dateTooLate' | 'dateTooEarly'
  | 'notANumber' | 'ambiguousNumber' | 'badEmail' | 'badPhone' | 'badCitizenId' | 'citizenIdProvince'
  | 'chooseOne' | 'chooseAtLeastOne' | 'mustTick' | 'addressLineRequired' | 'areaRequired' | 'badArea';

/** Structurally a FieldProblem of src/errors.ts (which the domain may not import), with the keys these rules use. */
export type FieldProblem = { key: AnswerProblemKey; params?: Record<string, string | number> };

export type AddressValue = { line: string; areaCode: string };
export type AnswerValue = string | number | boolean | string[] | AddressValue;

export type AnswerOptions = {
  /** The calendar day in Vietnam (YYYY-MM-DD), for bounds written "today". */
  today: string;
  /** Whether a code names an administrative area. Old three-tier codes count if the lookup says so. */
  isAreaCode: (code: string) => boolean;
};

export type CheckedAnswers = {
  /** Cleaned answers of the fields that are shown and valid, by field key. */
  values: Record<string, AnswerValue>;
  /** By field key, or `<key>.line` / `<key>.areaCode` for an address, in the order of the form. */
  problems: Record<string, FieldProblem>;
};

export const addressLineMaxLength = 200;

// Every way of saying "this answer is missing": choices ask to choose, boxes to tick, an address for
// its part. A draft may leave these for later and still be refused a wrong answer.
const missingKeys: ReadonlySet<AnswerProblemKey> = new Set<AnswerProblemKey>([
  'required', 'chooseOne', 'chooseAtLeastOne', 'mustTick', 'addressLineRequired', 'areaRequired',
]);

/** Whether a problem only says that an answer is missing, rather than wrong. */
export function isMissingAnswer(problem: FieldProblem): boolean {
  return missingKeys.has(problem.key);
}

/**
 * Checks answers against a definition. Answers may be nested JSON (`{ applicant: { fullName } }`),
 * flat dotted keys as an HTML form posts them (`applicant.fullName`), or a mix. Keys the definition
 * does not name are dropped; fields hidden by `showIf` are neither required nor kept.
 */
export function validateAnswers(def: FormDefinition, raw: Record<string, unknown>, opts: AnswerOptions): CheckedAnswers {
  const values: Record<string, AnswerValue> = {};
  const problems: Record<string, FieldProblem> = {};
  for (const section of def.sections) {
    for (const field of section.fields) {
      // A condition names an earlier field, so its cleaned value is already known; a field hidden
      // itself has no value, which hides everything that depends on it.
      if (field.showIf && !conditionHolds(field.showIf, values[field.showIf.field])) continue;
      const checked = field.type === 'address' ? checkAddress(field, raw, opts) : checkScalar(field, findAnswer(raw, field.key), opts);
      if (checked.problems.length) for (const [at, problem] of checked.problems) problems[at] = problem;
      else if (checked.value !== undefined) values[field.key] = checked.value;
    }
  }
  return { values, problems };
}

/** Whether a field with this condition is shown, given the cleaned value of the field it names. */
export function conditionHolds(cond: ShowIf, value: AnswerValue | undefined): boolean {
  if (value === undefined || (typeof value === 'object' && !Array.isArray(value))) return false;
  const wanted = 'in' in cond ? cond.in.map(String) : [String(cond.equals)];
  const given = Array.isArray(value) ? value : [String(value)];
  return given.some((v) => wanted.includes(v));
}

/**
 * The answer at a dotted key, read from nested objects, flat dotted keys or a mix. At each level the
 * longest flat key wins, so `{ "a.b": 1, a: { b: 2 } }` answers 1 for "a.b".
 */
export function findAnswer(raw: unknown, key: string): unknown {
  return walk(raw, key.split('.'));
}

function walk(node: unknown, parts: string[]): unknown {
  if (parts.length === 0) return node;
  if (!isRecord(node)) return undefined;
  for (let i = parts.length; i >= 1; i--) {
    const name = parts.slice(0, i).join('.');
    // Own properties only: a key such as "constructor" must not reach Object.prototype.
    if (Object.hasOwn(node, name)) {
      const found = walk(node[name], parts.slice(i));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

type Checked = { value?: AnswerValue; problems: Array<[string, FieldProblem]> };

const ok = (value: AnswerValue | undefined): Checked => ({ value, problems: [] });
const fail = (at: string, key: AnswerProblemKey, params?: FieldProblem['params']): Checked => ({
  problems: [[at, params ? { key, params } : { key }]],
});

const isBlank = (x: unknown) => x === undefined || x === null || (typeof x === 'string' && x.trim() === '');

function missing(field: FormField): Checked {
  if (!field.required) return ok(undefined);
  const key: AnswerProblemKey = field.type === 'select' || field.type === 'radio' ? 'chooseOne' : 'required';
  return fail(field.key, key);
}

function checkScalar(field: FormField, answer: unknown, opts: AnswerOptions): Checked {
  if (field.type === 'checkbox') return field.options?.length ? checkChoices(field, answer) : checkTick(field, answer);
  if (isBlank(answer)) return missing(field);
  if (field.type === 'number') return checkNumber(field, answer);
  if (typeof answer !== 'string') return fail(field.key, 'invalid');
  switch (field.type) {
    case 'text':
    case 'textarea':
      return checkText(field, answer);
    case 'date':
      return checkDate(field, answer, opts.today);
    case 'select':
    case 'radio':
      return checkChoice(field, answer.trim());
    case 'email':
      return checkEmail(field, answer.trim());
    case 'phone': {
      const phone = parsePhone(answer);
      return phone ? ok(phone.value) : fail(field.key, 'badPhone');
    }
    case 'citizen_id': {
      const id = answer.replace(/\s/g, '');
      const problem = citizenIdProblem(id);
      return problem ? fail(field.key, problem) : ok(id);
    }
    default:
      return fail(field.key, 'invalid');
  }
}

// C0 controls other than tab and line feed break the printed forms and PDFs.
const controls = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

/**
 * Vietnamese arrives decomposed from some keyboards (a base letter plus combining tone marks), so
 * text is stored in NFC: lengths, search and comparisons then see one character per letter. A
 * one-line answer also loses repeated spaces, which are typing slips on a name or a place.
 */
export function cleanText(input: string, multiline: boolean): string {
  const text = input.normalize('NFC').replace(/\r\n?/g, '\n').replace(controls, '');
  return multiline ? text.trim() : text.replace(/\s+/g, ' ').trim();
}

const charCount = (s: string) => [...s].length;

function checkText(field: FormField, answer: string): Checked {
  const text = cleanText(answer, field.type === 'textarea');
  if (text === '') return missing(field);
  if (field.maxLength !== undefined && charCount(text) > field.maxLength) return fail(field.key, 'tooLong', { max: field.maxLength });
  return ok(text);
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

function checkEmail(field: FormField, email: string): Checked {
  if (!emailPattern.test(email) || email.length > 254) return fail(field.key, 'badEmail');
  if (field.maxLength !== undefined && charCount(email) > field.maxLength) return fail(field.key, 'tooLong', { max: field.maxLength });
  return ok(email);
}

export type Phone = { kind: 'mobile' | 'landline'; value: string };

/**
 * A Vietnamese phone number, as people type it: "0912 345 678", "0912.345.678", "+84 912 345 678".
 * Since the 2018 renumbering mobiles are 10 digits (03x, 05x, 07x, 08x, 09x) and are kept as +84…,
 * the form the SMS transport sends to. Since 2017 landlines are 0 + a 2x/2xx area code + the
 * subscriber, 11 digits in all (0273 387 1234 in Tiền Giang); they take no SMS and are kept in the
 * national form people read.
 */
export function parsePhone(input: string): Phone | null {
  const digits = input.trim().replace(/[\s.\-()]/g, '');
  const national = /^(?:\+84|0084|84|0)(\d{9,10})$/.exec(digits)?.[1];
  if (national === undefined) return null;
  if (/^[35789]\d{8}$/.test(national)) return { kind: 'mobile', value: `+84${national}` };
  if (/^2\d{9}$/.test(national)) return { kind: 'landline', value: `0${national}` };
  return null;
}

/**
 * The first three digits of a personal ID number (CCCD) are the code of the province where the
 * birth was registered (Circular 59/2021/TT-BCA, Appendix I): the 63 provinces of 2008–2025, whose
 * codes run 001–096 with gaps. The 34 provinces of July 2025 kept codes from this list, and
 * numbers once issued never change, so the list stays complete.
 */
export const cccdProvinceCodes: ReadonlySet<string> = new Set(
  ('01 02 04 06 08 10 11 12 14 15 17 19 20 22 24 25 26 27 30 31 33 34 35 36 37 38 40 42 44 45 46 48 49 51 52 54 56 58 ' +
    '60 62 64 66 67 68 70 72 74 75 77 79 80 82 83 84 86 87 89 91 92 93 94 95 96')
    .split(' ')
    .map((code) => `0${code}`),
);

/**
 * What is wrong with a personal ID number (CCCD), or null. Only its form can be checked: 12 digits,
 * a province code, then a digit for sex and century of birth (0–9 are all in use: 0/1 for the 20th
 * century, 2/3 for the 21st and so on), two digits of the birth year and six serial digits. The
 * number carries no check digit, so a well-formed number may still not exist; only the national
 * population database can say. The old 9-digit CMND is no longer accepted as an ID.
 */
export function citizenIdProblem(id: string): 'badCitizenId' | 'citizenIdProvince' | null {
  if (!/^\d{12}$/.test(id)) return 'badCitizenId';
  return cccdProvinceCodes.has(id.slice(0, 3)) ? null : 'citizenIdProvince';
}

function checkChoice(field: FormField, value: string): Checked {
  const allowed = (field.options ?? []).map((o) => o.value);
  return allowed.includes(value) ? ok(value) : fail(field.key, 'notAllowed', { allowed: allowed.join(', ') });
}

// An HTML checkbox sends its value ("on" unless told otherwise) when ticked and nothing when not.
const ticked = new Set<unknown>([true, 'on', 'yes', 'true', '1']);
const unticked = new Set<unknown>([undefined, null, false, '', 'off', 'no', 'false', '0']);
const tickForm = (answer: unknown) => (typeof answer === 'string' ? answer.trim().toLowerCase() : answer);

/** Whether a single checkbox's answer, posted or stored, means ticked. */
export function isTicked(answer: unknown): boolean {
  return ticked.has(tickForm(answer));
}

function checkTick(field: FormField, answer: unknown): Checked {
  if (isTicked(answer)) return ok(true);
  if (!unticked.has(tickForm(answer))) return fail(field.key, 'invalid');
  return field.required ? fail(field.key, 'mustTick') : ok(false);
}

function checkChoices(field: FormField, answer: unknown): Checked {
  const given = answer === undefined || answer === null ? [] : Array.isArray(answer) ? answer : [answer];
  if (!given.every((v): v is string => typeof v === 'string')) return fail(field.key, 'invalid');
  const options = field.options ?? [];
  const chosen = new Set(given.map((v) => v.trim()).filter((v) => v !== ''));
  if ([...chosen].some((v) => !options.some((o) => o.value === v))) {
    return fail(field.key, 'notAllowed', { allowed: options.map((o) => o.value).join(', ') });
  }
  if (chosen.size === 0) return field.required ? fail(field.key, 'chooseAtLeastOne') : ok(undefined);
  return ok(options.filter((o) => chosen.has(o.value)).map((o) => o.value));
}

/**
 * A number as typed in Vietnam or abroad. Vietnamese writes 1.500.000,5 and English 1,500,000.5,
 * so "1.500" is fifteen hundred to one reader and one and a half to the other: a single separator
 * followed by exactly three digits is refused as ambiguous rather than guessed, since a guess can be
 * a thousand times wrong (capital, areas). Groups of three with two or more separators, or with the
 * other mark as the decimal point, are unambiguous and read. Spaces between groups are ignored.
 */
export function parseNumber(input: string): number | 'notANumber' | 'ambiguousNumber' {
  const text = input.replace(/[\s\u00a0\u202f]/g, '');
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[-+]/, '');
  let plain: string | null = null;
  if (/^\d+$/.test(body)) plain = body;
  else if (/^[1-9]\d{0,2}[.,]\d{3}$/.test(body)) return 'ambiguousNumber';
  else if (/^\d+[.,]\d+$/.test(body)) plain = body.replace(',', '.');
  else if (/^\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?$|^\d{1,3}(?:\.\d{3})+,\d+$/.test(body)) plain = body.replace(/\./g, '').replace(',', '.');
  else if (/^\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?$|^\d{1,3}(?:,\d{3})+\.\d+$/.test(body)) plain = body.replace(/,/g, '');
  if (plain === null) return 'notANumber';
  const n = sign * Number(plain);
  return Number.isFinite(n) ? n : 'notANumber';
}

function checkNumber(field: FormField, answer: unknown): Checked {
  let n: number;
  if (typeof answer === 'number') {
    if (!Number.isFinite(answer)) return fail(field.key, 'notANumber');
    n = answer;
  } else if (typeof answer === 'string') {
    const parsed = parseNumber(answer);
    if (typeof parsed === 'string') return fail(field.key, parsed);
    n = parsed;
  } else {
    return fail(field.key, 'invalid');
  }
  if (typeof field.min === 'number' && n < field.min) return fail(field.key, 'tooSmall', { min: field.min });
  if (typeof field.max === 'number' && n > field.max) return fail(field.key, 'tooBig', { max: field.max });
  return ok(n);
}

/**
 * A day as YYYY-MM-DD (what `<input type="date">` posts), or DD/MM/YYYY, which is how Vietnamese
 * write dates and what people type where the browser shows a plain text box. Day-first is never
 * ambiguous in Vietnam.
 */
export function parseDay(input: string): string | 'badDate' | 'notARealDate' {
  const text = input.trim();
  let iso: string;
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (dmy) iso = `${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}`;
  else if (/^\d{4}-\d{2}-\d{2}$/.test(text)) iso = text;
  else return 'badDate';
  return isIsoDay(iso) ? iso : 'notARealDate';
}

function checkDate(field: FormField, answer: string, today: string): Checked {
  const day = parseDay(answer);
  if (day === 'badDate' || day === 'notARealDate') return fail(field.key, day);
  const bound = (b: FormField['min']) => (b === 'today' ? today : typeof b === 'string' && isIsoDay(b) ? b : undefined);
  const min = bound(field.min);
  const max = bound(field.max);
  if (max !== undefined && day > max) return field.max === 'today' ? fail(field.key, 'dateInFuture') : fail(field.key, 'dateTooLate', { max });
  if (min !== undefined && day < min) return field.min === 'today' ? fail(field.key, 'dateInPast') : fail(field.key, 'dateTooEarly', { min });
  return ok(day);
}

/**
 * An address is a free line (house number, street, hamlet) and the code of its administrative area.
 * Problems are reported on the part at fault (`<key>.line`, `<key>.areaCode`), the ids of its two
 * inputs. A partly given address must be completed even when the field is optional.
 */
function checkAddress(field: FormField, raw: Record<string, unknown>, opts: AnswerOptions): Checked {
  const whole = findAnswer(raw, field.key);
  if (whole !== undefined && whole !== null && !isRecord(whole)) return fail(field.key, 'invalid');
  const lineAt = `${field.key}.line`;
  const areaAt = `${field.key}.areaCode`;
  const lineRaw = findAnswer(raw, lineAt);
  const areaRaw = findAnswer(raw, areaAt);
  if (isBlank(lineRaw) && isBlank(areaRaw) && !field.required) return ok(undefined);
  const problems: Array<[string, FieldProblem]> = [];
  let line = '';
  if (lineRaw !== undefined && lineRaw !== null && typeof lineRaw !== 'string') problems.push([lineAt, { key: 'invalid' }]);
  else {
    line = cleanText(lineRaw ?? '', false);
    if (line === '') problems.push([lineAt, { key: 'addressLineRequired' }]);
    else if (charCount(line) > addressLineMaxLength) problems.push([lineAt, { key: 'tooLong', params: { max: addressLineMaxLength } }]);
  }
  let areaCode = '';
  if (areaRaw !== undefined && areaRaw !== null && typeof areaRaw !== 'string') problems.push([areaAt, { key: 'invalid' }]);
  else {
    areaCode = (areaRaw ?? '').trim();
    if (areaCode === '') problems.push([areaAt, { key: 'areaRequired' }]);
    else if (!opts.isAreaCode(areaCode)) problems.push([areaAt, { key: 'badArea' }]);
  }
  return problems.length ? { problems } : ok({ line, areaCode });
}
