/// <reference lib="dom" />
// Receiving across boundaries (Decree 118/2025/NĐ-CP; docs/domain.md §3.7) in Chromium, at a desk's
// 1366×768: the desk of Phường 5 takes in, at the counter, a dossier that Phường 4 decides; it gets
// the desk's own code and receipt and is sent on to Phường 4's specialist; Phường 4 processes it and
// signs the result; the result waits at Phường 5's desk, which hands it over.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { TestContext } from '../../src/testing/context.ts';
import { browserWorld, officerPage, type BrowserWorld } from '../../src/testing/e2e.ts';
import { assertAccessible } from '../../src/testing/browser.ts';
import { tinyPdf } from '../../src/testing/uploads.ts';

let ctx: TestContext;
let browser: Browser;
let base: string;
let resultFile: string;

let world: BrowserWorld;
before(async () => {
  world = await browserWorld();
  ({ ctx, browser, base } = world);
  resultFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-e2e-')), 'xac-nhan.pdf');
  fs.writeFileSync(resultFile, tinyPdf);
});
after(() => world?.close());

const accessible = (page: Page) => assertAccessible(browser, page);
const byId = (page: Page, id: string) => page.locator(`[id="${id}"]`);
const desk = { viewport: { width: 1366, height: 768 }, locale: 'vi-VN' } as const;
const here = 'my-tho-phuong-5';
const there = 'my-tho-phuong-4';

const officer = (role: string, name: string, unitId: string): Promise<Page> => officerPage(world, role, name, desk, unitId);

async function act(page: Page, button: string, action: string): Promise<void> {
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.waitForURL(new RegExp(`\\?xong=${action}$`));
}

test('a desk takes in a dossier for another commune, which processes it; the desk hands back the result', { timeout: 240_000 }, async () => {
  const reception = await officer('reception', 'Phan Thị Ngọc', here);
  const specialist = await officer('specialist', 'Đặng Văn Lộc', there);
  const approver = await officer('approver', 'Mai Thị Xuân', there);
  const identifier = async (unitId: string) => (await ctx.handle.db.selectFrom('units').select('identifier').where('id', '=', unitId).executeTakeFirstOrThrow()).identifier!;
  try {
    // Phường 5's desk: a certificate of marital status that Phường 4 decides.
    await reception.getByRole('button', { name: 'Tiếp nhận hồ sơ trực tiếp' }).click();
    await reception.getByLabel('Thủ tục').selectOption('xac-nhan-tinh-trang-hon-nhan');
    await reception.getByRole('button', { name: 'Tiếp tục' }).click();
    await reception.waitForURL(/thu-tuc=xac-nhan-tinh-trang-hon-nhan/);
    const unit = reception.getByLabel('Cơ quan giải quyết');
    assert.equal(await unit.inputValue(), here, 'the desk’s own commune comes first');
    await unit.selectOption(there);
    await byId(reception, 'applicant.fullName').fill('Lê Văn Tám');
    await byId(reception, 'applicant.birthDate').fill('1990-05-01');
    await byId(reception, 'applicant.idNumber').fill('082090000123');
    await byId(reception, 'applicant.phone').fill('0912345678');
    await byId(reception, 'applicant.address.line').fill('Số 3 đường Lê Lợi');
    await byId(reception, 'applicant.address.areaCode').selectOption('28249');
    await byId(reception, 'request_details').fill('Xác nhận để đăng ký kết hôn');
    await reception.getByLabel('Nhận tại bộ phận một cửa').check();
    await accessible(reception);
    await reception.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
    await reception.waitForURL(/\/can-bo\/tiep-nhan\/[^/?]+$/);
    const code = ((await reception.locator('.dossier-code').textContent()) ?? '').trim();
    assert.ok(code.startsWith(`${await identifier(here)}-`), `the receiving desk’s identifier heads the code: ${code}`);
    await accessible(reception);

    // The desk sends it on to Phường 4's specialist, by name.
    await reception.getByRole('link', { name: 'Mở hồ sơ' }).click();
    await byId(reception, 'transfer-toUserId').selectOption({ label: 'Đặng Văn Lộc' });
    await act(reception, 'Chuyển xử lý', 'transfer');
    assert.equal(await reception.getByRole('button', { name: 'Chuyển bước tiếp theo', exact: true }).count(), 0, 'the workflow is the competent commune’s');

    // Phường 4 processes it: the specialist forwards, the approver attaches the result and signs.
    await specialist.getByRole('link', { name: /^Giao cho tôi/ }).click();
    await specialist.getByRole('link', { name: code }).click();
    await accessible(specialist);
    await byId(specialist, 'forward-toUserId').selectOption({ label: 'Mai Thị Xuân' });
    await act(specialist, 'Chuyển bước tiếp theo', 'forward');
    await approver.getByRole('link', { name: /^Giao cho tôi/ }).click();
    await approver.getByRole('link', { name: code }).click();
    await byId(approver, 'attach_result-type').selectOption('decision');
    await byId(approver, 'attach_result-number').fill('15');
    await byId(approver, 'attach_result-symbol').fill('QĐ-UBND');
    await byId(approver, 'attach_result-file').setInputFiles(resultFile);
    await act(approver, 'Đính kèm kết quả', 'attach_result');
    await act(approver, 'Ký, có kết quả', 'resolve');

    // The result waits at Phường 5's desk, where the applicant filed.
    await reception.goto(`${base}/can-bo/ho-so?tab=to_return`);
    await accessible(reception);
    await reception.getByRole('link', { name: code }).click();
    await byId(reception, 'return_result-receivedBy').fill('Lê Văn Tám');
    await act(reception, 'Trả kết quả', 'return_result');
    assert.ok(await reception.getByText('Đã trả kết quả').first().isVisible());
    const row = await ctx.handle.db.selectFrom('dossiers').select(['unit_id', 'receiving_unit_id', 'status']).where('code', '=', code).executeTakeFirstOrThrow();
    assert.deepEqual(row, { unit_id: there, receiving_unit_id: here, status: 'returned' });
  } finally {
    for (const p of [reception, specialist, approver]) await p.context().close();
  }
});
