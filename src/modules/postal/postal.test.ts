// Bad input to the postal service (issue 12), each answered clearly and changing nothing: the
// operator's key, another operator's or an unknown shipment, an impossible change, an address in a
// commune merged away in 2025, postal delivery of a procedure the unit excluded; who may read a
// dossier's shipments and edit a unit's exclusions; the postal pages per role. Both dialects.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, testDialect, type TestContext } from '../../testing/context.ts';
import { birthRegistration, communeUnit, signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { attachRequiredDocuments } from '../../testing/uploads.ts';
import { counterIntakeBody, deskAt, type Desk } from '../../testing/office.ts';
import { defaultSettings } from '../../services.ts';
import { mayMove, shipmentStatuses } from '../../domain/postal.ts';

const vnpost = 'vnpost-test-key-0123456789';
const other = 'otherpost-key-0123456789';
let ctx: TestContext;
let desk: Desk;
let shipmentId: string;
let dossierId: string;

const delivery = (areaCode: string) => ({ method: 'postal', address: { line: 'Số 3 đường Lê Lợi', areaCode } });
const event = (id: string, key: string | null, body: Record<string, unknown>, lang = 'vi') =>
  ctx.app.inject({ method: 'POST', url: `/api/v1/shipments/${id}/events`, headers: { ...(key ? { 'x-api-key': key } : {}), 'accept-language': lang }, payload: body });
const shipmentRow = () => ctx.handle.db.selectFrom('shipments').select(['status', 'revision']).where('id', '=', shipmentId).executeTakeFirstOrThrow();

before(async () => {
  ctx = await createTestContext({ settings: { ...defaultSettings, postalOperatorKeys: { vnpost, otherpost: other } } });
  desk = await deskAt(ctx);
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/office/dossiers', headers: desk.postal.auth, payload: counterIntakeBody({ channel: 'postal', delivery: delivery('28249') }) });
  assert.equal(res.statusCode, 201, res.body);
  dossierId = res.json().id;
  shipmentId = (await ctx.handle.db.selectFrom('shipments').select('id').where('dossier_id', '=', dossierId).executeTakeFirstOrThrow()).id;
});
after(() => ctx.close());

test('the shipment table: only the listed changes, delivered and returned to sender are end states', () => {
  assert.ok(mayMove('created', 'picked_up') && mayMove('failed', 'in_transit') && mayMove('failed', 'returned_to_sender'));
  assert.ok(!mayMove('created', 'delivered') && !mayMove('delivered', 'failed'));
  for (const to of shipmentStatuses) assert.ok(!mayMove('delivered', to) && !mayMove('returned_to_sender', to));
});

test(`an event with a bad or missing key is 401, and nothing changes (${testDialect})`, async () => {
  const before = await shipmentRow();
  for (const key of ['not-the-key-at-all-000', null, `${vnpost}x`]) {
    const res = await event(shipmentId, key, { eventId: 'e1', status: 'picked_up' });
    assert.equal(res.statusCode, 401, String(key));
    assert.equal(res.json().error.code, 'bad_api_key');
  }
  assert.deepEqual(await shipmentRow(), before);
});

test(`another operator's shipment and an unknown one are both 404, alike (${testDialect})`, async () => {
  const theirs = await event(shipmentId, other, { eventId: 'e1', status: 'picked_up' }, 'en');
  const none = await event('00000000-0000-0000-0000-000000000000', vnpost, { eventId: 'e1', status: 'picked_up' }, 'en');
  assert.equal(theirs.statusCode, 404);
  assert.equal(none.statusCode, 404);
  assert.deepEqual(theirs.json(), none.json(), 'nothing tells that the shipment exists');
  assert.equal((await shipmentRow()).status, 'created');
});

test(`an impossible change is 409 invalid_transition; a bad status is 400; the same event id twice is one event (${testDialect})`, async () => {
  const jump = await event(shipmentId, vnpost, { eventId: 'e-jump', status: 'delivered' });
  assert.equal(jump.statusCode, 409);
  assert.equal(jump.json().error.code, 'invalid_transition');
  const bad = await event(shipmentId, vnpost, { eventId: 'e-bad', status: 'lost_in_space' }, 'en');
  assert.equal(bad.statusCode, 400);
  assert.ok(bad.json().error.fields.status);
  const first = await event(shipmentId, vnpost, { eventId: 'e-1', status: 'picked_up' });
  const again = await event(shipmentId, vnpost, { eventId: 'e-1', status: 'picked_up' });
  assert.deepEqual([first.statusCode, first.json().repeated, again.statusCode, again.json().repeated], [200, false, 200, true]);
  assert.equal((await ctx.handle.db.selectFrom('shipment_events').select('id').where('shipment_id', '=', shipmentId).execute()).length, 1);
  const clash = await event(shipmentId, vnpost, { eventId: 'e-1', status: 'in_transit' });
  assert.equal(clash.statusCode, 409, 'the same event id with another status');
});

test(`an address in a commune that no longer exists is 400 at intake and at online submission, nothing created (${testDialect})`, async () => {
  const count = async () => Number((await ctx.handle.db.selectFrom('dossiers').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const n = await count();
  // 28252: Phường 4 of Mỹ Tho in the three-tier list, merged away on 1/7/2025.
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/office/dossiers', headers: { ...desk.postal.auth, 'accept-language': 'en' }, payload: counterIntakeBody({ channel: 'postal', delivery: delivery('28252') }) });
  assert.equal(res.statusCode, 400, res.body);
  assert.match(res.json().error.fields['delivery.address.areaCode'], /no longer in the current list/);
  assert.equal(await count(), n);

  const citizen = await signedInCitizen(ctx);
  const draft = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: citizen.auth, payload: birthRegistration({ delivery: delivery('28252') }) });
  assert.equal(draft.statusCode, 201, draft.body);
  await attachRequiredDocuments(ctx, citizen.auth, draft.json().id);
  const submit = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${draft.json().id}/submit`, headers: citizen.auth });
  assert.equal(submit.statusCode, 400, submit.body);
  assert.ok(submit.json().error.fields['delivery.address.areaCode']);
  assert.equal((await ctx.app.inject({ url: `/api/v1/dossiers/${draft.json().id}`, headers: citizen.auth })).json().status, 'draft', 'still a draft');
});

test(`a unit's excluded procedures: only its administrators edit them; postal delivery or postal intake of one is 400 (${testDialect})`, async () => {
  const admin = await signedInStaff(ctx, 'unit_admin', communeUnit);
  const url = `/api/v1/units/${communeUnit}/postal-exclusions`;
  assert.equal((await ctx.app.inject({ method: 'PUT', url, headers: desk.reception.auth, payload: { procedureIds: ['xac-nhan-tinh-trang-hon-nhan'] } })).statusCode, 403);
  assert.equal((await ctx.app.inject({ method: 'PUT', url: `/api/v1/units/my-tho-phuong-4/postal-exclusions`, headers: admin.auth, payload: { procedureIds: [] } })).statusCode, 403, 'another unit');
  assert.equal((await ctx.app.inject({ method: 'PUT', url, headers: admin.auth, payload: { procedureIds: ['no-such-procedure'] } })).statusCode, 400);
  const put = await ctx.app.inject({ method: 'PUT', url, headers: admin.auth, payload: { procedureIds: ['xac-nhan-tinh-trang-hon-nhan'] } });
  assert.deepEqual(put.json(), { unitId: communeUnit, procedureIds: ['xac-nhan-tinh-trang-hon-nhan'] });

  const byPost = await ctx.app.inject({ method: 'POST', url: '/api/v1/office/dossiers', headers: desk.reception.auth, payload: counterIntakeBody({ delivery: delivery('28249') }) });
  assert.equal(byPost.statusCode, 400);
  assert.match(byPost.json().error.fields['delivery.method'], /không thực hiện thủ tục này qua bưu chính/);
  const postalIntake = await ctx.app.inject({ method: 'POST', url: '/api/v1/office/dossiers', headers: desk.postal.auth, payload: counterIntakeBody({ channel: 'postal' }) });
  assert.equal(postalIntake.statusCode, 400);
  assert.ok(postalIntake.json().error.fields.procedureId);
  const atCounter = await ctx.app.inject({ method: 'POST', url: '/api/v1/office/dossiers', headers: desk.reception.auth, payload: counterIntakeBody() });
  assert.equal(atCounter.statusCode, 201, 'the counter still takes it');
  await ctx.app.inject({ method: 'PUT', url, headers: admin.auth, payload: { procedureIds: [] } });
});

test(`a dossier's shipments: its desk staff and postal staff in scope read them, not cached; others get 404 (${testDialect})`, async () => {
  const url = `/api/v1/dossiers/${dossierId}/shipments`;
  for (const who of [desk.reception, desk.postal, desk.approver]) {
    const res = await ctx.app.inject({ url, headers: who.auth });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
  }
  const elsewhere = await deskAt(ctx, 'my-tho-phuong-4');
  const stranger = await signedInCitizen(ctx);
  for (const who of [elsewhere.reception, elsewhere.postal, stranger]) assert.equal((await ctx.app.inject({ url, headers: who.auth })).statusCode, 404);
  assert.equal((await ctx.app.inject({ url })).statusCode, 401);
});

test(`the postal pages: postal staff list and record, others are refused; the exclusions page for unit admins (${testDialect})`, async () => {
  const cookie = async (who: { token: string }) => ({ cookie: `motcua_session=${who.token}` });
  const list = await ctx.app.inject({ url: '/can-bo/buu-chinh', headers: await cookie(desk.postal) });
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /Bưu điện thành phố Mỹ Tho/);
  assert.match(list.body, /Số hiệu bưu gửi/);
  const en = await ctx.app.inject({ url: '/can-bo/buu-chinh?lang=en', headers: await cookie(desk.postal) });
  assert.match(en.body, /Tracking number/);
  assert.equal((await ctx.app.inject({ url: '/can-bo/buu-chinh', headers: await cookie(desk.reception) })).statusCode, 403);
  assert.equal((await ctx.app.inject({ url: '/can-bo/buu-chinh' })).statusCode, 303, 'sign in first');
  const admin = await signedInStaff(ctx, 'unit_admin', communeUnit);
  const ex = await ctx.app.inject({ url: `/can-bo/buu-chinh/loai-tru?unitId=${communeUnit}`, headers: await cookie(admin) });
  assert.equal(ex.statusCode, 200);
  assert.match(ex.body, /type="checkbox"/);
  assert.equal((await ctx.app.inject({ url: '/can-bo/buu-chinh/loai-tru', headers: await cookie(desk.postal) })).statusCode, 403);
});

test(`the submission check reads through the change's transaction: a cold catalogue cache does not wait on itself (${testDialect})`, async () => {
  await ctx.services.catalog.load(); // empties the catalogue's caches, as a reload between the request and its transaction does
  const d = (await ctx.services.dossiers.find(dossierId))!;
  const change = { name: 'submit' as const, actorRole: 'reception' as const, note: null, at: ctx.clock.now(), data: {}, results: async () => [] };
  const rolledBack = new Error('rolled back on purpose');
  const run = ctx.handle.db.transaction().execute(async (tx) => {
    await ctx.services.postal.record(tx, d, d, change);
    throw rolledBack;
  });
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('the observer waited on its own connection')), 5000); });
  try {
    await assert.rejects(Promise.race([run, hang]), (err) => err === rolledBack);
  } finally {
    clearTimeout(timer);
  }
});

test(`an event's time: only ISO 8601 in UTC, not before the shipment, not more than 5 minutes ahead; 400 on fields.at, nothing recorded (${testDialect})`, async () => {
  const created = Date.parse((await ctx.handle.db.selectFrom('shipments').select('created_at').where('id', '=', shipmentId).executeTakeFirstOrThrow()).created_at);
  const count = async () => (await ctx.handle.db.selectFrom('shipment_events').select('id').where('shipment_id', '=', shipmentId).execute()).length;
  const n = await count();
  const before = await shipmentRow();
  const now = ctx.clock.now().getTime();
  const bad: Array<[string, RegExp]> = [
    ['+010000-01-01T00:00:00Z', /ISO 8601/], ['1970-01-01', /ISO 8601/], ['2026-11-29T08:30:00+07:00', /ISO 8601/],
    ['2026-02-30T08:00:00Z', /ISO 8601/], ['yesterday', /ISO 8601/],
    [new Date(created - 60_000).toISOString(), /before the shipment was created/],
    [new Date(now + 6 * 60_000).toISOString(), /5 minutes/],
  ];
  for (const [at, message] of bad) {
    const res = await event(shipmentId, vnpost, { eventId: `e-at-${at}`.replace(/[^A-Za-z0-9._:-]/g, '_').slice(0, 64), status: 'in_transit', at }, 'en');
    assert.equal(res.statusCode, 400, `${at}: ${res.body}`);
    assert.match(res.json().error.fields.at, message, at);
  }
  const vi = await event(shipmentId, vnpost, { eventId: 'e-at-vi', status: 'in_transit', at: '1970-01-01' });
  assert.match(vi.json().error.fields.at, /ISO 8601, giờ UTC/);
  assert.equal(await count(), n);
  assert.deepEqual(await shipmentRow(), before);
  const ok = await event(shipmentId, vnpost, { eventId: 'e-at-ok', status: 'in_transit', at: new Date(now + 4 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z') });
  assert.equal(ok.statusCode, 200, ok.body);
  const row = await ctx.handle.db.selectFrom('shipment_events').select('at').where('shipment_id', '=', shipmentId).where('event_id', '=', 'e-at-ok').executeTakeFirstOrThrow();
  assert.equal(row.at, new Date(now + 4 * 60_000).toISOString().replace(/\.\d{3}Z$/, '.000Z'), 'the operator’s time, within the 5 minutes allowed');
});
