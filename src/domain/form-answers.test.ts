import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  cccdProvinceCodes, citizenIdProblem, findAnswer, isMissingAnswer, parseNumber, parsePhone, validateAnswers,
  type AnswerOptions, type FieldProblem,
} from './form-answers.ts';
import { applicantSection, checkFormDefinition, type FormDefinition, type FormField } from './forms.ts';

const referenceDir = new URL('../../data/reference/', import.meta.url);
const readJson = <T>(path: string): T => JSON.parse(fs.readFileSync(new URL(path, referenceDir), 'utf8')) as T;

/** The birth registration form as the catalogue builds it: the applicant section, then its own. */
function birthForm(): FormDefinition {
  const own = readJson<FormDefinition>('forms/dang-ky-khai-sinh.json');
  return { ...own, sections: [applicantSection('citizen'), ...own.sections] };
}

// 28249 and 28261 are Đồng Tháp wards since 1/7/2025; 28252 (Phường 4, Mỹ Tho) is a three-tier code
// merged into 28249, still valid for an address entered before.
const areaCodes = new Set(['28249', '28261', '28252']);
const opts: AnswerOptions = { today: '2026-03-10', isAreaCode: (code) => areaCodes.has(code) };

/** A complete birth registration, as the HTML form posts it (flat dotted keys, text only). */
function birthAnswers(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'applicant.fullName': '  Nguyễn Thị   Lan ',
    'applicant.birthDate': '1995-04-30',
    'applicant.idNumber': '082195000123',
    'applicant.phone': '0912 345 678',
    'applicant.email': '',
    'applicant.address.line': '12 Lê Lợi, khu phố 3',
    'applicant.address.areaCode': '28249',
    child_full_name: 'Trần Minh An',
    child_sex: 'nam',
    child_birth_date: '2026-03-01',
    child_ethnicity: 'Kinh',
    child_nationality: 'Việt Nam',
    child_birth_place_type: 'co_so_y_te',
    child_birth_facility: 'Bệnh viện Đa khoa Trung tâm Tiền Giang',
    'child_birth_place.line': '2 Hùng Vương',
    'child_birth_place.areaCode': '28261',
    child_hometown: 'Xã Tân Hương, tỉnh Đồng Tháp',
    mother_full_name: 'Nguyễn Thị Lan',
    mother_birth_year: '1995',
    mother_ethnicity: 'Kinh',
    mother_nationality: 'Việt Nam',
    'mother_residence.line': '12 Lê Lợi, khu phố 3',
    'mother_residence.areaCode': '28249',
    father_known: 'yes',
    father_full_name: 'Trần Văn Bình',
    father_birth_year: '1993',
    father_ethnicity: 'Kinh',
    father_nationality: 'Việt Nam',
    'father_residence.line': '12 Lê Lợi, khu phố 3',
    'father_residence.areaCode': '28249',
    parents_married: 'yes',
    declarant_relationship: 'me',
    copies: '2',
    ...overrides,
  };
}

/** A one-section definition around the fields under test. */
function form(...fields: FormField[]): FormDefinition {
  return { procedureId: 'test', version: 1, sections: [{ key: 's', title: { vi: 'Phần', en: 'Part' }, fields }] };
}

const label = { vi: 'Câu hỏi', en: 'Question' };
const field = (f: Partial<FormField> & Pick<FormField, 'key' | 'type'>): FormField => ({ label, ...f });
const yesNo = [{ value: 'yes', label: { vi: 'Có', en: 'Yes' } }, { value: 'no', label: { vi: 'Không', en: 'No' } }];

/** Validates one answer for one field: its cleaned value, or its problem. */
function one(f: Partial<FormField> & Pick<FormField, 'type'>, answer: unknown, o: AnswerOptions = opts) {
  const { values, problems } = validateAnswers(form(field({ key: 'q', ...f })), answer === undefined ? {} : { q: answer }, o);
  return { value: values.q, problem: problems.q as FieldProblem | undefined };
}

const problemKey = (f: Partial<FormField> & Pick<FormField, 'type'>, answer: unknown) => one(f, answer).problem?.key;

test('the real birth registration form is sound as the catalogue builds it', () => {
  assert.deepEqual(checkFormDefinition(birthForm()), []);
});

test('a complete birth registration passes and comes back cleaned: trimmed text, +84 mobile, numbers, address objects', () => {
  const { values, problems } = validateAnswers(birthForm(), birthAnswers(), opts);
  assert.deepEqual(problems, {});
  assert.equal(values['applicant.fullName'], 'Nguyễn Thị Lan');
  assert.equal(values['applicant.phone'], '+84912345678');
  assert.equal(values['applicant.birthDate'], '1995-04-30');
  assert.deepEqual(values['applicant.address'], { line: '12 Lê Lợi, khu phố 3', areaCode: '28249' });
  assert.equal(values.mother_birth_year, 1995);
  assert.equal(values.copies, 2);
  assert.equal(values.child_birth_facility, 'Bệnh viện Đa khoa Trung tâm Tiền Giang');
  assert.equal('applicant.email' in values, false, 'an optional field left empty is absent');
});

test('every required field of the birth registration left empty is reported under its key; optional ones are not', () => {
  const { values, problems } = validateAnswers(birthForm(), {}, opts);
  assert.deepEqual(values, {});
  assert.deepEqual(Object.keys(problems), [
    'applicant.fullName', 'applicant.birthDate', 'applicant.idNumber', 'applicant.phone',
    'applicant.address.line', 'applicant.address.areaCode',
    'child_full_name', 'child_sex', 'child_birth_date', 'child_ethnicity', 'child_nationality', 'child_birth_place_type',
    'child_birth_place.line', 'child_birth_place.areaCode', 'child_hometown',
    'mother_full_name', 'mother_birth_year', 'mother_ethnicity', 'mother_nationality',
    'mother_residence.line', 'mother_residence.areaCode', 'father_known', 'declarant_relationship',
  ], 'in the order of the form, without the fields hidden by showIf, nor the email or the copies');
  assert.deepEqual(problems.child_full_name, { key: 'required' });
  assert.deepEqual(problems.child_sex, { key: 'chooseOne' }, 'a radio asks to choose');
  assert.deepEqual(problems.declarant_relationship, { key: 'chooseOne' }, 'so does a select');
  assert.deepEqual(problems['applicant.address.line'], { key: 'addressLineRequired' });
  assert.deepEqual(problems['applicant.address.areaCode'], { key: 'areaRequired' });
});

test('when the father is not known, his details are neither required nor kept, even if sent', () => {
  const { values, problems } = validateAnswers(birthForm(), birthAnswers({ father_known: 'no', father_birth_year: 'not a year' }), opts);
  assert.deepEqual(problems, {}, 'a bad answer to a hidden question is no problem');
  for (const key of ['father_full_name', 'father_birth_year', 'father_ethnicity', 'father_nationality', 'father_residence', 'parents_married']) {
    assert.equal(key in values, false, `${key} is stripped`);
  }
  assert.equal(values.father_known, 'no');
});

test('when the father is known, his details are required like any other question', () => {
  const answers = birthAnswers({ father_full_name: ' ', parents_married: undefined, 'father_residence.line': undefined, 'father_residence.areaCode': undefined });
  const { problems } = validateAnswers(birthForm(), answers, opts);
  assert.deepEqual(Object.keys(problems), ['father_full_name', 'father_residence.line', 'father_residence.areaCode', 'parents_married']);
});

test('the health facility is asked only for a birth at a health facility', () => {
  const elsewhere = validateAnswers(birthForm(), birthAnswers({ child_birth_place_type: 'ngoai_co_so_y_te' }), opts);
  assert.deepEqual(elsewhere.problems, {});
  assert.equal('child_birth_facility' in elsewhere.values, false);
  const atFacility = validateAnswers(birthForm(), birthAnswers({ child_birth_facility: '' }), opts);
  assert.deepEqual(atFacility.problems, { child_birth_facility: { key: 'required' } });
});

test('a condition on an invalid answer hides its questions: the answer to fix is the one reported', () => {
  const { problems } = validateAnswers(birthForm(), birthAnswers({ father_known: 'maybe', father_full_name: '' }), opts);
  assert.deepEqual(problems, { father_known: { key: 'notAllowed', params: { allowed: 'yes, no' } } });
});

test('a question behind a hidden question is hidden too', () => {
  const def = form(
    field({ key: 'has_spouse', type: 'radio', options: yesNo, required: true }),
    field({ key: 'spouse_works', type: 'radio', options: yesNo, required: true, showIf: { field: 'has_spouse', equals: 'yes' } }),
    field({ key: 'spouse_employer', type: 'text', required: true, showIf: { field: 'spouse_works', equals: 'yes' } }),
  );
  const sent = { has_spouse: 'no', spouse_works: 'yes', spouse_employer: '' };
  assert.deepEqual(validateAnswers(def, sent, opts), { values: { has_spouse: 'no' }, problems: {} });
  const shown = validateAnswers(def, { ...sent, has_spouse: 'yes' }, opts);
  assert.deepEqual(shown.problems, { spouse_employer: { key: 'required' } });
});

test('a condition listing several choices shows its question for any of them', () => {
  const count = [{ value: 'lan_dau', label }, { value: 'lan_hai', label }, { value: 'lan_ba_tro_len', label }];
  const def = form(
    field({ key: 'marriage_count', type: 'select', options: count, required: true }),
    field({ key: 'previous_doc', type: 'text', required: true, showIf: { field: 'marriage_count', in: ['lan_hai', 'lan_ba_tro_len'] } }),
  );
  assert.deepEqual(validateAnswers(def, { marriage_count: 'lan_dau' }, opts).problems, {});
  assert.deepEqual(validateAnswers(def, { marriage_count: 'lan_ba_tro_len' }, opts).problems, { previous_doc: { key: 'required' } });
});

test('a condition on a single checkbox follows whether it is ticked, and on a list of checkboxes whether the value is among those ticked', () => {
  const def = form(
    field({ key: 'has_basement', type: 'checkbox' }),
    field({ key: 'basement_floors', type: 'number', required: true, showIf: { field: 'has_basement', equals: true } }),
    field({ key: 'assets', type: 'checkbox', options: [{ value: 'cash', label }, { value: 'land', label }] }),
    field({ key: 'land_doc', type: 'text', required: true, showIf: { field: 'assets', equals: 'land' } }),
  );
  assert.deepEqual(validateAnswers(def, {}, opts), { values: { has_basement: false }, problems: {} });
  const ticked = validateAnswers(def, { has_basement: 'on', assets: ['cash', 'land'] }, opts);
  assert.deepEqual(Object.keys(ticked.problems), ['basement_floors', 'land_doc']);
});

test('nested JSON, flat dotted keys and a mix of both give the same answers', () => {
  const flat = birthAnswers();
  const nested: Record<string, unknown> = {
    ...Object.fromEntries(Object.entries(flat).filter(([k]) => !k.includes('.'))),
    applicant: {
      fullName: flat['applicant.fullName'], birthDate: flat['applicant.birthDate'], idNumber: flat['applicant.idNumber'],
      phone: flat['applicant.phone'], address: { line: flat['applicant.address.line'], areaCode: flat['applicant.address.areaCode'] },
    },
    child_birth_place: { line: flat['child_birth_place.line'], areaCode: flat['child_birth_place.areaCode'] },
    mother_residence: { line: flat['mother_residence.line'], areaCode: flat['mother_residence.areaCode'] },
    father_residence: { line: flat['father_residence.line'], areaCode: flat['father_residence.areaCode'] },
  };
  const mixed = { ...nested, applicant: { fullName: flat['applicant.fullName'], 'address.line': flat['applicant.address.line'] },
    'applicant.birthDate': flat['applicant.birthDate'], 'applicant.idNumber': flat['applicant.idNumber'],
    'applicant.phone': flat['applicant.phone'], 'applicant.address': { areaCode: flat['applicant.address.areaCode'] } };
  const expected = validateAnswers(birthForm(), flat, opts);
  assert.deepEqual(expected.problems, {});
  assert.deepEqual(validateAnswers(birthForm(), nested, opts), expected);
  assert.deepEqual(validateAnswers(birthForm(), mixed, opts), expected);
});

test('a flat dotted key wins over the same answer nested, and prototype names are never read', () => {
  assert.equal(findAnswer({ 'a.b': 1, a: { b: 2 } }, 'a.b'), 1);
  assert.equal(findAnswer({ a: { b: 2 } }, 'a.b'), 2);
  assert.equal(findAnswer({}, 'constructor'), undefined);
  assert.equal(findAnswer({ a: 'text' }, 'a.length'), undefined);
  assert.equal(findAnswer({ a: [1] }, 'a.0'), undefined);
});

test('keys the form does not ask for are dropped without complaint', () => {
  const { values, problems } = validateAnswers(birthForm(), birthAnswers({ is_admin: 'yes', 'applicant.role': 'x', _csrf: 'token' }), opts);
  assert.deepEqual(problems, {});
  assert.equal(Object.keys(values).some((k) => k === 'is_admin' || k === 'applicant.role' || k === '_csrf'), false);
});

test('text is trimmed, its inner spaces collapsed and its tone marks composed (NFC) before its length is counted', () => {
  assert.equal(one({ type: 'text' }, '  Trần \t Văn\nBình  ').value, 'Trần Văn Bình');
  const decomposed = 'Nguye\u0302\u0303n'; // "Nguyễn" typed as base letters and combining marks
  assert.equal(one({ type: 'text', maxLength: 6 }, decomposed).value, 'Nguyễn');
  assert.deepEqual(one({ type: 'text', maxLength: 5 }, 'Nguyễn').problem, { key: 'tooLong', params: { max: 5 } });
  assert.equal(one({ type: 'text', required: true }, '   ').problem?.key, 'required');
  assert.equal(one({ type: 'text' }, '   ').value, undefined, 'optional and blank: absent');
});

test('a textarea keeps its line breaks, written as \\n whatever the browser sent', () => {
  assert.equal(one({ type: 'textarea' }, ' Dòng một\r\nDòng  hai \n').value, 'Dòng một\nDòng  hai');
  assert.equal(one({ type: 'textarea', maxLength: 4 }, 'ab\r\nc').problem, undefined, 'CRLF counts as one character');
});

test('an answer of the wrong shape is invalid, not coerced', () => {
  assert.equal(problemKey({ type: 'text' }, ['a', 'b']), 'invalid');
  assert.equal(problemKey({ type: 'text' }, 42), 'invalid');
  assert.equal(problemKey({ type: 'citizen_id' }, 82195000123), 'invalid', 'a number would have lost its leading zero');
  assert.equal(problemKey({ type: 'radio', options: yesNo }, { value: 'yes' }), 'invalid');
  assert.equal(problemKey({ type: 'number' }, true), 'invalid');
});

test('numbers accept a decimal comma or point, JSON numbers, and their bounds', () => {
  assert.equal(one({ type: 'number' }, '3').value, 3);
  assert.equal(one({ type: 'number' }, '2,5').value, 2.5);
  assert.equal(one({ type: 'number' }, '2.5').value, 2.5);
  assert.equal(one({ type: 'number' }, ' 120,75 ').value, 120.75);
  assert.equal(one({ type: 'number' }, '0,125').value, 0.125, 'a leading 0 is never a thousands group');
  assert.equal(one({ type: 'number' }, 7).value, 7);
  assert.equal(one({ type: 'number', min: 0 }, '0').value, 0);
  assert.deepEqual(one({ type: 'number', min: 1900, max: 2100 }, '1899').problem, { key: 'tooSmall', params: { min: 1900 } });
  assert.deepEqual(one({ type: 'number', min: 0, max: 20 }, '21').problem, { key: 'tooBig', params: { max: 20 } });
  assert.equal(problemKey({ type: 'number' }, 'hai'), 'notANumber');
  assert.equal(problemKey({ type: 'number' }, '1e5'), 'notANumber');
  assert.equal(problemKey({ type: 'number' }, Number.NaN), 'notANumber');
  assert.equal(problemKey({ type: 'number' }, Number.POSITIVE_INFINITY), 'notANumber');
  assert.equal(problemKey({ type: 'number', required: true }, ''), 'required');
});

test('"1.500" is refused as ambiguous (fifteen hundred in Vietnamese, one and a half in English); unambiguous groupings are read', () => {
  assert.equal(parseNumber('1.500'), 'ambiguousNumber');
  assert.equal(parseNumber('1,500'), 'ambiguousNumber');
  assert.equal(parseNumber('1.500.000'), 1_500_000);
  assert.equal(parseNumber('1.500,5'), 1500.5);
  assert.equal(parseNumber('1,500,000'), 1_500_000);
  assert.equal(parseNumber('1,500.5'), 1500.5);
  assert.equal(parseNumber('1 500 000'), 1_500_000);
  assert.equal(parseNumber('1234.567'), 1234.567, 'four digits before the point cannot be a thousands group');
  assert.equal(parseNumber('1.50.0'), 'notANumber');
  assert.equal(parseNumber('-3'), -3);
  assert.equal(problemKey({ type: 'number' }, '1.500'), 'ambiguousNumber');
});

test('dates must be real days, written YYYY-MM-DD or day first (DD/MM/YYYY) as Vietnamese write them', () => {
  assert.equal(one({ type: 'date' }, '2024-02-29').value, '2024-02-29');
  assert.equal(one({ type: 'date' }, '1/3/2026').value, '2026-03-01');
  assert.equal(one({ type: 'date' }, '31/12/2025').value, '2025-12-31');
  assert.equal(problemKey({ type: 'date' }, '2026-02-29'), 'notARealDate');
  assert.equal(problemKey({ type: 'date' }, '31/02/2026'), 'notARealDate');
  assert.equal(problemKey({ type: 'date' }, '2026-13-01'), 'notARealDate');
  assert.equal(problemKey({ type: 'date' }, 'mùng 1 tháng 3'), 'badDate');
  assert.equal(problemKey({ type: 'date' }, '2026-3-1'), 'badDate');
});

test('a date bounded by "today" is judged against the Vietnamese day passed in, today itself included', () => {
  assert.equal(one({ type: 'date', max: 'today' }, '2026-03-10').value, '2026-03-10');
  assert.deepEqual(one({ type: 'date', max: 'today' }, '2026-03-11').problem, { key: 'dateInFuture' });
  assert.equal(one({ type: 'date', max: 'today' }, '2026-03-11', { ...opts, today: '2026-03-11' }).value, '2026-03-11');
  assert.equal(one({ type: 'date', min: 'today' }, '2026-03-10').value, '2026-03-10');
  assert.deepEqual(one({ type: 'date', min: 'today' }, '2026-03-09').problem, { key: 'dateInPast' });
});

test('a child born tomorrow cannot be registered today', () => {
  const { problems } = validateAnswers(birthForm(), birthAnswers({ child_birth_date: '2026-03-11' }), opts);
  assert.deepEqual(problems, { child_birth_date: { key: 'dateInFuture' } });
});

test('a date bounded by fixed days names the bound it broke', () => {
  const f = { type: 'date', min: '2025-07-01', max: '2025-12-31' } as const;
  assert.deepEqual(one(f, '2025-06-30').problem, { key: 'dateTooEarly', params: { min: '2025-07-01' } });
  assert.deepEqual(one(f, '2026-01-01').problem, { key: 'dateTooLate', params: { max: '2025-12-31' } });
  assert.equal(one(f, '2025-07-01').value, '2025-07-01');
});

test('a select or radio answer must be one of its options', () => {
  const f = { type: 'radio', options: yesNo } as const;
  assert.equal(one(f, ' yes ').value, 'yes');
  assert.deepEqual(one(f, 'Có').problem, { key: 'notAllowed', params: { allowed: 'yes, no' } });
  assert.equal(one({ type: 'select', options: yesNo }, 'no').value, 'no');
  assert.equal(problemKey({ type: 'select', options: yesNo, required: true }, ''), 'chooseOne');
});

test('a single checkbox is true when ticked ("on", "yes", true), false when absent; a required one must be ticked', () => {
  for (const sent of ['on', 'yes', 'YES', true, 'true', '1']) assert.equal(one({ type: 'checkbox' }, sent).value, true, String(sent));
  for (const sent of [undefined, '', false, 'no', 'off']) assert.equal(one({ type: 'checkbox' }, sent).value, false, String(sent));
  assert.deepEqual(one({ type: 'checkbox', required: true }, undefined).problem, { key: 'mustTick' });
  assert.equal(one({ type: 'checkbox', required: true }, 'on').value, true);
  assert.equal(problemKey({ type: 'checkbox' }, 'maybe'), 'invalid');
});

test('checkboxes with options take one value or a list, keep the form order, and a required list needs at least one', () => {
  const options = [{ value: 'cash', label }, { value: 'land', label }, { value: 'car', label }];
  assert.deepEqual(one({ type: 'checkbox', options }, 'land').value, ['land']);
  assert.deepEqual(one({ type: 'checkbox', options }, ['car', 'cash', 'car']).value, ['cash', 'car']);
  assert.deepEqual(one({ type: 'checkbox', options }, ['cash', 'gold']).problem, { key: 'notAllowed', params: { allowed: 'cash, land, car' } });
  assert.equal(problemKey({ type: 'checkbox', options }, ['cash', 3]), 'invalid');
  assert.equal(one({ type: 'checkbox', options }, undefined).value, undefined);
  assert.equal(problemKey({ type: 'checkbox', options, required: true }, []), 'chooseAtLeastOne');
  assert.equal(problemKey({ type: 'checkbox', options, required: true }, undefined), 'chooseAtLeastOne');
});

test('an email address must look like one', () => {
  assert.equal(one({ type: 'email' }, ' lan.nguyen@gmail.com ').value, 'lan.nguyen@gmail.com');
  for (const bad of ['lan.nguyen', 'lan@gmail', 'lan @gmail.com', '@gmail.com', `${'a'.repeat(250)}@x.vn`]) {
    assert.equal(problemKey({ type: 'email' }, bad), 'badEmail', bad);
  }
});

test('a Vietnamese mobile number is kept as +84… however it is typed', () => {
  for (const typed of ['0912 345 678', '0912.345.678', '0912-345-678', '+84 912 345 678', '84912345678', '0084912345678', '(+84) 912345678']) {
    assert.equal(one({ type: 'phone' }, typed).value, '+84912345678', typed);
  }
  for (const prefix of ['03', '05', '07', '08', '09']) assert.equal(parsePhone(`${prefix}12345678`)?.kind, 'mobile', prefix);
});

test('a landline is 0 + a 2x/2xx area code + the subscriber, 11 digits, kept in the national form', () => {
  assert.deepEqual(parsePhone('0273 387 1234'), { kind: 'landline', value: '02733871234' });
  assert.deepEqual(parsePhone('024 3825 1234'), { kind: 'landline', value: '02438251234' });
  assert.deepEqual(parsePhone('+84 273 387 1234'), { kind: 'landline', value: '02733871234' });
});

test('old 11-digit mobiles, short numbers and words are not phone numbers', () => {
  for (const bad of ['01689123456', '091234567', '09123456789', '0612345678', '0412345678', 'số của tôi', '']) {
    assert.equal(parsePhone(bad), null, bad);
  }
  assert.equal(problemKey({ type: 'phone' }, '091234567'), 'badPhone');
});

test('a personal ID number (CCCD) is 12 digits starting with a province code; spaces are ignored', () => {
  assert.equal(one({ type: 'citizen_id' }, '082 195 000 123').value, '082195000123');
  assert.equal(citizenIdProblem('001099012345'), null, 'Hà Nội, a man born in 1999');
  assert.equal(citizenIdProblem('096305000001'), null, 'Cà Mau, a woman born in 2005');
  assert.equal(citizenIdProblem('123456789'), 'badCitizenId', 'the old 9-digit CMND');
  assert.equal(citizenIdProblem('08219500012'), 'badCitizenId', '11 digits');
  assert.equal(citizenIdProblem('0821950001234'), 'badCitizenId', '13 digits');
  assert.equal(citizenIdProblem('08219500012a'), 'badCitizenId');
  assert.equal(problemKey({ type: 'citizen_id' }, '0821-9500-0123'), 'badCitizenId');
});

test('the first three digits of a CCCD must be a province code actually issued: 000, 003, 097 and 100 are not', () => {
  for (const code of ['000', '003', '009', '097', '099', '100']) assert.equal(citizenIdProblem(`${code}195000123`), 'citizenIdProvince', code);
  assert.deepEqual(one({ type: 'citizen_id' }, '097195000123').problem, { key: 'citizenIdProvince' });
});

test('the fourth digit (sex and century) and the birth-year digits take any value: there is no check digit to test', () => {
  for (const d of '0123456789') assert.equal(citizenIdProblem(`082${d}00000000`), null, d);
});

test("the CCCD province codes are the 63 provinces of the March 2025 list, and include the 34 provinces of July 2025", () => {
  const before = readJson<Array<{ Code: string }>>('admin-units/vn-units-2025-03-three-level.min.json').map((p) => `0${p.Code}`);
  const after = readJson<Array<{ Code: string }>>('admin-units/vn-units-2026-07-two-level.min.json').map((p) => `0${p.Code}`);
  assert.deepEqual([...cccdProvinceCodes].sort(), before.sort());
  assert.equal(cccdProvinceCodes.size, 63);
  assert.ok(after.every((code) => cccdProvinceCodes.has(code)));
});

test('an address is a street line and an area code the lookup knows, given as an object or as dotted keys', () => {
  const def = form(field({ key: 'home', type: 'address', required: true }));
  const asObject = validateAnswers(def, { home: { line: ' 5  Nguyễn Huệ ', areaCode: '28261' } }, opts);
  const asDotted = validateAnswers(def, { 'home.line': '5 Nguyễn Huệ', 'home.areaCode': ' 28261 ' }, opts);
  assert.deepEqual(asObject, { values: { home: { line: '5 Nguyễn Huệ', areaCode: '28261' } }, problems: {} });
  assert.deepEqual(asDotted, asObject);
});

test("an address's problems are reported on the part to fix: <key>.line or <key>.areaCode", () => {
  const def = form(field({ key: 'home', type: 'address', required: true }));
  const check = (answer: Record<string, unknown>) => validateAnswers(def, answer, opts).problems;
  assert.deepEqual(check({ 'home.areaCode': '28261' }), { 'home.line': { key: 'addressLineRequired' } });
  assert.deepEqual(check({ 'home.line': '5 Nguyễn Huệ' }), { 'home.areaCode': { key: 'areaRequired' } });
  assert.deepEqual(check({ 'home.line': '5 Nguyễn Huệ', 'home.areaCode': '99999' }), { 'home.areaCode': { key: 'badArea' } });
  assert.deepEqual(check({ 'home.line': 'x'.repeat(201), 'home.areaCode': '28261' }), { 'home.line': { key: 'tooLong', params: { max: 200 } } });
  assert.equal(Object.keys(check({ 'home.line': 'x'.repeat(200), 'home.areaCode': '28261' })).length, 0, '200 characters is the limit');
  assert.deepEqual(check({ home: '5 Nguyễn Huệ, Mỹ Tho' }), { home: { key: 'invalid' } });
  assert.deepEqual(check({ home: { line: 5, areaCode: 28261 } }), { 'home.line': { key: 'invalid' }, 'home.areaCode': { key: 'invalid' } });
});

test('an old three-tier area code is valid when the lookup says so: the caller decides, not this module', () => {
  const def = form(field({ key: 'home', type: 'address', required: true }));
  const answer = { home: { line: '5 Nguyễn Huệ', areaCode: '28252' } };
  assert.deepEqual(validateAnswers(def, answer, opts).problems, {});
  const newCodesOnly: AnswerOptions = { ...opts, isAreaCode: (code) => code === '28249' || code === '28261' };
  assert.deepEqual(validateAnswers(def, answer, newCodesOnly).problems, { 'home.areaCode': { key: 'badArea' } });
});

test('an optional address may be left out entirely, but one begun must be completed', () => {
  const def = form(field({ key: 'tax_notice_address', type: 'address' }));
  assert.deepEqual(validateAnswers(def, {}, opts), { values: {}, problems: {} });
  assert.deepEqual(validateAnswers(def, { 'tax_notice_address.line': ' ', 'tax_notice_address.areaCode': '' }, opts), { values: {}, problems: {} });
  assert.deepEqual(validateAnswers(def, { 'tax_notice_address.line': '7 Lê Lợi' }, opts).problems, { 'tax_notice_address.areaCode': { key: 'areaRequired' } });
});

test('a field with a problem keeps no value, and problems come in the order of the form', () => {
  const { values, problems } = validateAnswers(birthForm(), birthAnswers({ copies: '50', 'applicant.phone': '12345', child_sex: 'x' }), opts);
  assert.deepEqual(Object.keys(problems), ['applicant.phone', 'child_sex', 'copies']);
  assert.equal('copies' in values || 'applicant.phone' in values || 'child_sex' in values, false);
});

test('a draft can tell missing answers from wrong ones: every problem of an empty form only says "missing"', () => {
  const empty = validateAnswers(birthForm(), { father_known: 'yes' }, opts);
  assert.ok(Object.values(empty.problems).every(isMissingAnswer));
  const keys = new Set(Object.values(empty.problems).map((p) => p.key));
  assert.deepEqual([...keys].sort(), ['addressLineRequired', 'areaRequired', 'chooseOne', 'required']);
  assert.equal(isMissingAnswer({ key: 'mustTick' }), true);
  assert.equal(isMissingAnswer({ key: 'chooseAtLeastOne' }), true);
  const wrong = validateAnswers(birthForm(), birthAnswers({ 'applicant.idNumber': '123', child_birth_date: '2026-02-30', 'mother_residence.areaCode': '1' }), opts);
  assert.deepEqual(Object.values(wrong.problems).filter(isMissingAnswer), []);
  assert.equal(Object.keys(wrong.problems).length, 3);
});
