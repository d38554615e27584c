// The report table (docs/domain.md §5, form II.06a) from hand-built histories, each column's rule on its
// own dossier; and the incremental counts against a rebuild from the log on random histories.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { actions, allowedActions, type Action } from '../../domain/dossier-status.ts';
import { settlement } from '../../domain/stats.ts';
import { longSessions, type TestContext } from '../../testing/context.ts';
import { act, attachResult, counterDossier, deskAt, must, onlineDossier, type Desk, type Officer, openDesk } from '../../testing/office.ts';
import { birthRegistration, signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { attachRequiredDocuments, tinyPdf } from '../../testing/uploads.ts';
import { allDaily, allDailyByLevel } from './stats.queries.ts';
import { listColumns, type ListColumn } from './stats.export.ts';

let ctx: TestContext;
let desk: Desk;
// Random histories run for weeks on one sign-in: sessions here outlive them (their limits have tests of their own).
before(async () => ({ ctx, desk } = await openDesk({ sessionLimits: longSessions })));
after(() => ctx.close());

const at = (iso: string) => ctx.clock.set(iso);
/** Vietnam 09:00 on a day, as UTC. */
const morning = (day: string) => `${day}T02:00:00.000Z`;

async function resolveNow(id: string) {
  await must(ctx, desk.reception, id, { action: 'transfer' });
  assert.equal((await attachResult(ctx, desk.specialist, id, tinyPdf)).status, 201);
  await must(ctx, desk.approver, id, { action: 'resolve' });
}

const summary = async (query: string) => {
  const res = await ctx.app.inject({ url: `/api/v1/stats/summary?${query}` });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
};

test('settlement: early before the due day, on time on the due day by the due time, late after it', () => {
  assert.equal(settlement('2026-12-02T03:00:00Z', '2026-12-03T10:00:00Z'), 'early');
  assert.equal(settlement('2026-12-03T09:59:00Z', '2026-12-03T10:00:00Z'), 'on_time');
  assert.equal(settlement('2026-12-03T10:01:00Z', '2026-12-03T10:00:00Z'), 'late');
});

test('the report table for December 2026: each column counted by its rule, on hand-built dossiers', async () => {
  // Certificates of marital status (3 working days), at Phường 5's desk.
  // A: accepted 23 Nov (due 26 Nov), resolved 2 Dec: carried over, settled late.
  at(morning('2026-11-23'));
  const a = await counterDossier(ctx, desk.reception);
  at(morning('2026-12-02'));
  await resolveNow(a.id);
  // B: accepted 30 Nov (due 3 Dec), resolved 1 Dec: carried over, settled early.
  at(morning('2026-11-30'));
  const b = await counterDossier(ctx, desk.reception);
  at(morning('2026-12-01'));
  await resolveNow(b.id);
  // C: accepted 1 Dec (due 4 Dec 17:00), resolved 4 Dec 16:00: received at the counter, on time.
  at(morning('2026-12-01'));
  const c = await counterDossier(ctx, desk.reception);
  at('2026-12-04T09:00:00.000Z');
  await resolveNow(c.id);
  // D: accepted 2 Dec (due 7 Dec), apology with a new date 10 Dec, resolved 9 Dec: late against the original due date.
  at(morning('2026-12-02'));
  const d = await counterDossier(ctx, desk.reception);
  await must(ctx, desk.reception, d.id, { action: 'transfer' });
  at(morning('2026-12-03'));
  await must(ctx, desk.approver, d.id, { action: 'apologize', newDueAt: '2026-12-10', note: 'Cần xác minh thêm' });
  at(morning('2026-12-09'));
  assert.equal((await attachResult(ctx, desk.specialist, d.id, tinyPdf)).status, 201);
  await must(ctx, desk.approver, d.id, { action: 'resolve' });
  // E: received by post 10 Dec (due 15 Dec), still pending at the end: over the deadline.
  at(morning('2026-12-10'));
  await counterDossier(ctx, desk.reception, { channel: 'postal' });
  // F: accepted 29 Dec (due in January: 1 Jan is a holiday), pending at the end: within the deadline.
  at(morning('2026-12-29'));
  await counterDossier(ctx, desk.reception);
  // G: a birth registration (settled within the day) filed online, accepted 14 Dec, withdrawn 15 Dec:
  // received online, settled on time (a withdrawal after acceptance always is), though a day after its due day.
  at(morning('2026-12-14'));
  const g = await onlineDossier(ctx);
  await must(ctx, desk.reception, g.id, { action: 'accept' });
  at(morning('2026-12-15'));
  assert.equal((await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${g.id}/withdraw`, headers: g.citizen.auth, payload: {} })).statusCode, 200);
  await must(ctx, desk.reception, g.id, { action: 'confirm_withdrawal' });
  // Never received, never counted: refused at intake; waiting for the intake check; withdrawn before acceptance.
  at(morning('2026-12-16'));
  const refused = await onlineDossier(ctx);
  await must(ctx, desk.reception, refused.id, { action: 'refuse', note: 'Không thuộc thẩm quyền' });
  await onlineDossier(ctx);
  const early = await onlineDossier(ctx);
  await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${early.id}/withdraw`, headers: early.citizen.auth, payload: {} });
  await must(ctx, desk.reception, early.id, { action: 'confirm_withdrawal' });
  // Something in January does not touch December (a new sign-in: sessions last 30 days).
  at(morning('2027-01-05'));
  await counterDossier(ctx, await signedInStaff(ctx, 'reception', 'my-tho-phuong-5'));

  const dec = await summary('from=2026-12-01&to=2026-12-31');
  assert.deepEqual(dec.received, { online: 1, direct: 3, postal: 1, carriedOver: 2, total: 5, grandTotal: 7 }, 'C, D, F at the counter, E by post, G online; A and B carried over, not in the total but in the grand total');
  assert.deepEqual(dec.settled, { early: 1, onTime: 2, late: 2, total: 5 }, 'B early, C and G (withdrawn) on time, A and D late');
  assert.deepEqual(dec.pending, { withinDeadline: 1, overdue: 1, total: 2 }, 'F within, E over');
  assert.equal(dec.onlineShare, 1 / 5);
  assert.equal(dec.onTimeRate, 3 / 5);
  // November: A and B received, nothing settled; at the end of November A is over (due 26 Nov), B within.
  const nov = await summary('from=2026-11-01&to=2026-11-30');
  assert.deepEqual(nov.received, { online: 0, direct: 2, postal: 0, carriedOver: 0, total: 2, grandTotal: 2 });
  assert.deepEqual(nov.pending, { withinDeadline: 1, overdue: 1, total: 2 });
  // A single day: 1 December.
  const day = await summary('from=2026-12-01&to=2026-12-01');
  assert.deepEqual(day.received.total, 1);
  assert.deepEqual(day.settled, { early: 1, onTime: 0, late: 0, total: 1 });
  // The unit with its subtree, another commune, a level.
  assert.equal((await summary('from=2026-12-01&to=2026-12-31&unitId=my-tho')).received.total, 5, 'the city with its communes');
  assert.equal((await summary('from=2026-12-01&to=2026-12-31&unitId=my-tho-phuong-4')).received.total, 0);
  assert.equal((await summary('from=2026-12-01&to=2026-12-31&level=commune')).received.total, 5);
  assert.equal((await summary('from=2026-12-01&to=2026-12-31&level=province')).received.total, 0);
  assert.deepEqual((await summary('from=2025-01-01&to=2025-01-31')).onlineShare, 0, 'nothing to divide: 0');
});

test('the summary refuses bad input with its fields: dates, a reversed period, an unknown unit or level', async () => {
  for (const [query, field] of [['from=2026-13-01&to=2026-12-31', 'from'], ['from=2026-12-31&to=2026-12-01', 'to'], ['from=2026-12-01&to=2026-12-31&unitId=khong-co', 'unitId'], ['from=2026-12-01&to=2026-12-31&level=village', 'level']] as const) {
    const res = await ctx.app.inject({ url: `/api/v1/stats/summary?${query}` });
    assert.equal(res.statusCode, 400, query);
    assert.ok(res.json().error.fields[field], `${query}: ${res.body}`);
  }
  assert.equal((await ctx.app.inject({ url: '/api/v1/stats/summary?from=2026-12-01' })).statusCode, 400);
});

/** A birth registration filed online for a commune, waiting for the intake check (testing/office.ts `onlineDossier`, at another unit). */
async function onlineAt(unitId: string) {
  const citizen = await signedInCitizen(ctx);
  const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: citizen.auth, payload: birthRegistration({ unitId }) });
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().id as string;
  await attachRequiredDocuments(ctx, citizen.auth, id);
  const submitted = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/submit`, headers: citizen.auth });
  assert.equal(submitted.statusCode, 200, submitted.body);
  return { id, code: submitted.json().code as string, citizen };
}

test('issue 11: the grand total; paused and stopped dossiers pending within the deadline; withdrawals settled on time; rows by field and by receiving desk; satisfaction on three levels; a rebuild gives the same', async () => {
  // December 2026 at Phường 4 (Y), a commune the other fixtures leave alone; Phường 3 (X) is a desk that receives for it.
  const y = 'my-tho-phuong-4';
  const x = 'my-tho-phuong-3';
  at(morning('2026-12-07'));
  const p4 = await deskAt(ctx, y);
  const admin = await signedInStaff(ctx, 'province_admin', 'tien-giang', true);
  // Mon 7 Dec, at the counter: four certificates of marital status (3 working days: due Thu 10 Dec) sent for processing,
  // and a certification of a contract (Chứng thực, 2 working days) settled the next day, early.
  const paused = await counterDossier(ctx, p4.reception, { unitId: y });
  const stopped = await counterDossier(ctx, p4.reception, { unitId: y });
  const resumed = await counterDossier(ctx, p4.reception, { unitId: y });
  const running = await counterDossier(ctx, p4.reception, { unitId: y });
  const certified = await counterDossier(ctx, p4.reception, {
    unitId: y, procedureId: 'chung-thuc-hop-dong-giao-dich', applicant: { ...birthRegistration().applicant, kind: 'person' }, form: { request_details: 'Chứng thực hợp đồng mua bán xe máy' },
  });
  for (const d of [paused, stopped, resumed, running]) await must(ctx, p4.reception, d.id, { action: 'transfer' });
  // Online, accepted 7 Dec (a birth registration is due the same day), then waiting for a financial obligation, then withdrawn on 15 Dec.
  const pausedThenWithdrawn = await onlineAt(y);
  await must(ctx, p4.reception, pausedThenWithdrawn.id, { action: 'accept' });
  await must(ctx, p4.reception, pausedThenWithdrawn.id, { action: 'transfer' });
  at(morning('2026-12-08'));
  await must(ctx, p4.reception, certified.id, { action: 'transfer' });
  assert.equal((await attachResult(ctx, p4.specialist, certified.id, tinyPdf)).status, 201);
  await must(ctx, p4.approver, certified.id, { action: 'resolve' });
  await must(ctx, p4.specialist, paused.id, { action: 'request_financial_obligation' });
  await must(ctx, p4.specialist, pausedThenWithdrawn.id, { action: 'request_financial_obligation' });
  await must(ctx, p4.approver, stopped.id, { action: 'suspend', note: 'Dừng xử lý theo văn bản của cơ quan có thẩm quyền' });
  await must(ctx, p4.specialist, resumed.id, { action: 'request_supplement', missing: ['Bản sao giấy tờ tùy thân'] });
  // Online, accepted 9 Dec, due that day, withdrawn on 11 Dec: late by the clock, on time by the rule.
  at(morning('2026-12-09'));
  const withdrawnLate = await onlineAt(y);
  await must(ctx, p4.reception, withdrawnLate.id, { action: 'accept' });
  // Thu 10 Dec: X's desk takes in a certificate of marital status for Y at its counter (due Tue 15 Dec), pending.
  at(morning('2026-12-10'));
  const p3 = await deskAt(ctx, x);
  const viaDesk = await counterDossier(ctx, p3.reception, { unitId: y });
  const row = await ctx.handle.db.selectFrom('dossiers').select(['unit_id', 'receiving_unit_id']).where('id', '=', viaDesk.id).executeTakeFirstOrThrow();
  assert.deepEqual(row, { unit_id: y, receiving_unit_id: x });
  at(morning('2026-12-11'));
  assert.equal((await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${withdrawnLate.id}/withdraw`, headers: withdrawnLate.citizen.auth, payload: {} })).statusCode, 200);
  await must(ctx, p4.reception, withdrawnLate.id, { action: 'confirm_withdrawal' });
  // Mon 14 Dec: the supplement arrives; the clock runs again with the due time pushed back (to 16 Dec).
  at(morning('2026-12-14'));
  await must(ctx, p4.reception, resumed.id, { action: 'supplement' });
  // Three birth registrations settled and returned on 14 Dec, rated on 16 Dec on the three-level scale (one with the older score).
  const rated = [];
  for (let i = 0; i < 3; i++) {
    const d = await onlineAt(y);
    await must(ctx, p4.reception, d.id, { action: 'accept' });
    await must(ctx, p4.reception, d.id, { action: 'transfer' });
    assert.equal((await attachResult(ctx, p4.specialist, d.id, tinyPdf)).status, 201);
    await must(ctx, p4.approver, d.id, { action: 'resolve' });
    await must(ctx, p4.reception, d.id, { action: 'return_result', receivedBy: 'Nguyễn Thị Lan' });
    rated.push(d);
  }
  at(morning('2026-12-15'));
  assert.equal((await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${pausedThenWithdrawn.id}/withdraw`, headers: pausedThenWithdrawn.citizen.auth, payload: {} })).statusCode, 200);
  await must(ctx, p4.reception, pausedThenWithdrawn.id, { action: 'confirm_withdrawal' });
  at(morning('2026-12-16'));
  for (const [d, body] of [[rated[0]!, { satisfaction: 'satisfied' }], [rated[1]!, { score: 5 }], [rated[2]!, { satisfaction: 'dissatisfied', comment: 'Chờ lâu' }]] as const) {
    const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/rating`, headers: d.citizen.auth, payload: body });
    assert.equal(res.statusCode, 201, res.body);
  }
  at(morning('2027-01-04'));

  const period = `from=2026-12-01&to=2026-12-31&unitId=${y}`;
  const dec = await summary(period);
  assert.deepEqual(dec.received, { online: 5, direct: 6, postal: 0, carriedOver: 0, total: 11, grandTotal: 11 }, 'the desk’s dossier counts at Y, the competent unit');
  assert.deepEqual(dec.settled, { early: 1, onTime: 5, late: 0, total: 6 }, 'the certification early; the two withdrawals and the three returned on time');
  assert.deepEqual(dec.pending, { withinDeadline: 2, overdue: 3, total: 5 }, 'paused and stopped within though due 10 Dec; resumed (due 16 Dec), running and the desk’s dossier over');
  assert.deepEqual(dec.satisfaction, { verySatisfied: 1, satisfied: 1, dissatisfied: 1, total: 3, satisfiedShare: 2 / 3 });
  // Saturday 12 Dec: paused, stopped, the supplement and the withdrawn-later dossier are on hold, the desk's dossier not yet due; only running (due 10 Dec) is over.
  const mid = await summary(`from=2026-12-01&to=2026-12-12&unitId=${y}`);
  assert.deepEqual(mid.pending, { withinDeadline: 5, overdue: 1, total: 6 });
  // January: the grand total carries December's pending over.
  const jan = await summary(`from=2027-01-01&to=2027-01-31&unitId=${y}`);
  assert.deepEqual(jan.received, { online: 0, direct: 0, postal: 0, carriedOver: 5, total: 0, grandTotal: 5 });
  assert.deepEqual(jan.pending, dec.pending);

  // The lists behind the pending columns name the same dossiers.
  const listed = async (column: string) => {
    const res = await ctx.app.inject({ url: `/api/v1/stats/dossiers.csv?${period}&column=${column}`, headers: admin.auth });
    assert.equal(res.statusCode, 200, res.body);
    return res.rawPayload.toString('utf8').split('\r\n').slice(1).filter(Boolean).map((l) => l.split(',')[0]).sort();
  };
  assert.deepEqual(await listed('pending_within'), [paused.code, stopped.code].sort());
  assert.deepEqual(await listed('pending_overdue'), [resumed.code, running.code, viaDesk.code].sort());
  assert.deepEqual(await listed('settled_on_time'), [withdrawnLate.code, pausedThenWithdrawn.code, ...rated.map((d) => d.code)].sort());

  // By field: a row per field of the catalogue, adding up to the summary.
  const byField = await summary(`${period}&by=field`);
  const rowOf = (key: string) => byField.rows.find((r: { key: string }) => r.key === key);
  assert.equal(byField.rows.length, ctx.services.catalog.fields().length);
  assert.deepEqual([rowOf('ho-tich').name, rowOf('ho-tich').received.grandTotal, rowOf('ho-tich').settled, rowOf('ho-tich').pending],
    ['Hộ tịch', 10, { early: 0, onTime: 5, late: 0, total: 5 }, { withinDeadline: 2, overdue: 3, total: 5 }]);
  assert.deepEqual([rowOf('chung-thuc').name, rowOf('chung-thuc').received.total, rowOf('chung-thuc').settled.early], ['Chứng thực', 1, 1]);
  assert.equal(byField.rows.reduce((n: number, r: { received: { grandTotal: number } }) => n + r.received.grandTotal, 0), dec.received.grandTotal);

  // By unit: Y's row under the city is Y's summary.
  const city = await summary('from=2026-12-01&to=2026-12-31&unitId=my-tho&by=unit');
  const { from: _f, to: _t, ...yFigures } = dec;
  assert.deepEqual(city.rows.find((r: { key: string }) => r.key === y), { key: y, name: 'Phường 4', nameEn: 'Ward 4', own: false, ...yFigures });
  assert.equal((await ctx.app.inject({ url: '/api/v1/stats/summary?from=2026-12-01&to=2026-12-31&by=ward' })).statusCode, 400);

  // By receiving desk: X received one dossier for Y; Y's own desk the other ten. Y's competent figures keep all eleven; X has none of its own.
  const desks = await summary('from=2026-12-01&to=2026-12-31&by=desk');
  const deskOf = (unitId: string) => desks.desks.find((d: { unitId: string }) => d.unitId === unitId);
  assert.deepEqual([deskOf(x)?.name, deskOf(x)?.received], ['Phường 3', { online: 0, direct: 1, postal: 0, total: 1 }]);
  assert.deepEqual(deskOf(y)?.received, { online: 5, direct: 5, postal: 0, total: 10 });
  assert.equal(desks.desksTotal.total, desks.received.total, 'over the whole province every received dossier has a desk');
  assert.deepEqual((await summary(`from=2026-12-01&to=2026-12-31&unitId=${x}&by=desk`)).desks.map((d: { unitId: string }) => d.unitId), [x]);
  assert.equal((await summary(`from=2026-12-01&to=2026-12-31&unitId=${x}`)).received.total, 0);

  // `motcua stats rebuild` recomputes the same counts from the log, and so the same figures.
  const live = await allDaily(ctx.handle.db);
  assert.ok(live.some((r) => r.measure === 'due_held') && live.some((r) => r.measure === 'desk_received' && r.unit_id === x) && live.some((r) => r.measure === 'satisfaction_very_satisfied'));
  await ctx.services.stats.rebuild();
  assert.deepEqual(await allDaily(ctx.handle.db), live);
  for (const q of [period, `from=2026-12-01&to=2026-12-12&unitId=${y}`, `${period}&by=field`, 'from=2026-12-01&to=2026-12-31&by=desk']) {
    assert.deepEqual(await summary(q), await summary(q), q);
  }
  assert.deepEqual(await summary(period), dec);
  assert.deepEqual(await summary(`from=2026-12-01&to=2026-12-12&unitId=${y}`), mid);

  // After an upgrade (migration 0017 leaves the mark), the counts kept the old way are rebuilt once.
  assert.equal(await ctx.services.stats.rebuildIfNeeded(), null, 'nothing asked for');
  await ctx.handle.db.deleteFrom('stats_daily').where('measure', '=', 'due_held').execute();
  await ctx.handle.db.insertInto('meta').values({ key: 'stats_rebuild_needed', value: '0017_national' }).execute();
  const rebuilt = await ctx.services.stats.rebuildIfNeeded();
  assert.equal(rebuilt?.reason, '0017_national');
  assert.deepEqual(await allDaily(ctx.handle.db), live, 'the counts as the new rules keep them');
  assert.equal(await ctx.services.stats.rebuildIfNeeded(), null, 'once');
});

test('the incremental counts and a rebuild from the log agree, on random histories', async () => {
  const seed = Number(process.env.PROPERTY_SEED ?? Date.now() % 100000);
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const people: Array<[Officer, string]> = [[desk.reception, 'reception'], [desk.specialist, 'specialist'], [desk.approver, 'approver'], [desk.clerk, 'clerk']];
  for (let n = 0; n < 12; n++) {
    // From 23 Nov (the fixture's child was born on 20 Nov) over about a month.
    at(new Date(Date.UTC(2026, 10, 23 + Math.floor(next() * 30), 1 + Math.floor(next() * 10))).toISOString());
    const online = n % 3 === 0 ? await onlineDossier(ctx) : null;
    const id = online ? online.id : (await counterDossier(ctx, desk.reception)).id;
    for (let step = 0; step < 14; step++) {
      at(new Date(ctx.clock.now().getTime() + Math.floor(next() * 30) * 3600_000).toISOString());
      const row = await ctx.handle.db.selectFrom('dossiers').select('state').where('id', '=', id).executeTakeFirstOrThrow();
      const moves = people.flatMap(([who, role]) => allowedActions(JSON.parse(row.state), role as never).map((a) => [who, a] as const))
        .filter(([, a]) => !['create', 'submit', 'withdraw'].includes(a));
      if (!moves.length) break;
      const [who, action] = pick(moves) as [Officer, Action];
      if (action === 'attach_result') await attachResult(ctx, who, id, tinyPdf);
      else if (actions.includes(action)) await act(ctx, who, id, { action, note: 'Ghi chú', missing: ['Giấy tờ'], receivedBy: 'Người nhận', newDueAt: '2027-03-01' });
    }
  }
  const incremental = await allDaily(ctx.handle.db);
  const byLevel = await allDailyByLevel(ctx.handle.db);
  assert.ok(incremental.length > 0);
  const rebuilt = await ctx.services.stats.rebuild();
  assert.ok(rebuilt.dossiers > 0);
  assert.deepEqual(await allDaily(ctx.handle.db), incremental, `seed ${seed}: rebuild and incremental disagree`);
  assert.deepEqual(await allDailyByLevel(ctx.handle.db), byLevel, `seed ${seed}: the province's counts by level disagree`);
  // The lists behind the columns, read from the dossiers and their logs by the same rules, are as long as the figures.
  const admin = await signedInStaff(ctx, 'province_admin', 'tien-giang', true);
  for (const [from, to] of [['2026-11-23', '2026-11-30'], ['2026-12-01', '2026-12-09'], ['2026-12-01', '2026-12-31'], ['2027-01-01', '2027-01-31']] as const) {
    const s = await ctx.services.stats.summary({ from, to });
    const figure: Record<ListColumn, number> = {
      received_online: s.received.online, received_direct: s.received.direct, received_postal: s.received.postal, carried_over: s.received.carriedOver,
      settled_early: s.settled.early, settled_on_time: s.settled.onTime, settled_late: s.settled.late, pending_within: s.pending.withinDeadline, pending_overdue: s.pending.overdue,
    };
    for (const column of listColumns) {
      const list = await ctx.services.statsExport.dossierList(admin.user, { from, to, column });
      assert.equal(list.items.length, figure[column], `seed ${seed}: ${column} ${from}–${to}`);
    }
  }
});
