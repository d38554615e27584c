/// <reference lib="dom" />
// Someone checks the province's figures on a 360 px phone and on a 1366 px screen, with JavaScript on
// and off: the charts fit and stay legible, their tables open, the filters narrow the figures, a bad
// date comes back with an error summary, and every page passes axe-core (WCAG 2.2 AA).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { Measure } from '../../src/domain/stats.ts';
import { addToDaily } from '../../src/modules/stats/stats.queries.ts';
import { assertAccessible, axeViolations, describeViolations, phone } from '../../src/testing/browser.ts';
import { browserWorld, type BrowserWorld } from '../../src/testing/e2e.ts';

let world: BrowserWorld;
let browser: Browser;
let base: string;

const desktop = { viewport: { width: 1366, height: 900 }, locale: 'vi-VN' } as const;

before(async () => {
  world = await browserWorld();
  ({ browser, base } = world);
  const count = (day: string, unit: string, procedure: string, channel: string, measure: Measure, n: number) =>
    addToDaily(world.ctx.handle.db, { unit_id: unit, procedure_id: procedure, channel }, [{ day, measure, delta: n }]);
  // A year of Phường 5 and Gò Công filing birth registrations, a department, and ratings (the demo clock is 29 Nov 2026).
  for (let month = 1; month <= 11; month++) {
    const day = `2026-${String(month).padStart(2, '0')}-10`;
    await count(day, 'my-tho-phuong-5', 'dang-ky-khai-sinh', 'online', 'received', month * 2);
    await count(day, 'my-tho-phuong-5', 'dang-ky-khai-sinh', 'counter', 'received', 20 - month);
    await count(day, 'my-tho-phuong-5', 'xac-nhan-tinh-trang-hon-nhan', 'postal', 'received', 2);
    await count(day, 'go-cong-phuong-1', 'dang-ky-khai-sinh', 'online', 'received', 5);
    await count(day, 'so-y-te', 'chung-chi-hanh-nghe-duoc', 'counter', 'received', 3);
    await count(day, 'my-tho-phuong-5', 'dang-ky-khai-sinh', 'online', 'settled_on_time', month);
    await count(day, 'my-tho-phuong-5', 'dang-ky-khai-sinh', 'counter', 'settled_late', 2);
    await count(day, 'my-tho-phuong-5', 'dang-ky-khai-sinh', 'online', `rating_${(month % 5) + 1}` as Measure, 2);
    await count(day, 'my-tho-phuong-5', 'dang-ky-khai-sinh', 'online', 'rating_5', month);
  }
});
after(() => world?.close());

async function withPage(options: BrowserContextOptions, work: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext(options);
  try {
    await work(await context.newPage());
  } finally {
    await context.close();
  }
}

/** axe-core at the page's own width, in a scripted context (a page seen with JavaScript off is checked as served). */
async function accessibleAt(page: Page, viewport: { width: number; height: number }): Promise<void> {
  const checker = await browser.newContext({ viewport });
  try {
    const p = await checker.newPage();
    await p.goto(page.url());
    const violations = await axeViolations(p);
    assert.equal(violations.length, 0, `${page.url()} at ${viewport.width} px\n${describeViolations(violations)}`);
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= viewport.width, `${page.url()} is ${width} px wide at ${viewport.width} px`);
  } finally {
    await checker.close();
  }
}

/** Every chart fits the main column, and its 14-unit text renders at a legible size. */
async function chartsFit(page: Page, maxWidth: number): Promise<void> {
  const sizes = await page.locator('svg.chart-svg').evaluateAll((svgs) => svgs.map((s) => s.getBoundingClientRect().width));
  assert.equal(sizes.length, 7, 'seven charts');
  for (const w of sizes) {
    assert.ok(w <= maxWidth, `a chart is ${w} px wide`);
    assert.ok((14 * w) / 340 >= 12.5, `chart text renders at ${(14 * w) / 340} px`);
  }
}

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  test(`on a 360 px phone the dashboard shows the indicators and charts, its tables open, and the filters narrow it (${mode})`, { timeout: 90_000 }, async () => {
    await withPage({ ...phone, javaScriptEnabled }, async (page) => {
      await page.goto(`${base}/`);
      await page.getByRole('link', { name: 'Thống kê' }).click();
      await page.waitForURL(/\/thong-ke$/);
      assert.equal(await page.locator('h1').textContent(), 'Thống kê dịch vụ công');
      await assertAccessible(browser, page);
      await chartsFit(page, 328);
      assert.equal(await page.locator('[data-indicator="onlinePaymentShare"] .indicator-value').textContent(), 'Chưa có số liệu');
      assert.ok(await page.getByRole('img', { name: 'Tỷ lệ trực tuyến và tỷ lệ đúng hạn theo tháng' }).isVisible());

      // The monthly table opens from its disclosure, with a row a month.
      const monthly = page.locator('#chart-monthly');
      const table = monthly.locator('table');
      assert.equal(await table.isVisible(), false);
      await monthly.locator('summary').click();
      assert.ok(await table.isVisible());
      assert.equal(await table.locator('tbody tr').count(), 12);
      assert.equal(await table.locator('tbody tr').nth(10).locator('th').textContent(), '10/2026');
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 360, 'an open table scrolls inside its box, not the page');

      // The filters: Mỹ Tho's communes, at the commune level.
      await page.getByLabel('Đơn vị', { exact: true }).selectOption('my-tho');
      await page.getByLabel('Cấp thực hiện thủ tục', { exact: true }).selectOption('commune');
      await page.getByRole('button', { name: 'Xem số liệu' }).click();
      await page.waitForURL(/unitId=my-tho&level=commune/);
      assert.match(await page.locator('.stats-scope').innerText(), /Thành phố Mỹ Tho · Cấp xã/);
      const units = await page.locator('#chart-unit-online tbody th').allTextContents();
      assert.deepEqual(units, ['Phường 5']);
      assert.match(await page.locator('[data-indicator="onlineShare"]').innerText(), /Chỉ tiêu: 70%/);
      await assertAccessible(browser, page);

      // A date that does not exist comes back with the error summary and the value typed.
      await page.getByLabel('Từ ngày', { exact: true }).fill('2026-02-30');
      await page.getByRole('button', { name: 'Xem số liệu' }).click();
      await page.waitForURL(/from=2026-02-30/);
      assert.match(await page.title(), /^Lỗi: /);
      assert.ok(await page.locator('.error-summary').isVisible());
      if (javaScriptEnabled) assert.equal(await page.evaluate(() => document.activeElement?.className), 'error-summary', 'the summary takes focus');
      assert.equal(await page.getByLabel('Từ ngày', { exact: true }).inputValue(), '2026-02-30');
      assert.equal(await page.getByLabel('Đơn vị', { exact: true }).inputValue(), 'my-tho', 'the other filters are kept');
      await page.locator('.error-summary a[href="#from"]').click();
      assert.equal(await page.evaluate(() => location.hash), '#from');
      await assertAccessible(browser, page);
    });
  });

  test(`on a 1366 px screen the dashboard passes axe-core and its charts keep a readable size (${mode})`, { timeout: 90_000 }, async () => {
    await withPage({ ...desktop, javaScriptEnabled }, async (page) => {
      await page.goto(`${base}/thong-ke?lang=en`);
      assert.equal(await page.locator('h1').textContent(), 'Public service statistics');
      await accessibleAt(page, desktop.viewport);
      await chartsFit(page, 480);
      await page.goto(`${base}/thong-ke?lang=vi&unitId=so-y-te&field=duoc-pham`);
      assert.equal(await page.locator('#chart-top tbody th').first().textContent(), 'Cấp Chứng chỉ hành nghề dược (theo hình thức xét hồ sơ)');
      await accessibleAt(page, desktop.viewport);
      await page.goto(`${base}/thong-ke?from=2026-13-01&to=2026-01-01&level=tinh`);
      assert.match(await page.title(), /^Lỗi: /);
      await accessibleAt(page, desktop.viewport);
    });
  });
}
