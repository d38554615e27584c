// Bank statement reconciliation (docs/domain.md §8.2), through the back office's pages without
// JavaScript: a line naming a VietQR payment still owed, for exactly its amount, is applied (once,
// with its receipt); a line naming no request, a wrong amount or a paid request is listed for review
// and never applied; a re-import applies nothing twice; a malformed file is refused whole (vi/en).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { signedInStaff, communeUnit } from '../../testing/fixtures.ts';
import { deskAt, multipartFields, onlineDossier, must, type Desk } from '../../testing/office.ts';
import { PageBrowser } from '../../testing/page-browser.ts';
import { defaultSettings } from '../../services.ts';
import { illustrativePayee } from '../../domain/vietqr.ts';
import { newReference } from '../../domain/fees.ts';
import { insertPayment } from './payments.queries.ts';

let ctx: TestContext;
let desk: Desk;
let admin: Awaited<ReturnType<typeof signedInStaff>>;
let dossierId: string;

before(async () => {
  ctx = await createTestContext({ settings: { ...defaultSettings, vietqr: illustrativePayee } });
  desk = await deskAt(ctx);
  admin = await signedInStaff(ctx, 'province_admin', 'tien-giang', true);
  const d = await onlineDossier(ctx);
  await must(ctx, desk.reception, d.id, { action: 'accept' });
  dossierId = d.id;
});
after(() => ctx.close());

/** A payment request of the dossier (a real row, as PaymentsService makes them), owed before the result. */
async function request(amountVnd: number, status: 'due' | 'pending' = 'pending', method: 'vietqr' | 'vnpay' | null = 'vietqr') {
  const id = randomUUID();
  const reference = newReference();
  const at = ctx.clock.now().toISOString();
  await insertPayment(ctx.handle.db, {
    id, dossier_id: dossierId, purpose: 'fee', stage: 'before_result', amount_vnd: amountVnd, status, method, reference, detail: {}, unit_id: communeUnit,
    receipt_series: null, receipt_no: null, paid_at: null, paid_by: null, gateway_ref: null, refunded_at: null, refunded_by: null, created_at: at, updated_at: at,
  });
  return { id, reference };
}

async function browser(who: { token: string }) {
  const b = new PageBrowser(ctx.app);
  b.cookies.set('motcua_session', who.token);
  await b.get('/can-bo/thanh-toan/sao-ke');
  return b;
}

async function upload(b: PageBrowser, csv: string, name = 'sao-ke.csv', lang?: 'en') {
  const { body, contentType } = multipartFields({ _csrf: b.cookies.get('motcua_csrf') ?? '' }, { name, type: 'text/csv', bytes: Buffer.from(csv, 'utf8') });
  return ctx.app.inject({ method: 'POST', url: `/can-bo/thanh-toan/sao-ke${lang ? '?lang=en' : ''}`, headers: { cookie: b.cookieHeader, 'content-type': contentType }, payload: body });
}

const payment = (id: string) => ctx.services.payments.payment(id);

test('a Vietnamese bank export: the matching line is applied once with its receipt (whatever method was last started); no reference, an unknown one, a wrong amount: review, never applied; outgoing skipped', async () => {
  const good = await request(120000);
  const due = await request(45000, 'due', null);
  const wrong = await request(50000);
  const vnpay = await request(70000, 'pending', 'vnpay');
  const csv = '\uFEFFSAO KÊ TÀI KHOẢN;;;;;\n'
    + 'STT;Ngày giao dịch;Số tham chiếu;Ghi nợ;Ghi có;Nội dung\n'
    + `1;12/05/2026 09:15:02;FT001;;120.000;"CT DEN: ${good.reference} NGUYEN VAN A"\n`
    + `2;12/05/2026 09:20:00;FT002;;45.000;nop phi ${due.reference.toLowerCase()}\n`
    + '3;12/05/2026 10:00:00;FT003;;200.000;chuyen tien hoc phi\n'
    + '4;12/05/2026 10:05:00;FT004;;99.000;MCZZZZZZZZZZ nop phi\n'
    + `5;12/05/2026 10:10:00;FT005;;5.000.000;${wrong.reference}\n`
    + `6;12/05/2026 10:15:00;FT006;;70.000;${vnpay.reference}\n`
    + '7;12/05/2026 11:00:00;FT007;22.000;;Phi SMS\n';
  const b = await browser(admin);
  const res = await upload(b, csv);
  assert.equal(res.statusCode, 303, res.body);
  const result = await b.get(res.headers.location as string);
  assert.equal(result.statusCode, 200);
  assert.equal(result.headers['cache-control'], 'no-store');
  assert.match(result.body, /Dòng tiền vào: 6; đã ghi nhận: 3; cần xem xét: 3; đã nhập trước đây: 0; dòng tiền ra \(bỏ qua\): 1\./);
  const outcome = (txn: string) => new RegExp(`data-line="${txn}" data-outcome="([a-z]+)"`).exec(result.body)?.[1];
  assert.deepEqual(['FT001', 'FT002', 'FT003', 'FT004', 'FT005', 'FT006'].map(outcome), ['applied', 'applied', 'review', 'review', 'review', 'applied']);
  assert.match(result.body, /Nội dung không có mã thanh toán/);
  assert.match(result.body, /Mã thanh toán không khớp khoản nào/);
  assert.match(result.body, /Số tiền khác số phải nộp/);

  const paid = (await payment(good.id))!;
  assert.equal(paid.status, 'paid');
  assert.equal(paid.method, 'vietqr');
  assert.equal(paid.gateway_ref, 'FT001');
  assert.ok(paid.receipt_no && !paid.receipt_no.startsWith('pending'), 'a numbered receipt');
  assert.equal((await payment(due.id))!.status, 'paid', 'a due request paid with its reference');
  assert.notEqual((await payment(wrong.id))!.status, 'paid', 'never applied');
  const byTransfer = (await payment(vnpay.id))!;
  assert.deepEqual([byTransfer.status, byTransfer.method, byTransfer.gateway_ref], ['paid', 'vietqr', 'FT006'], 'pending by VNPay, paid by transfer: applied');
});

test('amounts beyond 32 bits: a line of 3,000,000,000 VND naming nothing is listed for review; a request of that amount is applied', async () => {
  const big = await request(3_000_000_000);
  const csv = `date,amount,description,transaction id\n2026-05-15,3000000000,chuyen tien khong ma,FT300\n2026-05-15,3000000000,${big.reference},FT301\n`;
  const b = await browser(admin);
  const res = await upload(b, csv);
  assert.equal(res.statusCode, 303, res.body);
  const result = await b.get(res.headers.location as string);
  assert.equal(result.statusCode, 200);
  assert.match(result.body, /Dòng tiền vào: 2; đã ghi nhận: 1; cần xem xét: 1;/);
  const line = await ctx.handle.db.selectFrom('statement_lines').selectAll().where('bank_txn_id', '=', 'FT300').executeTakeFirstOrThrow();
  assert.deepEqual([line.outcome, line.reason, line.amount_vnd], ['review', 'no_reference', 3_000_000_000]);
  const review = await b.get('/can-bo/thanh-toan/doi-soat');
  assert.equal(review.statusCode, 200);
  assert.ok(review.body.includes(line.id), 'listed for review');
  const paid = (await payment(big.id))!;
  assert.deepEqual([paid.status, paid.amount_vnd], ['paid', 3_000_000_000]);
});

test('re-importing the same statement applies nothing twice; every line is "imported before"', async () => {
  const p = await request(30000);
  const csv = `date,amount,description,transaction id\n2026-05-13,30000,${p.reference},FT100\n2026-05-13,15000,khong ma,FT101\n`;
  const b = await browser(admin);
  const first = await b.get((await upload(b, csv)).headers.location as string);
  assert.match(first.body, /đã ghi nhận: 1; cần xem xét: 1; đã nhập trước đây: 0/);
  const receipt = (await payment(p.id))!.receipt_no;
  const again = await upload(b, csv, 'sao-ke-lan-2.csv');
  assert.equal(again.statusCode, 303);
  const second = await b.get(again.headers.location as string);
  assert.match(second.body, /Dòng tiền vào: 2; đã ghi nhận: 0; cần xem xét: 0; đã nhập trước đây: 2/);
  assert.equal((await payment(p.id))!.receipt_no, receipt, 'one receipt');
  const settled = await ctx.handle.db.selectFrom('audit_log').select('seq').where('kind', '=', 'payment_settled').where('subject', '=', `payment:${p.id}`).execute();
  assert.equal(settled.length, 1, 'settled once');
});

test('a malformed CSV is refused whole with a clear message (vi, en), the file field in the error summary, nothing imported', async () => {
  const p = await request(40000);
  const b = await browser(admin);
  const before = await ctx.handle.db.selectFrom('statement_imports').select('id').execute();
  const bad = `date,amount,description,transaction id\n2026-05-14,40000,${p.reference},FT200\n2026-05-14,abc,x,FT201\n31/02/2026,1000,x,FT202\n`;
  const vi = await upload(b, bad);
  assert.equal(vi.statusCode, 400);
  assert.match(vi.body, /class="error-summary"/);
  assert.match(vi.body, /<a href="#file">Tệp có 2 dòng không đọc được \(dòng 3, 4\), nên không có dòng nào được nhập\./);
  const en = await upload(b, bad, 'x.csv', 'en');
  assert.equal(en.statusCode, 400);
  assert.match(en.body, /The file has 2 rows that cannot be read \(rows 3, 4\), so nothing was imported\./);
  const noHeader = await upload(b, 'a;b;c\n1;2;3\n');
  assert.equal(noHeader.statusCode, 400);
  assert.match(noHeader.body, /Không tìm thấy dòng tiêu đề có đủ bốn cột/);
  const empty = await upload(b, '');
  assert.equal(empty.statusCode, 400);
  assert.equal((await payment(p.id))!.status, 'pending', 'not applied');
  assert.equal((await ctx.handle.db.selectFrom('statement_imports').select('id').execute()).length, before.length, 'no import kept');
});

test('review lines: listed until handled with a note (required, kept when missing), never applied by handling', async () => {
  const b = await browser(admin);
  const list = await b.get('/can-bo/thanh-toan/doi-soat');
  assert.equal(list.statusCode, 200);
  const id = /action="\/can-bo\/thanh-toan\/doi-soat\/([0-9a-f-]+)"/.exec(list.body)?.[1];
  assert.ok(id, 'a line to handle');
  const noNote = await b.post(`/can-bo/thanh-toan/doi-soat/${id}`, { note: '  ' });
  assert.equal(noNote.statusCode, 400);
  assert.match(noNote.body, new RegExp(`<a href="#note-${id}">Vui lòng nhập thông tin này\\.`));
  const done = await b.post(`/can-bo/thanh-toan/doi-soat/${id}`, { note: 'Đã hoàn trả người chuyển ngày 15/5' });
  assert.equal(done.statusCode, 303);
  const handled = await b.get('/can-bo/thanh-toan/doi-soat?da-xu-ly');
  assert.match(handled.body, /Đã hoàn trả người chuyển ngày 15\/5/);
  const line = await ctx.handle.db.selectFrom('statement_lines').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
  assert.equal(line.outcome, 'review', 'handling pays nothing');
  assert.equal((await b.post(`/can-bo/thanh-toan/doi-soat/${id}`, { note: 'lần hai' })).statusCode, 409);
});

test('statement pages: province administrators only; others 403, signed-out visitors to sign in', async () => {
  const unitAdmin = await signedInStaff(ctx, 'unit_admin', communeUnit);
  for (const who of [desk.reception, unitAdmin, desk.specialist, await signedInStaff(ctx, 'auditor', 'tien-giang', true)]) {
    const b = new PageBrowser(ctx.app);
    b.cookies.set('motcua_session', who.token);
    for (const url of ['/can-bo/thanh-toan/sao-ke', '/can-bo/thanh-toan/doi-soat']) assert.equal((await b.get(url)).statusCode, 403, `${who.user.username} ${url}`);
    await b.get('/');
    assert.equal((await upload(b, 'date,amount,description,transaction id\n2026-05-14,1,x,T1\n')).statusCode, 403);
    assert.equal((await b.post('/can-bo/thanh-toan/doi-soat/x', { note: 'x' })).statusCode, 403);
  }
  const anon = await ctx.app.inject({ url: '/can-bo/thanh-toan/sao-ke' });
  assert.equal(anon.statusCode, 303);
  assert.match(String(anon.headers.location), /^\/dang-nhap\?next=/);
});
