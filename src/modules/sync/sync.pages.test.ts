/// <reference lib="dom" />
// The national sync's administrator page (/quan-tri/dong-bo-quoc-gia): who may open it and press
// its button (province administrators only), what it shows (backlog, failures, last delivery, the
// demo stand-in's received events) in both languages, and axe-core on a 360 px phone without JavaScript.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { staffRoles } from '../../domain/roles.ts';
import { defaultSettings } from '../../services.ts';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { communeUnit } from '../../testing/fixtures.ts';
import { counterDossier, deskAt } from '../../testing/office.ts';
import { PageBrowser } from '../../testing/page-browser.ts';
import { assertAccessible, launchBrowser, phone } from '../../testing/browser.ts';
import { SyncStandIn } from './sync.standin.ts';
import { SyncWorker } from './sync.worker.ts';

const key = 'pages-test-key-0123456789';
const url = '/quan-tri/dong-bo-quoc-gia';
let standIn: SyncStandIn;
let ctx: TestContext;
let seq = 0;

before(async () => {
  standIn = await SyncStandIn.start({ key });
  ctx = await createTestContext({ settings: { ...defaultSettings, nationalSync: { url: standIn.url, key, timeoutMs: 2_000 } }, syncStandIn: standIn });
});
after(async () => {
  await ctx.close();
  await standIn.close();
});

async function browserAs(role: string) {
  const username = `sync.page.${role}.${++seq}`;
  await ctx.services.accounts.addUser({ username, password: 'mat-khau-dai', name: `Người ${seq}`, role, unitId: role === 'citizen' ? undefined : communeUnit });
  const b = new PageBrowser(ctx.app);
  await b.get('/dang-nhap');
  assert.equal((await b.post('/dang-nhap', { username, password: 'mat-khau-dai', next: '/tai-khoan' })).statusCode, 303);
  return { b, username };
}

test('permissions per role: a province administrator opens the page and presses its button; every other role and a citizen get 403; anonymous visitors are sent to sign in', async () => {
  const anonymous = await ctx.app.inject({ url });
  assert.equal(anonymous.statusCode, 303);
  assert.equal(anonymous.headers.location, '/dang-nhap?next=%2Fquan-tri%2Fdong-bo-quoc-gia');
  for (const role of ['citizen', ...staffRoles]) {
    const { b } = await browserAs(role);
    const admin = role === 'province_admin';
    assert.equal((await b.get(url)).statusCode, admin ? 200 : 403, `${role} GET`);
    const posted = await b.post(`${url}/gui-lai`, {});
    assert.equal(posted.statusCode, admin ? 303 : 403, `${role} POST`);
    assert.equal((await b.post(`${url}/gui-lai`, {}, false)).statusCode, 403, `${role} POST without the CSRF token`);
  }
});

test('the page shows the backlog, a failing dossier with its attempts and error, the button that makes waiting events due now, and what the stand-in received; in English too; axe-core finds nothing', { timeout: 120_000 }, async () => {
  ctx.clock.set('2026-11-30T02:32:00.000Z');
  const desk = await deskAt(ctx);
  const ok = await counterDossier(ctx, desk.reception);
  const worker = new SyncWorker({ db: ctx.handle.db, clock: ctx.clock, settings: { url: standIn.url, key, timeoutMs: 2_000 }, concurrency: 1 });
  assert.equal((await worker.runOnce()).sent, 2);
  const failing = await counterDossier(ctx, desk.reception);
  standIn.failNext(1, 503);
  await worker.runOnce(); // failing's head: 503
  const { b, username } = await browserAs('province_admin');
  const page = await b.get(url);
  assert.equal(page.statusCode, 200);
  assert.equal(page.headers['cache-control'], 'no-store');
  const body = page.body;
  assert.match(body, /<h1>Đồng bộ với Cổng Dịch vụ công quốc gia<\/h1>/);
  assert.match(body, /Sự kiện chờ gửi<\/dt><dd>2</);
  assert.match(body, /Sự kiện chờ lâu nhất<\/dt><dd>0 phút/);
  assert.match(body, new RegExp(`<th scope="row">${failing.code}</th><td>1</td><td>1</td><td>HTTP 503`));
  assert.match(body, /Gửi lại ngay các sự kiện đang chờ/);
  assert.ok(body.includes(ok.code), 'the stand-in’s received events are listed');
  assert.match(body, /Tiếp nhận hồ sơ/);
  assert.ok(!body.includes(key), 'never the key');

  // The button: the failing event is due now, and goes at the next run.
  assert.equal((await b.post(`${url}/gui-lai`, {})).headers.location, `${url}?xong=1`);
  assert.match((await b.get(`${url}?xong=1`)).body, /Các sự kiện đang chờ sẽ được gửi ở lượt tiếp theo/);
  assert.equal((await worker.runOnce()).sent, 2);
  const english = await b.get(`${url}?lang=en`);
  assert.match(english.body, /<h1>Reporting to the National Public Service Portal<\/h1>/);
  assert.match(english.body, /No event is failing\./);
  assert.match(english.body, /Events waiting<\/dt><dd>0</);

  // Before delivering again, leave one failure to show; then axe-core on a phone, without JavaScript.
  const third = await counterDossier(ctx, desk.reception);
  standIn.failNext(1);
  await worker.runOnce();
  assert.match((await b.get(url)).body, new RegExp(third.code));
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
    const tab = await context.newPage();
    await tab.goto(`${base}/dang-nhap`);
    await tab.getByLabel('Thư điện tử hoặc số điện thoại di động').fill(username);
    await tab.getByLabel('Mật khẩu').fill('mat-khau-dai');
    await tab.getByRole('button', { name: 'Đăng nhập' }).click();
    await tab.waitForURL(/\/tai-khoan$/);
    await tab.goto(`${base}${url}`);
    assert.ok(await tab.getByRole('table', { name: 'Sự kiện gửi lỗi' }).isVisible());
    await assertAccessible(browser, tab);
    await tab.getByRole('button', { name: 'Gửi lại ngay các sự kiện đang chờ' }).click();
    await tab.waitForURL(/xong=1$/);
    await assertAccessible(browser, tab);
  } finally {
    await browser.close();
  }
});
