// Back-office mode: citizens file on the national portal, which sends the dossiers in.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { birthRegistration, signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { dossierCode } from '../../domain/dossier-code.ts';
import { vietnamDay } from '../../domain/time.ts';

let ctx: TestContext;
const key = 'khoa-bi-mat-cua-cong-quoc-gia-2026';
/** A second sender (a ministry's system, say), with its own key. */
const otherKey = 'khoa-bi-mat-cua-he-thong-bo-nganh-2026';
before(async () => {
  ctx = await createTestContext({ settings: { mode: 'back_office', nationalPortalUrl: 'https://dichvucong.gov.vn', inboundKeys: { dvcqg: key, bo: otherKey } } });
});
after(() => ctx.close());

const inbound = (payload: unknown, apiKey = key) =>
  ctx.app.inject({ method: 'POST', url: '/api/v1/inbound/dossiers', headers: { 'x-api-key': apiKey }, payload: payload as object });

test('a dossier from the national portal without nationalCode arrives submitted, on channel national_portal, with our code', async () => {
  const res = await inbound({ ...birthRegistration(), externalId: 'G22.99-261129-000123' });
  assert.equal(res.statusCode, 201, res.body);
  const body = res.json();
  assert.match(body.code, /^000\.01\.22\.H58-261129-\d{4}$/);
  assert.equal(body.status, 'submitted');
  const staff = await signedInStaff(ctx, 'reception', 'my-tho-phuong-5');
  const view = (await ctx.app.inject({ url: `/api/v1/dossiers/${body.id}`, headers: staff.auth })).json();
  assert.equal(view.channel, 'national_portal');
  assert.deepEqual(view.history.map((h: { action: string; actorRole: string }) => `${h.action}:${h.actorRole}`), ['create:system', 'submit:system']);
});

test('sending the same externalId again answers with the same dossier, never a second one', async () => {
  const first = await inbound({ ...birthRegistration(), externalId: 'G22.99-261129-000456' });
  const again = await inbound({ ...birthRegistration(), externalId: 'G22.99-261129-000456' });
  assert.equal(first.statusCode, 201);
  assert.equal(again.statusCode, 200);
  assert.equal(again.json().id, first.json().id);
  assert.equal(again.json().code, first.json().code);
});

test('a wrong or missing API key is 401; bad answers are 400 with fields', async () => {
  assert.equal((await inbound({ ...birthRegistration(), externalId: 'x' }, 'sai-khoa-sai-khoa-sai-khoa-sai-khoa')).statusCode, 401);
  assert.equal((await ctx.app.inject({ method: 'POST', url: '/api/v1/inbound/dossiers', payload: { externalId: 'x' } })).statusCode, 401);
  const bad = await inbound({ ...birthRegistration({ applicant: { idNumber: '12' } }), externalId: 'G22-bad' });
  assert.equal(bad.statusCode, 400);
  assert.ok(bad.json().error.fields['applicant.idNumber']);
});

test('in back-office mode, citizens cannot file here: the catalogue stays and links to the national portal', async () => {
  const { auth } = await signedInCitizen(ctx);
  const api = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: auth, payload: birthRegistration() });
  assert.equal(api.statusCode, 403);
  assert.equal(api.json().error.code, 'filing_disabled');
  const page = await ctx.app.inject({ url: '/thu-tuc/dang-ky-khai-sinh' });
  assert.match(page.body, /href="https:\/\/dichvucong.gov.vn">Nộp hồ sơ trên Cổng Dịch vụ công quốc gia</);
  const start = await ctx.app.inject({ url: '/thu-tuc/dang-ky-khai-sinh/nop-ho-so' });
  assert.equal(start.statusCode, 303);
  assert.equal(start.headers.location, 'https://dichvucong.gov.vn');
  assert.equal((await ctx.app.inject({ url: '/api/v1/procedures?q=khai+sinh' })).json().items[0].id, 'dang-ky-khai-sinh');
});

const counters = async () => ctx.handle.db.selectFrom('dossier_counters').selectAll().orderBy(['unit_id', 'day']).execute();
const dossiersCoded = async (code: string) => ctx.handle.db.selectFrom('dossiers').select(['id', 'external_id']).where('code', '=', code).execute();

test('a nationalCode becomes the dossier’s code: no second code, no number taken from our counter', async () => {
  const before = await counters();
  const res = await inbound({ ...birthRegistration(), externalId: 'dvc-1001', nationalCode: '000.00.22.H58-261129-0042' });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.json().code, '000.00.22.H58-261129-0042');
  assert.deepEqual(await counters(), before, 'the counter did not move');
  const staff = await signedInStaff(ctx, 'reception', 'my-tho-phuong-5');
  const view = (await ctx.app.inject({ url: `/api/v1/dossiers/${res.json().id}`, headers: staff.auth })).json();
  assert.equal(view.code, '000.00.22.H58-261129-0042');
  const track = await ctx.app.inject({ url: `/api/v1/track/${res.json().code}?key=${res.json().trackingKey}` });
  assert.equal(track.statusCode, 200, 'tracked by the national code');
  // The national portal's own identifiers (G22.99.08…) and counters past four digits are taken as they are.
  const portal = await inbound({ ...birthRegistration(), externalId: 'dvc-1002', nationalCode: 'G22.99.08-261129-896048' });
  assert.equal(portal.statusCode, 201, portal.body);
  assert.equal(portal.json().code, 'G22.99.08-261129-896048');
});

test('the same nationalCode again from the same sender answers the dossier already made (200), by externalId or not', async () => {
  const first = await inbound({ ...birthRegistration(), externalId: 'dvc-2001', nationalCode: '000.00.22.H58-261129-0101' });
  assert.equal(first.statusCode, 201, first.body);
  for (const externalId of ['dvc-2001', 'dvc-2001-retry']) {
    const again = await inbound({ ...birthRegistration(), externalId, nationalCode: '000.00.22.H58-261129-0101' });
    assert.equal(again.statusCode, 200, externalId);
    assert.deepEqual(again.json(), first.json(), externalId);
  }
  assert.equal((await dossiersCoded('000.00.22.H58-261129-0101')).length, 1);
});

test('a nationalCode another sender already used is a 409 national_code_taken (vi, en), and nothing is created', async () => {
  const first = await inbound({ ...birthRegistration(), externalId: 'dvc-3001', nationalCode: '000.00.22.H58-261129-0201' });
  assert.equal(first.statusCode, 201);
  const count = async () => (await ctx.handle.db.selectFrom('dossiers').select('id').execute()).length;
  const before = await count();
  const taken = await inbound({ ...birthRegistration(), externalId: 'bo-3001', nationalCode: '000.00.22.H58-261129-0201' }, otherKey);
  assert.equal(taken.statusCode, 409);
  assert.equal(taken.json().error.code, 'national_code_taken');
  assert.match(taken.json().error.message, /^Mã hồ sơ quốc gia \(nationalCode\) này đã được dùng cho một hồ sơ khác/);
  const en = await ctx.app.inject({ method: 'POST', url: '/api/v1/inbound/dossiers', headers: { 'x-api-key': otherKey, 'accept-language': 'en' }, payload: { ...birthRegistration(), externalId: 'bo-3001', nationalCode: '000.00.22.H58-261129-0201' } });
  assert.equal(en.json().error.message, 'This national dossier code (nationalCode) is already used by another dossier. No dossier was created.');
  assert.equal(await count(), before, 'nothing created');
  assert.deepEqual((await dossiersCoded('000.00.22.H58-261129-0201')).map((d) => d.external_id), ['dvcqg:dvc-3001']);
});

test('a nationalCode not in the national format is a 400 naming nationalCode, in Vietnamese or English', async () => {
  const bad = [
    '28249-261129-0001', // a statistics code, not an agency identifier
    '000.00.22.H58-261129-001', // three digits
    '000.00.22.H58-261332-0001', // no 32nd of December
    '000.00.22.H58-260230-0001', // nor 30 February
    '00.00.22.H58-261129-0001',
    '000.00.22.h58-261129-0001',
    '000.00.22.Z58-261129-0001', // Z is for other organisations (Decision 20/2020 art. 6)
    'X22.99-261129-0001',
    '000.00.22.H58-261129-0000',
    '000.00.22.H58 261129 0001',
    '',
    '000.00.22.H58-261129-0001-KQ1',
  ];
  for (const nationalCode of bad) {
    const res = await inbound({ ...birthRegistration(), externalId: `bad-${nationalCode}`, nationalCode });
    assert.equal(res.statusCode, 400, nationalCode);
    assert.equal(res.json().error.code, 'validation', nationalCode);
    assert.equal(res.json().error.fields.nationalCode, 'Mã hồ sơ phải gồm mã định danh của cơ quan, ngày tiếp nhận (năm, tháng, ngày, mỗi phần 2 chữ số) và số thứ tự, ví dụ 000.00.12.H56-250702-0001.', nationalCode);
  }
  const long = await inbound({ ...birthRegistration(), externalId: 'bad-long', nationalCode: `000.00.22.H58-261129-${'1'.repeat(40)}` });
  assert.equal(long.statusCode, 400);
  assert.ok(long.json().error.fields.nationalCode);
  const en = await ctx.app.inject({ method: 'POST', url: '/api/v1/inbound/dossiers', headers: { 'x-api-key': key, 'accept-language': 'en' }, payload: { ...birthRegistration(), externalId: 'bad-en', nationalCode: '28249-261129-0001' } });
  assert.equal(en.json().error.fields.nationalCode, 'A dossier code is the agency’s identifier, the day of receipt (YYMMDD) and a number, for example 000.00.12.H56-250702-0001.');
  assert.equal((await ctx.handle.db.selectFrom('dossiers').select('id').where('external_id', 'like', 'dvcqg:bad-%').execute()).length, 0, 'nothing created');
});

test('at once: the same nationalCode from two senders makes one dossier and one 409; from one sender under two ids, one dossier for both', async () => {
  // Four deliveries from each sender, all at once: one dossier, the first sender's or the other's.
  const mixed = await Promise.all(Array.from({ length: 8 }, (_, i) => inbound({ ...birthRegistration(), externalId: `race-1-${i}`, nationalCode: '000.00.22.H58-261129-0301' }, i % 2 ? otherKey : key)));
  const created = mixed.filter((r) => r.statusCode === 201);
  assert.equal(created.length, 1, mixed.map((r) => r.statusCode).join(' '));
  const winner = mixed.indexOf(created[0]!) % 2;
  mixed.forEach((r, i) => {
    if (r === created[0]) return;
    if (i % 2 === winner) assert.deepEqual([r.statusCode, r.json().id], [200, created[0]!.json().id], `the winner's own retry ${i}`);
    else assert.deepEqual([r.statusCode, r.json().error.code], [409, 'national_code_taken'], `the other sender ${i}`);
  });
  assert.equal((await dossiersCoded('000.00.22.H58-261129-0301')).length, 1);

  const same = await Promise.all(Array.from({ length: 8 }, (_, i) => inbound({ ...birthRegistration(), externalId: `race-2-${i}`, nationalCode: '000.00.22.H58-261129-0302' })));
  assert.deepEqual(same.map((r) => r.statusCode).sort(), [200, 200, 200, 200, 200, 200, 200, 201]);
  assert.equal(new Set(same.map((r) => r.json().id)).size, 1);
  assert.equal((await dossiersCoded('000.00.22.H58-261129-0302')).length, 1);
  assert.equal((await ctx.services.audit.verify()).ok, true, 'the losers left nothing in the audit chain');
});

test('without nationalCode, a unit with no identifier is a 409 naming it; with a nationalCode the dossier still arrives', async () => {
  const db = ctx.handle.db;
  await db.updateTable('units').set({ identifier: null }).where('id', '=', 'my-tho-phuong-5').execute();
  await ctx.services.catalog.load();
  try {
    const before = await counters();
    const res = await inbound({ ...birthRegistration(), externalId: 'dvc-4001' });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'unit_without_identifier');
    assert.match(res.json().error.message, /^Đơn vị “Phường 5, Thành phố Mỹ Tho” chưa có mã định danh điện tử/);
    assert.equal((await db.selectFrom('dossiers').select('id').where('external_id', '=', 'dvcqg:dvc-4001').execute()).length, 0);
    assert.deepEqual(await counters(), before);
    const coded = await inbound({ ...birthRegistration(), externalId: 'dvc-4002', nationalCode: '000.00.22.H58-261129-0401' });
    assert.equal(coded.statusCode, 201, coded.body);
  } finally {
    await db.updateTable('units').set({ identifier: '000.01.22.H58' }).where('id', '=', 'my-tho-phuong-5').execute();
    await ctx.services.catalog.load();
  }
});

test('the OpenAPI document describes nationalCode and the 409 answer of the inbound route', async () => {
  const doc = (await ctx.app.inject({ url: '/openapi.json' })).json();
  const op = doc.paths['/api/v1/inbound/dossiers'].post;
  const body = op.requestBody.content['application/json'].schema;
  assert.equal(body.properties.nationalCode.type, 'string');
  assert.equal(body.properties.nationalCode.maxLength, 50);
  assert.ok(!body.required.includes('nationalCode'));
  assert.ok(op.responses['409'], 'national_code_taken, unit_without_identifier');
  assert.ok(doc.paths['/api/v1/office/dossiers'].post.responses['409'], 'counter intake answers 409 unit_without_identifier');
});

test('a number the national portal already used under our identifier is skipped by our counter, never issued twice', async () => {
  const unit = await ctx.handle.db.selectFrom('units').select('identifier').where('id', '=', 'my-tho-phuong-5').executeTakeFirstOrThrow();
  const day = vietnamDay(ctx.clock.now());
  const last = (await ctx.handle.db.selectFrom('dossier_counters').select('last').where('unit_id', '=', 'my-tho-phuong-5').where('day', '=', day).executeTakeFirst())?.last ?? 0;
  const next = dossierCode(unit.identifier!, day, Number(last) + 1);
  const portal = await inbound({ ...birthRegistration(), externalId: 'dvc-9001', nationalCode: next });
  assert.equal(portal.statusCode, 201, portal.body);
  const ours = await inbound({ ...birthRegistration(), externalId: 'dvc-9002' });
  assert.equal(ours.statusCode, 201, ours.body);
  assert.equal(ours.json().code, dossierCode(unit.identifier!, day, Number(last) + 2), 'the taken number is skipped');
});
