// VietQR as a payment method (docs/domain.md §8.2): start answers the payload and the reference and
// marks the payment pending by VietQR; the payload is the configured payee, the amount and the
// reference, read back by our decoder and by vietnam-qr-pay; the QR code rendered as a PNG decodes
// (zbarimg) to the same payload. Without VIETQR_* VietQR is not offered. A transfer applied from a
// statement counts as an online payment in the statistics, incrementally and after a rebuild.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { QRPay } from 'vietnam-qr-pay';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { communeUnit, signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { deskAt, onlineDossier, must } from '../../testing/office.ts';
import { defaultSettings } from '../../services.ts';
import { decodeVietQr, type VietQrPayee } from '../../domain/vietqr.ts';
import { newReference } from '../../domain/fees.ts';
import { vietnamDay } from '../../domain/time.ts';
import { insertAttempt, insertPayment } from './payments.queries.ts';
import { vietQrPng, vietQrSvg } from './payments.vietqr.ts';

const payee: VietQrPayee = { bankBin: '970415', accountNo: '113366668888', accountName: 'VAN PHONG UBND TINH (THU NGHIEM)' };
let ctx: TestContext;
let d: Awaited<ReturnType<typeof onlineDossier>>;

before(async () => {
  ctx = await createTestContext({ settings: { ...defaultSettings, vietqr: payee } });
  const desk = await deskAt(ctx);
  d = await onlineDossier(ctx);
  await must(ctx, desk.reception, d.id, { action: 'accept' });
});
after(() => ctx.close());

async function request(amountVnd: number, dossierId = d.id) {
  const id = randomUUID();
  const at = ctx.clock.now().toISOString();
  const reference = newReference();
  await insertPayment(ctx.handle.db, {
    id, dossier_id: dossierId, purpose: 'fee', stage: 'before_result', amount_vnd: amountVnd, status: 'due', method: null, reference, detail: {}, unit_id: communeUnit,
    receipt_series: null, receipt_no: null, paid_at: null, paid_by: null, gateway_ref: null, refunded_at: null, refunded_by: null, created_at: at, updated_at: at,
  });
  return { id, reference };
}

const start = (id: string, lang?: 'en') => ctx.app.inject({
  method: 'POST', url: `/api/v1/dossiers/${d.id}/payments/${id}/start`, headers: { ...d.citizen.auth, ...(lang && { 'accept-language': 'en' }) }, payload: { method: 'vietqr' },
});

test('start answers the payload and reference; the payment is pending by VietQR; both decoders read payee, amount and reference; a second start gives the same', async () => {
  const p = await request(150000);
  const res = await start(p.id);
  assert.equal(res.statusCode, 200, res.body);
  const { qrPayload, reference } = res.json();
  assert.equal(reference, p.reference);
  const ours = decodeVietQr(qrPayload);
  assert.ok(ours.ok);
  assert.deepEqual({ bin: ours.qr.bankBin, acc: ours.qr.accountNo, amount: ours.qr.amountVnd, purpose: ours.qr.purpose, service: ours.qr.serviceCode },
    { bin: '970415', acc: '113366668888', amount: 150000, purpose: p.reference, service: 'QRIBFTTA' });
  const theirs = new QRPay(qrPayload);
  assert.equal(theirs.isValid, true);
  assert.deepEqual([theirs.consumer.bankBin, theirs.consumer.bankNumber, theirs.amount, theirs.additionalData.purpose], ['970415', '113366668888', '150000', p.reference]);
  const row = (await ctx.services.payments.payment(p.id))!;
  assert.deepEqual([row.status, row.method], ['pending', 'vietqr']);
  const again = await start(p.id);
  assert.equal(again.statusCode, 200);
  assert.equal(again.json().qrPayload, qrPayload);
});

test('the QR code as a PNG decodes with zbarimg to exactly the payload; the SVG needs no script', async () => {
  const p = await request(2500000);
  const { qrPayload } = (await start(p.id)).json();
  const dir = mkdtempSync(path.join(tmpdir(), 'vietqr-'));
  try {
    const file = path.join(dir, 'qr.png');
    writeFileSync(file, await vietQrPng(qrPayload));
    const out = execFileSync('zbarimg', ['--quiet', '--raw', file], { encoding: 'utf8' }).trim();
    assert.equal(out, qrPayload);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const svg = await vietQrSvg(qrPayload);
  assert.match(svg, /^<svg[^>]*viewBox=/);
  assert.ok(!/<script/i.test(svg));
});

test('without VIETQR_* VietQR is not offered: 409 with a message in Vietnamese and English, and the payment unchanged', async () => {
  const off = await createTestContext();
  try {
    const desk = await deskAt(off);
    const dd = await onlineDossier(off);
    await must(off, desk.reception, dd.id, { action: 'accept' });
    const id = randomUUID();
    const at = off.clock.now().toISOString();
    await insertPayment(off.handle.db, {
      id, dossier_id: dd.id, purpose: 'fee', stage: 'before_result', amount_vnd: 1000, status: 'due', method: null, reference: newReference(), detail: {}, unit_id: communeUnit,
      receipt_series: null, receipt_no: null, paid_at: null, paid_by: null, gateway_ref: null, refunded_at: null, refunded_by: null, created_at: at, updated_at: at,
    });
    assert.ok(!off.services.payments.offered().includes('vietqr'));
    for (const [lang, text] of [[undefined, /không được cung cấp/], ['en', /not (available|offered)/i]] as const) {
      const res = await off.app.inject({ method: 'POST', url: `/api/v1/dossiers/${dd.id}/payments/${id}/start`, headers: { ...dd.citizen.auth, ...(lang && { 'accept-language': lang }) }, payload: { method: 'vietqr' } });
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().error.code, 'payment_method_unavailable');
      assert.match(res.json().error.message, text);
    }
    assert.equal((await off.services.payments.payment(id))!.status, 'due');
  } finally {
    await off.close();
  }
});

test('statistics: a dossier paid by VietQR counts in paid_total and paid_online; the incremental count equals the rebuild; the summary and its share show it', async () => {
  // A dossier of its own, so the figures are this test's: paid by a statement line, then counted.
  const dd = await onlineDossier(ctx);
  await must(ctx, (await deskAt(ctx)).reception, dd.id, { action: 'accept' });
  const p = await request(80000, dd.id);
  const cash = await request(20000, dd.id);
  const admin = await signedInStaff(ctx, 'province_admin', 'tien-giang', true);
  const csv = `date,amount,description,transaction id\n${vietnamDay(ctx.clock.now())},80000,${p.reference},STAT1\n`;
  await ctx.services.statements.import(admin.user, { name: 's.csv', bytes: Buffer.from(csv) });
  assert.equal((await ctx.services.payments.payment(p.id))!.status, 'paid');
  // Counted in the settlement's own transaction: the summary shows it before any rebuild.
  const day = vietnamDay(ctx.clock.now());
  const summaryOf = async () => (await ctx.app.inject({ url: `/api/v1/stats/summary?from=${day}&to=${day}&unitId=${communeUnit}` })).json().payments;
  assert.deepEqual(await summaryOf(), { paidTotal: 1, paidOnline: 1, onlineShare: 1 });
  const live = await ctx.services.stats.daily();
  // The rebuild counts from the payments table, and agrees.
  await ctx.services.stats.rebuild();
  assert.deepEqual(await summaryOf(), { paidTotal: 1, paidOnline: 1, onlineShare: 1 });
  const rebuilt = await ctx.services.stats.daily();
  assert.deepEqual(live, rebuilt, 'the incremental count equals the rebuild');
  // A second payment of the same dossier, settled in cash at the counter.
  assert.equal(await ctx.services.payments.settle({ paymentId: cash.id, method: 'cash', amountVnd: 20000, gatewayRef: null, by: admin.user!.id, at: ctx.clock.now() }), 'paid');
  assert.deepEqual(await ctx.services.stats.daily(), rebuilt, 'a second payment of a dossier already counted adds nothing');
  await ctx.services.stats.rebuild();
  assert.deepEqual(await ctx.services.stats.daily(), rebuilt, 'the rebuild agrees');
});

test('the applicant chooses VietQR on the pay page (a form, no JavaScript): the transfer page shows the code, amount, account and the reference to type; only to the owner', async () => {
  const p = await request(45000);
  const cookie = `motcua_session=${d.citizen.token}`;
  const list = await ctx.app.inject({ url: `/ho-so/${d.id}/thanh-toan`, headers: { cookie } });
  assert.match(list.body, /Thanh toán qua Chuyển khoản VietQR/);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(list.body)![1]!;
  const csrfCookie = /motcua_csrf=([^;]+)/.exec(String(list.headers['set-cookie'] ?? ''))?.[1] ?? csrf;
  const post = await ctx.app.inject({ method: 'POST', url: `/ho-so/${d.id}/thanh-toan/${p.id}`, headers: { cookie: `${cookie}; motcua_csrf=${csrfCookie}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${csrf}&method=vietqr` });
  assert.equal(post.statusCode, 303, post.body);
  assert.equal(post.headers.location, `/ho-so/${d.id}/thanh-toan/${p.id}/chuyen-khoan`);
  const page = await ctx.app.inject({ url: String(post.headers.location), headers: { cookie } });
  assert.equal(page.statusCode, 200, page.body);
  assert.equal(page.headers['cache-control'], 'no-store');
  assert.match(page.body, /<svg[^>]*>/);
  assert.doesNotMatch(page.body.slice(page.body.indexOf('<svg'), page.body.indexOf('</svg>')), /<script/i);
  for (const text of ['45.000 đ', '113366668888', 'VAN PHONG UBND TINH (THU NGHIEM)', p.reference, 'Chuyển khoản bằng mã VietQR']) assert.ok(page.body.includes(text), text);
  const en = await ctx.app.inject({ url: `${String(post.headers.location)}?lang=en`, headers: { cookie } });
  assert.match(en.body, /Bank transfer with a VietQR code/);
  // Another citizen: the dossier is not theirs.
  const stranger = await ctx.app.inject({ url: String(post.headers.location), headers: { cookie: `motcua_session=${(await signedInCitizen(ctx, 'Lê Văn Khác')).token}` } });
  assert.equal(stranger.statusCode, 404);
});

test('an old VNPay attempt that expires after the applicant switched to VietQR does not fail the payment', async () => {
  const p = await request(60000);
  const now = ctx.clock.now();
  // The applicant first started VNPay (the payment pending by VNPay, one open attempt, as VnpayMethod.start leaves them)...
  const row = (await ctx.services.payments.payment(p.id))!;
  assert.ok(await ctx.handle.db.transaction().execute((tx) => ctx.services.payments.markPending(tx, row, 'vnpay', now)));
  await insertAttempt(ctx.handle.db, {
    id: randomUUID(), payment_id: p.id, method: 'vnpay', txn_ref: `${p.reference}A1`, amount_vnd: 60000, status: 'pending', lang: 'vi', ip: '127.0.0.1',
    created_at: now.toISOString(), expires_at: new Date(now.getTime() + 60_000).toISOString(), finished_at: null, response_code: null, gateway_ref: null,
  });
  // ...then chose VietQR; the VNPay attempt times out later.
  assert.equal((await start(p.id)).statusCode, 200);
  assert.equal(await ctx.services.payments.expire(new Date(now.getTime() + 120_000)), 1);
  const attempt = await ctx.handle.db.selectFrom('payment_attempts').selectAll().where('payment_id', '=', p.id).executeTakeFirstOrThrow();
  assert.equal(attempt.status, 'expired');
  const after = (await ctx.services.payments.payment(p.id))!;
  assert.deepEqual([after.status, after.method], ['pending', 'vietqr'], 'still pending by VietQR');
});
