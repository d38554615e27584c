/// <reference lib="dom" />
// A level-4 journey on a 360 px phone (issue 12): a citizen files a request for a certified extract
// of a civil status record (8,000 đồng, due before intake), pays it in the sandbox gateway (the
// VNPay 2.1.0 protocol: the redirect, the IPN over HTTP, the browser's return) and downloads the
// e-receipt; the office accepts, resolves and the result is signed; the citizen downloads the
// e-result, which returns the dossier, and opens the verification page from the QR code printed on it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { defaultSettings } from '../../src/services.ts';
import { createTestContext, type TestContext } from '../../src/testing/context.ts';
import { assertAccessible, launchBrowser, phone } from '../../src/testing/browser.ts';
import { birthRegistration, communeUnit } from '../../src/testing/fixtures.ts';
import { attachResult, deskAt, must } from '../../src/testing/office.ts';
import { terminal } from '../../src/testing/payments.ts';
import { tinyPdf, tinyPng } from '../../src/testing/uploads.ts';
import { pdfPageCount, pdfQrCodes } from '../../src/testing/pdf.ts';
import { pdfsig } from '../../src/testing/signing.ts';
import { sandboxPath } from '../../src/modules/payments/payments.sandbox.ts';

let ctx: TestContext;
let browser: Browser;
let base: string;
let dir: string;

before(async () => {
  // The sandbox must be reachable where the browser is sent: the app listens first, then the gateway URL is known.
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  ctx = await createTestContext({ publicUrl: base, settings: { ...defaultSettings, vnpay: { ...terminal, gatewayUrl: `${base}${sandboxPath}`, sandbox: true, expireMinutes: 15 } } });
  await ctx.app.listen({ port, host: '127.0.0.1' });
  browser = await launchBrowser();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-level4-'));
  fs.writeFileSync(path.join(dir, 'giay-to.png'), tinyPng);
});
after(async () => {
  await browser?.close();
  await ctx?.close();
});

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const byId = (page: Page, id: string) => page.locator(`[id="${id}"]`);
const accessible = (page: Page) => assertAccessible(browser, page);

/** Text of a PDF as pdftotext reads it. */
function pdfText(bytes: Buffer, name: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

test('level 4 on a phone: file, pay in the sandbox, e-receipt, signed e-result, verification from its QR code', { timeout: 300_000 }, async () => {
  const username = '0977444001';
  await ctx.services.accounts.addUser({ username, password: 'mat-khau-dai', name: 'Nguyễn Thị Lan', role: 'citizen' });
  const context = await browser.newContext({ ...phone, acceptDownloads: true });
  const page = await context.newPage();
  try {
    // 1. File the request.
    await page.goto(`${base}/thu-tuc/cap-ban-sao-trich-luc-ho-tich`);
    await page.getByRole('button', { name: 'Nộp hồ sơ trực tuyến' }).click();
    await page.waitForURL(/\/dang-nhap\?next=/);
    await page.getByLabel('Thư điện tử hoặc số điện thoại di động').fill(username);
    await page.getByLabel('Mật khẩu').fill('mat-khau-dai');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/nop-ho-so$/);
    await page.getByLabel('Nơi nộp hồ sơ').selectOption(communeUnit);
    await page.getByRole('button', { name: 'Bắt đầu' }).click();
    await page.waitForURL(/\/ho-so\/[^/]+\/khai$/);
    const a = birthRegistration().applicant;
    await byId(page, 'applicant.fullName').fill(a.fullName);
    await byId(page, 'applicant.birthDate').fill(a.birthDate);
    await byId(page, 'applicant.idNumber').fill(a.idNumber);
    await byId(page, 'applicant.phone').fill(a.phone);
    await byId(page, 'applicant.email').fill(a.email);
    await byId(page, 'applicant.address.line').fill('Số 12 đường Hùng Vương');
    await byId(page, 'applicant.address.areaCode').selectOption('28249');
    await byId(page, 'request_details').fill('Cấp 1 bản sao trích lục khai sinh');
    await page.locator('input[name="delivery.method"][value="online"]').check();
    await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
    await page.waitForURL(/\/dinh-kem$/);
    for (const section of await page.locator('section.document').all()) {
      if (!(await section.locator('h2').textContent())?.includes('Bắt buộc')) continue;
      const id = await section.locator('input[type=file]').getAttribute('id');
      await byId(page, id!).setInputFiles(path.join(dir, 'giay-to.png'));
      await section.getByRole('button', { name: 'Tải lên' }).click();
      await page.waitForURL(/\/dinh-kem/);
    }
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.waitForURL(/\/kiem-tra$/);
    await page.getByLabel('Tôi đã đọc thông báo xử lý dữ liệu cá nhân').check();
    await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
    await page.waitForURL(/\/da-nop$/);
    const code = (await page.locator('.dossier-code').textContent())!.trim();
    const dossierId = /\/ho-so\/([^/]+)\/da-nop$/.exec(page.url())![1]!;

    // 2. Pay: the fees page, the sandbox gateway, the signed return; the IPN (over HTTP) is what pays.
    await page.getByRole('link', { name: /Phí, lệ phí/ }).first().click();
    await page.waitForURL(/\/thanh-toan$/);
    assert.ok(await page.getByText('8.000 đ').first().isVisible());
    await accessible(page);
    await page.getByRole('button', { name: 'Thanh toán qua VNPay' }).click();
    await page.waitForURL(/\/sandbox\/vnpay\//);
    await accessible(page);
    await page.getByRole('button', { name: 'Thanh toán thành công' }).click();
    await page.waitForURL(/\/thanh-toan\/vnpay\/ket-qua\?/);
    assert.ok(await page.getByText('Đã nhận được tiền. Khoản thanh toán đã được ghi nhận.').isVisible());
    await accessible(page);
    await page.getByRole('link', { name: 'Quay lại hồ sơ' }).click();
    await page.waitForURL(/\/thanh-toan$/);
    const receipt = await page.request.get(`${base}${await page.getByRole('link', { name: 'Tải biên lai điện tử (PDF)' }).getAttribute('href')}`);
    assert.equal(receipt.headers()['content-type'], 'application/pdf');
    const receiptText = pdfText(await receipt.body(), 'bien-lai.pdf');
    assert.match(receiptText, /BIÊN LAI THU PHÍ, LỆ PHÍ/);
    assert.match(receiptText, new RegExp(code.replace(/\./g, '\\.')));
    assert.match(receiptText, /8\.000/);

    // 3. The office accepts (the fee is paid), processes, attaches the result (stamped with its QR code and signed) and resolves.
    const desk = await deskAt(ctx);
    await must(ctx, desk.reception, dossierId, { action: 'accept' });
    await must(ctx, desk.reception, dossierId, { action: 'transfer' });
    assert.equal((await attachResult(ctx, desk.approver, dossierId, tinyPdf, 'trich-luc.pdf')).status, 201);
    await must(ctx, desk.approver, dossierId, { action: 'resolve' });

    // 4 and 5: see below (the e-result and its verification).
    await resultAndVerification(page, dossierId, code);
  } finally {
    await context.close();
  }
});

/** The citizen downloads the signed e-result (which returns the dossier), then follows its QR code to the verification page. */
async function resultAndVerification(page: Page, dossierId: string, code: string): Promise<void> {
  await page.goto(`${base}/ho-so`);
  await accessible(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: `Tải kết quả điện tử ${code}-KQ1` }).click()]);
  const signed = fs.readFileSync((await download.path())!);
  assert.equal(signed.subarray(0, 5).toString(), '%PDF-');
  const sig = pdfsig(signed);
  assert.match(sig, /Signature is Valid/, sig);
  assert.equal((await ctx.services.dossiers.find(dossierId))!.status, 'returned', 'downloading the e-result online is its return');

  const [url] = pdfQrCodes(signed, pdfPageCount(signed));
  assert.ok(url, 'the last page carries a QR code');
  assert.equal(url, `${base}/xac-thuc/${code}-KQ1`);
  await page.goto(url);
  assert.ok(await page.getByText('Văn bản xác thực').first().isVisible());
  const text = (await page.locator('main').textContent())!;
  assert.ok(text.includes(sha256(signed)), 'the page shows the SHA-256 of what was downloaded');
  assert.ok(!text.includes('Nguyễn Thị Lan') && !text.includes('082195000123'), 'no personal data on the public page');
  await accessible(page);

  // An altered copy, checked on the same page without JavaScript's help: not authentic.
  const altered = Buffer.from(signed);
  const at = altered.indexOf('/Type /Page') + 2;
  altered[at] = altered[at] === 0x54 ? 0x55 : 0x54;
  fs.writeFileSync(path.join(dir, 'ban-sao.pdf'), altered);
  await page.locator('input[type=file]').setInputFiles(path.join(dir, 'ban-sao.pdf'));
  await page.getByRole('button', { name: /Kiểm tra/ }).click();
  assert.ok(await page.getByText(/Bản sao không xác thực/).isVisible());
  await accessible(page);
}
