// The world of a browser test: the app on a real port over a fresh database, and headless Chromium.
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { createTestContext, type TestContext } from './context.ts';

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
