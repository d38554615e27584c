/// <reference lib="dom" />
// A citizen on a 360 px phone finds a procedure, with JavaScript on and off; every page passes axe-core.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../../src/testing/context.ts';
import { axeViolations, describeViolations, launchBrowser } from '../../src/testing/browser.ts';

let ctx: TestContext;
let browser: Browser;
let base: string;

before(async () => {
  ctx = await createTestContext();
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await ctx?.close();
});

const phone = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN' };

async function withPage(javaScriptEnabled: boolean, work: (page: Page) => Promise<void>): Promise<void> {
  const context: BrowserContext = await browser.newContext({ ...phone, javaScriptEnabled });
  try {
    await work(await context.newPage());
  } finally {
    await context.close();
  }
}

async function assertAccessible(page: Page, javaScriptEnabled: boolean): Promise<void> {
  // axe-core needs scripts (and timers) to run: with JavaScript off, the same URL is checked in a
  // scripted page of the same size.
  let checked = page;
  if (!javaScriptEnabled) {
    const context = await browser.newContext(phone);
    checked = await context.newPage();
    await checked.goto(page.url());
  }
  try {
    const violations = await axeViolations(checked);
    assert.equal(violations.length, 0, `${page.url()}\n${describeViolations(violations)}`);
  } finally {
    if (checked !== page) await checked.context().close();
  }
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `${page.url()} fits a 360 px screen (scroll width ${width})`);
}

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  test(`a citizen searches "dang ky ket hon" without tone marks and opens the procedure (${mode})`, { timeout: 60_000 }, async () => {
    await withPage(javaScriptEnabled, async (page) => {
      await page.goto(`${base}/`);
      await assertAccessible(page, javaScriptEnabled);
      await page.getByLabel('Bạn cần làm thủ tục gì?').fill('dang ky ket hon');
      await page.getByRole('button', { name: 'Tìm kiếm' }).click();
      await page.waitForURL(/\/thu-tuc\?q=dang\+ky\+ket\+hon/);
      await assertAccessible(page, javaScriptEnabled);
      const first = page.locator('.result-title a').first();
      assert.equal(await first.textContent(), 'Đăng ký kết hôn');
      await first.click();
      await page.waitForURL(/\/thu-tuc\/dang-ky-ket-hon$/);
      assert.equal(await page.locator('h1').textContent(), 'Đăng ký kết hôn');
      assert.ok(await page.getByRole('heading', { name: 'Giấy tờ cần nộp' }).isVisible());
      assert.ok(await page.getByRole('button', { name: 'Nộp hồ sơ trực tuyến' }).isVisible());
      await assertAccessible(page, javaScriptEnabled);
    });
  });

  test(`filters narrow the results by level and online class (${mode})`, { timeout: 60_000 }, async () => {
    await withPage(javaScriptEnabled, async (page) => {
      await page.goto(`${base}/thu-tuc?q=giay+phep`);
      await page.locator('.filters summary').click();
      await page.getByLabel('Cấp thực hiện').selectOption('province');
      await page.getByLabel('Mức độ trực tuyến').selectOption('partial');
      await page.getByRole('button', { name: 'Áp dụng bộ lọc' }).click();
      await page.waitForURL(/level=province/);
      const url = new URL(page.url());
      assert.equal(url.searchParams.get('q'), 'giay phep');
      assert.equal(url.searchParams.get('onlineClass'), 'partial');
      const ids = await page.locator('.result-title a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!.split('/').pop()!));
      assert.ok(ids.length > 0);
      const expected = ctx.services.catalog.search({ q: 'giay phep', level: 'province', onlineClass: 'partial', limit: 20, offset: 0 }).items.map((p) => p.id);
      assert.deepEqual(ids, expected);
      await assertAccessible(page, javaScriptEnabled);
    });
  });
}

test('the procedure page in English, the error summary, and the 404 page pass axe-core', { timeout: 60_000 }, async () => {
  await withPage(true, async (page) => {
    await page.goto(`${base}/thu-tuc/doi-giay-phep-lai-xe`);
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/lang=en/);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.locator('h1').textContent(), 'Renewal/exchange of a driving licence');
    await assertAccessible(page, true);

    await page.goto(`${base}/thu-tuc?lang=vi&q=${'x'.repeat(201)}`);
    assert.match(await page.title(), /^Lỗi: /);
    assert.ok(await page.locator('.error-summary').isVisible());
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'error-summary', 'the summary takes focus');
    await assertAccessible(page, true);

    const res = await page.goto(`${base}/thu-tuc/khong-co-thu-tuc-nay`);
    assert.equal(res?.status(), 404);
    assert.equal(await page.locator('h1').textContent(), 'Không tìm thấy trang');
    await assertAccessible(page, true);

  });
});
