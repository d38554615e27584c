// The postal journey (issue 12): postal staff take in a dossier (channel postal, result by post), the
// desk has it accepted, processes and resolves it; the result's shipment is opened; a stand-in postal
// operator reports picked_up → in_transit → delivered over real HTTP on 127.0.0.1; the dossier is
// returned by the postal actor, the applicant is messaged at each change, and the statistics count
// a result returned by post. Both dialects.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, testDialect, type TestContext } from '../../testing/context.ts';
import { communeUnit } from '../../testing/fixtures.ts';
import { counterIntakeBody, deskAt, must, type Desk } from '../../testing/office.ts';
import { tinyPdf } from '../../testing/uploads.ts';
import { defaultSettings } from '../../services.ts';
import { PostalOperatorClient } from './postal.operator.ts';

const vnpostKey = 'vnpost-test-key-0123456789';
let ctx: TestContext;
let desk: Desk;
let operator: PostalOperatorClient;

before(async () => {
  ctx = await createTestContext({ settings: { ...defaultSettings, postalOperatorKeys: { vnpost: vnpostKey, otherpost: 'otherpost-key-0123456789' } } });
  desk = await deskAt(ctx);
  const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  operator = new PostalOperatorClient(address, vnpostKey);
});
after(() => ctx.close());

const postalDelivery = (areaCode = '28249') => ({ method: 'postal', address: { line: 'Số 12 đường Hùng Vương', areaCode } });

const shipments = async (who: { auth: Record<string, string> }, id: string) => {
  const res = await ctx.app.inject({ url: `/api/v1/dossiers/${id}/shipments`, headers: who.auth });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['cache-control'], 'no-store', 'the delivery address is personal data');
  return res.json().items as Array<{ id: string; direction: string; status: string; trackingNumber: string | null; feeVnd: number; address: { areaCode: string; areaName: string } | null; events: Array<{ status: string }>; postOfficeId: string }>;
};

const messages = async (code: string) =>
  (await ctx.handle.db.selectFrom('outbox').select(['template', 'params', 'recipient', 'lang']).where('template', '=', 'shipment_status_changed').orderBy('created_at').execute())
    .map((r) => ({ ...r, params: JSON.parse(r.params) as Record<string, string> })).filter((r) => r.params.code === code);

test(`the postal journey: postal intake, acceptance, resolution, the result delivered by the operator over HTTP, the dossier returned (${testDialect})`, async () => {
  const intake = await ctx.app.inject({
    method: 'POST', url: '/api/v1/office/dossiers', headers: desk.postal.auth,
    payload: counterIntakeBody({ channel: 'postal', delivery: postalDelivery() }),
  });
  assert.equal(intake.statusCode, 201, intake.body);
  const { id, code } = intake.json() as { id: string; code: string };
  const history = async () => ((await ctx.app.inject({ url: `/api/v1/dossiers/${id}`, headers: desk.reception.auth })).json().history as Array<{ action: string; actorRole: string }>).map((h) => `${h.action}:${h.actorRole}`);
  assert.deepEqual(await history(), ['create:postal', 'submit:postal', 'accept:reception'], 'filed by postal staff, accepted at the desk');

  // The dossier's way to the desk: an inbound shipment of the post office serving the desk.
  const [inbound] = await shipments(desk.postal, id);
  assert.equal(inbound!.direction, 'inbound');
  assert.equal(inbound!.status, 'created');
  assert.equal(inbound!.postOfficeId, 'buu-dien-my-tho', 'the office nearest above the desk');
  assert.equal(inbound!.address, null);
  const handed = await operator.walk(inbound!.id, ['picked_up', 'in_transit', 'delivered'], 'EI000000001VN');
  assert.deepEqual(handed.map((a) => a.status), [200, 200, 200], JSON.stringify(handed.map((a) => a.body)));

  await must(ctx, desk.reception, id, { action: 'transfer' });
  const result = await attachResult(desk.approver, id);
  assert.equal(result.statusCode, 201, result.body);
  await must(ctx, desk.approver, id, { action: 'resolve' });

  const outbound = (await shipments(desk.reception, id)).find((s) => s.direction === 'outbound');
  assert.ok(outbound, 'resolving a dossier with postal delivery opens the result’s shipment');
  assert.equal(outbound.status, 'created');
  assert.equal(outbound.feeVnd, 22000, 'within the province (Đồng Tháp, 82): the tariff’s intra-province fee');
  assert.equal(outbound.address?.areaCode, '28249');
  assert.match(outbound.address!.areaName, /Đạo Thạnh/);

  const walked = await operator.walk(outbound.id, ['picked_up', 'in_transit', 'delivered'], 'EK123456789VN');
  assert.deepEqual(walked.map((a) => [a.status, a.body.status]), [[200, 'picked_up'], [200, 'in_transit'], [200, 'delivered']]);

  const dossier = (await ctx.app.inject({ url: `/api/v1/dossiers/${id}`, headers: desk.reception.auth })).json();
  assert.equal(dossier.status, 'returned', 'a delivered result returns the dossier');
  assert.ok(dossier.returnedAt);
  assert.deepEqual((await history()).slice(-1), ['return_result:postal']);
  const after = (await shipments(desk.reception, id)).find((s) => s.direction === 'outbound')!;
  assert.deepEqual(after.events.map((e) => e.status), ['picked_up', 'in_transit', 'delivered']);
  assert.equal(after.trackingNumber, 'EK123456789VN');

  // The applicant (by email, in Vietnamese) heard of each change: each shipment's opening and its three events.
  const sent = await messages(code);
  assert.equal(sent.length, 8, JSON.stringify(sent.map((s) => s.params.status)));
  assert.ok(sent.every((s) => s.recipient === 'lan.nguyen@example.vn' && s.lang === 'vi'));
  assert.deepEqual(sent.slice(4).map((s) => s.params.status), ['Đã tạo', 'Bưu điện đã nhận', 'Đang chuyển', 'Đã phát']);

  const stats = (await ctx.app.inject({ url: '/api/v1/stats/summary?from=2026-11-29&to=2026-11-29' })).json();
  assert.deepEqual(stats.returned, { postal: 1 }, 'results returned by post');
  assert.equal(stats.received.postal, 1, 'and received by post');

  // The rebuild from the log finds the same count.
  await ctx.services.stats.rebuild();
  assert.deepEqual((await ctx.app.inject({ url: '/api/v1/stats/summary?from=2026-11-29&to=2026-11-29' })).json().returned, { postal: 1 });

  // A delivered shipment is an end state: a late event is refused, and the same event again is a harmless repeat.
  const late = await operator.send(outbound.id, { status: 'in_transit' });
  assert.equal(late.status, 409);
  assert.equal(late.body.error && (late.body.error as { code: string }).code, 'invalid_transition');
  const again = await operator.send(outbound.id, { status: 'delivered', eventId: await lastEventId(outbound.id) });
  assert.equal(again.status, 200);
  assert.equal(again.body.repeated, true);
  assert.equal((await messages(code)).length, 8, 'a repeat sends nothing');
});

/** A result document with its number and type (issue 12's result fields), as multipart, sent by an officer. */
function attachResult(who: { auth: Record<string, string> }, id: string) {
  const boundary = `----postal${Date.now().toString(16)}`;
  const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const payload = Buffer.concat([
    Buffer.from(field('number', '125') + field('symbol', 'GXN-UBND') + field('type', 'other')),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="ket-qua.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    tinyPdf,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/results`, headers: { ...who.auth, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
}

async function lastEventId(shipmentId: string): Promise<string> {
  const row = await ctx.handle.db.selectFrom('shipment_events').select('event_id').where('shipment_id', '=', shipmentId).where('status', '=', 'delivered').executeTakeFirstOrThrow();
  return row.event_id;
}

test(`postal staff at the commune work for the post office serving it; the unit's own desk staff see the shipments too (${testDialect})`, async () => {
  assert.deepEqual(ctx.services.postal.officesOf(desk.postal.user!).map((o) => o.id).sort(), ['buu-dien-my-tho', 'buu-dien-tinh-tien-giang']);
  const list = await ctx.app.inject({ url: '/api/v1/postal/shipments', headers: desk.postal.auth });
  assert.equal(list.statusCode, 200, list.body);
  assert.ok(list.json().items.length >= 2);
  assert.equal((await ctx.app.inject({ url: '/api/v1/postal/shipments', headers: desk.reception.auth })).statusCode, 403, 'only postal staff');
  assert.equal(communeUnit, 'my-tho-phuong-5');
});

/** Postal intake of a dossier with its result by post, taken to resolved; its outbound shipment. */
async function resolvedByPost(): Promise<{ id: string; outbound: { id: string; createdAt: string } }> {
  const intake = await ctx.app.inject({ method: 'POST', url: '/api/v1/office/dossiers', headers: desk.postal.auth, payload: counterIntakeBody({ channel: 'postal', delivery: postalDelivery() }) });
  assert.equal(intake.statusCode, 201, intake.body);
  const { id } = intake.json() as { id: string };
  await must(ctx, desk.reception, id, { action: 'transfer' });
  assert.equal((await attachResult(desk.approver, id)).statusCode, 201);
  await must(ctx, desk.approver, id, { action: 'resolve' });
  const outbound = (await shipments(desk.reception, id)).find((s) => s.direction === 'outbound') as unknown as { id: string; createdAt: string };
  assert.ok(outbound);
  return { id, outbound };
}

test(`a result delivered while a before-result fee is owed: the event is kept (200), the dossier stays resolved and the desk is told (${testDialect})`, async () => {
  const procedureId = counterIntakeBody().procedureId;
  const version = await ctx.handle.db.selectFrom('procedure_versions').selectAll().where('procedure_id', '=', procedureId).orderBy('version', 'desc').executeTakeFirstOrThrow();
  const content = JSON.parse(version.content);
  content.fees = [{ kind: 'fixed', amountVnd: 8000, collect: 'after', note: null }];
  await ctx.handle.db.updateTable('procedure_versions').set({ content: JSON.stringify(content) }).where('procedure_id', '=', procedureId).where('version', '=', version.version).execute();
  try {
    const { id, outbound } = await resolvedByPost();
    const owed = await ctx.handle.db.selectFrom('payments').select(['id', 'stage', 'status', 'amount_vnd']).where('dossier_id', '=', id).executeTakeFirstOrThrow();
    assert.equal(owed.stage, 'before_result', 'the fee is owed before the result');
    const walked = await operator.walk(outbound.id, ['picked_up', 'in_transit', 'delivered'], 'EK000000042VN');
    assert.deepEqual(walked.map((a) => a.status), [200, 200, 200], JSON.stringify(walked.map((a) => a.body)));
    const [after] = (await shipments(desk.reception, id)).filter((s) => s.direction === 'outbound') as Array<{ status: string; events: Array<{ status: string }>; returnPending?: boolean }>;
    assert.equal(after!.status, 'delivered');
    assert.deepEqual(after!.events.map((e) => e.status), ['picked_up', 'in_transit', 'delivered']);
    assert.equal(after!.returnPending, true, 'flagged for the desk');
    assert.equal((await ctx.services.dossiers.find(id))!.status, 'resolved', 'not returned while the fee is owed');
    const page = await ctx.app.inject({ url: `/can-bo/ho-so/${id}`, headers: { cookie: `motcua_session=${desk.reception.token}` } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Bưu điện báo đã phát kết quả nhưng hồ sơ chưa được ghi nhận đã trả/);
    // The desk collects the fee and returns the result itself.
    await ctx.services.payments.settle({ paymentId: owed.id, method: 'cash', amountVnd: Number(owed.amount_vnd), gatewayRef: null, by: desk.reception.user!.id, at: ctx.clock.now() });
    await must(ctx, desk.reception, id, { action: 'return_result', receivedBy: 'Nguyễn Thị Lan' });
    assert.equal((await shipments(desk.reception, id)).find((s) => s.direction === 'outbound')!.status, 'delivered');
  } finally {
    await ctx.handle.db.updateTable('procedure_versions').set({ content: version.content }).where('procedure_id', '=', procedureId).where('version', '=', version.version).execute();
  }
});

test(`the operator's time stays on the event; the dossier is returned at the time it is recorded (${testDialect})`, async () => {
  const { id, outbound } = await resolvedByPost();
  const created = Date.parse(outbound.createdAt);
  ctx.clock.set(new Date(created + 3_600_000).toISOString());
  const at = (min: number) => new Date(created + min * 60_000).toISOString();
  for (const [status, min] of [['picked_up', 5], ['in_transit', 7], ['delivered', 10]] as const) {
    const res = await operator.send(outbound.id, { status, at: at(min) });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }
  const events = (await shipments(desk.reception, id)).find((s) => s.direction === 'outbound')!.events as Array<{ status: string; at: string }>;
  assert.equal(events.at(-1)!.at, at(10));
  const dossier = (await ctx.app.inject({ url: `/api/v1/dossiers/${id}`, headers: desk.reception.auth })).json();
  assert.equal(dossier.status, 'returned');
  assert.equal(dossier.returnedAt, ctx.clock.now().toISOString(), 'the time of recording, not the operator’s');
});
