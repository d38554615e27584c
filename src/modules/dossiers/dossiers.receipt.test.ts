// The receipt is read the way people and phones read it: its text (pdftotext) and its QR code
// (zbarimg on the rendered page), both from Debian packages that .ci/run installs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { birthRegistration, signedInCitizen } from '../../testing/fixtures.ts';
import { attachRequiredDocuments } from '../../testing/uploads.ts';

let ctx: TestContext;
let dir: string;
before(async () => {
  ctx = await createTestContext();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-receipt-'));
});
after(async () => {
  await ctx.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('at submission the acknowledgement (not yet Form 01) names the unit, applicant, procedure, documents, time and fee, in Vietnamese, with a QR code of the tracking page', async () => {
  const { auth } = await signedInCitizen(ctx);
  const draft = (await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: auth, payload: birthRegistration() })).json();
  const early = await ctx.app.inject({ url: `/api/v1/dossiers/${draft.id}/acknowledgement.pdf`, headers: auth });
  assert.equal(early.statusCode, 409, 'a draft has no acknowledgement');
  await attachRequiredDocuments(ctx, auth, draft.id);
  const { code, trackingKey } = (await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${draft.id}/submit`, headers: auth })).json();
  const notYet = await ctx.app.inject({ url: `/api/v1/dossiers/${draft.id}/receipt.pdf`, headers: auth });
  assert.equal(notYet.statusCode, 409, 'Form 01 comes at acceptance');
  const res = await ctx.app.inject({ url: `/api/v1/dossiers/${draft.id}/acknowledgement.pdf`, headers: auth });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/pdf');
  const file = path.join(dir, 'receipt.pdf');
  fs.writeFileSync(file, res.rawPayload);

  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  assert.ok(!text.includes('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ'), 'the acknowledgement is not Form 01');
  for (const expected of ['GIẤY XÁC NHẬN ĐÃ NHẬN HỒ SƠ', code, 'Phường 5', 'Nguyễn Thị Lan', '082195000123', 'Đăng ký khai sinh',
    'Tờ khai đăng ký khai sinh', '10:00 ngày 29/11/2026', 'Miễn phí', 'Trực tuyến', 'đang chờ cán bộ kiểm tra']) {
    assert.ok(text.includes(expected), `the receipt shows "${expected}"\n${text}`);
  }

  execFileSync('pdftoppm', ['-png', '-r', '150', '-f', '1', '-l', '1', file, path.join(dir, 'page')]);
  const png = fs.readdirSync(dir).find((f) => f.startsWith('page') && f.endsWith('.png'))!;
  const qr = execFileSync('zbarimg', ['--quiet', '--raw', path.join(dir, png)], { encoding: 'utf8' }).trim();
  assert.equal(qr, `http://localhost:3000/tra-cuu/${encodeURIComponent(code)}?key=${trackingKey}`);
});

test('another citizen cannot get the receipt', async () => {
  const { auth } = await signedInCitizen(ctx);
  const other = await signedInCitizen(ctx, 'Người Lạ');
  const draft = (await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: auth, payload: birthRegistration() })).json();
  assert.equal((await ctx.app.inject({ url: `/api/v1/dossiers/${draft.id}/receipt.pdf`, headers: other.auth })).statusCode, 404);
  assert.equal((await ctx.app.inject({ url: `/api/v1/dossiers/${draft.id}/acknowledgement.pdf`, headers: other.auth })).statusCode, 404);
});
