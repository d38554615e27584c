/// <reference lib="dom" />
// The whole journey on a 360 px phone, with JavaScript on and off: sign in, find "đăng ký khai
// sinh", fill it, attach a photo, check answers, submit, see the code, open the acknowledgement, track.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { TestContext } from '../../src/testing/context.ts';
import { browserWorld, type BrowserWorld } from '../../src/testing/e2e.ts';
import { assertAccessible, phone } from '../../src/testing/browser.ts';
import { birthRegistration } from '../../src/testing/fixtures.ts';
import { tinyPng } from '../../src/testing/uploads.ts';

let ctx: TestContext;
let browser: Browser;
let base: string;
let photo: string;

let world: BrowserWorld;
before(async () => {
  world = await browserWorld();
  ({ ctx, browser, base } = world);
  photo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-e2e-')), 'anh-chup.png');
  fs.writeFileSync(photo, tinyPng);
});
after(() => world?.close());

const accessible = (page: Page) => assertAccessible(browser, page);

const byId = (page: Page, id: string) => page.locator(`[id="${id}"]`);

/** Fills the birth registration the way a parent would, field by field. */
async function fillBirthRegistration(page: Page): Promise<void> {
  const sample = birthRegistration();
  const fill = async (key: string, value: string) => byId(page, key).fill(value);
  const a = sample.applicant;
  await fill('applicant.fullName', a.fullName);
  await fill('applicant.birthDate', a.birthDate);
  await fill('applicant.idNumber', a.idNumber);
  await fill('applicant.phone', a.phone);
  await fill('applicant.email', a.email);
  for (const key of ['applicant.address', 'child_birth_place', 'mother_residence', 'father_residence']) {
    await fill(`${key}.line`, 'Số 12 đường Hùng Vương');
    await byId(page, `${key}.areaCode`).selectOption('28249');
  }
  const f = sample.form;
  for (const key of ['child_full_name', 'child_birth_date', 'child_ethnicity', 'child_nationality', 'child_birth_facility', 'child_hometown',
    'mother_full_name', 'mother_birth_year', 'mother_ethnicity', 'mother_nationality', 'father_full_name', 'father_birth_year',
    'father_ethnicity', 'father_nationality', 'copies'] as const) {
    await fill(key, String(f[key]));
  }
  await page.locator('input[name="child_sex"][value="nam"]').check();
  await page.locator('input[name="child_birth_place_type"][value="co_so_y_te"]').check();
  await page.locator('input[name="father_known"][value="yes"]').check();
  await page.locator('input[name="parents_married"][value="yes"]').check();
  await byId(page, 'declarant_relationship').selectOption('me');
  await page.locator('input[name="delivery.method"][value="online"]').check();
}

for (const javaScriptEnabled of [true, false]) {
  test(`a parent files a birth registration from a phone (${javaScriptEnabled ? 'with' : 'without'} JavaScript)`, { timeout: 180_000 }, async () => {
    const username = javaScriptEnabled ? '0977111001' : '0977111002';
    await ctx.services.accounts.addUser({ username, password: 'mat-khau-dai', name: 'Nguyễn Thị Lan', role: 'citizen' });
    const context = await browser.newContext({ ...phone, javaScriptEnabled, acceptDownloads: true });
    const page = await context.newPage();
    try {
      await page.goto(`${base}/`);
      await page.getByLabel('Bạn cần làm thủ tục gì?').fill('dang ky khai sinh');
      await page.getByRole('button', { name: 'Tìm kiếm' }).click();
      await page.locator('.result-title a', { hasText: /^Đăng ký khai sinh$/ }).first().click();
      await page.getByRole('button', { name: 'Nộp hồ sơ trực tuyến' }).click();
      // Not signed in yet: the portal asks, then comes back.
      await page.waitForURL(/\/dang-nhap\?next=/);
      await page.getByLabel('Thư điện tử hoặc số điện thoại di động').fill(username);
      await page.getByLabel('Mật khẩu').fill('mat-khau-dai');
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.waitForURL(/\/thu-tuc\/dang-ky-khai-sinh\/nop-ho-so$/);
      await accessible(page);
      await page.getByLabel('Nơi nộp hồ sơ').selectOption('my-tho-phuong-5');
      await page.getByRole('button', { name: 'Bắt đầu' }).click();
      await page.waitForURL(/\/ho-so\/[^/]+\/khai$/);
      await accessible(page);

      // A wrong ID number comes back in the error summary, with everything else kept.
      await fillBirthRegistration(page);
      await byId(page, 'applicant.idNumber').fill('1234');
      await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
      assert.match(await page.title(), /^Lỗi: /);
      assert.equal(await byId(page, 'child_full_name').inputValue(), 'Trần Minh Khang');
      await accessible(page);
      await byId(page, 'applicant.idNumber').fill('082195000123');
      await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
      await page.waitForURL(/\/dinh-kem$/);
      await accessible(page);

      for (const input of await page.locator('section.document').all()) {
        const required = (await input.locator('h2').textContent())?.includes('Bắt buộc');
        if (!required) continue;
        const id = await input.locator('input[type=file]').getAttribute('id');
        await byId(page, id!).setInputFiles(photo);
        await input.getByRole('button', { name: 'Tải lên' }).click();
        await page.waitForURL(/\/dinh-kem/);
      }
      assert.equal(await page.locator('section.document li').count(), 3, 'three files attached');
      await page.getByRole('button', { name: 'Tiếp tục' }).click();
      await page.waitForURL(/\/kiem-tra$/);
      assert.ok(await page.getByText('Trần Minh Khang').isVisible());
      await accessible(page);
      // Issue 10: submitting asks for consent to the personal data notice.
      await page.getByLabel('Tôi đã đọc thông báo xử lý dữ liệu cá nhân').check();
      await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
      await page.waitForURL(/\/da-nop$/);
      const code = (await page.locator('.dossier-code').textContent())!;
      assert.match(code, /^000\.01\.22\.H58-261129-\d{4}$/);
      await accessible(page);

      // Before acceptance the applicant gets the acknowledgement; Form 01 comes once the desk accepts (Circular 03/2025).
      const receipt = await page.request.get(`${base}${await page.getByRole('link', { name: 'Xem giấy xác nhận đã nhận hồ sơ (PDF)' }).getAttribute('href')}`);
      assert.equal(receipt.headers()['content-type'], 'application/pdf');
      assert.equal((await receipt.body()).subarray(0, 5).toString(), '%PDF-');

      await page.getByRole('link', { name: 'Theo dõi hồ sơ' }).click();
      await page.waitForURL(/\/tra-cuu\//);
      assert.ok(await page.getByText('Mới đăng ký, chờ tiếp nhận').first().isVisible());
      await accessible(page);
      await page.goto(`${base}/ho-so`);
      assert.ok(await page.getByText(code).isVisible());
      await accessible(page);
    } finally {
      await context.close();
    }
  });
}
