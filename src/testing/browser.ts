/// <reference lib="dom" />
// Headless Chromium for end-to-end tests (Debian's package; never a downloaded browser), and the
// axe-core accessibility check run inside the page.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(`Chromium is not installed at ${executablePath}: run "apt-get install -y chromium" (or .ci/run), or set CHROMIUM_PATH`);
  }
  // Playwright gives each launch a fresh, empty profile of its own.
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> };

/** Runs axe-core with the WCAG 2.x A and AA rules (2.2 included) and returns the violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the page's strict CSP need not allow it.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n');
}

/** A cheap phone: 360 px wide, touch, Vietnamese. */
export const phone = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN' } as const;

/**
 * Checks a page with axe-core (WCAG 2.2 AA) and that it fits a 360 px screen. axe needs scripts,
 * so the page's URL is opened again in a scripted context with the same cookies: pages seen with
 * JavaScript off are checked as they are served.
 */
export async function assertAccessible(browser: Browser, page: Page): Promise<void> {
  const checker = await browser.newContext(phone);
  try {
    await checker.addCookies(await page.context().cookies());
    const p = await checker.newPage();
    await p.goto(page.url());
    const violations = await axeViolations(p);
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    if (violations.length) throw new Error(`${page.url()}\n${describeViolations(violations)}`);
    if (width > 360) throw new Error(`${page.url()} is ${width} px wide on a 360 px screen`);
  } finally {
    await checker.close();
  }
}
