// The report table (docs/domain.md §5, form II.06a) from hand-built histories, each column's rule on its
// own dossier; and the incremental counts against a rebuild from the log on random histories.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { actions, allowedActions, type Action } from '../../domain/dossier-status.ts';
import { settlement } from '../../domain/stats.ts';
import { longSessions, type TestContext } from '../../testing/context.ts';
import { act, attachResult, counterDossier, must, onlineDossier, type Desk, type Officer, openDesk } from '../../testing/office.ts';
import { signedInStaff } from '../../testing/fixtures.ts';
import { tinyPdf } from '../../testing/uploads.ts';
import { allDaily, allDailyByLevel } from './stats.queries.ts';

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
  // received online, settled (withdrawn counts as returned), late.
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
  assert.deepEqual(dec.received, { online: 1, direct: 3, postal: 1, carriedOver: 2, total: 5 }, 'C, D, F at the counter, E by post, G online; A and B carried over, not in the total');
  assert.deepEqual(dec.settled, { early: 1, onTime: 1, late: 3, total: 5 }, 'B early, C on time, A, D and G late');
  assert.deepEqual(dec.pending, { withinDeadline: 1, overdue: 1, total: 2 }, 'F within, E over');
  assert.equal(dec.onlineShare, 1 / 5);
  assert.equal(dec.onTimeRate, 2 / 5);
  // November: A and B received, nothing settled; at the end of November A is over (due 26 Nov), B within.
  const nov = await summary('from=2026-11-01&to=2026-11-30');
  assert.deepEqual(nov.received, { online: 0, direct: 2, postal: 0, carriedOver: 0, total: 2 });
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
});
