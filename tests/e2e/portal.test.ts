/// <reference lib="dom" />
// A citizen on a 360 px phone finds a procedure, with JavaScript on and off; every page passes axe-core.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestContext } from '../../src/testing/context.ts';
import { browserWorld, type BrowserWorld } from '../../src/testing/e2e.ts';
import { assertAccessible, phone } from '../../src/testing/browser.ts';

let ctx: TestContext;
let browser: Browser;
let base: string;

let world: BrowserWorld;
before(async () => {
  world = await browserWorld();
  ({ ctx, browser, base } = world);
});
after(() => world?.close());

async function withPage(javaScriptEnabled: boolean, work: (page: Page) => Promise<void>): Promise<void> {
  const context: BrowserContext = await browser.newContext({ ...phone, javaScriptEnabled });
  try {
    await work(await context.newPage());
  } finally {
    await context.close();
  }
}

/** axe-core and the 360 px width, for pages seen with JavaScript on or off alike. */
const accessible = (page: Page) => assertAccessible(browser, page);

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  test(`a citizen searches "dang ky ket hon" without tone marks and opens the procedure (${mode})`, { timeout: 60_000 }, async () => {
    await withPage(javaScriptEnabled, async (page) => {
      await page.goto(`${base}/`);
      await accessible(page);
      await page.getByLabel('Bạn cần làm thủ tục gì?').fill('dang ky ket hon');
      await page.getByRole('button', { name: 'Tìm kiếm' }).click();
      await page.waitForURL(/\/thu-tuc\?q=dang\+ky\+ket\+hon/);
      await accessible(page);
      const first = page.locator('.result-title a').first();
      assert.equal(await first.textContent(), 'Đăng ký kết hôn');
      await first.click();
      await page.waitForURL(/\/thu-tuc\/dang-ky-ket-hon$/);
      assert.equal(await page.locator('h1').textContent(), 'Đăng ký kết hôn');
      assert.ok(await page.getByRole('heading', { name: 'Giấy tờ cần nộp' }).isVisible());
      assert.ok(await page.getByRole('button', { name: 'Nộp hồ sơ trực tuyến' }).isVisible());
      await accessible(page);
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
      await accessible(page);
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
    await accessible(page);

    await page.goto(`${base}/thu-tuc?lang=vi&q=${'x'.repeat(201)}`);
    assert.match(await page.title(), /^Lỗi: /);
    assert.ok(await page.locator('.error-summary').isVisible());
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'error-summary', 'the summary takes focus');
    await accessible(page);

    const res = await page.goto(`${base}/thu-tuc/khong-co-thu-tuc-nay`);
    assert.equal(res?.status(), 404);
    assert.equal(await page.locator('h1').textContent(), 'Không tìm thấy trang');
    await accessible(page);

  });
});
