/// <reference lib="dom" />
// The province admin's path through the working calendar in Chromium: signs in from the page's
// address, finds 2027 computed from the Labour Code, enters a day with a mistake, fixes it from the
// error summary, and sees it listed; each page passes axe-core (WCAG 2.2 AA) and fits 360 px.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { TestContext } from '../../src/testing/context.ts';
import { browserWorld, type BrowserWorld } from '../../src/testing/e2e.ts';
import { assertAccessible, axeViolations, describeViolations } from '../../src/testing/browser.ts';

let ctx: TestContext;
let browser: Browser;
let base: string;

let world: BrowserWorld;
before(async () => {
  world = await browserWorld();
  ({ ctx, browser, base } = world);
});
after(() => world?.close());

const accessible = (page: Page) => assertAccessible(browser, page);
const desk = { viewport: { width: 1366, height: 768 }, locale: 'vi-VN' } as const;

test("the province admin enters a day off for 2027, fixing a mistake from the error summary", { timeout: 120_000 }, async () => {
  await ctx.services.accounts.addUser({ username: 'e2e.lich.admin', password: 'mat-khau-dai', name: 'Nguyễn Văn Tỉnh', role: 'province_admin', unitId: 'tien-giang' });
  const page = await (await browser.newContext(desk)).newPage();
  await page.goto(`${base}/quan-tri/lich?nam=2027`);
  await page.waitForURL(/\/dang-nhap\?next=/);
  await page.getByLabel('Thư điện tử hoặc số điện thoại di động').fill('e2e.lich.admin');
  await page.getByLabel('Mật khẩu').fill('mat-khau-dai');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(/\/quan-tri\/lich\?nam=2027$/);
  assert.ok(await page.getByRole('heading', { name: 'Lịch làm việc và ngày nghỉ 2027' }).isVisible());
  assert.ok(await page.getByText('Năm 2027 chưa có lịch nghỉ chính thức').isVisible());
  await accessible(page);

  // The name is forgotten: the summary says so, and its link leads to the field.
  await page.getByLabel('Ngày', { exact: true }).fill('2027-12-31');
  await page.getByRole('button', { name: 'Lưu ngày' }).click();
  assert.match(await page.title(), /^Lỗi: /);
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, describeViolations(violations));
  assert.equal(await page.getByLabel('Ngày', { exact: true }).inputValue(), '2027-12-31');
  await page.getByRole('link', { name: 'Vui lòng nhập thông tin này.' }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'name');
  await page.getByLabel('Tên ngày').fill('Nghỉ cuối năm');
  await page.getByRole('button', { name: 'Lưu ngày' }).click();
  await page.waitForURL(/xong=day/);
  assert.ok(await page.getByRole('status').getByText('Đã lưu ngày 31/12/2027.').isVisible());
  assert.ok(await page.getByRole('row', { name: /31\/12\/2027.*Nghỉ cuối năm/ }).isVisible());
  await accessible(page);
  await page.context().close();
});
