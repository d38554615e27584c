import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { birthRegistration, signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { attachRequiredDocuments } from '../../testing/uploads.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

type Headers = Record<string, string>;
async function call(method: 'GET' | 'POST' | 'PATCH', url: string, headers: Headers, payload?: unknown) {
  const res = await ctx.app.inject({ method, url, headers, payload: payload as object });
  return { status: res.statusCode, body: res.body ? res.json() : null };
}

test('a citizen starts a draft of a birth registration at their commune', async () => {
  const { auth } = await signedInCitizen(ctx);
  const { status, body } = await call('POST', '/api/v1/dossiers', auth, birthRegistration());
  assert.equal(status, 201);
  assert.equal(body.status, 'draft');
  assert.equal(body.statusCode, 0);
  assert.equal(body.code, null);
  assert.equal(body.channel, 'online');
  assert.equal(body.unitId, 'my-tho-phuong-5');
  assert.equal(body.procedureVersion, 1);
  assert.equal(body.applicant.fullName, 'Nguyễn Thị Lan');
  assert.equal(body.form.child_full_name, 'Trần Minh Khang');
  assert.deepEqual(body.history.map((h: { action: string }) => h.action), ['create']);
});

test('a draft may be incomplete, but what it holds must be valid; a bad value saves nothing', async () => {
  const { auth } = await signedInCitizen(ctx);
  const draft = await call('POST', '/api/v1/dossiers', auth, { procedureId: 'dang-ky-khai-sinh', unitId: 'my-tho-phuong-5', form: { child_full_name: 'Bé Na' } });
  assert.equal(draft.status, 201);
  const bad = await call('PATCH', `/api/v1/dossiers/${draft.body.id}`, auth, { applicant: { idNumber: '1234' }, form: { child_birth_date: '2099-01-01' } });
  assert.equal(bad.status, 400);
  assert.ok(bad.body.error.fields['applicant.idNumber']);
  assert.ok(bad.body.error.fields['form.child_birth_date']);
  const after = await call('GET', `/api/v1/dossiers/${draft.body.id}`, auth);
  assert.deepEqual(after.body.applicant, {});
  assert.equal(after.body.form.child_full_name, 'Bé Na');
  const good = await call('PATCH', `/api/v1/dossiers/${draft.body.id}`, auth, { form: { child_sex: 'nu' } });
  assert.equal(good.status, 200);
  assert.equal(good.body.form.child_sex, 'nu');
  assert.equal(good.body.form.child_full_name, 'Bé Na', 'a patch keeps what was saved before');
});

test('the receiving unit is required when every commune handles the procedure, and must be one of them', async () => {
  const { auth } = await signedInCitizen(ctx);
  const missing = await call('POST', '/api/v1/dossiers', auth, { procedureId: 'dang-ky-khai-sinh' });
  assert.equal(missing.status, 400);
  assert.ok(missing.body.error.fields.unitId);
  const wrong = await call('POST', '/api/v1/dossiers', auth, { procedureId: 'dang-ky-khai-sinh', unitId: 'so-y-te' });
  assert.equal(wrong.body.error.fields.unitId, 'Cơ quan này không giải quyết thủ tục đã chọn.');
  const single = await call('POST', '/api/v1/dossiers', auth, { procedureId: 'cap-phieu-ly-lich-tu-phap' });
  assert.equal(single.status, 201);
  assert.equal(single.body.unitId, 'so-tu-phap', 'a procedure with one unit needs no unitId');
});

test('unknown and information-only procedures cannot be filed online', async () => {
  const { auth } = await signedInCitizen(ctx);
  assert.equal((await call('POST', '/api/v1/dossiers', auth, { procedureId: 'khong-co' })).body.error.fields.procedureId, 'Không có thủ tục này.');
  const none = ctx.services.catalog.search({ onlineClass: 'none', limit: 1, offset: 0 }).items[0]!;
  const r = await call('POST', '/api/v1/dossiers', auth, { procedureId: none.id, unitId: none.unitIds[0] });
  assert.equal(r.status, 400);
  assert.ok(r.body.error.fields.procedureId);
});

test("another citizen's dossier is 404, as if it did not exist; without signing in, 401", async () => {
  const owner = await signedInCitizen(ctx);
  const other = await signedInCitizen(ctx, 'Người Khác');
  const { body } = await call('POST', '/api/v1/dossiers', owner.auth, birthRegistration());
  for (const [method, url, payload] of [
    ['GET', `/api/v1/dossiers/${body.id}`, undefined],
    ['PATCH', `/api/v1/dossiers/${body.id}`, { form: {} }],
    ['POST', `/api/v1/dossiers/${body.id}/submit`, undefined],
    ['POST', `/api/v1/dossiers/${body.id}/withdraw`, {}],
  ] as const) {
    const r = await call(method, url, other.auth, payload);
    assert.equal(r.status, 404, `${method} ${url}`);
    assert.equal(r.body.error.code, 'dossier_not_found');
    assert.equal((await call(method, url, {}, payload)).status, 401, `${method} ${url} anonymous`);
  }
  const unknown = await call('GET', '/api/v1/dossiers/00000000-0000-0000-0000-000000000000', owner.auth);
  assert.deepEqual(unknown.body, (await call('GET', `/api/v1/dossiers/${body.id}`, other.auth)).body);
});

test('staff see dossiers of their unit (or subtree), and not of another commune', async () => {
  const owner = await signedInCitizen(ctx);
  const { body } = await call('POST', '/api/v1/dossiers', owner.auth, birthRegistration());
  const here = await signedInStaff(ctx, 'reception', 'my-tho-phuong-5');
  const district = await signedInStaff(ctx, 'auditor', 'my-tho', true);
  const elsewhere = await signedInStaff(ctx, 'reception', 'my-tho-phuong-4');
  assert.equal((await call('GET', `/api/v1/dossiers/${body.id}`, here.auth)).status, 200);
  assert.equal((await call('GET', `/api/v1/dossiers/${body.id}`, district.auth)).status, 200);
  assert.equal((await call('GET', `/api/v1/dossiers/${body.id}`, elsewhere.auth)).status, 404);
  assert.equal((await call('GET', `/api/v1/dossiers/${body.id}`, here.auth)).body.trackingKey, null, 'the tracking key is the applicant’s');
});

test('submitting checks every required answer and document: 400 with fields, and nothing changes', async () => {
  const { auth } = await signedInCitizen(ctx);
  const { body } = await call('POST', '/api/v1/dossiers', auth, birthRegistration({ form: { child_full_name: 'Bé Na' }, delivery: {} }));
  const r = await call('POST', `/api/v1/dossiers/${body.id}/submit`, auth);
  assert.equal(r.status, 400);
  const fields = Object.keys(r.body.error.fields);
  assert.ok(fields.includes('form.child_sex'));
  assert.ok(fields.includes('delivery.method'));
  assert.ok(fields.some((f) => f.startsWith('documents.')), 'the declaration and the birth certificate are required');
  assert.ok(!fields.includes('form.father_full_name'), 'a question hidden by an earlier answer is not required');
  const after = await call('GET', `/api/v1/dossiers/${body.id}`, auth);
  assert.equal(after.body.status, 'draft');
  assert.equal(after.body.code, null);
});

test('a complete dossier is submitted: code {identifier}-{YYMMDD}-{NNNN}, a tracking key, a message to the applicant', async () => {
  const { auth } = await signedInCitizen(ctx);
  const { body } = await call('POST', '/api/v1/dossiers', auth, birthRegistration());
  await attachRequiredDocuments(ctx, auth, body.id);
  const r = await call('POST', `/api/v1/dossiers/${body.id}/submit`, auth);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.match(r.body.code, /^000\.01\.22\.H58-261129-\d{4}$/);
  assert.match(r.body.trackingKey, /^[A-Z2-9]{10}$/);
  assert.equal(r.body.status, 'submitted');
  const view = await call('GET', `/api/v1/dossiers/${body.id}`, auth);
  assert.equal(view.body.statusCode, 1);
  assert.equal(view.body.submittedAt, ctx.clock.now().toISOString());
  assert.deepEqual(view.body.history.map((h: { action: string }) => h.action), ['create', 'submit']);
  const message = await ctx.handle.db.selectFrom('outbox').selectAll().where('template', '=', 'dossier_submitted').where('recipient', '=', 'lan.nguyen@example.vn').executeTakeFirstOrThrow();
  assert.equal(JSON.parse(message.params).code, r.body.code);
  // A retry gets the same answer, never a second code.
  const again = await call('POST', `/api/v1/dossiers/${body.id}/submit`, auth);
  assert.deepEqual(again.body, r.body);
  // Once something else has happened, submitting is a 409.
  await call('POST', `/api/v1/dossiers/${body.id}/withdraw`, auth, { note: 'Nộp nhầm' });
  const late = await call('POST', `/api/v1/dossiers/${body.id}/submit`, auth);
  assert.equal(late.status, 409);
  assert.equal(late.body.error.code, 'invalid_transition');
  assert.equal((await call('PATCH', `/api/v1/dossiers/${body.id}`, auth, { form: {} })).status, 409, 'only a draft can be edited');
});

test('parallel submissions at one commune get consecutive codes that never repeat', async () => {
  const { auth } = await signedInCitizen(ctx);
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) {
    const { body } = await call('POST', '/api/v1/dossiers', auth, birthRegistration({ unitId: 'my-tho-phuong-4', applicant: { ...birthRegistration().applicant } }));
    await attachRequiredDocuments(ctx, auth, body.id);
    ids.push(body.id);
  }
  const results = await Promise.all(ids.map((id) => call('POST', `/api/v1/dossiers/${id}/submit`, auth)));
  const codes = results.map((r) => r.body.code as string);
  assert.equal(new Set(codes).size, 12);
  assert.deepEqual(codes.map((c) => Number(c.slice(-4))).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.ok(codes.every((c) => c.startsWith('000.02.22.H58-261129-')), 'Phường 4 has identifier 000.02.22.H58');
});

test('an Idempotency-Key on creation returns the same draft for a retry', async () => {
  const { auth } = await signedInCitizen(ctx);
  const headers = { ...auth, 'idempotency-key': 'lan-khai-sinh-1' };
  const first = await call('POST', '/api/v1/dossiers', headers, birthRegistration());
  const second = await call('POST', '/api/v1/dossiers', headers, birthRegistration());
  assert.equal(second.body.id, first.body.id);
  const mine = await call('GET', '/api/v1/me/dossiers', auth);
  assert.equal(mine.body.total, 1);
});

test('my dossiers lists only the caller’s, newest first', async () => {
  const a = await signedInCitizen(ctx);
  const b = await signedInCitizen(ctx);
  await call('POST', '/api/v1/dossiers', a.auth, birthRegistration());
  ctx.clock.set(new Date(ctx.clock.now().getTime() + 1000).toISOString());
  const newer = await call('POST', '/api/v1/dossiers', a.auth, { procedureId: 'cap-phieu-ly-lich-tu-phap' });
  await call('POST', '/api/v1/dossiers', b.auth, birthRegistration());
  const mine = await call('GET', '/api/v1/me/dossiers', a.auth);
  assert.equal(mine.body.total, 2);
  assert.equal(mine.body.items[0].id, newer.body.id);
});

test('public tracking by code and key shows the status and steps, and no personal data', async () => {
  const { auth } = await signedInCitizen(ctx);
  const { body } = await call('POST', '/api/v1/dossiers', auth, birthRegistration());
  await attachRequiredDocuments(ctx, auth, body.id);
  const submitted = await call('POST', `/api/v1/dossiers/${body.id}/submit`, auth);
  const { code, trackingKey } = submitted.body;
  const r = await call('GET', `/api/v1/track/${encodeURIComponent(code)}?key=${trackingKey}`, {});
  assert.equal(r.status, 200);
  assert.equal(r.body.code, code);
  assert.equal(r.body.statusLabel, 'Mới đăng ký, chờ tiếp nhận');
  assert.equal(r.body.procedureName, 'Đăng ký khai sinh');
  assert.deepEqual(r.body.history.map((h: { status: string }) => h.status), ['submitted']);
  const text = JSON.stringify(r.body);
  for (const personal of ['Nguyễn Thị Lan', 'Trần Minh Khang', '082195000123', '0912345678', 'lan.nguyen@example.vn', 'Hùng Vương']) {
    assert.ok(!text.includes(personal), `no ${personal}`);
  }
  const lower = await call('GET', `/api/v1/track/${encodeURIComponent(code)}?key=${trackingKey.toLowerCase()}`, { 'accept-language': 'en' });
  assert.equal(lower.body.statusLabel, 'Submitted, waiting for intake', 'keys are read case-insensitively, labels in the asked language');
});

test('a wrong or missing key looks exactly like an unknown code', async () => {
  const { auth } = await signedInCitizen(ctx);
  const { body } = await call('POST', '/api/v1/dossiers', auth, birthRegistration());
  await attachRequiredDocuments(ctx, auth, body.id);
  const { code } = (await call('POST', `/api/v1/dossiers/${body.id}/submit`, auth)).body;
  const wrong = await call('GET', `/api/v1/track/${encodeURIComponent(code)}?key=AAAAAAAAAA`, {});
  const missing = await call('GET', `/api/v1/track/${encodeURIComponent(code)}`, {});
  const unknown = await call('GET', '/api/v1/track/000.01.22.H58-261129-9999?key=AAAAAAAAAA', {});
  assert.equal(wrong.status, 404);
  assert.deepEqual(wrong, missing);
  assert.deepEqual(wrong, unknown);
});
