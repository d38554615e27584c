// The sandbox gateway end to end over real HTTP (the app listens on 127.0.0.1): start → the
// sandbox's page → "success" → the sandbox's IPN (an HTTP request to our IPN address) → paid →
// the browser's return → the e-receipt (pdftotext). Failure and timeout too, and the pay page.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { TestContext } from '../../testing/context.ts';
import { pdfText } from '../../testing/pdf.ts';
import { paidDossier, paymentsWorld, publicUrl, startVnpay } from '../../testing/payments.ts';

let ctx: TestContext;
let base: string;
before(async () => {
  ctx = await paymentsWorld();
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
});
after(() => ctx.close());

/** The same path and query on the listening server (the links name PUBLIC_URL). */
const here = (url: string | URL) => `${base}${new URL(String(url)).pathname}${new URL(String(url)).search}`;
const hiddenFields = (page: string) => Object.fromEntries([...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"')]));

async function sandboxChoose(redirect: URL, outcome: string) {
  const page = await fetch(here(redirect));
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /Cổng thanh toán thử nghiệm/);
  assert.match(html, /8\.000 đ/);
  const form = new URLSearchParams({ ...hiddenFields(html), outcome });
  return fetch(`${base}/sandbox/vnpay/ket-thuc`, { method: 'POST', body: form, redirect: 'manual' });
}

test('pay in the sandbox: its IPN over HTTP pays, the return shows it, the e-receipt is numbered', async () => {
  const d = await paidDossier(ctx);
  const { url, txnRef } = await startVnpay(ctx, d.citizen.auth, d.id, d.paymentId);
  assert.equal(url.origin + url.pathname, `${publicUrl}/sandbox/vnpay/paymentv2/vpcpay.html`);
  const done = await sandboxChoose(url, 'success');
  assert.equal(done.status, 303);
  assert.equal(ctx.services.vnpaySandbox!.ipnAnswers.get(txnRef), '00', 'the IPN went over HTTP and was confirmed');
  const returnTo = new URL(done.headers.get('location')!);
  assert.equal(returnTo.pathname, '/thanh-toan/vnpay/ket-qua');
  const shown = await (await fetch(here(returnTo))).text();
  assert.match(shown, /Đã nhận được tiền/);
  const list = (await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}/payments`, headers: d.citizen.auth })).json().items;
  assert.equal(list[0].status, 'paid');
  assert.equal(list[0].method, 'vnpay');
  const receipt = await ctx.app.inject({ method: 'GET', url: list[0].receiptUrl, headers: d.citizen.auth });
  assert.equal(receipt.statusCode, 200);
  assert.equal(receipt.headers['content-type'], 'application/pdf');
  assert.equal(receipt.headers['cache-control'], 'no-store');
  const text = pdfText(receipt.rawPayload).replace(/\s+/g, ' ');
  for (const expected of ['BIÊN LAI THU PHÍ, LỆ PHÍ', list[0].receiptNo.split('/')[1], 'Nguyễn Thị Lan', d.code, '8.000 đồng', 'Tám nghìn đồng', 'VNPay', 'Lệ phí']) {
    assert.ok(text.includes(expected), `the receipt shows ${expected}: ${text}`);
  }
  // Staff in scope may download it too; the English one says so in English.
  const en = await ctx.app.inject({ method: 'GET', url: list[0].receiptUrl, headers: { ...d.citizen.auth, 'accept-language': 'en' } });
  assert.match(pdfText(en.rawPayload), /RECEIPT OF FEES AND CHARGES/);
});

test('failure in the sandbox fails the attempt; timeout sends nothing and the attempt expires', async () => {
  const d = await paidDossier(ctx);
  const first = await startVnpay(ctx, d.citizen.auth, d.id, d.paymentId);
  const failed = await sandboxChoose(first.url, 'failure');
  assert.equal(failed.status, 303);
  assert.match(await (await fetch(here(failed.headers.get('location')!))).text(), /không thành công/);
  const status = async () => (await ctx.handle.db.selectFrom('payments').select('status').where('id', '=', d.paymentId).executeTakeFirstOrThrow()).status;
  assert.equal(await status(), 'failed');
  const second = await startVnpay(ctx, d.citizen.auth, d.id, d.paymentId);
  const timedOut = await sandboxChoose(second.url, 'timeout');
  assert.equal(timedOut.status, 200);
  assert.match(await timedOut.text(), /hết thời gian/);
  assert.equal(ctx.services.vnpaySandbox!.ipnAnswers.has(second.txnRef), false);
  assert.equal(await status(), 'pending');
  ctx.clock.set(new Date(ctx.clock.now().getTime() + 16 * 60_000).toISOString());
  const list = (await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}/payments`, headers: d.citizen.auth })).json().items;
  assert.equal(list[0].status, 'failed', 'expired on read');
});

test('the sandbox refuses a request whose signature or amount was changed', async () => {
  const d = await paidDossier(ctx);
  const { url } = await startVnpay(ctx, d.citizen.auth, d.id, d.paymentId);
  url.searchParams.set('vnp_Amount', '100');
  const page = await fetch(here(url));
  assert.equal(page.status, 400);
  assert.match(await page.text(), /Chữ ký \(vnp_SecureHash\) không đúng/);
});

test('the pay page lists what is due with a Pay button (a form, no JavaScript) that redirects to the gateway', async () => {
  const d = await paidDossier(ctx);
  const cookie = `motcua_session=${d.citizen.token}`;
  const page = await ctx.app.inject({ method: 'GET', url: `/ho-so/${d.id}/thanh-toan`, headers: { cookie } });
  assert.equal(page.statusCode, 200, page.body);
  assert.match(page.body, /Thanh toán qua VNPay/);
  assert.match(page.body, /8\.000 đ/);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const setCookie = String(page.headers['set-cookie'] ?? '');
  const csrfCookie = /motcua_csrf=([^;]+)/.exec(setCookie)?.[1] ?? csrf;
  const post = await ctx.app.inject({ method: 'POST', url: `/ho-so/${d.id}/thanh-toan/${d.paymentId}`, headers: { cookie: `${cookie}; motcua_csrf=${csrfCookie}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${csrf}&method=vnpay` });
  assert.equal(post.statusCode, 303, post.body);
  assert.match(String(post.headers.location), /\/sandbox\/vnpay\/paymentv2\/vpcpay\.html\?vnp_Amount=800000&/);
  const other = await ctx.app.inject({ method: 'GET', url: `/ho-so/${d.id}/thanh-toan?lang=en`, headers: { cookie } });
  assert.match(other.body, /Pay with VNPay/);
});
