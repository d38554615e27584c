/// <reference lib="dom" />
// Personal data pages on a 360 px phone, without JavaScript: the privacy notice, the consent box
// at registration, the account's data section, and deleting the account; axe-core checks each page.
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

test('the notice, the consent box, the data download link and account deletion work without JavaScript and pass axe', { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: 'Quyền riêng tư' }).click();
    await page.waitForURL(/\/quyen-rieng-tu$/);
    assert.ok(await page.getByRole('heading', { level: 1, name: 'Thông báo xử lý dữ liệu cá nhân' }).isVisible());
    await accessible(page);

    await page.goto(`${base}/dang-ky`);
    await page.getByLabel('Họ và tên').fill('Trịnh Thị Mười');
    await page.getByLabel('Thư điện tử hoặc số điện thoại di động').fill('muoi.trinh@example.vn');
    await page.getByLabel('Mật khẩu').fill('mat-khau-dai');
    await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
    assert.match(await page.title(), /^Lỗi: /);
    assert.equal(await page.getByLabel('Họ và tên').inputValue(), 'Trịnh Thị Mười');
    await accessible(page);
    await page.getByRole('link', { name: /Đánh dấu vào ô đồng ý/ }).click();
    await page.getByLabel('Tôi đã đọc thông báo xử lý dữ liệu cá nhân').check();
    await page.getByLabel('Mật khẩu').fill('mat-khau-dai');
    await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
    await page.waitForURL(/\/xac-nhan/);
    const row = await ctx.handle.db.selectFrom('outbox').select('params').where('recipient', '=', 'muoi.trinh@example.vn').executeTakeFirstOrThrow();
    await page.getByLabel('Mã xác nhận').fill(JSON.parse(row.params).code);
    await page.getByRole('button', { name: 'Xác nhận' }).click();
    await page.waitForURL(/\/dang-nhap/);
    await page.getByLabel('Thư điện tử hoặc số điện thoại di động').fill('muoi.trinh@example.vn');
    await page.getByLabel('Mật khẩu').fill('mat-khau-dai');
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await page.waitForURL(/\/tai-khoan$/);
    assert.ok(await page.getByRole('link', { name: 'Tải về dữ liệu của tôi (JSON)' }).isVisible());
    await accessible(page);

    await page.getByRole('link', { name: 'Yêu cầu xóa tài khoản' }).click();
    await page.waitForURL(/\/tai-khoan\/xoa$/);
    await accessible(page);
    await page.getByRole('button', { name: 'Xóa tài khoản' }).click();
    assert.match(await page.title(), /^Lỗi: /);
    await accessible(page);
    await page.getByLabel('Tôi hiểu rằng việc xóa tài khoản không thể hoàn tác.').check();
    await page.getByRole('button', { name: 'Xóa tài khoản' }).click();
    assert.ok(await page.getByRole('heading', { level: 1, name: 'Tài khoản đã được xóa' }).isVisible());
    await accessible(page);
    const user = await ctx.handle.db.selectFrom('users').select(['name', 'email']).where('username', 'like', 'deleted-%').executeTakeFirstOrThrow();
    assert.deepEqual(user, { name: 'Người dùng đã xóa', email: null });
  } finally {
    await context.close();
  }
});
