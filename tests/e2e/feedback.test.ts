// Rating and feedback pages in Chromium on a phone, with axe-core on each: the rating form (and
// its error), the feedback form (and its error), the published answers, the unit's feedback queue.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { browserWorld, type BrowserWorld } from '../../src/testing/e2e.ts';
import { assertAccessible, phone } from '../../src/testing/browser.ts';
import { attachResult, deskAt, must, onlineDossier } from '../../src/testing/office.ts';
import { tinyPdf } from '../../src/testing/uploads.ts';

let world: BrowserWorld;
let browser: Browser;
before(async () => {
  world = await browserWorld();
  browser = world.browser;
});
after(() => world?.close());

test('rating a returned dossier and sending feedback on a 360 px phone, and answering it at the desk: every page passes axe-core', async () => {
  const { ctx, base } = world;
  const desk = await deskAt(ctx);
  const d = await onlineDossier(ctx);
  await must(ctx, desk.reception, d.id, { action: 'accept' });
  await must(ctx, desk.reception, d.id, { action: 'transfer' });
  assert.equal((await attachResult(ctx, desk.specialist, d.id, tinyPdf)).status, 201);
  await must(ctx, desk.approver, d.id, { action: 'resolve' });
  await must(ctx, desk.reception, d.id, { action: 'return_result', receivedBy: 'Nguyễn Thị Lan' });

  const citizen = await browser.newContext({ ...phone, javaScriptEnabled: false });
  await citizen.addCookies([{ name: 'motcua_session', value: d.citizen.token, url: base }]);
  const page = await citizen.newPage();
  await page.goto(`${base}/ho-so/${d.id}/danh-gia`);
  await assertAccessible(browser, page);
  await page.getByRole('button', { name: 'Gửi' }).click();
  assert.equal(await page.locator('.error-summary').count(), 1);
  await assertAccessible(browser, page);
  await page.getByLabel('Hài lòng', { exact: true }).check();
  await page.getByRole('button', { name: 'Gửi' }).click();
  assert.match(await page.locator('main').innerText(), /Cảm ơn bạn đã đánh giá/);

  await page.goto(`${base}/phan-anh/gui`);
  await assertAccessible(browser, page);
  await page.getByLabel('Cơ quan nhận phản ánh').selectOption('my-tho-phuong-5');
  await page.getByLabel('Tiêu đề').fill('Bãi giữ xe trước trụ sở');
  await page.getByRole('button', { name: 'Gửi' }).click();
  assert.equal(await page.locator('.error-summary').count(), 1);
  await assertAccessible(browser, page);
  await page.getByLabel('Nội dung').fill('Đề nghị bố trí thêm chỗ để xe cho người đến nộp hồ sơ.');
  await page.getByLabel('Họ và tên').fill('Phạm Văn Hòa');
  await page.getByLabel('Thư điện tử hoặc số điện thoại để nhận trả lời').fill('0987654321');
  await page.getByRole('button', { name: 'Gửi' }).click();
  assert.match(await page.locator('h1').innerText(), /Đã gửi phản ánh/);
  await assertAccessible(browser, page);
  await citizen.close();

  const office = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
  await office.addCookies([{ name: 'motcua_session', value: desk.reception.token, url: base }]);
  const desktop = await office.newPage();
  await desktop.goto(`${base}/can-bo/phan-anh`);
  await assertAccessible(browser, desktop);
  await desktop.getByLabel('Trả lời', { exact: true }).fill('Từ tuần sau, sân trước trụ sở dành cho người đến làm thủ tục.');
  await desktop.getByLabel(/Công khai phản ánh/).check();
  await desktop.getByRole('button', { name: 'Gửi trả lời' }).click();
  assert.match(await desktop.locator('main').innerText(), /Đã gửi trả lời/);
  await desktop.goto(`${base}/phan-anh`);
  assert.match(await desktop.locator('main').innerText(), /sân trước trụ sở/);
  assert.doesNotMatch(await desktop.locator('main').innerText(), /Phạm Văn Hòa|0987654321/);
  await assertAccessible(browser, desktop);
  await office.close();
});
