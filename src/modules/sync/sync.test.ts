// The national sync (docs/national-sync.md) against the real stand-in receiver over HTTP: an event
// for every change, written in the change's transaction; each dossier's events delivered in order;
// failures and timeouts retried with backoff (the test clock moves, nobody waits); idempotent
// repeats; the API key; no personal data in any event; the configuration's checks.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSettings } from '../../services.ts';
import { ConfigError, loadConfig } from '../../config.ts';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { attachResult, counterDossier, must, onlineDossier, openDesk, type Desk } from '../../testing/office.ts';
import { fileMarriage, leakedIn } from '../../testing/personal-data.ts';
import { tinyPdf } from '../../testing/uploads.ts';
import { PageBrowser } from '../../testing/page-browser.ts';
import { communeUnit, signedInStaff } from '../../testing/fixtures.ts';
import { SyncStandIn } from './sync.standin.ts';
import { SyncWorker } from './sync.worker.ts';
import { retryDelayMs, type NationalSyncSettings, type SyncEvent } from './sync.service.ts';

const key = 'stand-in-key-0123456789abcdef';
let standIn: SyncStandIn;
let settings: NationalSyncSettings;
let ctx: TestContext;
let desk: Desk;

before(async () => {
  standIn = await SyncStandIn.start({ key });
  settings = { url: standIn.url, key, timeoutMs: 2_000 };
  ({ ctx, desk } = await openDesk({ settings: { ...defaultSettings, nationalSync: settings } }));
});
after(async () => {
  await ctx.close();
  await standIn.close();
});

const worker = (over: Partial<NationalSyncSettings> = {}, concurrency = 4) =>
  new SyncWorker({ db: ctx.handle.db, clock: ctx.clock, settings: { ...settings, ...over }, concurrency });

/** Runs the worker until no dossier has an event due now. */
async function deliverDue(w = worker()) {
  const total = { sent: 0, retried: 0 };
  for (let i = 0; i < 100; i++) {
    const r = await w.runOnce();
    total.sent += r.sent;
    total.retried += r.retried;
    if (!r.dossiers) break;
  }
  return total;
}

const advance = (ms: number) => ctx.clock.set(new Date(ctx.clock.now().getTime() + ms).toISOString());
const stored = (dossierId: string) => ctx.handle.db.selectFrom('sync_events').selectAll().where('dossier_id', '=', dossierId).orderBy('seq').execute();
const payloads = async (dossierId: string) => (await stored(dossierId)).map((e) => JSON.parse(e.payload) as SyncEvent);
const logged = async (dossierId: string) =>
  (await ctx.handle.db.selectFrom('dossier_actions').select('action').where('dossier_id', '=', dossierId).orderBy('seq').execute()).map((a) => a.action).filter((a) => a !== 'create');
const pending = async () => Number((await ctx.handle.db.selectFrom('sync_events').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow()).n);

async function adminBrowser(on: TestContext = ctx) {
  const username = `quan.tri.${Math.random().toString(36).slice(2)}`;
  await on.services.accounts.addUser({ username, password: 'mat-khau-dai', name: 'Quản trị tỉnh', role: 'province_admin', unitId: communeUnit });
  const b = new PageBrowser(on.app);
  await b.get('/dang-nhap');
  assert.equal((await b.post('/dang-nhap', { username, password: 'mat-khau-dai', next: '/tai-khoan' })).statusCode, 303);
  return b;
}

test('backoff: 30 s after the first failure, doubling, capped at an hour, never given up', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map(retryDelayMs), [30, 60, 120, 240, 480, 960, 1920, 3600, 3600].map((s) => s * 1000));
  assert.equal(retryDelayMs(10_000), 3_600_000);
  assert.throws(() => retryDelayMs(0), RangeError);
});

test('every action of a dossier’s life writes one event, seq = its new revision, and the stand-in receives each dossier’s events in order with the API key', async () => {
  ctx.clock.set('2026-11-30T02:32:00.000Z'); // Monday 09:32 in Vietnam
  const a = await counterDossier(ctx, desk.reception);
  for (const [who, body] of [
    [desk.reception, { action: 'transfer', toUserId: desk.specialist.user.id }],
    [desk.reception, { action: 'assign', toUserId: desk.specialist.user.id }],
    [desk.specialist, { action: 'forward', toUserId: desk.approver.user.id }],
    [desk.approver, { action: 'return_step' }],
    [desk.specialist, { action: 'forward', toUserId: desk.approver.user.id }],
    [desk.specialist, { action: 'recall' }],
    [desk.specialist, { action: 'request_supplement', missing: ['Giấy xác nhận nơi cư trú'] }],
    [desk.reception, { action: 'supplement' }],
    [desk.specialist, { action: 'request_financial_obligation' }],
    [desk.specialist, { action: 'fulfil_financial_obligation' }],
    [desk.approver, { action: 'apologize', newDueAt: '2026-12-08', note: 'Cần xác minh thêm với cơ quan công an' }],
    [desk.specialist, { action: 'forward', toUserId: desk.approver.user.id }],
  ] as const) await must(ctx, who, a.id, body);
  assert.equal((await attachResult(ctx, desk.approver, a.id, tinyPdf)).status, 201);
  await must(ctx, desk.approver, a.id, { action: 'resolve' });
  await must(ctx, desk.reception, a.id, { action: 'return_result', receivedBy: 'Nguyễn Thị Lan' });

  const b = await onlineDossier(ctx);
  await must(ctx, desk.reception, b.id, { action: 'request_supplement', missing: ['Bản chính giấy chứng sinh'] });
  assert.equal((await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${b.id}/supplement`, headers: b.citizen.auth, payload: {} })).statusCode, 200);
  await must(ctx, desk.reception, b.id, { action: 'refuse', note: 'Trẻ đã được đăng ký khai sinh tại xã khác.' });

  const c = await onlineDossier(ctx);
  await must(ctx, desk.reception, c.id, { action: 'accept' });
  assert.equal((await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${c.id}/withdraw`, headers: c.citizen.auth, payload: {} })).statusCode, 200);
  await must(ctx, desk.reception, c.id, { action: 'confirm_withdrawal' });

  // Stopping processing (Form 05) ends a dossier's life.
  const e = await counterDossier(ctx, desk.reception);
  await must(ctx, desk.reception, e.id, { action: 'transfer' });
  await must(ctx, desk.approver, e.id, { action: 'suspend', note: 'Người nộp không còn đủ điều kiện theo quy định.' });

  const unitIds = new Map((await ctx.handle.db.selectFrom('units').select(['id', 'identifier']).execute()).map((u) => [u.id, u.identifier]));
  for (const d of [a, b, c, e]) {
    const events = await payloads(d.id);
    assert.deepEqual(events.map((e) => e.action.name), await logged(d.id), 'one event per action after the code was issued, in order');
    const row = await ctx.handle.db.selectFrom('dossiers').select(['revision', 'unit_id', 'receiving_unit_id', 'procedure_id']).where('id', '=', d.id).executeTakeFirstOrThrow();
    const seqs = events.map((e) => e.seq);
    assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), 'seq grows');
    assert.equal(new Set(seqs).size, seqs.length);
    assert.equal(seqs.at(-1), row.revision, 'the last event carries the current revision');
    for (const e of events) {
      assert.equal(e.code, d.code);
      assert.equal(e.procedureCode, ctx.services.catalog.find(row.procedure_id)!.code);
      assert.equal(e.unitIdentifier, unitIds.get(row.unit_id) ?? null);
      assert.equal(e.receivingUnitIdentifier, unitIds.get(row.receiving_unit_id ?? row.unit_id) ?? null);
      assert.equal(e.fees.procedureVersion, 1);
      assert.ok(Array.isArray(e.fees.items));
    }
    assert.equal((await stored(d.id)).every((s, i) => s.id === events[i]!.eventId), true, 'eventId is the row id');
  }
  const life = await payloads(a.id);
  const at = (name: string) => life.find((e) => e.action.name === name)!;
  assert.deepEqual([at('submit').status, at('submit').statusCode, at('accept').status, at('accept').statusCode, at('accept').previousStatus], ['submitted', 1, 'accepted', 2, 'submitted']);
  assert.ok(at('accept').dueAt);
  assert.equal(at('transfer').newDueAt, undefined, 'no new date before the apology');
  assert.equal(at('apologize').newDueAt, '2026-12-08T10:00:00.000Z');
  assert.equal(at('apologize').action.note, 'Cần xác minh thêm với cơ quan công an');
  assert.equal(at('apologize').action.actorRole, 'approver');
  assert.deepEqual(at('attach_result').results.map((r) => r.number), [`${a.code}-KQ1`], 'the result attached by this very action');
  assert.deepEqual(at('return_result').results.map((r) => [r.number, r.issuingUnitIdentifier]), [[`${a.code}-KQ1`, at('return_result').unitIdentifier]]);
  assert.deepEqual([at('return_result').status, at('return_result').statusCode], ['returned', 10]);
  assert.ok(!JSON.stringify(life).includes('Nguyễn Thị Lan'), 'who received the result is not reported');
  assert.deepEqual((await payloads(b.id)).map((e) => e.status), ['submitted', 'supplement_requested', 'submitted', 'refused']);
  assert.deepEqual((await payloads(c.id)).map((e) => e.status), ['submitted', 'accepted', 'accepted', 'withdrawn']);
  assert.deepEqual((await payloads(e.id)).map((e) => [e.status, e.statusCode]), [['submitted', 1], ['accepted', 2], ['in_process', 4], ['suspended', 8]]);

  const before = standIn.requests.length;
  const w = worker();
  const sent = await deliverDue(w);
  assert.equal(sent.retried, 0);
  assert.equal(await pending(), 0);
  for (const d of [a, b, c, e]) {
    const got = standIn.eventsOf(d.code).map((r) => r.event);
    assert.deepEqual(got, await payloads(d.id), 'the stand-in got each event as stored, in order');
  }
  const requests = standIn.requests.slice(before);
  assert.equal(requests.length, sent.sent);
  for (const r of requests) {
    assert.equal(r.apiKey, key);
    assert.equal(r.contentType, 'application/json');
    assert.equal(r.status, 200);
  }
  assert.deepEqual(requests.map((r) => r.idempotencyKey), standIn.received.slice(-requests.length).map((r) => r.event.eventId));
  assert.equal(standIn.outOfOrder, 0);
  assert.equal(standIn.overlaps, 0);
  const marked = await stored(a.id);
  assert.ok(marked.every((e) => e.status === 'sent' && e.sent_at && e.attempts === 1 && e.claimed_until === null));
});

test('the event is written in the change’s transaction: rolled back with it, nothing to send', async () => {
  const d = await counterDossier(ctx, desk.reception);
  const row = await ctx.services.dossiers.visible(desk.reception.user, d.id);
  await assert.rejects(ctx.handle.db.transaction().execute(async (tx) => {
    await ctx.services.dossiers.applyAction(tx, row, { action: 'transfer', actor: 'reception', userId: desk.reception.user.id, at: ctx.clock.now() });
    const inside = await tx.selectFrom('sync_events').select(['seq', 'payload']).where('dossier_id', '=', d.id).orderBy('seq').execute();
    assert.deepEqual(inside.map((e) => (JSON.parse(e.payload) as SyncEvent).action.name), ['submit', 'accept', 'transfer'], 'visible inside the transaction');
    throw new Error('the change fails after the event was written');
  }), /the change fails/);
  assert.deepEqual((await payloads(d.id)).map((e) => e.action.name), ['submit', 'accept']);
  assert.equal((await ctx.handle.db.selectFrom('dossiers').select('status').where('id', '=', d.id).executeTakeFirstOrThrow()).status, 'accepted');
  await deliverDue();
  assert.deepEqual(standIn.eventsOf(d.code).map((r) => r.event.action?.name), ['submit', 'accept']);
});

test('without NATIONAL_SYNC_URL the sync is off: changes record no event', async () => {
  const off = await createTestContext();
  try {
    const officer = await signedInStaff(off, 'reception', communeUnit);
    const d = await counterDossier(off, officer);
    assert.equal(off.services.sync.enabled, false);
    assert.equal((await off.handle.db.selectFrom('sync_events').selectAll().where('dossier_id', '=', d.id).execute()).length, 0);
    await assert.rejects(off.services.sync.resend(d.code), /off/);
    const page = await (await adminBrowser(off)).get('/quan-tri/dong-bo-quoc-gia');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Chưa bật đồng bộ/);
  } finally {
    await off.close();
  }
});

test('a receiver answering 500 then OK: retried with backoff, the dossier’s later events wait, other dossiers go on; the admin page shows the failure, then the success', async () => {
  ctx.clock.set('2026-12-01T02:00:00.000Z');
  const a = await counterDossier(ctx, desk.reception);
  const b = await counterDossier(ctx, desk.reception);
  await must(ctx, desk.reception, a.id, { action: 'transfer' });
  const admin = await adminBrowser();
  standIn.failNext(1);
  const w = worker({}, 1);
  const first = await w.runOnce();
  assert.deepEqual({ sent: first.sent, retried: first.retried }, { sent: 2, retried: 1 }, 'a’s head failed; b’s two events went');
  assert.deepEqual(standIn.eventsOf(a.code), []);
  assert.deepEqual(standIn.eventsOf(b.code).map((r) => r.event.seq), (await stored(b.id)).map((e) => e.seq));
  let head = (await stored(a.id))[0]!;
  assert.equal(head.attempts, 1);
  assert.match(head.last_error!, /^HTTP 500/);
  assert.equal(head.next_attempt_at, new Date(ctx.clock.now().getTime() + 30_000).toISOString());
  const page = await admin.get('/quan-tri/dong-bo-quoc-gia');
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes(a.code), 'the failing dossier is named');
  assert.match(page.body, /HTTP 500/);
  assert.match(page.body, /Sự kiện chờ gửi<\/dt><dd>3</);

  assert.equal((await w.runOnce()).dossiers, 0, 'nothing is due before the backoff ends');
  advance(29_000);
  assert.equal((await w.runOnce()).dossiers, 0);
  advance(1_000);
  standIn.failNext(1);
  assert.equal((await w.runOnce()).retried, 1);
  head = (await stored(a.id))[0]!;
  assert.equal(head.attempts, 2);
  assert.equal(head.next_attempt_at, new Date(ctx.clock.now().getTime() + 60_000).toISOString(), 'the wait doubles');
  advance(60_000);
  assert.equal((await w.runOnce()).sent, 3, 'the head, then the dossier’s two later events, in the same run');
  assert.deepEqual(standIn.eventsOf(a.code).map((r) => r.event.action?.name), ['submit', 'accept', 'transfer']);
  assert.equal(standIn.outOfOrder, 0);
  const done = await admin.get('/quan-tri/dong-bo-quoc-gia');
  assert.ok(!done.body.includes(a.code));
  assert.match(done.body, /Không có sự kiện nào đang lỗi/);
  assert.match(done.body, /Lần gửi thành công gần nhất<\/dt><dd><time datetime="2026-12-01T02:01:30.000Z">/);
});

test('a receiver that does not answer in time: the attempt ends at the timeout and is retried', async () => {
  const d = await counterDossier(ctx, desk.reception);
  standIn.hangNext(1);
  const w = worker({ timeoutMs: 300 });
  const started = Date.now();
  const r = await w.runOnce();
  assert.equal(r.retried, 1);
  assert.ok(Date.now() - started < 5_000);
  const head = (await stored(d.id))[0]!;
  assert.equal(head.last_error, 'no answer within 300 ms');
  assert.equal(head.status, 'pending');
  assert.equal(standIn.requests.at(-1)!.status, 'hung');
  assert.deepEqual(standIn.eventsOf(d.code), []);
  advance(30_000);
  assert.equal((await deliverDue(w)).sent, 2);
  assert.deepEqual(standIn.eventsOf(d.code).map((e) => e.event.action?.name), ['submit', 'accept']);
});

test('idempotency: a lost answer, and a resend, reach the stand-in again under the same key: recorded once, counted as repeats', async () => {
  const d = await counterDossier(ctx, desk.reception);
  const repeats = standIn.repeats;
  standIn.loseAnswerNext(1);
  const w = worker({}, 1);
  assert.equal((await w.runOnce()).retried, 1);
  assert.equal(standIn.eventsOf(d.code).length, 1, 'recorded although the answer was lost');
  advance(30_000);
  await deliverDue(w);
  assert.equal(standIn.repeats, repeats + 1);
  assert.deepEqual(standIn.eventsOf(d.code).map((e) => e.event.seq), (await stored(d.id)).map((e) => e.seq));

  const again = await ctx.services.sync.resend(d.code);
  assert.deepEqual(again, { dossierId: d.id, events: 2, snapshot: false });
  assert.equal(await pending(), 2);
  assert.equal((await deliverDue(w)).sent, 2);
  assert.equal(standIn.repeats, repeats + 3);
  assert.equal(standIn.eventsOf(d.code).length, 2, 'each event recorded once');

  // The same eventId posted by hand is answered 200 and not recorded twice.
  const [first] = await stored(d.id);
  const res = await fetch(standIn.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key, 'idempotency-key': first!.id }, body: first!.payload });
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { status: string }).status, 'repeat');
  assert.equal(standIn.eventsOf(d.code).length, 2);
});

test('a resend starts the attempts again: a resent event that fails is retried after 30 s, not the hour its earlier failures reached; a claim in flight keeps its lease', async () => {
  advance(3_600_000);
  await deliverDue();
  assert.equal(await pending(), 0, 'nothing left from earlier tests');
  const d = await counterDossier(ctx, desk.reception);
  const events = (await stored(d.id)).length;
  const w = worker({}, 1);
  // Eight failures in a row: the backoff has reached its cap of an hour.
  for (let i = 1; i <= 8; i++) {
    standIn.failNext(1);
    assert.equal((await w.runOnce()).retried, 1);
    const [head] = await stored(d.id);
    assert.equal(head!.attempts, i);
    advance(retryDelayMs(i));
  }
  standIn.failNext(1);
  assert.equal((await w.runOnce()).retried, 1);
  const [capped] = await stored(d.id);
  assert.equal(Date.parse(capped!.next_attempt_at) - ctx.clock.now().getTime(), 3_600_000);

  // The operator resends: attempts back to 0, no claim, due now.
  assert.deepEqual(await ctx.services.sync.resend(d.code), { dossierId: d.id, events, snapshot: false });
  const now = ctx.clock.now().toISOString();
  assert.deepEqual((await stored(d.id)).map((e) => [e.status, e.attempts, e.claimed_until, e.next_attempt_at, e.last_error]), Array.from({ length: events }, () => ['pending', 0, null, now, null]));
  // It fails again: the first backoff step, 30 s.
  standIn.failNext(1);
  assert.equal((await w.runOnce()).retried, 1);
  const [again] = await stored(d.id);
  assert.equal(again!.attempts, 1);
  assert.equal(Date.parse(again!.next_attempt_at) - ctx.clock.now().getTime(), 30_000);
  advance(30_000);
  assert.equal((await deliverDue(w)).sent, events);

  // A claim in flight (another instance sending the head right now) keeps its lease and its attempts.
  const [head] = await stored(d.id);
  const until = new Date(ctx.clock.now().getTime() + 60_000).toISOString();
  await ctx.handle.db.updateTable('sync_events').set({ status: 'pending', attempts: 4, claimed_until: until }).where('id', '=', head!.id).execute();
  await ctx.services.sync.resend(d.code);
  const after = await stored(d.id);
  assert.deepEqual([after[0]!.attempts, after[0]!.claimed_until], [4, until]);
  assert.ok(after.slice(1).every((e) => e.status === 'pending' && e.attempts === 0 && e.claimed_until === null));
  assert.equal((await w.runOnce()).dossiers, 0, 'the held head is not claimed again, and the events behind it wait');
  advance(60_001);
  assert.equal((await deliverDue(w)).sent, events);
});

test('the X-Api-Key header: a wrong key is refused (401) and retried; nothing is recorded until the right key is sent', async () => {
  const d = await counterDossier(ctx, desk.reception);
  assert.equal((await worker({ key: 'a-wrong-key-0123456789abc' }).runOnce()).retried, 1);
  assert.match((await stored(d.id))[0]!.last_error!, /^HTTP 401/);
  assert.equal(standIn.requests.at(-1)!.status, 401);
  assert.deepEqual(standIn.eventsOf(d.code), []);
  const bare = await fetch(standIn.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(bare.status, 401);
  advance(30_000);
  assert.equal((await deliverDue()).sent, 2);
  assert.equal(standIn.eventsOf(d.code).length, 2);
});

test('no personal data in any event: the applicant’s name, ID number, phone and email stay out, even when an officer writes them in a note', async () => {
  const d = await fileMarriage(ctx);
  await must(ctx, desk.reception, d.id, {
    action: 'refuse',
    note: 'Hồ sơ của bà Nguyễn Thị Lan (CCCD 082195000123, điện thoại 0987 654 321, lan.scan.test@example.vn) thiếu giấy xác nhận tình trạng hôn nhân của ông 082093007654.',
  });
  await deliverDue();
  const sentBytes = Buffer.from(JSON.stringify(standIn.eventsOf(d.code)));
  const storedBytes = Buffer.from(JSON.stringify(await stored(d.id)));
  assert.equal(standIn.eventsOf(d.code).length, 2);
  assert.deepEqual(leakedIn(sentBytes), []);
  assert.deepEqual(leakedIn(storedBytes), []);
  for (const text of ['Nguyễn Thị Lan', 'Trần Văn Hùng', 'Hùng Vương', 'Lê Lợi']) assert.ok(!sentBytes.includes(Buffer.from(text)), text);
  const refusal = (await payloads(d.id)).at(-1)!;
  assert.match(refusal.action.note!, /^Hồ sơ của bà \[…\] \(CCCD \[…\], điện thoại \[…\], \[…\]\) thiếu giấy xác nhận/);
  const fields = Object.keys(refusal).sort();
  assert.deepEqual(fields.filter((f) => /applicant|name|phone|email|address|idNumber/i.test(f)), []);
});

test('the polling loop delivers on its own, and stops cleanly', async () => {
  const d = await counterDossier(ctx, desk.reception);
  const w = worker();
  w.start(20);
  try {
    for (let i = 0; i < 250 && standIn.eventsOf(d.code).length < 2; i++) await new Promise((r) => setTimeout(r, 20));
  } finally {
    await w.stop();
  }
  assert.deepEqual(standIn.eventsOf(d.code).map((e) => e.event.action?.name), ['submit', 'accept']);
  assert.equal(await pending(), 0);
});

test('configuration: NATIONAL_SYNC_URL and NATIONAL_SYNC_KEY together, https (http for localhost), a timeout; the key is never repeated in an error', () => {
  const base = { DATA_DIR: '/tmp/motcua-config-test' };
  assert.equal(loadConfig(base).nationalSync, null);
  assert.deepEqual(loadConfig({ ...base, NATIONAL_SYNC_URL: 'https://dvc.example.gov.vn/motcua/events', NATIONAL_SYNC_KEY: 'k'.repeat(32) }).nationalSync,
    { url: 'https://dvc.example.gov.vn/motcua/events', key: 'k'.repeat(32), timeoutMs: 10_000 });
  assert.equal(loadConfig({ ...base, NATIONAL_SYNC_URL: 'http://127.0.0.1:9/events', NATIONAL_SYNC_KEY: 'k'.repeat(16), NATIONAL_SYNC_TIMEOUT_MS: '2500' }).nationalSync?.timeoutMs, 2500);
  const secret = 'secret-key-that-must-not-show';
  for (const [env, variable] of [
    [{ NATIONAL_SYNC_KEY: secret }, 'NATIONAL_SYNC_URL'],
    [{ NATIONAL_SYNC_URL: 'https://dvc.example.gov.vn/events' }, 'NATIONAL_SYNC_KEY'],
    [{ NATIONAL_SYNC_URL: 'http://dvc.example.gov.vn/events', NATIONAL_SYNC_KEY: secret }, 'NATIONAL_SYNC_URL'],
    [{ NATIONAL_SYNC_URL: `https://user:${secret}@dvc.example.gov.vn/events`, NATIONAL_SYNC_KEY: secret }, 'NATIONAL_SYNC_URL'],
    [{ NATIONAL_SYNC_URL: 'https://dvc.example.gov.vn/events', NATIONAL_SYNC_KEY: 'short' }, 'NATIONAL_SYNC_KEY'],
    [{ NATIONAL_SYNC_URL: 'https://dvc.example.gov.vn/events', NATIONAL_SYNC_KEY: `${secret} with spaces` }, 'NATIONAL_SYNC_KEY'],
    [{ NATIONAL_SYNC_URL: 'https://dvc.example.gov.vn/events', NATIONAL_SYNC_KEY: secret, NATIONAL_SYNC_TIMEOUT_MS: '0' }, 'NATIONAL_SYNC_TIMEOUT_MS'],
  ] as const) {
    assert.throws(() => loadConfig({ ...base, ...env }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.variable, variable);
      assert.ok(!err.message.includes(secret), err.message);
      return true;
    });
  }
});
