// The back office's payment pages (docs/domain.md §8.2): what is owed, paid and to refund in the
// officer's units, paged; cash at the counter (exactly the amount due, else 400 in vi/en with what
// was typed kept; then the receipt prints); a refund recorded with a note; permissions per role.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { signedInStaff, communeUnit } from '../../testing/fixtures.ts';
import { deskAt, onlineDossier, must, type Desk } from '../../testing/office.ts';
import { PageBrowser } from '../../testing/page-browser.ts';
import { newReference } from '../../domain/fees.ts';
import { insertPayment } from './payments.queries.ts';

let ctx: TestContext;
let desk: Desk;
let dossierId: string;
let code: string;

before(async () => {
  ctx = await createTestContext();
  desk = await deskAt(ctx);
  const d = await onlineDossier(ctx);
  await must(ctx, desk.reception, d.id, { action: 'accept' });
  dossierId = d.id;
  code = d.code;
});
after(() => ctx.close());

async function request(amountVnd: number, set: Partial<{ status: string; refund_due: number; paid_at: string; method: string; receipt_series: string; receipt_no: string }> = {}) {
  const id = randomUUID();
  const at = ctx.clock.now().toISOString();
  await insertPayment(ctx.handle.db, {
    id, dossier_id: dossierId, purpose: 'fee', stage: 'before_result', amount_vnd: amountVnd, status: 'due', method: null, reference: newReference(), detail: {}, unit_id: communeUnit,
    receipt_series: null, receipt_no: null, paid_at: null, paid_by: null, gateway_ref: null, refunded_at: null, refunded_by: null, created_at: at, updated_at: at, ...set,
  });
  return id;
}

function browser(who: { token: string }) {
  const b = new PageBrowser(ctx.app);
  b.cookies.set('motcua_session', who.token);
  return b;
}

/** A browser that has opened a page, so it holds the form token. */
async function opened(who: { token: string }) {
  const b = browser(who);
  await b.get('/');
  return b;
}

test('cash at the counter: the wrong amount is 400 (vi, en) with what was typed kept and nothing paid; the exact amount settles with method cash, and the receipt prints', async () => {
  const id = await request(25000);
  const b = browser(desk.reception);
  const list = await b.get('/can-bo/thanh-toan');
  assert.equal(list.statusCode, 200);
  assert.equal(list.headers['cache-control'], 'no-store');
  assert.match(list.body, new RegExp(`data-payment="${id}"`));
  assert.match(list.body, new RegExp(`>${code.replace(/\./g, '\\.')}</a>`));
  const wrong = await b.post(`/can-bo/thanh-toan/${id}/tien-mat`, { amountVnd: '20.000' });
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, new RegExp(`<a href="#amountVnd-${id}">Số tiền nhận phải đúng bằng số tiền phải nộp: 25\\.000 đồng\\.`));
  assert.match(wrong.body, /value="20\.000"/, 'what was typed is kept');
  const en = await (await opened(desk.reception)).post(`/can-bo/thanh-toan/${id}/tien-mat?lang=en`, { amountVnd: 'hai mươi' });
  assert.equal(en.statusCode, 400);
  assert.match(en.body, /The amount received must be exactly the amount due/);
  assert.equal((await ctx.services.payments.payment(id))!.status, 'due');
  const ok = await b.post(`/can-bo/thanh-toan/${id}/tien-mat`, { amountVnd: '25.000' });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/can-bo/thanh-toan?xem=paid&xong=cash');
  const p = (await ctx.services.payments.payment(id))!;
  assert.deepEqual([p.status, p.method, p.paid_by], ['paid', 'cash', desk.reception.user.id]);
  const paid = await b.get(ok.headers.location as string);
  assert.match(paid.body, /Đã ghi nhận khoản thu tiền mặt/);
  const receipt = new RegExp(`href="(/api/v1/dossiers/${dossierId}/payments/${id}/receipt\\.pdf)"`).exec(paid.body)?.[1];
  assert.ok(receipt, 'a receipt link');
  assert.equal((await b.post(`/can-bo/thanh-toan/${id}/tien-mat`, { amountVnd: '25000' })).statusCode, 409, 'paid once');
});

test('a refund owed: the note is required; recorded once, the payment becomes refunded and the note is in the audit chain', async () => {
  const id = await request(60000, { status: 'paid', refund_due: 1, method: 'vnpay', paid_at: ctx.clock.now().toISOString(), receipt_series: 'X', receipt_no: '1' });
  const unitAdmin = await signedInStaff(ctx, 'unit_admin', communeUnit);
  const b = browser(unitAdmin);
  const list = await b.get('/can-bo/thanh-toan?xem=refund');
  assert.match(list.body, new RegExp(`data-payment="${id}"`));
  const noNote = await b.post(`/can-bo/thanh-toan/${id}/hoan-tien`, { note: '' });
  assert.equal(noNote.statusCode, 400);
  assert.match(noNote.body, new RegExp(`<a href="#note-${id}">`));
  const done = await b.post(`/can-bo/thanh-toan/${id}/hoan-tien`, { note: 'Trả lại 60.000 đồng tiền mặt cho người nộp' });
  assert.equal(done.statusCode, 303);
  assert.equal((await ctx.services.payments.payment(id))!.status, 'refunded');
  const notes = await ctx.handle.db.selectFrom('audit_log').select('data').where('kind', '=', 'payment_refund_note').where('subject', '=', `payment:${id}`).execute();
  assert.equal(notes.length, 1);
  assert.match(notes[0]!.data, /Trả lại 60\.000 đồng/);
  assert.equal((await b.post(`/can-bo/thanh-toan/${id}/hoan-tien`, { note: 'lần hai' })).statusCode, 409);
});

test('the lists are paged, for a queue of hundreds, in the officer\'s units only', async () => {
  for (let i = 0; i < 120; i++) await request(1000 + i);
  const b = browser(desk.reception);
  const first = await b.get('/can-bo/thanh-toan?xem=due');
  const rows = (html: string) => [...html.matchAll(/data-payment="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(rows(first.body).length, 50);
  assert.match(first.body, /120 khoản/);
  const next = /href="([^"]*tu=50[^"]*)"/.exec(first.body)?.[1]?.replace(/&amp;/g, '&');
  assert.ok(next);
  const second = await b.get(next!);
  assert.equal(rows(second.body).length, 50);
  assert.ok(!rows(second.body).some((r) => rows(first.body).includes(r)), 'no row twice');
  const byCode = await b.get(`/can-bo/thanh-toan?xem=due&ma=${encodeURIComponent(code)}`);
  assert.match(byCode.body, /120 khoản/);
  // Another commune's reception sees none of them.
  const other = browser(await signedInStaff(ctx, 'reception', 'go-cong-phuong-1'));
  assert.match((await other.get('/can-bo/thanh-toan?xem=due')).body, /0 khoản/);
});

test('permissions per role: reading for reception, unit and province admins; cash for reception only; refunds for reception and unit admins; other readers of the dossier 403; anyone else 404', async () => {
  const id = await request(5000);
  const refundable = await request(7000, { status: 'paid', refund_due: 1, method: 'cash', paid_at: ctx.clock.now().toISOString(), receipt_series: 'X', receipt_no: '2' });
  const roles = {
    reception: desk.reception, specialist: desk.specialist, approver: desk.approver, clerk: desk.clerk, postal: desk.postal,
    unit_admin: await signedInStaff(ctx, 'unit_admin', communeUnit),
    province_admin: await signedInStaff(ctx, 'province_admin', 'tien-giang', true),
    auditor: await signedInStaff(ctx, 'auditor', communeUnit),
  };
  const expect = {
    list: { reception: 200, unit_admin: 200, province_admin: 200, specialist: 403, approver: 403, clerk: 403, postal: 403, auditor: 403 },
    cash: { reception: 400, unit_admin: 403, province_admin: 403, specialist: 403, approver: 403, clerk: 403, postal: 403, auditor: 403 },
    refund: { reception: 400, unit_admin: 400, province_admin: 403, specialist: 403, approver: 403, clerk: 403, postal: 403, auditor: 403 },
  } as const;
  for (const [role, who] of Object.entries(roles) as Array<[keyof typeof roles, (typeof roles)[keyof typeof roles]]>) {
    const b = await opened(who);
    assert.equal((await b.get('/can-bo/thanh-toan')).statusCode, expect.list[role], `${role} list`);
    // A wrong amount and an empty note: those allowed get the form's 400 and nothing changes.
    assert.equal((await b.post(`/can-bo/thanh-toan/${id}/tien-mat`, { amountVnd: '1' })).statusCode, expect.cash[role], `${role} cash`);
    assert.equal((await b.post(`/can-bo/thanh-toan/${refundable}/hoan-tien`, { note: '' })).statusCode, expect.refund[role], `${role} refund`);
  }
  const citizen = await opened((await onlineDossier(ctx)).citizen);
  assert.equal((await citizen.get('/can-bo/thanh-toan')).statusCode, 403);
  assert.equal((await citizen.post(`/can-bo/thanh-toan/${id}/tien-mat`, { amountVnd: '5000' })).statusCode, 404);
  assert.equal((await ctx.app.inject({ url: '/can-bo/thanh-toan' })).statusCode, 303);
  const outside = await opened(await signedInStaff(ctx, 'reception', 'go-cong-phuong-1'));
  assert.equal((await outside.post(`/can-bo/thanh-toan/${id}/tien-mat`, { amountVnd: '5000' })).statusCode, 404, 'another unit never learns of it');
  assert.equal((await ctx.services.payments.payment(id))!.status, 'due');
});
