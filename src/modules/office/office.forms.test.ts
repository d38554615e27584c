// The table of printed forms is the one place a form is added: every row has its wording in the
// template file, a name in both message files, and renders a PDF whose text carries its title.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { en } from '../../i18n/en.ts';
import { messages } from '../../i18n/index.ts';
import { vi } from '../../i18n/vi.ts';
import { readReference } from '../../reference.ts';
import { pdfText } from '../../testing/pdf.ts';
import { formsFor, officeDocuments, officeForms, type FormSource, type LoggedAction } from './office.forms.ts';

type Wording = { forms: Record<string, { source?: unknown } & Record<'vi' | 'en', { title?: unknown }>> };
const wording = readReference<Wording>('documents/forms-03-2025.json');

const at = '2026-11-27T02:32:00Z';
const action = (name: string, data: Record<string, unknown> = {}, note: string | null = 'Lý do ghi rõ'): LoggedAction =>
  ({ action: name, at, data, note, actor_id: 'u1', actor_role: 'reception' });

/** A log in which every form applies. */
const log: LoggedAction[] = [
  action('request_supplement', { missing: ['Bản sao giấy chứng sinh'] }, null),
  action('refuse'),
  action('transfer', { toUserId: 'u2', step: 0, stepDueAt: at }, null),
  action('apologize', { dueAt: at, newDueAt: '2026-12-02T10:00:00Z' }),
  action('suspend', { withdrawalRequested: true }, 'Người nộp đề nghị rút hồ sơ'),
];

function source(lang: 'vi' | 'en'): FormSource {
  return {
    lang, messages: messages(lang), log, names: new Map([['u1', 'Trần Văn Bình'], ['u2', 'Lê Thị Hoa']]),
    header: { unitName: 'UBND Phường 5', agencyName: null, code: '000.00.06.H56-261127-0007', trackingUrl: 'http://localhost:3000/tra-cuu/x', applicantName: 'Nguyễn Thị Lan', procedureName: 'Đăng ký khai sinh' },
    acceptedAt: at, dueAt: '2026-12-01T10:00:00Z', steps: async () => [],
  };
}

test('the office forms are the table’s rows, each with wording data, a name in vi and en, and a PDF that prints its title', async () => {
  assert.deepEqual(officeForms, Object.keys(officeDocuments));
  // Besides the table's: Form 01 (the receipt, dossiers.receipt.ts) and Form 07 (the register, office.register.ts), not per-dossier office documents.
  assert.deepEqual(Object.keys(wording.forms).sort(), [...officeForms, '01', '07'].sort(), 'the template file has wording for exactly the forms of the table, and 01 and 07');
  for (const form of officeForms) {
    assert.equal(typeof wording.forms[form]?.source, 'string', `forms.${form}.source`);
    assert.ok(vi.office.documentNames[form], `vi office.documentNames.${form}`);
    assert.ok(en.office.documentNames[form], `en office.documentNames.${form}`);
    for (const lang of ['vi', 'en'] as const) {
      const title = wording.forms[form]![lang].title;
      assert.equal(typeof title, 'string', `forms.${form}.${lang}.title`);
      const text = pdfText(await officeDocuments[form].render(source(lang))).replace(/\s+/g, ' ');
      assert.ok(text.includes((title as string).replace(/\s+/g, ' ')), `Form ${form} in ${lang} prints its title`);
    }
  }
});

test('when a form applies is one function of the status, log and dates, for the service and the page alike', () => {
  const none = { status: 'submitted', actions: [], acceptedAt: null, dueAt: null } as const;
  assert.deepEqual(formsFor(none), []);
  assert.deepEqual(formsFor({ ...none, status: 'supplement_requested', actions: ['create', 'submit', 'request_supplement'] }), ['02']);
  assert.deepEqual(formsFor({ ...none, status: 'refused', actions: ['refuse'] }), ['03']);
  // A dossier returned at intake once its supplement deadline passed is not accepted: Form 03 too.
  assert.deepEqual(formsFor({ ...none, status: 'refused', actions: ['request_supplement', 'return_unsupplemented'] }), ['02', '03']);
  // An apology is printed only for an accepted dossier; the process-control sheet once it has a due time.
  assert.deepEqual(formsFor({ ...none, actions: ['apologize'] }), []);
  assert.deepEqual(formsFor({ status: 'in_process', actions: ['accept', 'apologize'], acceptedAt: at, dueAt: null }), ['04']);
  assert.deepEqual(formsFor({ status: 'accepted', actions: ['accept'], acceptedAt: at, dueAt: at }), ['06']);
  // Form 05 once processing stopped, whichever way: by a leader, or past a supplement deadline.
  assert.deepEqual(formsFor({ status: 'in_process', actions: ['accept', 'transfer'], acceptedAt: at, dueAt: at }), ['06']);
  assert.deepEqual(formsFor({ status: 'suspended', actions: ['accept', 'transfer', 'suspend'], acceptedAt: at, dueAt: at }), ['05', '06']);
  assert.deepEqual(formsFor({ status: 'suspended', actions: ['accept', 'transfer', 'request_supplement', 'return_unsupplemented'], acceptedAt: at, dueAt: at }), ['02', '05', '06']);
  // Only the process-control sheet is the office's alone.
  assert.deepEqual(officeForms.filter((f) => officeDocuments[f].readers === 'staff'), ['06']);
});
