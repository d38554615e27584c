// The back office's actions through the HTTP API: intake at the counter, the intake check, the
// workflow steps, pauses and their effect on the due time, apology, results, return, and two
// officers acting at once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { TestContext } from '../../testing/context.ts';
import { signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { act, attachResult, counterDossier, counterIntakeBody, dossierAt, must, onlineDossier, type Desk, openDesk } from '../../testing/office.ts';
import { tinyPdf } from '../../testing/uploads.ts';

let ctx: TestContext;
let desk: Desk;
before(async () => ({ ctx, desk } = await openDesk()));
after(() => ctx.close());

// Monday 30 Nov 2026, 09:32 in Vietnam.
const monday0932 = '2026-11-30T02:32:00.000Z';

test('counter intake: created and accepted in one step, with its code and a due time three working days on (start day not counted)', async () => {
  ctx.clock.set(monday0932);
  const d = await counterDossier(ctx, desk.reception);
  assert.match(d.code, /^[\w.]+-261130-\d{4}$/);
  assert.equal(d.acceptedAt, monday0932);
  assert.equal(d.dueAt, '2026-12-03T10:00:00.000Z', 'Thursday 3 Dec at 17:00 in Vietnam');
  const view = (await ctx.app.inject({ url: `/api/v1/dossiers/${d.id}`, headers: desk.reception.auth })).json();
  assert.equal(view.status, 'accepted');
  assert.equal(view.channel, 'counter');
  assert.deepEqual(view.history.map((h: { action: string }) => h.action), ['create', 'submit', 'accept']);
  const receipt = await ctx.app.inject({ url: `/api/v1/dossiers/${d.id}/receipt.pdf`, headers: desk.reception.auth });
  assert.equal(receipt.statusCode, 200);
});

test('counter intake refuses who holds no desk: a specialist (403), a citizen (403), a bad channel (400); another commune’s desk receives it for this one', async () => {
  const citizen = await signedInCitizen(ctx);
  for (const who of [desk.specialist, citizen]) {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/office/dossiers', headers: who.auth, payload: counterIntakeBody() });
    assert.equal(res.statusCode, 403, res.body);
  }
  // Receiving is not bound to the administrative boundary (Decree 118/2025): docs/domain.md §3.7, office.receiving.test.ts.
  const elsewhere = await signedInStaff(ctx, 'reception', 'my-tho-phuong-4');
  const taken = await ctx.app.inject({ method: 'POST', url: '/api/v1/office/dossiers', headers: elsewhere.auth, payload: counterIntakeBody() });
  assert.equal(taken.statusCode, 201, taken.body);
  const row = await ctx.handle.db.selectFrom('dossiers').select(['unit_id', 'receiving_unit_id']).where('id', '=', taken.json().id).executeTakeFirstOrThrow();
  assert.deepEqual(row, { unit_id: 'my-tho-phuong-5', receiving_unit_id: 'my-tho-phuong-4' });
  const bad = await ctx.app.inject({ method: 'POST', url: '/api/v1/office/dossiers', headers: desk.reception.auth, payload: counterIntakeBody({ channel: 'fax' }) });
  assert.equal(bad.statusCode, 400);
  const noName = await ctx.app.inject({ method: 'POST', url: '/api/v1/office/dossiers', headers: desk.reception.auth, payload: counterIntakeBody({ applicant: { fullName: '' } }) });
  assert.equal(noName.statusCode, 400);
  assert.ok(noName.json().error.fields['applicant.fullName']);
});

test('the online path: accept, transfer, forward to the approver, attach a result {code}-KQ1, resolve, return; the citizen’s tracking shows each step', async () => {
  ctx.clock.set(monday0932);
  const d = await onlineDossier(ctx);
  const accepted = await must(ctx, desk.reception, d.id, { action: 'accept' });
  assert.equal(accepted.status, 'accepted');
  assert.equal(accepted.dueAt, '2026-11-30T10:00:00.000Z', 'a same-day procedure is due at closing time of the intake day');
  await must(ctx, desk.reception, d.id, { action: 'transfer', toUserId: desk.specialist.user.id });
  const forwarded = await must(ctx, desk.specialist, d.id, { action: 'forward', toUserId: desk.approver.user.id });
  assert.equal(forwarded.assigneeId, desk.approver.user.id);
  assert.equal((await act(ctx, desk.approver, d.id, { action: 'resolve' })).status, 409, 'no result yet');
  const result = await attachResult(ctx, desk.approver, d.id, tinyPdf);
  assert.equal(result.status, 201, JSON.stringify(result.body));
  assert.equal(result.body.code, `${d.code}-KQ1`);
  await must(ctx, desk.approver, d.id, { action: 'resolve' });
  assert.equal((await act(ctx, desk.reception, d.id, { action: 'return_result' })).status, 400, 'who received it is required');
  const returned = await must(ctx, desk.reception, d.id, { action: 'return_result', receivedBy: 'Nguyễn Thị Lan (CCCD 082195000123)' });
  assert.equal(returned.status, 'returned');
  // The applicant may fetch the result (their own first download of a resolved one would have
  // returned it: office.results.test.ts).
  const file = await ctx.app.inject({ url: `/api/v1/dossiers/${d.id}/results/1`, headers: d.citizen.auth });
  assert.equal(file.statusCode, 200);
  assert.equal(file.rawPayload.subarray(0, 5).toString(), '%PDF-');
  const track = (await ctx.app.inject({ url: `/api/v1/track/${d.code}?key=${d.trackingKey}` })).json();
  assert.deepEqual(track.history.map((h: { status: string }) => h.status), ['submitted', 'accepted', 'in_process', 'resolved', 'returned']);
  // Messages to the applicant on each change of status, written with the change.
  const sent = await ctx.handle.db.selectFrom('outbox').select('params').where('template', '=', 'dossier_status_changed').where('recipient', '=', 'lan.nguyen@example.vn').execute();
  const codes = sent.map((m) => JSON.parse(m.params) as { code: string; status: string }).filter((p) => p.code === d.code);
  assert.deepEqual(codes.map((p) => p.status), ['Đã tiếp nhận', 'Đang xử lý', 'Đã có kết quả', 'Đã trả kết quả']);
  // Every step is in the audit chain, which still verifies.
  const audited = await ctx.services.audit.list({ subject: `dossier:${d.id}`, limit: 50, offset: 0 });
  assert.deepEqual(audited.items.map((e) => (e.data as { action: string }).action).reverse(),
    ['create', 'submit', 'accept', 'transfer', 'forward', 'attach_result', 'resolve', 'return_result']);
  assert.equal((await ctx.services.audit.verify()).ok, true);
});

test('the intake check: a supplement needs the exact list; a refusal needs a reason; both reach the applicant', async () => {
  const d = await onlineDossier(ctx);
  const empty = await act(ctx, desk.reception, d.id, { action: 'request_supplement', missing: [] });
  assert.equal(empty.status, 400);
  assert.ok(empty.body.error.fields.missing);
  const asked = await must(ctx, desk.reception, d.id, { action: 'request_supplement', missing: ['Bản chính giấy chứng sinh', 'Ảnh CCCD của người cha'] });
  assert.equal(asked.status, 'supplement_requested');
  const back = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/supplement`, headers: d.citizen.auth, payload: {} });
  assert.equal(back.statusCode, 200);
  assert.equal(back.json().status, 'submitted', 'a supplement asked at intake goes back to intake');
  assert.equal((await act(ctx, desk.reception, d.id, { action: 'refuse' })).status, 400);
  const refused = await must(ctx, desk.reception, d.id, { action: 'refuse', note: 'Trẻ đã được đăng ký khai sinh tại xã khác.' });
  assert.equal(refused.status, 'refused');
  assert.equal((await act(ctx, desk.reception, d.id, { action: 'accept' })).status, 409, 'a refused dossier has no exit');
});

test('deadline rule — a supplement during processing pauses the clock: due time moves on by the working time paused; a second request by the same unit is refused', async () => {
  ctx.clock.set(monday0932);
  const d = await counterDossier(ctx, desk.reception);
  assert.equal(d.dueAt, '2026-12-03T10:00:00.000Z');
  await must(ctx, desk.reception, d.id, { action: 'transfer' });
  ctx.clock.set('2026-12-01T02:00:00.000Z'); // Tue 09:00
  await must(ctx, desk.specialist, d.id, { action: 'request_supplement', missing: ['Giấy xác nhận nơi cư trú'] });
  ctx.clock.set('2026-12-03T02:00:00.000Z'); // Thu 09:00: two working days later
  // The applicant brings the missing paper to the desk; reception records the supplement.
  await must(ctx, desk.reception, d.id, { action: 'supplement' });
  const after = (await ctx.app.inject({ url: `/api/v1/dossiers/${d.id}`, headers: desk.reception.auth })).json();
  assert.equal(after.status, 'in_process');
  assert.equal(after.dueAt, '2026-12-07T10:00:00.000Z', 'Thursday 17:00 + 16 working hours = Monday 7 Dec 17:00');
  assert.equal((await act(ctx, desk.specialist, d.id, { action: 'request_supplement', missing: ['x'] })).status, 409, 'once per unit during processing (every step of the default template is the commune’s)');
});

test('apology with a new date: at least one working day before the deadline, once, and a later date', async () => {
  ctx.clock.set(monday0932);
  const d = await counterDossier(ctx, desk.reception);
  await must(ctx, desk.reception, d.id, { action: 'transfer' });
  assert.equal((await act(ctx, desk.approver, d.id, { action: 'apologize', newDueAt: '2026-12-02', note: 'Cần xác minh thêm' })).status, 400, 'not after the current due date');
  assert.equal((await act(ctx, desk.approver, d.id, { action: 'apologize', newDueAt: '2026-12-08' })).status, 400, 'a reason is required');
  ctx.clock.set('2026-12-03T01:00:00.000Z'); // Thu 08:00, due at 17:00 the same day: too late
  assert.equal((await act(ctx, desk.approver, d.id, { action: 'apologize', newDueAt: '2026-12-08', note: 'Cần xác minh thêm' })).status, 409);
  ctx.clock.set('2026-12-01T02:00:00.000Z');
  const sorry = await must(ctx, desk.approver, d.id, { action: 'apologize', newDueAt: '2026-12-08', note: 'Cần xác minh thêm với cơ quan công an' });
  assert.equal(sorry.newDueAt, '2026-12-08T10:00:00.000Z');
  assert.equal(sorry.dueAt, '2026-12-03T10:00:00.000Z', 'statistics still judge by the original due time');
  assert.equal((await act(ctx, desk.approver, d.id, { action: 'apologize', newDueAt: '2026-12-09', note: 'lần hai' })).status, 409, 'once');
});

test('withdrawal: the applicant asks, reception confirms; without a request there is nothing to confirm', async () => {
  const d = await dossierAt(ctx, desk, 'accepted');
  assert.equal((await act(ctx, desk.reception, d.id, { action: 'confirm_withdrawal' })).status, 409);
  const asked = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/withdraw`, headers: d.citizen.auth, payload: {} });
  assert.equal(asked.statusCode, 200);
  assert.equal((await must(ctx, desk.reception, d.id, { action: 'confirm_withdrawal' })).status, 'withdrawn');
});

test('roles: a specialist cannot accept (403); an auditor reads but acts on nothing (403); a stranger unit never learns of the dossier (404); an unknown action is 400', async () => {
  const d = await onlineDossier(ctx);
  const auditor = await signedInStaff(ctx, 'auditor', 'my-tho-phuong-5');
  const elsewhere = await signedInStaff(ctx, 'reception', 'my-tho-phuong-4');
  assert.equal((await act(ctx, desk.specialist, d.id, { action: 'accept' })).status, 403);
  assert.equal((await ctx.app.inject({ url: `/api/v1/dossiers/${d.id}`, headers: auditor.auth })).statusCode, 200);
  assert.equal((await act(ctx, auditor, d.id, { action: 'accept' })).status, 403);
  assert.equal((await act(ctx, elsewhere, d.id, { action: 'accept' })).status, 404);
  assert.equal((await act(ctx, desk.reception, d.id, { action: 'launch' })).status, 400);
  assert.equal((await act(ctx, desk.reception, d.id, { action: 'submit' })).status, 400, 'the applicant’s own actions have their own routes');
});

test('two officers accept the same dossier at the same moment over real connections: exactly one wins, the other gets 409', async () => {
  const second = await signedInStaff(ctx, 'reception', 'my-tho-phuong-5');
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    for (let round = 0; round < 5; round++) {
      const d = await onlineDossier(ctx);
      const answers = await Promise.all([desk.reception, second].map((who) =>
        fetch(`${base}/api/v1/dossiers/${d.id}/actions`, { method: 'POST', headers: { ...who.auth, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'accept' }) })));
      assert.deepEqual(answers.map((r) => r.status).sort(), [200, 409], `round ${round}`);
      const log = await ctx.handle.db.selectFrom('dossier_actions').select('action').where('dossier_id', '=', d.id).where('action', '=', 'accept').execute();
      assert.equal(log.length, 1, 'one accept in the log');
    }
  } finally {
    await ctx.app.server.close();
  }
});

test('a procedure with its own template follows it: a birth registration goes from the civil-status officer to the commune chair, and no further', async () => {
  ctx.clock.set(monday0932);
  const d = await dossierAt(ctx, desk, 'processing');
  const signed = await must(ctx, desk.specialist, d.id, { action: 'forward', toUserId: desk.approver.user.id });
  assert.equal(signed.assigneeId, desk.approver.user.id);
  const last = await act(ctx, desk.approver, d.id, { action: 'forward' });
  assert.equal(last.status, 409);
  assert.equal(last.body.error.code, 'no_next_step');
  const steps = await ctx.services.workflow.steps('dang-ky-khai-sinh');
  assert.deepEqual(steps.map((s) => s.role), ['specialist', 'approver']);
  assert.deepEqual((await ctx.services.workflow.steps('xac-nhan-tinh-trang-hon-nhan')).map((s) => s.role), ['specialist', 'approver', 'clerk'], 'the default template');
});

test('workflow templates are checked as they load: shares must add up, roles must be staff, units must exist', async () => {
  const { loadWorkflowTemplates } = await import('./office.templates.ts');
  const step = { key: 'a', name: 'A', nameEn: 'A', role: 'specialist' as const, unitId: null, share: 1 };
  await assert.rejects(loadWorkflowTemplates(ctx.handle.db, new Date(), { version: 't', default: { name: 'x', steps: [{ ...step, share: 0.5 }] }, procedures: {} }), /workflow template default: the shares add up to 0.500/);
  await assert.rejects(loadWorkflowTemplates(ctx.handle.db, new Date(), { version: 't', default: { name: 'x', steps: [{ ...step, unitId: 'khong-co' as never }] }, procedures: {} }), /names unit khong-co/);
  const r = await loadWorkflowTemplates(ctx.handle.db, new Date(), { version: 't', default: { name: 'x', steps: [step] }, procedures: { 'khong-co-thu-tuc': { name: 'y', steps: [step] } } });
  assert.deepEqual(r, { loaded: 1, skipped: ['khong-co-thu-tuc'] });
  await loadWorkflowTemplates(ctx.handle.db, new Date()); // back to the file's templates for the other tests
});

test('the tests’ stage helper brings a dossier to each stage through the API, and the dossier says so', async () => {
  const expected = {
    submitted: 'submitted', accepted: 'accepted', processing: 'in_process', supplement_requested: 'supplement_requested', refused: 'refused',
    financial_obligation: 'financial_obligation', suspended: 'suspended', resolved: 'resolved', returned: 'returned', withdrawn: 'withdrawn',
  } as const;
  for (const [stage, status] of Object.entries(expected)) {
    const d = await dossierAt(ctx, desk, stage as keyof typeof expected);
    assert.equal((await ctx.app.inject({ url: `/api/v1/dossiers/${d.id}`, headers: desk.reception.auth })).json().status, status, stage);
  }
});
