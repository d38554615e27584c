// The dossier lifecycle under the 2025 rules (Decree 118/2025/NĐ-CP, Circular 03/2025/TT-VPCP;
// docs/domain.md §3): a supplement during processing once per unit, a supplement deadline and the
// return of a dossier not supplemented by it, stopping as an end state with Form 05, and no
// withdrawal once a dossier is resolved. Through the HTTP API, as the desk and the applicant use it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { longSessions, type TestContext } from '../../testing/context.ts';
import { act, counterDossier, dossierAt, must, onlineDossier, type Desk, openDesk } from '../../testing/office.ts';
import { pdfText } from '../../testing/pdf.ts';
import { readReference } from '../../reference.ts';
import { loadWorkflowTemplates, workflowsFile, type WorkflowsFile } from './office.templates.ts';

let ctx: TestContext;
let desk: Desk;
// The tests move the clock over weeks on one sign-in.
before(async () => ({ ctx, desk } = await openDesk({ sessionLimits: longSessions })));
after(() => ctx.close());

// Monday 30 Nov 2026, 09:32 in Vietnam.
const monday0932 = '2026-11-30T02:32:00.000Z';

const row = (id: string) => ctx.handle.db.selectFrom('dossiers').select(['status', 'state', 'supplement_due_at']).where('id', '=', id).executeTakeFirstOrThrow();
const doc = (who: { auth: Record<string, string> }, id: string, form: string, lang?: string) =>
  ctx.app.inject({ url: `/api/v1/dossiers/${id}/documents/${form}.pdf`, headers: { ...who.auth, ...(lang ? { 'accept-language': lang } : {}) } });

test('a supplement during processing: once per unit, and a second unit of the workflow may still ask once', async () => {
  // The certificate of marital status goes from the commune's specialist to the city's office, then to the commune's leader.
  const file = readReference<WorkflowsFile>(workflowsFile);
  const step = (key: string, role: 'specialist' | 'approver', unitId: string | null, share: number) => ({ key, name: key, nameEn: key, role, unitId, share });
  await loadWorkflowTemplates(ctx.handle.db, new Date(), {
    ...file,
    procedures: { ...file.procedures, 'xac-nhan-tinh-trang-hon-nhan': { name: 'Hai đơn vị', steps: [step('examine', 'specialist', null, 0.4), step('verify', 'specialist', 'my-tho', 0.4), step('approve', 'approver', null, 0.2)] } },
  });
  try {
    ctx.clock.set(monday0932);
    const d = await counterDossier(ctx, desk.reception);
    await must(ctx, desk.reception, d.id, { action: 'transfer' });
    const first = await must(ctx, desk.specialist, d.id, { action: 'request_supplement', missing: ['Giấy xác nhận nơi cư trú'] });
    assert.equal(first.status, 'supplement_requested');
    await must(ctx, desk.reception, d.id, { action: 'supplement' });
    const again = await act(ctx, desk.specialist, d.id, { action: 'request_supplement', missing: ['Bản sao CCCD'] });
    assert.equal(again.status, 409, 'the commune asked once already');
    assert.equal(again.body.error.code, 'invalid_transition');
    // Step 1 is held by the city's office: another unit, which may ask once.
    await must(ctx, desk.specialist, d.id, { action: 'forward' });
    const second = await must(ctx, desk.specialist, d.id, { action: 'request_supplement', missing: ['Trích lục ghi chú ly hôn'] });
    assert.equal(second.status, 'supplement_requested');
    await must(ctx, desk.reception, d.id, { action: 'supplement' });
    assert.equal((await act(ctx, desk.specialist, d.id, { action: 'request_supplement', missing: ['x'] })).status, 409, 'the city’s office asked once too');
    // Step 2 is the commune again: it has asked.
    await must(ctx, desk.specialist, d.id, { action: 'forward' });
    assert.equal((await act(ctx, desk.reception, d.id, { action: 'request_supplement', missing: ['x'] })).status, 409, 'the commune, at a later step, has asked');
    const asked = await ctx.handle.db.selectFrom('dossier_actions').select(['data']).where('dossier_id', '=', d.id).where('action', '=', 'request_supplement').orderBy('seq').execute();
    assert.deepEqual(asked.map((a) => (JSON.parse(a.data) as { unitId: string }).unitId), ['my-tho-phuong-5', 'my-tho'], 'each request names the unit that asked');
    const state = JSON.parse((await row(d.id)).state) as { supplementSteps: number[]; processingSupplements: number };
    assert.deepEqual([state.supplementSteps, state.processingSupplements], [[0, 1], 2]);
  } finally {
    await loadWorkflowTemplates(ctx.handle.db, new Date());
  }
});

test('a supplement deadline: a real date after now, with a clear message in Vietnamese and in English; stored, printed on Form 02, cleared when the applicant supplements', async () => {
  ctx.clock.set(monday0932);
  const d = await onlineDossier(ctx);
  const ask = (supplementDueAt: unknown, headers: Record<string, string> = {}) =>
    ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/actions`, headers: { ...desk.reception.auth, ...headers }, payload: { action: 'request_supplement', missing: ['Bản chính giấy chứng sinh'], supplementDueAt } });
  for (const [value, message] of [
    ['31/12/2026', 'Ngày phải có dạng NNNN-TT-NN, ví dụ 2026-01-31.'],
    ['2026-02-30', 'Ngày phải có dạng NNNN-TT-NN, ví dụ 2026-01-31.'],
    ['2026-11-27', 'Hạn bổ sung phải là một ngày sau thời điểm hiện tại.'],
    ['2026-11-30T02:00:00Z', 'Hạn bổ sung phải là một ngày sau thời điểm hiện tại.'],
  ] as const) {
    const res = await ask(value);
    assert.equal(res.statusCode, 400, value);
    assert.equal(res.json().error.fields.supplementDueAt, message, value);
  }
  assert.equal((await ask('2026-11-01', { 'accept-language': 'en' })).json().error.fields.supplementDueAt, 'The supplement deadline must be a date after now.');
  assert.equal((await row(d.id)).status, 'submitted', 'nothing changed');
  // The same day is still ahead at 09:32: a bare date means 17:00 that day.
  assert.equal((await ask('2026-12-04')).statusCode, 200);
  assert.equal((await row(d.id)).supplement_due_at, '2026-12-04T10:00:00.000Z');
  const seen = (await ctx.app.inject({ url: `/api/v1/dossiers/${d.id}`, headers: d.citizen.auth })).json();
  assert.equal(seen.supplementDueAt, '2026-12-04T10:00:00.000Z', 'the applicant sees the deadline');
  const mine = await ctx.app.inject({ url: '/ho-so', headers: d.citizen.auth });
  assert.equal(mine.statusCode, 200);
  assert.match(mine.body, /Hạn bổ sung hồ sơ: 17:00 ngày 04\/12\/2026/, 'on their list of dossiers too');
  const f02 = pdfText((await doc(desk.reception, d.id, '02')).rawPayload).replace(/\s+/g, ' ');
  assert.ok(f02.includes('Hạn bổ sung, hoàn thiện hồ sơ: 17:00 ngày 04/12/2026'), f02);
  const back = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/supplement`, headers: d.citizen.auth, payload: {} });
  assert.equal(back.statusCode, 200);
  assert.deepEqual(await row(d.id).then((r) => [r.status, r.supplement_due_at]), ['submitted', null], 'back to intake, the deadline cleared');
  assert.equal(back.json().supplementDueAt, null);
  // A later request without a deadline has none.
  await must(ctx, desk.reception, d.id, { action: 'request_supplement', missing: ['Ảnh CCCD của người cha'] });
  assert.equal((await row(d.id)).supplement_due_at, null);
});

test('return_unsupplemented at intake: reception only, only past the deadline, a reason required; the dossier is not accepted (refused) and Form 03 gives the reason', async () => {
  ctx.clock.set(monday0932);
  const d = await onlineDossier(ctx);
  await must(ctx, desk.reception, d.id, { action: 'request_supplement', missing: ['Bản chính giấy chứng sinh'], supplementDueAt: '2026-12-02' });
  const reason = 'Quá hạn bổ sung ngày 02/12/2026 mà chưa nộp bản chính giấy chứng sinh.';
  const early = await act(ctx, desk.reception, d.id, { action: 'return_unsupplemented', note: reason });
  assert.equal(early.status, 409, 'not before the deadline');
  assert.equal(early.body.error.code, 'invalid_transition');
  ctx.clock.set('2026-12-02T10:00:01.000Z'); // 17:00:01 on Wednesday
  assert.equal((await act(ctx, desk.specialist, d.id, { action: 'return_unsupplemented', note: reason })).status, 403, 'the desk’s action');
  assert.equal((await act(ctx, desk.approver, d.id, { action: 'return_unsupplemented', note: reason })).status, 403);
  const noReason = await act(ctx, desk.reception, d.id, { action: 'return_unsupplemented' });
  assert.equal(noReason.status, 400);
  assert.equal(noReason.body.error.fields.note, 'Ghi rõ lý do.');
  const returned = await must(ctx, desk.reception, d.id, { action: 'return_unsupplemented', note: reason });
  assert.equal(returned.status, 'refused');
  assert.equal(returned.statusCode, 3);
  assert.equal((await row(d.id)).supplement_due_at, null);
  const f03 = pdfText((await doc(d.citizen, d.id, '03')).rawPayload).replace(/\s+/g, ' ');
  assert.ok(f03.includes('PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ') && f03.includes(`Lý do: ${reason}`), f03);
  assert.equal((await doc(d.citizen, d.id, '05')).statusCode, 409, 'not stopped: refused at intake');
  // The applicant was told of the new status.
  const told = await ctx.handle.db.selectFrom('outbox').select('params').where('template', '=', 'dossier_status_changed').execute();
  assert.ok(told.some((m) => (JSON.parse(m.params) as { code: string; status: string }).code === d.code && JSON.parse(m.params).status === 'Không được tiếp nhận'));
});

test('a supplement without a deadline is never returned for missing it', async () => {
  ctx.clock.set(monday0932);
  const d = await onlineDossier(ctx);
  await must(ctx, desk.reception, d.id, { action: 'request_supplement', missing: ['Bản chính giấy chứng sinh'] });
  ctx.clock.set('2026-12-28T02:00:00.000Z');
  assert.equal((await act(ctx, desk.reception, d.id, { action: 'return_unsupplemented', note: 'Quá lâu' })).status, 409);
});

test('return_unsupplemented during processing stops the dossier (an end state) with Form 05 naming the deadline; the queue shows the missed deadline first', async () => {
  ctx.clock.set(monday0932);
  const d = await counterDossier(ctx, desk.reception);
  await must(ctx, desk.reception, d.id, { action: 'transfer' });
  await must(ctx, desk.specialist, d.id, { action: 'request_supplement', missing: ['Giấy xác nhận nơi cư trú'], supplementDueAt: '2026-12-01' });
  const queued = async () => {
    const q = (await ctx.app.inject({ url: '/api/v1/office/queue?tab=paused', headers: desk.reception.auth })).json() as { items: Array<{ id: string; supplementDueAt: string | null; supplementOverdue: boolean }> };
    return q.items.find((i) => i.id === d.id);
  };
  assert.deepEqual(await queued().then((i) => [i?.supplementDueAt, i?.supplementOverdue]), ['2026-12-01T10:00:00.000Z', false]);
  ctx.clock.set('2026-12-02T01:00:00.000Z'); // Wednesday 08:00
  assert.equal((await queued())?.supplementOverdue, true);
  assert.equal((await doc(desk.reception, d.id, '05')).statusCode, 409, 'not stopped yet');
  const stopped = await must(ctx, desk.reception, d.id, { action: 'return_unsupplemented', note: 'Người nộp không bổ sung giấy xác nhận nơi cư trú trong thời hạn.' });
  assert.equal(stopped.status, 'suspended');
  assert.equal(stopped.statusCode, 8);
  assert.equal(stopped.overdue, false, 'a stopped dossier is never late');
  const text = pdfText((await doc(desk.reception, d.id, '05')).rawPayload);
  const flowing = text.replace(/\s+/g, ' ');
  assert.ok(flowing.includes('THÔNG BÁO Dừng giải quyết hồ sơ') && flowing.includes('Đã hết hạn bổ sung, hoàn thiện hồ sơ (17:00 ngày 01/12/2026)'), text);
  assert.ok(flowing.includes('Lý do: Người nộp không bổ sung giấy xác nhận nơi cư trú trong thời hạn.'));
  // An end state: nothing leads out, and the queue counts it among the closed.
  for (const action of ['resume', 'supplement', 'apologize', 'request_supplement', 'forward']) {
    assert.equal((await act(ctx, desk.approver, d.id, { action, note: 'x', newDueAt: '2026-12-20', missing: ['x'] })).status, 409, action);
  }
  const closed = (await ctx.app.inject({ url: '/api/v1/office/queue?tab=closed', headers: desk.reception.auth })).json() as { items: Array<{ id: string }> };
  assert.ok(closed.items.some((i) => i.id === d.id));
});

test('stopping: the leader stops processing with a reason, also in answer to a withdrawal request; resume is refused (409); Form 05 for the applicant and the office', async () => {
  ctx.clock.set(monday0932);
  const d = await dossierAt(ctx, desk, 'processing');
  assert.equal((await act(ctx, desk.approver, d.id, { action: 'suspend' })).status, 400, 'a reason is required');
  assert.equal((await act(ctx, desk.specialist, d.id, { action: 'suspend', note: 'x' })).status, 403, 'a leader’s decision');
  const asked = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/withdraw`, headers: d.citizen.auth, payload: { note: 'Tôi muốn dừng để bổ sung sau' } });
  assert.equal(asked.statusCode, 200);
  const stopped = await must(ctx, desk.approver, d.id, { action: 'suspend', note: 'Theo đơn đề nghị dừng giải quyết của người nộp.' });
  assert.equal(stopped.status, 'suspended');
  const resume = await act(ctx, desk.approver, d.id, { action: 'resume' });
  assert.equal(resume.status, 409);
  assert.equal(resume.body.error.code, 'invalid_transition');
  assert.equal((await act(ctx, desk.reception, d.id, { action: 'confirm_withdrawal' })).status, 409, 'the request was answered by the stop');
  assert.equal((await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/withdraw`, headers: d.citizen.auth, payload: {} })).statusCode, 409);
  const mine = await doc(d.citizen, d.id, '05');
  assert.equal(mine.statusCode, 200);
  assert.equal(mine.headers['content-type'], 'application/pdf');
  const flowing = pdfText(mine.rawPayload).replace(/\s+/g, ' ');
  for (const part of ['THÔNG BÁO', 'Dừng giải quyết hồ sơ', `Mã hồ sơ: ${d.code}`, 'Hồ sơ của: Nguyễn Thị Lan', 'Thủ tục: Đăng ký khai sinh',
    'theo đề nghị rút hồ sơ, dừng giải quyết hồ sơ của Ông/Bà', 'Lý do: Theo đơn đề nghị dừng giải quyết của người nộp.', 'THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ', 'Cán bộ approver']) {
    assert.ok(flowing.includes(part), `${part}\n${flowing}`);
  }
  const en = pdfText((await doc(desk.reception, d.id, '05', 'en')).rawPayload);
  assert.ok(en.includes('NOTICE') && en.includes('Processing of the dossier stopped'));
  // The dossier page lists Form 05 among its documents.
  const view = (await ctx.app.inject({ url: `/api/v1/dossiers/${d.id}`, headers: desk.reception.auth })).json();
  assert.equal(view.overdue, false);
});

test('a withdrawal request before processing or during a pause: the leader answers it with a stop (Form 05, at the applicant’s request); without a request no stop outside processing (409)', async () => {
  ctx.clock.set(monday0932);
  const accepted = await dossierAt(ctx, desk, 'accepted');
  const refused = await act(ctx, desk.approver, accepted.id, { action: 'suspend', note: 'Không có đề nghị.' });
  assert.equal(refused.status, 409, 'no request open: nothing to answer before processing');
  assert.equal(refused.body.error.code, 'invalid_transition');
  const paying = await dossierAt(ctx, desk, 'financial_obligation');
  assert.equal((await act(ctx, desk.approver, paying.id, { action: 'suspend', note: 'Không có đề nghị.' })).status, 409, 'nor during a financial obligation');
  const paused = await ctx.handle.db.selectFrom('dossiers').select(['due_at', 'paused_at']).where('id', '=', paying.id).executeTakeFirstOrThrow();
  assert.ok(paused.paused_at && paused.due_at, 'the clock stands still');
  ctx.clock.set('2026-12-02T02:32:00.000Z'); // Wednesday 09:32: two working days on hold

  for (const d of [accepted, paying]) {
    const asked = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/withdraw`, headers: d.citizen.auth, payload: { note: 'Tôi đề nghị dừng giải quyết hồ sơ' } });
    assert.equal(asked.statusCode, 200, asked.body);
    assert.equal((await act(ctx, desk.specialist, d.id, { action: 'suspend', note: 'x' })).status, 403, 'a leader’s decision');
    assert.equal((await act(ctx, desk.reception, d.id, { action: 'suspend', note: 'x' })).status, 403, 'the desk confirms the withdrawal instead');
    const stopped = await must(ctx, desk.approver, d.id, { action: 'suspend', note: 'Theo đơn đề nghị dừng giải quyết của người nộp.' });
    assert.equal(stopped.status, 'suspended');
    assert.equal(stopped.overdue, false);
    assert.equal((await act(ctx, desk.reception, d.id, { action: 'confirm_withdrawal' })).status, 409, 'the request was answered by the stop');
    const notice = await doc(d.citizen, d.id, '05');
    assert.equal(notice.statusCode, 200);
    const flowing = pdfText(notice.rawPayload).replace(/\s+/g, ' ');
    for (const part of ['Dừng giải quyết hồ sơ', `Mã hồ sơ: ${d.code}`, 'theo đề nghị rút hồ sơ, dừng giải quyết hồ sơ của Ông/Bà', 'Lý do: Theo đơn đề nghị dừng giải quyết của người nộp.']) {
      assert.ok(flowing.includes(part), `${part}\n${flowing}`);
    }
  }
  // Leaving the financial obligation ended the pause: the due time moved by the time on hold, and no pause is left open.
  const after = await ctx.handle.db.selectFrom('dossiers').select(['due_at', 'paused_at']).where('id', '=', paying.id).executeTakeFirstOrThrow();
  assert.equal(after.paused_at, null);
  assert.ok(after.due_at! > paused.due_at!, `${after.due_at} after ${paused.due_at}`);
});

test('withdrawal is not possible once the dossier is resolved: the request is 409, and an earlier open request can no longer be confirmed', async () => {
  const resolved = await dossierAt(ctx, desk, 'resolved');
  const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${resolved.id}/withdraw`, headers: resolved.citizen.auth, payload: {} });
  assert.equal(res.statusCode, 409);
  assert.equal(res.json().error.code, 'invalid_transition');
  // Asked while processing, not confirmed before the result: the result stands.
  const d = await dossierAt(ctx, desk, 'processing');
  assert.equal((await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/withdraw`, headers: d.citizen.auth, payload: {} })).statusCode, 200);
  const { attachResult } = await import('../../testing/office.ts');
  const { tinyPdf } = await import('../../testing/uploads.ts');
  assert.equal((await attachResult(ctx, desk.approver, d.id, tinyPdf)).status, 201);
  await must(ctx, desk.approver, d.id, { action: 'resolve' });
  assert.equal((await act(ctx, desk.reception, d.id, { action: 'confirm_withdrawal' })).status, 409);
});

test('the action list: return_unsupplemented is an office action of the API and its schema; an unknown one is 400', async () => {
  const spec = (await ctx.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: { properties: Record<string, { enum?: string[] }> } }> } }>> };
  const body = spec.paths['/api/v1/dossiers/{id}/actions']!.post!.requestBody.content['application/json']!.schema.properties;
  assert.ok(body.action!.enum!.includes('return_unsupplemented'));
  assert.ok(body.action!.enum!.includes('resume'), 'resume stays a name of the contract');
  assert.ok(body.supplementDueAt, 'the deadline field');
  const d = await onlineDossier(ctx);
  assert.equal((await act(ctx, desk.reception, d.id, { action: 'reopen' })).status, 400);
  const docs = spec.paths['/api/v1/dossiers/{id}/documents/{form}']!.get as unknown as { parameters: Array<{ name: string; schema: { enum?: string[] } }> };
  assert.deepEqual(docs.parameters.find((p) => p.name === 'form')!.schema.enum, ['02.pdf', '03.pdf', '04.pdf', '05.pdf', '06.pdf']);
});
