/// <reference lib="dom" />
// A citizen creates an account on a 360 px phone, with JavaScript on and off; axe-core checks each page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
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

const accessible = (page: Page) => assertAccessible(browser, page);

for (const javaScriptEnabled of [true, false]) {
  test(`register, confirm the code, sign in and out (${javaScriptEnabled ? 'with' : 'without'} JavaScript)`, { timeout: 90_000 }, async () => {
    const context = await browser.newContext({ ...phone, javaScriptEnabled });
    const page = await context.newPage();
    const phoneNumber = javaScriptEnabled ? '0933 444 555' : '0933 444 666';
    const stored = javaScriptEnabled ? '+84933444555' : '+84933444666';
    try {
      await page.goto(`${base}/`);
      await page.getByRole('link', { name: 'Đăng nhập' }).click();
      await page.getByRole('link', { name: 'Tạo tài khoản' }).click();
      await accessible(page);
      // First with a mistake: the summary keeps what was typed.
      await page.getByLabel('Họ và tên').fill('Đặng Thị Kim');
      await page.getByLabel('Thư điện tử hoặc số điện thoại di động').fill(phoneNumber);
      await page.getByLabel('Mật khẩu').fill('ngắn');
      await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
      assert.match(await page.title(), /^Lỗi: /);
      assert.equal(await page.getByLabel('Họ và tên').inputValue(), 'Đặng Thị Kim');
      await accessible(page);
      await page.getByRole('link', { name: 'Mật khẩu cần ít nhất 8 ký tự.' }).click();
      await page.getByLabel('Mật khẩu').fill('mat-khau-dai');
      // Issue 10: registration asks for consent to the personal data notice.
      await page.getByLabel('Tôi đã đọc thông báo xử lý dữ liệu cá nhân').check();
      await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
      await page.waitForURL(/\/xac-nhan/);
      await accessible(page);
      const row = await ctx.handle.db.selectFrom('outbox').select('params').where('recipient', '=', stored).executeTakeFirstOrThrow();
      await page.getByLabel('Mã xác nhận').fill(JSON.parse(row.params).code);
      await page.getByRole('button', { name: 'Xác nhận' }).click();
      await page.waitForURL(/\/dang-nhap/);
      assert.ok(await page.getByText('Tài khoản đã được xác nhận').isVisible());
      await accessible(page);
      await page.getByLabel('Thư điện tử hoặc số điện thoại di động').fill(phoneNumber);
      await page.getByLabel('Mật khẩu').fill('mat-khau-dai');
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.waitForURL(/\/tai-khoan$/);
      assert.ok(await page.getByText('Đặng Thị Kim').isVisible());
      await accessible(page);
      await page.getByRole('button', { name: 'Đăng xuất', exact: true }).click();
      await page.waitForURL(/\/dang-nhap/);
      assert.ok(await page.getByText('Bạn đã đăng xuất.').isVisible());
    } finally {
      await context.close();
    }
  });
}
