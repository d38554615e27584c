import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fold, slugify, words } from './text.ts';
import { isIsoDay, isValidOn } from './units.ts';
import { documentsFromList, onlineClassOfLevel, planSplit } from './catalog.ts';
import { applicantSection, checkFormDefinition, type FormDefinition } from './forms.ts';
import { vietnamDay } from './time.ts';

test('folding removes tone marks and maps đ to d, so "Đăng ký" matches "dang ky"', () => {
  assert.equal(fold('Đăng ký kết hôn'), 'dang ky ket hon');
  assert.equal(fold('ĐỔI GIẤY PHÉP LÁI XE'), 'doi giay phep lai xe');
  assert.equal(fold('Thủ tục hành chính'), 'thu tuc hanh chinh');
  // A precomposed and a decomposed "ế" fold alike.
  assert.equal(fold('kê\u0301t'), fold('kết'));
});

test('words split on punctuation and keep digits', () => {
  assert.deepEqual(words('Luật số 60/2014/QH13 (Hộ tịch)'), ['luat', 'so', '60', '2014', 'qh13', 'ho', 'tich']);
  assert.equal(slugify('Hộ tịch (liên thông)'), 'ho-tich-lien-thong');
});

test('a unit is valid on the days between its bounds, both included; open bounds are unlimited', () => {
  const district = { validFrom: null, validTo: '2025-06-30' };
  assert.equal(isValidOn(district, '2017-10-15'), true);
  assert.equal(isValidOn(district, '2025-06-30'), true);
  assert.equal(isValidOn(district, '2025-07-01'), false);
  const commune = { validFrom: '2025-07-01', validTo: null };
  assert.equal(isValidOn(commune, '2025-06-30'), false);
  assert.equal(isValidOn(commune, '2026-11-29'), true);
});

test('only real calendar days pass as YYYY-MM-DD', () => {
  assert.equal(isIsoDay('2026-02-28'), true);
  assert.equal(isIsoDay('2026-02-29'), false);
  assert.equal(isIsoDay('2026-2-1'), false);
});

test("Vietnam's day starts at 17:00 UTC the day before (UTC+7)", () => {
  assert.equal(vietnamDay(new Date('2026-11-29T16:59:59Z')), '2026-11-29');
  assert.equal(vietnamDay(new Date('2026-11-29T17:00:00Z')), '2026-11-30');
});

test('Decree 43/2011 levels map to Decree 42/2022 classes: 4 full, 3 partial, 2 information only', () => {
  assert.equal(onlineClassOfLevel(4), 'full');
  assert.equal(onlineClassOfLevel(3), 'partial');
  assert.equal(onlineClassOfLevel(2), 'none');
});

test("the 2017 plan's split gives 1,500 / 795 / 113 services at levels 2 / 3 / 4 for 2,408", () => {
  assert.deepEqual(planSplit(2408), { 2: 1500, 3: 795, 4: 113 });
  const small = planSplit(100);
  assert.equal(small[2] + small[3] + small[4], 100);
});

test('published document lists are read into original/copy, required/optional and template flags', () => {
  const docs = documentsFromList([
    'Tờ khai đăng ký khai sinh',
    'Giấy chứng sinh (bản chính) hoặc giấy tờ thay thế',
    'Giấy chứng nhận kết hôn của cha mẹ (nếu có)',
    'Bản sao giấy tờ tùy thân',
  ]);
  assert.deepEqual(docs.map((d) => [d.required, d.original, d.hasTemplate]), [
    [true, true, true],
    [true, true, false],
    [false, true, false],
    [true, false, false],
  ]);
  assert.equal(new Set(docs.map((d) => d.key)).size, docs.length, 'document keys are unique');
});

test('a form definition whose condition names a later or unknown field is refused', () => {
  const def: FormDefinition = {
    procedureId: 'x',
    version: 1,
    sections: [
      {
        key: 's', title: { vi: 'Phần', en: 'Part' },
        fields: [
          { key: 'a', type: 'text', label: { vi: 'A', en: 'A' }, showIf: { field: 'b', equals: 'yes' } },
          { key: 'b', type: 'radio', label: { vi: 'B', en: 'B' }, options: [{ value: 'yes', label: { vi: 'Có', en: 'Yes' } }] },
          { key: 'b', type: 'select', label: { vi: 'B', en: 'B' } },
        ],
      },
    ],
  };
  const problems = checkFormDefinition(def);
  assert.ok(problems.some((p) => p.includes('x.a') && p.includes('showIf')));
  assert.ok(problems.some((p) => p.includes('used twice')));
  assert.ok(problems.some((p) => p.includes('needs options')));
});

test('the applicant section is sound for citizens and organisations; organisations add who they are', () => {
  for (const audience of ['citizen', 'business', 'both'] as const) {
    const def = { procedureId: 'x', version: 1, sections: [applicantSection(audience)] };
    assert.deepEqual(checkFormDefinition(def), []);
  }
  const keys = applicantSection('business').fields.map((f) => f.key);
  assert.ok(keys.includes('applicant.organisationName'));
  assert.ok(!applicantSection('citizen').fields.some((f) => f.key === 'applicant.organisationName'));
});
