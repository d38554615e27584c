// Attachments: checked by content, capped in size, hashed, and never left behind as orphan files.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { birthRegistration, signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { multipartBody, tinyPdf, tinyPng, upload } from '../../testing/uploads.ts';

let ctx: TestContext;
before(async () => {
  // A small per-file limit keeps the oversized-file tests quick; the rule is the same at 20 MB.
  ctx = await createTestContext({ uploads: { maxFileBytes: 2 * 1024 * 1024, maxDossierBytes: 5 * 1024 * 1024 } });
});
after(() => ctx.close());

/** Every file under the storage root, temporary ones included. */
function storedFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(ctx.filesDir);
  return out;
}

async function draft() {
  const citizen = await signedInCitizen(ctx);
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: citizen.auth, payload: birthRegistration() });
  return { auth: citizen.auth, id: res.json().id as string };
}

test('a phone photo is stored with its size, type read from its bytes, and SHA-256', async () => {
  const { auth, id } = await draft();
  const r = await upload(ctx, auth, id, 'to-khai-dang-ky-khai-sinh', { name: 'IMG_2041.JPG', type: 'application/octet-stream', bytes: tinyPng });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.mime, 'image/png', 'the content decides, not the name or the browser');
  assert.equal(r.body.name, 'IMG_2041.png');
  assert.equal(r.body.size, tinyPng.length);
  assert.equal(r.body.sha256, createHash('sha256').update(tinyPng).digest('hex'));
  const second = await upload(ctx, auth, id, 'to-khai-dang-ky-khai-sinh', { name: 'trang-2.pdf', type: 'application/pdf', bytes: tinyPdf });
  assert.equal(second.status, 201, 'several files per document');
  const view = (await ctx.app.inject({ url: `/api/v1/dossiers/${id}`, headers: auth })).json();
  assert.equal(view.attachments.length, 2);
});

test('an attached file opens inline for the applicant and the unit’s staff, with its Vietnamese name intact; others get 404', async () => {
  const { auth, id } = await draft();
  const r = await upload(ctx, auth, id, 'to-khai-dang-ky-khai-sinh', { name: 'Ảnh chụp tờ khai đăng ký.png', type: 'image/png', bytes: tinyPng });
  assert.equal(r.status, 201);
  const url = `/api/v1/dossiers/${id}/attachments/${r.body.id}`;
  const mine = await ctx.app.inject({ url, headers: auth });
  assert.equal(mine.statusCode, 200);
  assert.equal(mine.headers['content-type'], 'image/png');
  assert.deepEqual(mine.rawPayload, tinyPng);
  assert.equal(mine.headers['content-disposition'], `inline; filename="Anh chup to khai dang ky.png"; filename*=UTF-8''${encodeURIComponent('Ảnh chụp tờ khai đăng ký.png')}`);
  const desk = await signedInStaff(ctx, 'reception', 'my-tho-phuong-5');
  assert.equal((await ctx.app.inject({ url, headers: desk.auth })).statusCode, 200);
  const other = await signedInCitizen(ctx, 'Người Khác');
  assert.equal((await ctx.app.inject({ url, headers: other.auth })).statusCode, 404);
  assert.equal((await ctx.app.inject({ url: `/api/v1/dossiers/${id}/attachments/khong-co`, headers: auth })).statusCode, 404);
});

test('a ".pdf" that is really an executable is refused with 415, and nothing is stored', async () => {
  const { auth, id } = await draft();
  const before = storedFiles().length;
  const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
  const r = await upload(ctx, auth, id, 'to-khai-dang-ky-khai-sinh', { name: 'giay-khai-sinh.pdf', type: 'application/pdf', bytes: exe });
  assert.equal(r.status, 415);
  assert.equal(r.body.error.code, 'file_type_not_allowed');
  assert.equal(storedFiles().length, before);
});

test('a file over the limit is refused with 413, and nothing is stored', async () => {
  const { auth, id } = await draft();
  const before = storedFiles().length;
  const big = Buffer.concat([tinyPdf, Buffer.alloc(3 * 1024 * 1024, 0x20)]);
  const r = await upload(ctx, auth, id, 'to-khai-dang-ky-khai-sinh', { name: 'scan.pdf', type: 'application/pdf', bytes: big });
  assert.equal(r.status, 413);
  assert.equal(r.body.error.code, 'file_too_large');
  assert.equal(storedFiles().length, before);
});

test('a file for a document the procedure does not have is refused, and its stored copy removed', async () => {
  const { auth, id } = await draft();
  const before = storedFiles().length;
  const r = await upload(ctx, auth, id, 'khong-co-giay-nay', { name: 'a.png', type: 'image/png', bytes: tinyPng });
  assert.equal(r.status, 400);
  assert.ok(r.body.error.fields.document);
  assert.equal(storedFiles().length, before);
});

test('broken multipart answers 400, and a body that is not multipart 415', async () => {
  const { auth, id } = await draft();
  const { body, contentType } = multipartBody('to-khai-dang-ky-khai-sinh', { name: 'a.png', type: 'image/png', bytes: tinyPng });
  const cut = body.subarray(0, body.length - 30); // the closing boundary never comes
  const broken = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/attachments`, headers: { ...auth, 'content-type': contentType }, payload: cut });
  assert.equal(broken.statusCode, 400);
  const json = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/attachments`, headers: auth, payload: { file: 'x' } });
  assert.equal(json.statusCode, 415);
});

test('an upload cut off mid-file leaves no orphan file', async () => {
  const { auth, id } = await draft();
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = ctx.app.server.address() as AddressInfo;
  const before = storedFiles().length;
  const { body, contentType } = multipartBody('to-khai-dang-ky-khai-sinh', { name: 'scan.pdf', type: 'application/pdf', bytes: Buffer.concat([tinyPdf, Buffer.alloc(500_000, 0x20)]) });
  await new Promise<void>((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(`POST /api/v1/dossiers/${id}/attachments HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth.authorization}\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n`);
      socket.write(body.subarray(0, 200_000), () => setTimeout(() => socket.destroy(), 100));
    });
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(storedFiles().length, before);
  const view = (await ctx.app.inject({ url: `/api/v1/dossiers/${id}`, headers: auth })).json();
  assert.equal(view.attachments.length, 0);
});

test('files can only be added to one’s own draft', async () => {
  const { id } = await draft();
  const other = await signedInCitizen(ctx, 'Người Lạ');
  const r = await upload(ctx, other.auth, id, 'to-khai-dang-ky-khai-sinh', { name: 'a.png', type: 'image/png', bytes: tinyPng });
  assert.equal(r.status, 404);
});

test('abandoned drafts and orphan files are swept; recent drafts and submitted dossiers stay', async () => {
  const old = await draft();
  await upload(ctx, old.auth, old.id, 'to-khai-dang-ky-khai-sinh', { name: 'a.png', type: 'image/png', bytes: tinyPng });
  const start = ctx.clock.now();
  // An orphan: a file in storage that no attachment records (say, left by a crash).
  await ctx.services.storage.put(`dossiers/${old.id}/00000000-0000-0000-0000-000000000000`, tinyPng, { contentType: 'image/png' });
  ctx.clock.set(new Date(start.getTime() + 29 * 86400_000).toISOString());
  const recent = await draft();
  try {
    ctx.clock.set(new Date(start.getTime() + 31 * 86400_000).toISOString());
    const swept = await ctx.services.drafts.sweep(30);
    assert.ok(swept.drafts >= 1);
    const exists = async (id: string) => (await ctx.handle.db.selectFrom('dossiers').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
    assert.equal(await exists(old.id), false, 'the draft untouched for 31 days is gone');
    assert.equal(await exists(recent.id), true, 'the draft of 2 days ago stays');
    assert.ok(!storedFiles().some((f) => f.includes(old.id)), 'no file of the old draft is left');
  } finally {
    ctx.clock.set(start.toISOString());
  }
});
