/// <reference lib="dom" />
// A staff member turns on two-step verification and signs in with it; a province administrator
// uses the accounts page. On a 360 px phone, without JavaScript; axe-core checks each page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { TestContext } from '../../src/testing/context.ts';
import { browserWorld, type BrowserWorld } from '../../src/testing/e2e.ts';
import { assertAccessible, phone } from '../../src/testing/browser.ts';
import { base32Decode, totp } from '../../src/domain/totp.ts';

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

async function signIn(page: Page, username: string) {
  await page.goto(`${base}/dang-nhap`);
  await page.getByLabel('Thư điện tử hoặc số điện thoại di động').fill(username);
  await page.getByLabel('Mật khẩu').fill('mat-khau-dai');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

test('staff turn on two-step verification and sign in with a code; the pages pass axe-core', { timeout: 120_000 }, async () => {
  await ctx.services.accounts.addUser({ username: 'hai.buoc@tiengiang.gov.vn', password: 'mat-khau-dai', name: 'Phạm Thị Hoa', role: 'reception', unitId: 'so-tu-phap' });
  const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await signIn(page, 'hai.buoc@tiengiang.gov.vn');
    await page.waitForURL(/\/tai-khoan$/);
    await accessible(page);
    await page.getByRole('button', { name: 'Bật xác thực hai bước' }).click();
    await page.waitForURL(/xac-thuc-hai-buoc/);
    await accessible(page);
    const secret = base32Decode((await page.locator('#secret').innerText()).replace(/\s/g, ''))!;
    await page.getByLabel('Mã xác thực').fill('abc');
    await page.getByRole('button', { name: 'Bật xác thực hai bước' }).click();
    assert.match(await page.title(), /^Lỗi: /);
    await accessible(page);
    await page.getByLabel('Mã xác thực').fill(totp(secret, ctx.clock.now()));
    await page.getByRole('button', { name: 'Bật xác thực hai bước' }).click();
    await page.waitForURL(/\/tai-khoan\?hai-buoc=1$/);
    assert.ok(await page.getByText('Đã bật xác thực hai bước.').isVisible());
    await page.getByRole('button', { name: 'Đăng xuất', exact: true }).click();
    ctx.clock.set(new Date(ctx.clock.now().getTime() + 30_000).toISOString());
    await signIn(page, 'hai.buoc@tiengiang.gov.vn');
    await page.waitForURL(/\/dang-nhap\/ma-xac-thuc/);
    await accessible(page);
    await page.getByLabel('Mã xác thực').fill(totp(secret, ctx.clock.now()));
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/tai-khoan$/);
    assert.ok(await page.getByText('Xác thực hai bước đang bật').isVisible());
  } finally {
    await context.close();
  }
});

test('a province administrator finds an account and disables it on the accounts page; the page passes axe-core', { timeout: 120_000 }, async () => {
  await ctx.services.accounts.addUser({ username: 'quan.tri.tinh@tiengiang.gov.vn', password: 'mat-khau-dai', name: 'Võ Văn Tâm', role: 'province_admin', unitId: 'so-tu-phap' });
  await ctx.services.accounts.addUser({ username: 'bi.khoa@tiengiang.gov.vn', password: 'mat-khau-dai', name: 'Lý Thị Mai', role: 'clerk', unitId: 'so-tu-phap' });
  const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await signIn(page, 'quan.tri.tinh@tiengiang.gov.vn');
    await page.goto(`${base}/quan-tri/tai-khoan`);
    await accessible(page);
    await page.getByLabel('Tên hoặc tên đăng nhập').fill('bi.khoa');
    await page.getByRole('button', { name: 'Tìm' }).click();
    await page.getByRole('button', { name: 'Khóa tài khoản Lý Thị Mai' }).click();
    await page.waitForURL(/da-luu=1/);
    assert.ok(await page.getByText('Đã khóa').isVisible());
    await accessible(page);
  } finally {
    await context.close();
  }
});
