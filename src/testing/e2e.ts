// The world of a browser test: the app on a real port over a fresh database, and headless Chromium.
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { createTestContext, type TestContext } from './context.ts';
import { communeUnit } from './fixtures.ts';

export type BrowserWorld = { ctx: TestContext; browser: Browser; base: string; close(): Promise<void> };

export async function browserWorld(): Promise<BrowserWorld> {
  const ctx = await createTestContext();
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  const browser = await launchBrowser();
  return {
    ctx, browser, base,
    close: async () => {
      await browser.close();
      await ctx.close();
    },
  };
}

/** A staff member made by the administrator at a unit, signed in through the sign-in page the queue sends them to. */
export async function officerPage(world: Pick<BrowserWorld, 'ctx' | 'browser' | 'base'>, role: string, name: string, options: BrowserContextOptions, unitId = communeUnit): Promise<Page> {
  const username = `e2e.${role}.${name.normalize('NFD').replace(/[^a-z]/gi, '').toLowerCase()}`;
  await world.ctx.services.accounts.addUser({ username, password: 'mat-khau-dai', name, role, unitId });
  const page = await (await world.browser.newContext(options)).newPage();
  await page.goto(`${world.base}/can-bo/ho-so`);
  await page.waitForURL(/\/dang-nhap\?next=/);
  await page.getByLabel('Thư điện tử hoặc số điện thoại di động').fill(username);
  await page.getByLabel('Mật khẩu').fill('mat-khau-dai');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(/\/can-bo\/ho-so$/);
  return page;
}
