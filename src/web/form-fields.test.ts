import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { errorLinks, fieldErrorMessages, numberForInput, renderSection, type FieldsOptions, type FieldsState } from './form-fields.ts';
import type { Lang } from '../i18n/index.ts';
import { validateAnswers, type AnswerOptions, type FieldProblem } from '../domain/form-answers.ts';
import { applicantSection, type FormDefinition, type FormField, type FormSection } from '../domain/forms.ts';
import type { FieldProblem as ApiFieldProblem } from '../errors.ts';

function birthForm(): FormDefinition {
  const own = JSON.parse(fs.readFileSync(new URL('../../data/reference/forms/dang-ky-khai-sinh.json', import.meta.url), 'utf8')) as FormDefinition;
  return { ...own, sections: [applicantSection('citizen'), ...own.sections] };
}

const areas = [{ code: '28249', name: 'Phường Đạo Thạnh' }, { code: '28261', name: 'Phường Mỹ Tho' }];
const opts: FieldsOptions = { areas, today: '2026-03-10' };
const answerOpts: AnswerOptions = { today: '2026-03-10', isAreaCode: (code) => areas.some((a) => a.code === code) || code === '28252' };
const empty: FieldsState = { values: {}, errors: {} };

/** The whole form, every section, as one page would hold it. */
function renderForm(def: FormDefinition, state: FieldsState = empty, lang: Lang = 'vi', o: FieldsOptions = opts): string {
  return def.sections.map((s) => renderSection(lang, s, state, { ...o, form: def }).value).join('\n');
}

const label = { vi: 'Câu hỏi', en: 'Question' };
const section = (...fields: FormField[]): FormSection => ({ key: 's', title: { vi: 'Phần', en: 'Part' }, fields });
const render = (s: FormSection, state: FieldsState = empty, lang: Lang = 'vi', o: FieldsOptions = opts) => renderSection(lang, s, state, o).value;

/** The start tag of the element with this id. */
function tagWithId(page: string, id: string): string {
  const tags = [...page.matchAll(/<(?:input|select|textarea|fieldset)\b[^>]*>/g)].map((m) => m[0]).filter((t) => t.includes(` id="${id}"`));
  assert.equal(tags.length, 1, `one element has id="${id}"`);
  return tags[0]!;
}

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const attrOf = (tag: string, name: string) => { const v = new RegExp(` ${name}="([^"]*)"`).exec(tag)?.[1]; return v === undefined ? undefined : unescape(v); };

/** What a browser with JavaScript off posts for this page: checked boxes, selected options, typed text. */
function posted(page: string): Record<string, string | string[]> {
  const body: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    const had = body[name];
    body[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  };
  for (const [tag] of page.matchAll(/<input\b[^>]*>/g)) {
    const type = attrOf(tag, 'type');
    if ((type === 'radio' || type === 'checkbox') && !/ checked\b/.test(tag)) continue;
    add(attrOf(tag, 'name')!, attrOf(tag, 'value') ?? '');
  }
  for (const [, tag, inner] of page.matchAll(/(<select\b[^>]*>)([\s\S]*?)<\/select>/g)) {
    const options = [...inner!.matchAll(/<option value="([^"]*)"( selected)?>/g)];
    add(attrOf(tag!, 'name')!, unescape((options.find((o) => o[2]) ?? options[0]!)[1]!));
  }
  for (const [, tag, text] of page.matchAll(/(<textarea\b[^>]*>)([\s\S]*?)<\/textarea>/g)) add(attrOf(tag!, 'name')!, unescape(text!));
  return body;
}

const birthAnswers: Record<string, unknown> = {
  'applicant.fullName': 'Nguyễn Thị Lan', 'applicant.birthDate': '1995-04-30', 'applicant.idNumber': '082195000123',
  'applicant.phone': '0912 345 678', 'applicant.address.line': '12 Lê Lợi', 'applicant.address.areaCode': '28252',
  child_full_name: 'Trần Minh An', child_sex: 'nu', child_birth_date: '2026-03-01', child_ethnicity: 'Kinh',
  child_nationality: 'Việt Nam', child_birth_place_type: 'co_so_y_te', child_birth_facility: 'Bệnh viện "Tâm Đức" & <Cộng đồng>',
  'child_birth_place.line': '2 Hùng Vương', 'child_birth_place.areaCode': '28261', child_hometown: 'Xã Tân Hương',
  mother_full_name: 'Nguyễn Thị Lan', mother_birth_year: '1995', mother_ethnicity: 'Kinh', mother_nationality: 'Việt Nam',
  'mother_residence.line': '12 Lê Lợi', 'mother_residence.areaCode': '28249', father_known: 'yes', father_full_name: 'Trần Văn Bình',
  father_birth_year: '1993', father_ethnicity: 'Kinh', father_nationality: 'Việt Nam', 'father_residence.line': '12 Lê Lợi',
  'father_residence.areaCode': '28249', parents_married: 'yes', declarant_relationship: 'me', copies: '2,5',
};

test('every field of the birth registration renders with a label bound to an input of the same id, in both languages', () => {
  const def = birthForm();
  for (const lang of ['vi', 'en'] as const) {
    const page = renderForm(def, empty, lang);
    for (const f of def.sections.flatMap((s) => s.fields)) {
      const ids = f.type === 'address' ? [`${f.key}.line`, `${f.key}.areaCode`] : [f.key];
      for (const id of ids) {
        assert.match(tagWithId(page, id), /^<(input|select|textarea)/, `${id} is a form control`);
        assert.ok(page.includes(`<label class="label${f.type === 'radio' ? ' radios-label' : f.type === 'address' ? ' label-sub' : ''}" for="${id}">`), `${id} has a label`);
      }
      if (f.type === 'radio' || f.type === 'address') assert.ok(page.includes(`<legend class="fieldset-legend">${f.label[lang].replace(/'/g, '&#39;')}`), `${f.key} has a legend`);
      else if (f.type !== 'checkbox') assert.ok(page.includes(`for="${f.key}">${f.label[lang].replace(/'/g, '&#39;')}`), `${f.key}'s label says its question`);
    }
    const labelled = [...page.matchAll(/ for="([^"]+)"/g)].map((m) => m[1]!);
    for (const id of labelled) tagWithId(page, id);
    const ids = [...page.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!);
    assert.equal(new Set(ids).size, ids.length, 'ids are unique across the form');
  }
});

test('with JavaScript off, a rendered form posts back the answers it shows, as flat dotted keys', () => {
  const def = birthForm();
  const first = validateAnswers(def, birthAnswers, answerOpts);
  assert.deepEqual(first.problems, {});
  // Re-shown as posted (raw text), then as stored (cleaned values: numbers, +84 phone, address objects).
  for (const values of [birthAnswers, first.values]) {
    const body = posted(renderForm(def, { values, errors: {} }));
    assert.equal(body['applicant.address.areaCode'], '28252');
    assert.deepEqual(validateAnswers(def, body, answerOpts), first);
  }
});

test('a hint and an error are tied to their input by aria-describedby, and the error starts with a hidden "Lỗi: "', () => {
  const def = birthForm();
  const page = render(def.sections[0]!, { values: {}, errors: { 'applicant.idNumber': 'Nhập số định danh cá nhân gồm 12 chữ số' } });
  const input = tagWithId(page, 'applicant.idNumber');
  assert.equal(attrOf(input, 'aria-describedby'), 'applicant.idNumber-hint applicant.idNumber-error');
  assert.match(input, /class="input input-medium input-error"/);
  assert.match(page, /<div class="hint" id="applicant.idNumber-hint">12 chữ số, in trên thẻ căn cước<\/div>/);
  assert.match(page, /<p class="error-message" id="applicant.idNumber-error"><span class="visually-hidden">Lỗi: <\/span>Nhập số định danh cá nhân gồm 12 chữ số<\/p>/);
  assert.match(page, /<div class="form-group form-group-error">\s*<label class="label" for="applicant.idNumber">/);
  assert.equal(attrOf(tagWithId(page, 'applicant.fullName'), 'aria-describedby'), undefined, 'nothing to describe, no attribute');
});

test('answers are escaped wherever they are shown: values, textareas, options, messages', () => {
  const evil = '"><script>alert(1)</script>';
  const s = section(
    { key: 'name', type: 'text', label },
    { key: 'details', type: 'textarea', label },
    { key: 'home', type: 'address', label },
  );
  const page = render(s, { values: { name: evil, details: `</textarea>${evil}`, home: { line: evil, areaCode: evil } }, errors: { name: '<b>x</b>' } },
    'vi', { areas: [{ code: '1', name: '<i>Xã</i>' }] });
  assert.equal(page.includes('<script>'), false);
  assert.equal(page.includes('</textarea><'), false);
  assert.ok(page.includes('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'));
  assert.ok(page.includes('&lt;i&gt;Xã&lt;/i&gt;'));
  assert.ok(page.includes('&lt;b&gt;x&lt;/b&gt;'));
  assert.equal(attrOf(tagWithId(page, 'home.line'), 'value'), evil, 'the text itself survives, only escaped');
});

test('inputs have the types and keyboards of their answers: type=date bounded by today, a numeric keypad for the CCCD, tel, email', () => {
  const page = render(birthForm().sections[0]!);
  assert.equal(attrOf(tagWithId(page, 'applicant.birthDate'), 'type'), 'date');
  assert.equal(attrOf(tagWithId(page, 'applicant.birthDate'), 'max'), '2026-03-10', '"today" from the options');
  const id = tagWithId(page, 'applicant.idNumber');
  assert.equal(attrOf(id, 'type'), 'text', 'not type=number: the number starts with zeros');
  assert.equal(attrOf(id, 'inputmode'), 'numeric');
  assert.equal(attrOf(id, 'spellcheck'), 'false');
  assert.equal(attrOf(tagWithId(page, 'applicant.phone'), 'type'), 'tel');
  assert.equal(attrOf(tagWithId(page, 'applicant.email'), 'type'), 'email');
  const noToday = renderSection('vi', birthForm().sections[0]!, empty, { areas }).value;
  assert.equal(attrOf(tagWithId(noToday, 'applicant.birthDate'), 'max'), undefined, 'without today, no bound rather than a wrong one');
});

test('a number is a text box with a decimal keypad, its unit beside it and in the label for screen readers', () => {
  const page = render(birthForm().sections[3]!);
  const copies = tagWithId(page, 'copies');
  assert.equal(attrOf(copies, 'type'), 'text');
  assert.equal(attrOf(copies, 'inputmode'), 'decimal');
  assert.match(page, /for="copies">Số bản sao Giấy khai sinh đề nghị cấp \(không bắt buộc\)<span class="visually-hidden"> \(tính bằng bản\)<\/span><\/label>/);
  assert.match(page, /<span class="input-suffix" aria-hidden="true">bản<\/span>/);
});

test("autocomplete is offered for the applicant's own details only, never for the child's or the parents'", () => {
  const page = renderForm(birthForm());
  assert.equal(attrOf(tagWithId(page, 'applicant.fullName'), 'autocomplete'), 'name');
  assert.equal(attrOf(tagWithId(page, 'applicant.birthDate'), 'autocomplete'), 'bday');
  assert.equal(attrOf(tagWithId(page, 'applicant.phone'), 'autocomplete'), 'tel');
  assert.equal(attrOf(tagWithId(page, 'applicant.email'), 'autocomplete'), 'email');
  assert.equal(attrOf(tagWithId(page, 'applicant.address.line'), 'autocomplete'), 'address-line1');
  for (const key of ['child_full_name', 'child_birth_date', 'mother_full_name', 'mother_residence.line', 'father_full_name']) {
    assert.equal(attrOf(tagWithId(page, key), 'autocomplete'), undefined, key);
  }
});

test('radios and checkboxes sit in a fieldset with a legend; the first option carries the field id, the others -2, -3', () => {
  const options = [{ value: 'cash', label: { vi: 'Tiền', en: 'Cash' } }, { value: 'land', label: { vi: 'Đất', en: 'Land' } }, { value: 'car', label: { vi: 'Xe', en: 'Car' } }];
  const s = section({ key: 'assets', type: 'checkbox', label, options, required: true, hint: { vi: 'Gợi ý', en: 'Hint' } });
  const page = render(s, { values: { assets: ['cash', 'car'] }, errors: { assets: 'Chọn ít nhất một mục.' } });
  assert.match(page, /<fieldset class="fieldset" aria-describedby="assets-hint assets-error">\s*<legend class="fieldset-legend">Câu hỏi<\/legend>/);
  assert.match(page, /<div class="hint" id="assets-hint">Gợi ý Chọn tất cả các mục phù hợp.<\/div>/);
  assert.match(tagWithId(page, 'assets'), /type="checkbox" value="cash" checked/);
  assert.doesNotMatch(tagWithId(page, 'assets-2'), /checked/);
  assert.match(tagWithId(page, 'assets-3'), /name="assets" type="checkbox" value="car" checked/);
  assert.match(page, /<label class="label checkboxes-label" for="assets-2">Đất<\/label>/);
});

test('a single checkbox is its own label, ticked when the answer says so', () => {
  const s = section({ key: 'voluntary_commitment', type: 'checkbox', label: { vi: 'Chúng tôi cam kết tự nguyện kết hôn', en: 'We marry of our own free will' }, required: true });
  for (const [value, ticked] of [[true, true], ['on', true], [false, false], [undefined, false]] as const) {
    const page = render(s, { values: value === undefined ? {} : { voluntary_commitment: value }, errors: {} });
    const box = tagWithId(page, 'voluntary_commitment');
    assert.equal(/ checked\b/.test(box), ticked, String(value));
    assert.match(box, /type="checkbox" value="yes"/);
    assert.match(page, /for="voluntary_commitment">Chúng tôi cam kết tự nguyện kết hôn<\/label>/);
    assert.doesNotMatch(page, /<fieldset/);
  }
});

test('a select starts with a blank choice and keeps the chosen option', () => {
  const page = render(birthForm().sections[3]!, { values: { declarant_relationship: 'ong_ba' }, errors: {} });
  assert.match(page, /<select class="select" id="declarant_relationship" name="declarant_relationship">\s*<option value="">Chọn<\/option>\s*<option value="me">Mẹ<\/option>/);
  assert.match(page, /<option value="ong_ba" selected>Ông, bà<\/option>/);
  assert.equal((page.match(/ selected/g) ?? []).length, 1);
});

test('an address is a street line and a list of areas named <key>.areaCode, and an old area code stays selected', () => {
  const s = section({ key: 'home', type: 'address', label, required: true });
  const page = render(s, { values: { home: { line: '5 Nguyễn Huệ', areaCode: '28252' } }, errors: { 'home.areaCode': 'Chọn xã, phường trong danh sách.' } });
  assert.match(page, /<fieldset class="fieldset" id="home">\s*<legend class="fieldset-legend">Câu hỏi<\/legend>/);
  assert.match(page, /<label class="label label-sub" for="home.line">Số nhà, tên đường, thôn, ấp<\/label>/);
  assert.equal(attrOf(tagWithId(page, 'home.line'), 'name'), 'home.line');
  assert.equal(attrOf(tagWithId(page, 'home.line'), 'value'), '5 Nguyễn Huệ');
  const select = tagWithId(page, 'home.areaCode');
  assert.equal(attrOf(select, 'name'), 'home.areaCode');
  assert.equal(attrOf(select, 'aria-describedby'), 'home.areaCode-error');
  assert.match(page, /<option value="">Chọn xã, phường<\/option>\s*<option value="28252" selected>Địa bàn đã lưu \(mã 28252\)<\/option>/);
  assert.match(page, /<option value="28249">Phường Đạo Thạnh<\/option>/);
  assert.match(page, /^<div class="form-group form-group-error">/m, 'the whole address is marked when a part is wrong');
  const current = render(s, { values: { 'home.areaCode': '28261' }, errors: {} });
  assert.match(current, /<option value="28261" selected>Phường Mỹ Tho<\/option>/);
  assert.doesNotMatch(current, /Địa bàn đã lưu/);
});

test('conditional questions are always shown, each run wrapped once, with a hint naming the choice that makes them apply', () => {
  const page = render(birthForm().sections[2]!);
  assert.equal((page.match(/<div class="conditional">/g) ?? []).length, 1, "the father's six questions share one wrapper");
  assert.match(page, /<div class="conditional">\s*<p class="hint conditional-hint" id="father_full_name-condition">Chỉ trả lời nếu bạn chọn “Có” ở trên.<\/p>/);
  for (const key of ['father_full_name', 'father_birth_year', 'father_ethnicity', 'father_nationality']) {
    assert.ok(attrOf(tagWithId(page, key), 'aria-describedby')?.split(' ').includes('father_full_name-condition'), key);
  }
  assert.match(tagWithId(page, 'father_residence'), /aria-describedby="father_full_name-condition"/);
  const child = render(birthForm().sections[1]!);
  assert.match(child, /Chỉ trả lời nếu bạn chọn “Tại cơ sở y tế” ở trên./);
  assert.match(render(birthForm().sections[2]!, empty, 'en'), /Only answer if you chose “Yes” above./);
});

test('a condition on a question in another section names that question, and lists every choice that applies', () => {
  const classes = [{ value: 'a1', label: { vi: 'A1', en: 'A1' } }, { value: 'b', label: { vi: 'B', en: 'B' } }, { value: 'c', label: { vi: 'C', en: 'C' } }];
  const licence: FormSection = { key: 'licence', title: label, fields: [{ key: 'licence_class', type: 'select', label: { vi: 'Hạng giấy phép lái xe', en: 'Licence class' }, options: classes }] };
  const health = section({ key: 'health_cert_date', type: 'date', label, showIf: { field: 'licence_class', in: ['b', 'c'] } });
  const def: FormDefinition = { procedureId: 'x', version: 1, sections: [licence, health] };
  assert.match(render(health, empty, 'vi', { areas, form: def }), /Chỉ trả lời nếu ở câu “Hạng giấy phép lái xe” bạn chọn “B” hoặc “C”./);
  assert.match(render(health, empty, 'en', { areas, form: def }), /Only answer if you chose “B” or “C” for “Licence class”./);
  assert.match(render(health), /Chỉ trả lời nếu câu này áp dụng với bạn./, 'without the whole form, a plain hint');
});

test('a condition on a single checkbox says to tick it', () => {
  const s = section(
    { key: 'has_basement', type: 'checkbox', label: { vi: 'Có tầng hầm', en: 'Has a basement' } },
    { key: 'basement_floors', type: 'number', label, showIf: { field: 'has_basement', equals: true } },
  );
  assert.match(render(s), /Chỉ trả lời nếu bạn đánh dấu vào ô “Có tầng hầm”./);
});

test('optional questions say so in their label; a single checkbox does not', () => {
  const page = renderForm(birthForm());
  assert.match(page, /for="applicant.email">Thư điện tử \(không bắt buộc\)<\/label>/);
  assert.match(page, /for="applicant.fullName">Họ, chữ đệm và tên<\/label>/);
  const box = render(section({ key: 'agree', type: 'checkbox', label }));
  assert.match(box, /for="agree">Câu hỏi<\/label>/);
});

test('a textarea states its limit in its hint', () => {
  const page = render(section({ key: 'request_details', type: 'textarea', label, maxLength: 2000, hint: { vi: 'Nêu ngắn gọn', en: 'Briefly' } }));
  assert.match(page, /<div class="hint" id="request_details-hint">Nêu ngắn gọn Tối đa 2000 ký tự.<\/div>/);
  assert.match(page, /<textarea class="textarea" id="request_details" name="request_details" rows="5" aria-describedby="request_details-hint"><\/textarea>/);
});

test("field problems become messages in the page's language, and each summary link lands on the input to fix", () => {
  const def = birthForm();
  const { problems } = validateAnswers(def, { 'applicant.idNumber': '12345', 'applicant.address.areaCode': '99999', copies: '1.500' }, answerOpts);
  for (const lang of ['vi', 'en'] as const) {
    const errors = fieldErrorMessages(lang, problems);
    const page = renderForm(def, { values: {}, errors }, lang);
    for (const link of errorLinks(errors)) tagWithId(page, link.href.slice(1));
    assert.equal(Object.keys(errors).length, (page.match(/class="error-message"/g) ?? []).length, 'every problem is shown by its field');
  }
  const vi = fieldErrorMessages('vi', problems);
  assert.equal(vi['applicant.idNumber'], 'Nhập số định danh cá nhân gồm 12 chữ số, in trên thẻ căn cước.');
  assert.equal(vi['applicant.address.areaCode'], 'Không có xã, phường với mã này. Chọn xã, phường trong danh sách.');
  assert.equal(fieldErrorMessages('en', problems)['copies'], 'Write the number without thousands separators, like 1500, and decimals like 2.5.');
  assert.deepEqual(errorLinks({ 'a.b': 'x' }), [{ href: '#a.b', text: 'x' }]);
  assert.equal(fieldErrorMessages('en', { q: { key: 'tooLong', params: { max: 100 } } }).q, 'At most 100 characters.');
});

test('stored numbers are written back in the notation of the page, never in the ambiguous "1.125" shape', () => {
  assert.equal(numberForInput('vi', 2.5), '2,5');
  assert.equal(numberForInput('en', 2.5), '2.5');
  assert.equal(numberForInput('vi', 1995), '1995');
  assert.equal(numberForInput('vi', 1.125), '1,1250');
  assert.equal(numberForInput('en', 0.125), '0.125');
});

test("the domain's field problems are the API's field problems (checked by the compiler)", () => {
  const fromDomain: FieldProblem = { key: 'badCitizenId' };
  const forApi: ApiFieldProblem = fromDomain;
  assert.equal(forApi.key, 'badCitizenId');
});
