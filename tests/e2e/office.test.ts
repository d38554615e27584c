/// <reference lib="dom" />
// The one-stop office's path in Chromium, at a desk's 1366×768 with JavaScript on and off: reception
// signs in, sees the new online dossier, accepts it (receipt), transfers it to a specialist, who
// forwards it to the approver, who attaches the result and signs it off; reception hands it over,
// and the citizen's tracking page shows each step. Then the queue and a dossier on a 360 px phone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { TestContext } from '../../src/testing/context.ts';
import { browserWorld, officerPage, type BrowserWorld } from '../../src/testing/e2e.ts';
import { assertAccessible, axeViolations, describeViolations, phone } from '../../src/testing/browser.ts';
import { onlineDossier } from '../../src/testing/office.ts';
import { tinyPdf } from '../../src/testing/uploads.ts';

let ctx: TestContext;
let browser: Browser;
let base: string;
let resultFile: string;

let world: BrowserWorld;
before(async () => {
  world = await browserWorld();
  ({ ctx, browser, base } = world);
  resultFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-e2e-')), 'quyet-dinh.pdf');
  fs.writeFileSync(resultFile, tinyPdf);
});
after(() => world?.close());

const accessible = (page: Page) => assertAccessible(browser, page);
const byId = (page: Page, id: string) => page.locator(`[id="${id}"]`);
const desk = { viewport: { width: 1366, height: 768 }, locale: 'vi-VN' } as const;

/** A staff member at the commune, signed in through the sign-in page. */
const officer = (role: string, name: string, options: BrowserContextOptions): Promise<Page> => officerPage(world, role, name, options);

/** Takes an action by its button and lands back on the dossier with the success banner. */
async function act(page: Page, button: string, action: string): Promise<void> {
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.waitForURL(new RegExp(`\\?xong=${action}$`));
  assert.ok(await page.getByRole('status').getByText(`Đã thực hiện: ${button}.`).isVisible());
}

async function isPdf(page: Page, linkName: string): Promise<void> {
  const res = await page.request.get(`${base}${await page.getByRole('link', { name: linkName }).getAttribute('href')}`);
  assert.equal(res.headers()['content-type'], 'application/pdf');
  assert.equal((await res.body()).subarray(0, 5).toString(), '%PDF-');
}

const staffNames = [
  { reception: 'Võ Thị Mai', specialist: 'Phạm Văn Bình', approver: 'Lê Thị Hồng' },
  { reception: 'Đỗ Văn Sơn', specialist: 'Huỳnh Thị Cúc', approver: 'Trương Văn Dũng' },
];

for (const [i, javaScriptEnabled] of [true, false].entries()) {
  test(`the officers' path: intake check, transfer, forward, result, sign-off, hand-over (${javaScriptEnabled ? 'with' : 'without'} JavaScript)`, { timeout: 240_000 }, async () => {
    const names = staffNames[i]!;
    const options = { ...desk, javaScriptEnabled, acceptDownloads: true };
    const w = await onlineDossier(ctx);
    const reception = await officer('reception', names.reception, options);
    const specialist = await officer('specialist', names.specialist, options);
    const approver = await officer('approver', names.approver, options);
    try {
      // Reception: the new online dossier is in the queue; accept it and print the receipt.
      assert.ok(await reception.getByRole('link', { name: 'Hồ sơ cần xử lý' }).isVisible(), 'the header links to the queue');
      await accessible(reception);
      await reception.getByRole('link', { name: /^Chờ tiếp nhận/ }).click();
      await reception.waitForURL(/tab=intake/);
      assert.equal(await reception.getByRole('link', { name: /^Chờ tiếp nhận/ }).getAttribute('aria-current'), 'page');
      await reception.getByRole('link', { name: w.code }).click();
      await reception.waitForURL(/\/can-bo\/ho-so\/[^/?]+$/);
      assert.ok(await reception.getByRole('heading', { name: `Hồ sơ ${w.code}` }).isVisible());
      await accessible(reception);
      await act(reception, 'Tiếp nhận hồ sơ', 'accept');
      await isPdf(reception, 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01, PDF)');
      await accessible(reception);

      // Transfer for processing, to the specialist by name.
      await byId(reception, 'transfer-toUserId').selectOption({ label: names.specialist });
      await act(reception, 'Chuyển xử lý', 'transfer');
      assert.ok(await reception.getByText(names.specialist).first().isVisible(), 'the dossier shows who handles it');

      // The specialist finds it under "assigned to me" and forwards it to the approver.
      await specialist.getByRole('link', { name: /^Giao cho tôi/ }).click();
      await specialist.waitForURL(/tab=mine/);
      await accessible(specialist);
      await specialist.getByRole('link', { name: w.code }).click();
      await byId(specialist, 'forward-toUserId').selectOption({ label: names.approver });
      await byId(specialist, 'forward-note').fill('Hồ sơ đủ điều kiện, đề nghị phê duyệt.');
      await act(specialist, 'Chuyển bước tiếp theo', 'forward');
      await accessible(specialist);

      // The approver attaches the signed result and signs it off.
      await approver.getByRole('link', { name: /^Giao cho tôi/ }).click();
      await approver.getByRole('link', { name: w.code }).click();
      await accessible(approver);
      await byId(approver, 'attach_result-type').selectOption('decision');
      await byId(approver, 'attach_result-number').fill('15');
      await byId(approver, 'attach_result-symbol').fill('QĐ-UBND');
      await byId(approver, 'attach_result-file').setInputFiles(resultFile);
      await act(approver, 'Đính kèm kết quả', 'attach_result');
      assert.ok(await approver.getByRole('link', { name: `${w.code}-KQ1` }).isVisible());
      await act(approver, 'Ký, có kết quả', 'resolve');
      await accessible(approver);

      // Reception hands the result over; a missing name comes back in the error summary first.
      await reception.goto(`${base}/can-bo/ho-so?tab=to_return`);
      await reception.getByRole('link', { name: w.code }).click();
      await reception.getByRole('button', { name: 'Trả kết quả', exact: true }).click();
      assert.match(await reception.title(), /^Lỗi: /);
      if (javaScriptEnabled) {
        const violations = await axeViolations(reception);
        assert.equal(violations.length, 0, describeViolations(violations));
      }
      await reception.getByRole('link', { name: 'Vui lòng nhập thông tin này.' }).click();
      await byId(reception, 'return_result-receivedBy').fill('Nguyễn Thị Lan');
      await act(reception, 'Trả kết quả', 'return_result');
      await isPdf(reception, 'Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 06, PDF)');
      assert.ok(await reception.getByText('Đã trả kết quả').first().isVisible());
      await accessible(reception);

      // The citizen's tracking page shows each step.
      await reception.goto(`${base}/tra-cuu/${encodeURIComponent(w.code)}?key=${w.trackingKey}`);
      const steps = await reception.locator('.timeline li').allTextContents();
      for (const [n, status] of ['Mới đăng ký, chờ tiếp nhận', 'Đã tiếp nhận', 'Đang xử lý', 'Đã có kết quả', 'Đã trả kết quả'].entries()) {
        assert.match(steps[n] ?? '', new RegExp(status), `step ${n + 1}`);
      }
      await accessible(reception);
    } finally {
      for (const p of [reception, specialist, approver]) await p.context().close();
    }
  });
}

test('on a 360 px phone the queue becomes cards and a dossier can be accepted', { timeout: 120_000 }, async () => {
  const w = await onlineDossier(ctx);
  const page = await officer('reception', 'Ngô Thị Thu', phone);
  try {
    await page.goto(`${base}/can-bo/ho-so?tab=intake`);
    assert.ok(await page.getByRole('link', { name: w.code }).isVisible());
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'no sideways scrolling');
    await accessible(page);
    await page.getByRole('link', { name: w.code }).click();
    await page.waitForURL(/\/can-bo\/ho-so\/[^/?]+$/);
    await accessible(page);
    await act(page, 'Tiếp nhận hồ sơ', 'accept');
    await accessible(page);
  } finally {
    await page.context().close();
  }
});

test('counter intake at the desk: choose the procedure, fill its form, fix a mistake, print the receipt', { timeout: 120_000 }, async () => {
  const page = await officer('reception', 'Bùi Thị Yến', desk);
  try {
    await page.getByRole('button', { name: 'Tiếp nhận hồ sơ trực tiếp' }).click();
    await accessible(page);
    await page.getByLabel('Thủ tục').selectOption('xac-nhan-tinh-trang-hon-nhan');
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.waitForURL(/thu-tuc=xac-nhan-tinh-trang-hon-nhan/);
    await accessible(page);
    await byId(page, 'applicant.fullName').fill('Lê Văn Tám');
    await byId(page, 'applicant.birthDate').fill('1990-05-01');
    await byId(page, 'applicant.idNumber').fill('082090000123');
    await byId(page, 'applicant.phone').fill('0912345678');
    await byId(page, 'applicant.address.line').fill('Số 3 đường Lê Lợi');
    await byId(page, 'applicant.address.areaCode').selectOption('28249');
    await byId(page, 'request_details').fill('Xác nhận để đăng ký kết hôn');
    await page.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
    // No delivery method chosen: the summary says so, and everything typed is still there.
    assert.match(await page.title(), /^Lỗi: /);
    assert.equal(await byId(page, 'request_details').inputValue(), 'Xác nhận để đăng ký kết hôn');
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, describeViolations(violations));
    await page.getByRole('link', { name: 'Vui lòng nhập thông tin này.' }).click();
    await page.getByLabel('Nhận tại bộ phận một cửa').check();
    await page.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
    await page.waitForURL(/\/can-bo\/tiep-nhan\/[^/?]+$/);
    assert.match((await page.locator('.dossier-code').textContent()) ?? '', /^000\.01\.22\.H58-261129-\d{4}$/);
    await isPdf(page, 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01, PDF)');
    await accessible(page);
    await page.getByRole('link', { name: 'Mở hồ sơ' }).click();
    assert.ok(await page.getByText('Lê Văn Tám').first().isVisible());
  } finally {
    await page.context().close();
  }
});
