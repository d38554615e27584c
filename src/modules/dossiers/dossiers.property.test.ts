// A property test of the whole workflow through the HTTP API: long random sequences of actions by
// random people in random roles. Whatever they try, (1) no answer is a server error, (2) nothing
// happens that the table forbids (the log always replays), (3) a terminal status has no exit, and
// (4) the status and state derived from the log equal the stored current-status row.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { actions, allowedActions, replay, terminalStatuses, type Action, type Status } from '../../domain/dossier-status.ts';
import type { Role } from '../../domain/roles.ts';
import { longSessions, type TestContext } from '../../testing/context.ts';
import { signedInStaff } from '../../testing/fixtures.ts';
import { act, attachResult, counterDossier, onlineDossier, type Desk, type Officer, openDesk } from '../../testing/office.ts';
import { tinyPdf } from '../../testing/uploads.ts';

let ctx: TestContext;
let desk: Desk;
// Random histories run for weeks on one sign-in: sessions here outlive them (their limits have tests of their own).
before(async () => ({ ctx, desk } = await openDesk({ sessionLimits: longSessions })));
after(() => ctx.close());

const roleOf = (o: { user: { roles: Array<{ role: string }> } }) => o.user.roles[0]!.role as Role;

/** A small seeded generator (mulberry32): a failure names its seed and can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]! };
}

test('random actions by random roles never break the table, never leave a terminal status, and the stored status always equals the log’s', async () => {
  const seed = Number(process.env.PROPERTY_SEED ?? Date.now() % 100000);
  const rnd = random(seed);
  const auditor = await signedInStaff(ctx, 'auditor', 'my-tho-phuong-5');
  const admin = await signedInStaff(ctx, 'unit_admin', 'my-tho-phuong-5');
  const staff = [desk.reception, desk.specialist, desk.approver, desk.clerk, desk.postal, auditor, admin];
  const tried = new Map<number, number>();
  let moves = 0;
  const reached = new Set<string>();
  const people = [...staff.map((o) => ({ o, role: roleOf(o) })), null];
  type Walk = { id: string; citizen: Officer | null };
  let current: Walk | null = null;
  let dossiers = 0;
  for (let step = 0; step < 300; step++) {
    if (!current) {
      // A new dossier each time the last one ends; its walk starts on a Monday morning (sessions stay valid).
      ctx.clock.set('2026-11-30T02:00:00.000Z');
      const online = dossiers++ % 2 === 0 ? await onlineDossier(ctx) : null;
      current = { id: online ? online.id : (await counterDossier(ctx, desk.reception)).id, citizen: online?.citizen ?? null };
    }
    const id: string = current.id;
    ctx.clock.set(new Date(ctx.clock.now().getTime() + Math.floor(rnd.next() * 8) * 3600_000).toISOString());
    const row0 = await ctx.handle.db.selectFrom('dossiers').select(['state']).where('id', '=', id).executeTakeFirstOrThrow();
    // Mostly a move someone may make now (to walk deep), sometimes anything at all by anyone.
    const possible = people.flatMap((p) => allowedActions(JSON.parse(row0.state), p ? p.role : 'citizen').map((a) => ({ a, p })))
      .filter(({ a, p }) => a !== 'create' && (p !== null || current!.citizen !== null));
    const wild = rnd.next() < 0.3 || !possible.length;
    const choice = wild ? { a: rnd.pick(actions.filter((a) => a !== 'create')) as Action, p: rnd.pick(people) } : rnd.pick(possible);
    const action = choice.a;
    const who = choice.p ? choice.p.o : current.citizen ?? desk.reception;
    let status: number;
    if (action === 'attach_result') status = (await attachResult(ctx, who, id, tinyPdf)).status;
    else if ((action === 'withdraw' || action === 'supplement' || action === 'submit') && who === current.citizen) {
      status = (await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/${action}`, headers: who.auth, payload: {} })).statusCode;
    } else {
      status = (await act(ctx, who, id, {
        action, note: 'Ghi chú của cán bộ', missing: ['Bản sao giấy tờ tùy thân'], receivedBy: 'Người nhận',
        newDueAt: new Date(ctx.clock.now().getTime() + 30 * 86400_000).toISOString(),
        toUserId: rnd.pick([desk.specialist, desk.approver, desk.clerk]).user.id,
      })).status;
    }
    tried.set(status, (tried.get(status) ?? 0) + 1);
    assert.ok([200, 201, 400, 403, 404, 409].includes(status), `seed ${seed}: ${action} answered ${status}`);
    if (status < 300) moves++;

    const row = await ctx.handle.db.selectFrom('dossiers').select(['status', 'state']).where('id', '=', id).executeTakeFirstOrThrow();
    const log = await ctx.handle.db.selectFrom('dossier_actions').select(['action', 'actor_role', 'to_status']).where('dossier_id', '=', id).orderBy('seq').execute();
    const derived = replay(log.map((a) => ({ action: a.action as Action, actor: a.actor_role as never })));
    assert.equal(derived.status, row.status, `seed ${seed}: derived status`);
    assert.deepEqual(derived, JSON.parse(row.state), `seed ${seed}: derived state`);
    const firstTerminal = log.findIndex((a) => terminalStatuses.has(a.to_status as Status));
    assert.ok(firstTerminal === -1 || firstTerminal === log.length - 1, `seed ${seed}: an action after a terminal status`);
    reached.add(row.status);
    if (terminalStatuses.has(row.status as Status)) current = null;
  }
  // The kept counts per unit and status agree with the dossiers themselves.
  const kept = await ctx.handle.db.selectFrom('dossier_status_counts').select(['unit_id', 'status', 'n']).where('n', '>', 0).orderBy('unit_id').orderBy('status').execute();
  const actual = await ctx.handle.db.selectFrom('dossiers').select((eb) => ['unit_id', 'status', eb.fn.countAll<number>().as('n')])
    .where('status', '!=', 'draft').groupBy(['unit_id', 'status']).orderBy('unit_id').orderBy('status').execute();
  assert.deepEqual(kept.map((r) => ({ ...r, n: Number(r.n) })), actual.map((r) => ({ ...r, n: Number(r.n) })), `seed ${seed}: status counts`);
  // The walk did something: some moves succeeded and some were refused.
  assert.ok(moves >= 100, `seed ${seed}: only ${moves} moves succeeded`);
  assert.ok(reached.size >= 7, `seed ${seed}: reached only ${[...reached].join(', ')}`);
  assert.ok((tried.get(409) ?? 0) + (tried.get(403) ?? 0) > 0);
});
