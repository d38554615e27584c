// Receiving is not bound to the administrative boundary (Decree 118/2025/NĐ-CP; docs/domain.md
// §3.7): the desk of one commune takes in a dossier for another, issues the code and the receipt
// under its own identifier, and sends it on; the competent commune processes it; the desk hands the
// result back. Through the HTTP API, with officers of both communes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, longSessions, type TestContext } from '../../testing/context.ts';
import { act, attachResult, counterDossier, counterIntakeBody, deskAt, must, type Desk } from '../../testing/office.ts';
import { signedInStaff } from '../../testing/fixtures.ts';
import { tinyPdf } from '../../testing/uploads.ts';

let ctx: TestContext;
/** Phường 5 (the desk where the applicant walks in) and Phường 4 (the competent commune). */
let here: Desk;
let there: Desk;
const hereUnit = 'my-tho-phuong-5';
const thereUnit = 'my-tho-phuong-4';

before(async () => {
  ctx = await createTestContext({ sessionLimits: longSessions });
  [here, there] = await Promise.all([deskAt(ctx, hereUnit), deskAt(ctx, thereUnit)]);
});
after(() => ctx.close());

const identifierOf = async (unitId: string) =>
  (await ctx.handle.db.selectFrom('units').select('identifier').where('id', '=', unitId).executeTakeFirstOrThrow()).identifier!;
const view = async (who: { auth: Record<string, string> }, id: string) => ctx.app.inject({ url: `/api/v1/dossiers/${id}`, headers: who.auth });
const queueIds = async (who: { auth: Record<string, string> }, tab = 'open') =>
  ((await ctx.app.inject({ url: `/api/v1/office/queue?tab=${tab}&limit=100`, headers: who.auth })).json() as { items: Array<{ id: string }> }).items.map((i) => i.id);

test('a desk takes in a dossier for another commune: its own code and receipt, the competent commune processes it, the desk hands the result back', async () => {
  const d = await counterDossier(ctx, here.reception, { unitId: thereUnit });
  assert.ok(d.code.startsWith(`${await identifierOf(hereUnit)}-`), `the receiving desk's identifier heads the code: ${d.code}`);
  const seen = (await view(here.reception, d.id)).json();
  assert.deepEqual([seen.unitId, seen.receivingUnitId, seen.status], [thereUnit, hereUnit, 'accepted']);
  const receipt = await ctx.app.inject({ url: `/api/v1/dossiers/${d.id}/receipt.pdf`, headers: here.reception.auth });
  assert.equal(receipt.statusCode, 200, 'the desk prints the receipt (Form 01)');

  // Both desks see it in their queues; the desk's other staff do not (it is not their unit's dossier).
  assert.ok((await queueIds(here.reception)).includes(d.id), 'in the receiving desk’s queue');
  assert.ok((await queueIds(there.reception)).includes(d.id), 'in the competent commune’s queue');
  assert.ok(!(await queueIds(here.specialist)).includes(d.id));
  assert.equal((await view(here.specialist, d.id)).statusCode, 404);

  // The desk sends it on; the processing is the competent commune's, not the desk's.
  assert.equal((await view(here.postal, d.id)).statusCode, 200, 'postal staff at the desk see it too');
  await must(ctx, here.reception, d.id, { action: 'transfer' });
  const forward = await act(ctx, here.reception, d.id, { action: 'forward' });
  assert.equal(forward.status, 403, 'the receiving desk does not take the competent unit’s workflow steps');
  const supplement = await act(ctx, here.reception, d.id, { action: 'request_supplement', missing: ['Bản sao CCCD'] });
  assert.equal(supplement.status, 403, 'a supplement during processing is the competent unit’s to ask');
  await must(ctx, there.specialist, d.id, { action: 'forward' });
  assert.equal((await attachResult(ctx, there.approver, d.id, tinyPdf)).status, 201);
  await must(ctx, there.approver, d.id, { action: 'resolve' });
  assert.ok((await queueIds(here.reception, 'to_return')).includes(d.id), 'the result waits at the desk where it was filed');
  const returned = await must(ctx, here.reception, d.id, { action: 'return_result', receivedBy: 'Nguyễn Thị Lan' });
  assert.equal(returned.status, 'returned');

  const row = await ctx.handle.db.selectFrom('dossiers').select(['unit_id', 'receiving_unit_id']).where('id', '=', d.id).executeTakeFirstOrThrow();
  assert.deepEqual(row, { unit_id: thereUnit, receiving_unit_id: hereUnit });
});

test('the desk counts the dossiers it received for other units among its open ones', async () => {
  const before = (await ctx.app.inject({ url: '/api/v1/office/queue?tab=open', headers: here.reception.auth })).json().counts.open as number;
  await counterDossier(ctx, here.reception, { unitId: thereUnit });
  const after = (await ctx.app.inject({ url: '/api/v1/office/queue?tab=open', headers: here.reception.auth })).json();
  assert.equal(after.counts.open, before + 1);
  assert.equal(after.items.length, after.counts.open, 'the tab lists what it counts');
});

test('the receiving desk must be one of the officer’s desks, and must exist', async () => {
  const unknown = await ctx.app.inject({ method: 'POST', url: '/api/v1/office/dossiers', headers: here.reception.auth, payload: counterIntakeBody({ unitId: thereUnit, receivingUnitId: 'khong-co' }) });
  assert.equal(unknown.statusCode, 400);
  assert.ok(unknown.json().error.fields.receivingUnitId);
  const notMine = await ctx.app.inject({ method: 'POST', url: '/api/v1/office/dossiers', headers: here.reception.auth, payload: counterIntakeBody({ unitId: thereUnit, receivingUnitId: thereUnit }) });
  assert.equal(notMine.statusCode, 403, 'an officer receives only at a desk where they hold reception');
  const specialist = await signedInStaff(ctx, 'specialist', hereUnit);
  const noDesk = await ctx.app.inject({ method: 'POST', url: '/api/v1/office/dossiers', headers: specialist.auth, payload: counterIntakeBody({ unitId: thereUnit }) });
  assert.equal(noDesk.statusCode, 403, 'without reception (or postal) anywhere, no intake');
  const count = await ctx.handle.db.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n')).where('receiving_unit_id', '=', thereUnit).where('unit_id', '=', thereUnit).executeTakeFirstOrThrow();
  assert.equal(Number(count.n), 0, 'nothing was created');
});

test('the statistics count the dossier at the competent commune', async () => {
  const day = ctx.clock.now().toISOString().slice(0, 10);
  const received = async (unitId: string) => {
    const res = await ctx.app.inject({ url: `/api/v1/stats/summary?unitId=${unitId}&from=${day.slice(0, 8)}01&to=${day}` });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as { received: { total: number } }).received.total;
  };
  assert.equal(await received(thereUnit), 2, 'both dossiers count at Phường 4, the competent commune');
  assert.equal(await received(hereUnit), 0, 'none at the desk that only received them');
});
