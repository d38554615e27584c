// Payments through the API: the IPN's bad-input rows, a double click, a forged return, settling
// under concurrency, the stage blocks, refunds owed, and who may do what.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { TestContext } from '../../testing/context.ts';
import { deskAt, must, act, type Desk } from '../../testing/office.ts';
import { signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { ipn, ipnQuery, paidDossier, paymentsWorld, startVnpay } from '../../testing/payments.ts';

let ctx: TestContext;
let desk: Desk;
before(async () => {
  ctx = await paymentsWorld();
  desk = await deskAt(ctx);
});
after(() => ctx.close());

const payment = (id: string) => ctx.handle.db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

test('a dossier of a paid procedure owes its fee before intake from submission; the desk cannot accept until it is paid', async () => {
  const d = await paidDossier(ctx);
  const p = await payment(d.paymentId);
  assert.deepEqual([p.stage, p.status, p.amount_vnd, p.purpose], ['before_intake', 'due', 8000, 'fee']);
  assert.match(p.reference, /^MC[A-Z0-9]{10}$/);
  const refused = await act(ctx, desk.reception, d.id, { action: 'accept' });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error.code, 'payment_due');
  assert.match(refused.body.error.message, /chưa nộp/);
  const en = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/actions`, headers: { ...desk.reception.auth, 'accept-language': 'en' }, payload: { action: 'accept' } });
  assert.match(en.json().error.message, /unpaid/);
  assert.equal((await ctx.services.dossiers.find(d.id))!.status, 'submitted', 'nothing changed');
  const { txnRef } = await startVnpay(ctx, d.citizen.auth, d.id, d.paymentId);
  assert.deepEqual(await ipn(ctx, ipnQuery(txnRef, 8000)), { RspCode: '00', Message: 'Confirm Success' });
  await must(ctx, desk.reception, d.id, { action: 'accept' });
});

test('IPN bad inputs: 97 changes nothing, 01 unknown order, 04 wrong amount, 02 replay; a failure code fails the attempt', async () => {
  const d = await paidDossier(ctx);
  const { txnRef, amount } = await startVnpay(ctx, d.citizen.auth, d.id, d.paymentId);
  assert.equal(amount, '800000');
  const beforeRow = await payment(d.paymentId);
  assert.equal(beforeRow.status, 'pending');
  assert.equal((await ipn(ctx, ipnQuery(txnRef, 8000, { secret: 'a forger does not know the secret' }))).RspCode, '97');
  const tampered = ipnQuery(txnRef, 8000).replace('vnp_Amount=800000', 'vnp_Amount=100');
  assert.equal((await ipn(ctx, tampered)).RspCode, '97');
  assert.deepEqual(await payment(d.paymentId), beforeRow, '97: nothing changes');
  assert.equal((await ipn(ctx, ipnQuery('MCUNKNOWN000A1', 8000))).RspCode, '01');
  assert.equal((await ipn(ctx, ipnQuery(txnRef, 8000, { tmn: 'OTHERTMN' }))).RspCode, '01');
  assert.equal((await ipn(ctx, ipnQuery(txnRef, 7000))).RspCode, '04');
  assert.equal((await payment(d.paymentId)).status, 'pending');
  assert.equal((await ipn(ctx, ipnQuery(txnRef, 8000, { code: '24', status: '02' }))).RspCode, '00');
  assert.equal((await payment(d.paymentId)).status, 'failed');
  assert.equal((await ipn(ctx, ipnQuery(txnRef, 8000))).RspCode, '02', 'an attempt already confirmed as failed');
  // A new try gets a new TxnRef; its success pays once; the replay answers 02.
  const again = await startVnpay(ctx, d.citizen.auth, d.id, d.paymentId);
  assert.notEqual(again.txnRef, txnRef);
  assert.equal((await ipn(ctx, ipnQuery(again.txnRef, 8000))).RspCode, '00');
  const paid = await payment(d.paymentId);
  assert.deepEqual([paid.status, paid.method, paid.gateway_ref], ['paid', 'vnpay', '14000001']);
  assert.match(paid.receipt_no!, /^\d{7}$/);
  assert.equal((await ipn(ctx, ipnQuery(again.txnRef, 8000))).RspCode, '02');
  assert.deepEqual(await payment(d.paymentId), paid, 'a replay changes nothing');
  assert.equal((await ipn(ctx, 'vnp_TxnRef=x')).RspCode, '97');
});

test('a double click on "pay" makes one attempt and one payment', async () => {
  const d = await paidDossier(ctx);
  const [a, b] = await Promise.all([startVnpay(ctx, d.citizen.auth, d.id, d.paymentId), startVnpay(ctx, d.citizen.auth, d.id, d.paymentId)]);
  assert.equal(a.txnRef, b.txnRef);
  assert.equal(a.url.toString(), b.url.toString());
  const attempts = await ctx.handle.db.selectFrom('payment_attempts').selectAll().where('payment_id', '=', d.paymentId).execute();
  assert.equal(attempts.length, 1);
  const rows = await ctx.handle.db.selectFrom('payments').selectAll().where('dossier_id', '=', d.id).execute();
  assert.equal(rows.length, 1);
  await Promise.all([ipn(ctx, ipnQuery(a.txnRef, 8000)), ipn(ctx, ipnQuery(a.txnRef, 8000))]);
  const audit = await ctx.handle.db.selectFrom('audit_log').select('kind').where('subject', '=', `payment:${d.paymentId}`).execute();
  assert.equal(audit.length, 1, 'paid once');
});

test('a VNPay success for a request paid meanwhile in cash is a second payment: recorded (00), its refund flagged, audited once; its replay answers 02', async () => {
  const d = await paidDossier(ctx);
  const { txnRef } = await startVnpay(ctx, d.citizen.auth, d.id, d.paymentId);
  assert.equal(await ctx.services.payments.settle({ paymentId: d.paymentId, method: 'cash', amountVnd: 8000, gatewayRef: null, by: desk.reception.user.id, at: ctx.clock.now() }), 'paid');
  const cash = await payment(d.paymentId);
  assert.deepEqual([cash.status, cash.method, cash.refund_due], ['paid', 'cash', 0]);
  assert.deepEqual(await ipn(ctx, ipnQuery(txnRef, 8000)), { RspCode: '00', Message: 'Confirm Success' });
  const after = await payment(d.paymentId);
  assert.deepEqual([after.status, after.method, after.receipt_no, after.refund_due], ['paid', 'cash', cash.receipt_no, 1], 'the cash receipt stands; the second payment is owed back');
  const attempt = await ctx.handle.db.selectFrom('payment_attempts').selectAll().where('txn_ref', '=', txnRef).executeTakeFirstOrThrow();
  assert.deepEqual([attempt.status, attempt.gateway_ref], ['succeeded', '14000001']);
  const duplicates = () => ctx.handle.db.selectFrom('audit_log').selectAll().where('kind', '=', 'payment_duplicate').where('subject', '=', `payment:${d.paymentId}`).execute();
  const entries = await duplicates();
  assert.equal(entries.length, 1);
  assert.deepEqual(JSON.parse(entries[0]!.data), { dossier: d.id, method: 'vnpay', txnRef, gatewayRef: '14000001', amountVnd: 8000 });
  assert.equal((await ipn(ctx, ipnQuery(txnRef, 8000))).RspCode, '02', 'a replay of it');
  assert.deepEqual(await payment(d.paymentId), after, 'a replay changes nothing');
  assert.equal((await duplicates()).length, 1, 'audited once');
  assert.ok((await ctx.services.payments.list({ unitIds: ['my-tho-phuong-5'], refundDue: true })).some((p) => p.id === d.paymentId), 'in the refund list');
});

test('a browser return with forged success parameters does not pay', async () => {
  const d = await paidDossier(ctx);
  const { txnRef } = await startVnpay(ctx, d.citizen.auth, d.id, d.paymentId);
  const forged = ipnQuery(txnRef, 8000, { secret: 'guessed secret, not the terminal one' });
  const page = await ctx.app.inject({ method: 'GET', url: `/thanh-toan/vnpay/ket-qua?${forged}`, headers: d.citizen.auth });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Không xác thực được/);
  assert.equal(page.headers['cache-control'], 'no-store');
  // Even a correctly signed success return only shows the state: the IPN alone pays.
  const genuine = await ctx.app.inject({ method: 'GET', url: `/thanh-toan/vnpay/ket-qua?${ipnQuery(txnRef, 8000)}` });
  assert.match(genuine.body, /đang chờ xác nhận/);
  assert.equal((await payment(d.paymentId)).status, 'pending');
});

test('ten settlements at once: one is paid, one receipt number is taken', async () => {
  const d = await paidDossier(ctx);
  const at = ctx.clock.now();
  const results = await Promise.all(Array.from({ length: 10 }, () => ctx.services.payments.settle({ paymentId: d.paymentId, method: 'cash', amountVnd: 8000, gatewayRef: null, by: desk.reception.user.id, at })));
  assert.equal(results.filter((r) => r === 'paid').length, 1);
  assert.equal(results.filter((r) => r === 'already_paid').length, 9);
  const p = await payment(d.paymentId);
  const counters = await ctx.handle.db.selectFrom('payment_receipt_counters').selectAll().where('series', '=', p.receipt_series!).execute();
  const numbers = await ctx.handle.db.selectFrom('payments').select('receipt_no').where('receipt_series', '=', p.receipt_series!).execute();
  assert.equal(counters[0]!.last, numbers.length, 'no number skipped or taken twice');
  assert.equal(new Set(numbers.map((n) => n.receipt_no)).size, numbers.length);
  assert.equal(p.paid_by, desk.reception.user.id);
  assert.equal(await ctx.services.payments.settle({ paymentId: d.paymentId, method: 'cash', amountVnd: 1, gatewayRef: null, by: null, at }), 'already_paid');
  assert.equal(await ctx.services.payments.settle({ paymentId: 'nope', method: 'cash', amountVnd: 1, gatewayRef: null, by: null, at }), 'not_found');
  const other = await paidDossier(ctx);
  assert.equal(await ctx.services.payments.settle({ paymentId: other.paymentId, method: 'vietqr', amountVnd: 7999, gatewayRef: null, by: null, at }), 'amount_mismatch');
  assert.equal((await ctx.services.payments.byReference((await payment(other.paymentId)).reference.toLowerCase()))!.id, other.paymentId);
});

test('a dossier paid in advance that is refused or withdrawn owes a refund; an unpaid one is cancelled', async () => {
  const refused = await paidDossier(ctx);
  await ctx.services.payments.settle({ paymentId: refused.paymentId, method: 'cash', amountVnd: 8000, gatewayRef: null, by: desk.reception.user.id, at: ctx.clock.now() });
  await must(ctx, desk.reception, refused.id, { action: 'refuse', note: 'Không thuộc thẩm quyền' });
  assert.deepEqual([(await payment(refused.paymentId)).status, (await payment(refused.paymentId)).refund_due], ['paid', 1]);
  const list = await ctx.services.payments.list({ unitIds: ['my-tho-phuong-5'], refundDue: true });
  assert.ok(list.some((p) => p.id === refused.paymentId));
  await ctx.services.payments.markRefunded(refused.paymentId, desk.reception.user.id, ctx.clock.now());
  assert.deepEqual([(await payment(refused.paymentId)).status, (await payment(refused.paymentId)).refund_due], ['refunded', 0]);

  const withdrawn = await paidDossier(ctx);
  const { txnRef } = await startVnpay(ctx, withdrawn.citizen.auth, withdrawn.id, withdrawn.paymentId);
  await ipn(ctx, ipnQuery(txnRef, 8000));
  await must(ctx, desk.reception, withdrawn.id, { action: 'accept' });
  assert.equal((await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${withdrawn.id}/withdraw`, headers: withdrawn.citizen.auth, payload: {} })).statusCode, 200);
  await must(ctx, desk.reception, withdrawn.id, { action: 'confirm_withdrawal' });
  assert.equal((await payment(withdrawn.paymentId)).refund_due, 1);

  const unpaid = await paidDossier(ctx);
  await must(ctx, desk.reception, unpaid.id, { action: 'refuse', note: 'Sai thủ tục' });
  assert.deepEqual([(await payment(unpaid.paymentId)).status, (await payment(unpaid.paymentId)).refund_due], ['cancelled', 0]);
  const start = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${unpaid.id}/payments/${unpaid.paymentId}/start`, headers: unpaid.citizen.auth, payload: { method: 'vnpay' } });
  assert.equal(start.json().error.code, 'payment_not_due');
});

test('a refusal racing a settlement: whichever commits first, the payment ends paid with its refund flagged', async () => {
  const { moveStatus } = await import('./payments.queries.ts');
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // The refusal's cancel commits while a settlement that read the row before it waits (PostgreSQL:
  // the settlement's conditional UPDATE sees the cancelled row; SQLite runs them one after the other).
  const first = await paidDossier(ctx);
  let settling!: Promise<string>;
  await ctx.handle.db.transaction().execute(async (tx) => {
    assert.ok(await moveStatus(tx, first.paymentId, ['due', 'pending', 'failed'], { status: 'cancelled', at: ctx.clock.now().toISOString() }));
    settling = ctx.services.payments.settle({ paymentId: first.paymentId, method: 'cash', amountVnd: 8000, gatewayRef: null, by: desk.reception.user.id, at: ctx.clock.now() });
    await sleep(150);
  });
  assert.equal(await settling, 'paid');
  assert.deepEqual([(await payment(first.paymentId)).status, (await payment(first.paymentId)).refund_due], ['paid', 1]);
  // The settlement commits while the refusal, which read the payment as still owed, waits.
  const second = await paidDossier(ctx);
  let refusing!: ReturnType<typeof act>;
  await ctx.handle.db.transaction().execute(async (tx) => {
    assert.equal(await ctx.services.payments.settle({ paymentId: second.paymentId, method: 'cash', amountVnd: 8000, gatewayRef: null, by: desk.reception.user.id, at: ctx.clock.now() }, tx), 'paid');
    refusing = act(ctx, desk.reception, second.id, { action: 'refuse', note: 'Không thuộc thẩm quyền' });
    await sleep(150);
  });
  assert.equal((await refusing).status, 200);
  assert.equal((await ctx.services.dossiers.find(second.id))!.status, 'refused');
  assert.deepEqual([(await payment(second.paymentId)).status, (await payment(second.paymentId)).refund_due], ['paid', 1]);
});

test('amounts beyond 32 bits: an obligation of 3,000,000,000 VND is asked and paid', async () => {
  const d = await paidDossier(ctx);
  await ctx.services.payments.settle({ paymentId: d.paymentId, method: 'cash', amountVnd: 8000, gatewayRef: null, by: desk.reception.user.id, at: ctx.clock.now() });
  await must(ctx, desk.reception, d.id, { action: 'accept' });
  await must(ctx, desk.reception, d.id, { action: 'transfer' });
  const id = await ctx.services.payments.requestObligation(desk.specialist.user, d.id, { amountVnd: 3_000_000_000 });
  assert.equal((await payment(id)).amount_vnd, 3_000_000_000);
  const listed = await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}/payments`, headers: d.citizen.auth });
  assert.ok((listed.json().items as Array<{ id: string; amountVnd: number }>).some((p) => p.id === id && p.amountVnd === 3_000_000_000));
  assert.equal(await ctx.services.payments.settle({ paymentId: id, method: 'cash', amountVnd: 3_000_000_000, gatewayRef: null, by: desk.reception.user.id, at: ctx.clock.now() }), 'paid');
  assert.equal((await ctx.services.dossiers.find(d.id))!.status, 'in_process');
});

test('a fee collected after: the result is not handed back until it is paid', async () => {
  const version = await ctx.handle.db.selectFrom('procedure_versions').selectAll().where('procedure_id', '=', 'cap-ban-sao-trich-luc-ho-tich').executeTakeFirstOrThrow();
  const content = JSON.parse(version.content);
  const original = version.content;
  content.fees = [{ kind: 'fixed', amountVnd: 8000, collect: 'after', note: null }];
  await ctx.handle.db.updateTable('procedure_versions').set({ content: JSON.stringify(content) }).where('procedure_id', '=', version.procedure_id).where('version', '=', version.version).execute();
  try {
    const d = await paidDossier(ctx);
    assert.equal((await payment(d.paymentId)).stage, 'before_result');
    await must(ctx, desk.reception, d.id, { action: 'accept' });
    await must(ctx, desk.reception, d.id, { action: 'transfer' });
    const { attachResult } = await import('../../testing/office.ts');
    const { tinyPdf } = await import('../../testing/uploads.ts');
    assert.equal((await attachResult(ctx, desk.approver, d.id, tinyPdf)).status, 201);
    await must(ctx, desk.approver, d.id, { action: 'resolve' });
    const blocked = await act(ctx, desk.reception, d.id, { action: 'return_result', receivedBy: 'Nguyễn Thị Lan' });
    assert.deepEqual([blocked.status, blocked.body.error.code], [409, 'payment_due']);
    await ctx.services.payments.settle({ paymentId: d.paymentId, method: 'cash', amountVnd: 8000, gatewayRef: null, by: desk.reception.user.id, at: ctx.clock.now() });
    await must(ctx, desk.reception, d.id, { action: 'return_result', receivedBy: 'Nguyễn Thị Lan' });
  } finally {
    await ctx.handle.db.updateTable('procedure_versions').set({ content: original }).where('procedure_id', '=', version.procedure_id).where('version', '=', version.version).execute();
  }
});

test('a financial obligation asked during processing is fulfilled by paying it (actor: system)', async () => {
  const d = await paidDossier(ctx);
  await ctx.services.payments.settle({ paymentId: d.paymentId, method: 'cash', amountVnd: 8000, gatewayRef: null, by: desk.reception.user.id, at: ctx.clock.now() });
  await must(ctx, desk.reception, d.id, { action: 'accept' });
  await must(ctx, desk.reception, d.id, { action: 'transfer' });
  const ask = (auth: Record<string, string>, payload: Record<string, unknown>) => ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/payments`, headers: auth, payload });
  assert.equal((await ask(desk.reception.auth, { amountVnd: 50000 })).statusCode, 403, 'the desk does not hold the step');
  assert.equal((await ask(d.citizen.auth, { amountVnd: 50000 })).statusCode, 403, 'the applicant cannot ask for money');
  for (const amountVnd of [undefined, 0, -5, 1.5, '50000']) {
    const bad = await ask(desk.specialist.auth, amountVnd === undefined ? {} : { amountVnd });
    assert.equal(bad.statusCode, 400, String(amountVnd));
    assert.ok(bad.json().error.fields.amountVnd, bad.body);
  }
  assert.equal((await ctx.services.dossiers.find(d.id))!.status, 'in_process', 'a refused request changes nothing');
  const asked = await ask(desk.specialist.auth, { amountVnd: 50000, purpose: 'charge', note: 'Phí thẩm định' });
  assert.equal(asked.statusCode, 201, asked.body);
  const id = asked.json().id as string;
  assert.equal((await ctx.services.dossiers.find(d.id))!.status, 'financial_obligation');
  assert.equal((await payment(id)).stage, 'before_processing');
  const { txnRef } = await startVnpay(ctx, d.citizen.auth, d.id, id);
  assert.equal((await ipn(ctx, ipnQuery(txnRef, 50000))).RspCode, '00');
  assert.equal((await ctx.services.dossiers.find(d.id))!.status, 'in_process');
  const log = await ctx.handle.db.selectFrom('dossier_actions').select(['action', 'actor_role']).where('dossier_id', '=', d.id).orderBy('at').execute();
  assert.deepEqual(log.at(-1), { action: 'fulfil_financial_obligation', actor_role: 'system' });
});

test('who may see and start payments: the applicant, staff in scope (read only), nobody else', async () => {
  const d = await paidDossier(ctx);
  const stranger = await signedInCitizen(ctx, 'Người Lạ');
  const otherUnit = await signedInStaff(ctx, 'reception', 'cai-be-xa-hau-my-bac-a');
  const get = (auth: Record<string, string>) => ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}/payments`, headers: auth });
  const start = (auth: Record<string, string>) => ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/payments/${d.paymentId}/start`, headers: auth, payload: { method: 'vnpay' } });
  const receipt = (auth: Record<string, string>) => ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}/payments/${d.paymentId}/receipt.pdf`, headers: auth });
  assert.equal((await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}/payments` })).statusCode, 401);
  const own = await get(d.citizen.auth);
  assert.equal(own.statusCode, 200);
  assert.equal(own.headers['cache-control'], 'no-store');
  for (const who of [desk.reception, desk.specialist, desk.approver, desk.clerk]) assert.equal((await get(who.auth)).statusCode, 200);
  assert.equal((await get(stranger.auth)).statusCode, 404);
  assert.equal((await get(otherUnit.auth)).statusCode, 404);
  assert.equal((await start(stranger.auth)).statusCode, 404);
  assert.equal((await start(desk.reception.auth)).statusCode, 403);
  assert.equal((await start(d.citizen.auth)).statusCode, 200);
  const bad = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/payments/${d.paymentId}/start`, headers: d.citizen.auth, payload: { method: 'bitcoin' } });
  assert.equal(bad.statusCode, 400);
  const qr = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/payments/nope/start`, headers: d.citizen.auth, payload: { method: 'vnpay' } });
  assert.deepEqual([qr.statusCode, qr.json().error.code], [404, 'payment_not_found']);
  const early = await receipt(d.citizen.auth);
  assert.deepEqual([early.statusCode, early.json().error.code], [409, 'payment_not_paid']);
  assert.equal((await receipt(stranger.auth)).statusCode, 404);
});
