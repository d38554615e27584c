// Personal data (Decree 13/2023): the public notice, consent at registration and at filing, the
// download of one's data, deletion, and who may do what. Pages through a browser without
// JavaScript, the API through app.inject, both on the dialect under test.
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { birthRegistration, signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { PageBrowser } from '../../testing/page-browser.ts';
import { attachRequiredDocuments, tinyPng, upload } from '../../testing/uploads.ts';
import { deletedName } from './privacy.queries.ts';
import { noticeVersion } from './privacy.service.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

type Headers = Record<string, string>;
async function call(method: 'GET' | 'POST', url: string, headers: Headers = {}, payload?: unknown) {
  const res = await ctx.app.inject({ method, url, headers, payload: payload as object });
  return { status: res.statusCode, headers: res.headers, body: res.body ? res.json() : null };
}

const consentsOf = (userId: string) => ctx.handle.db.selectFrom('consents').selectAll().where('user_id', '=', userId).orderBy('given_at').execute();

/** A citizen signed in on the pages (a cookie session) and through the API (a Bearer token). */
async function citizenWithBrowser(name = 'Phạm Thị Thu') {
  const { auth, user } = await signedInCitizen(ctx, name);
  const b = new PageBrowser(ctx.app);
  await b.get('/dang-nhap');
  const signedIn = await b.post('/dang-nhap', { username: user.username, password: 'mat-khau-dai', next: '/tai-khoan' });
  assert.equal(signedIn.statusCode, 303);
  return { auth, user, b };
}

/** A draft with every required document attached, ready to submit. */
async function readyDraft(auth: Headers): Promise<string> {
  const draft = await call('POST', '/api/v1/dossiers', auth, birthRegistration());
  assert.equal(draft.status, 201);
  await attachRequiredDocuments(ctx, auth, draft.body.id);
  return draft.body.id;
}

test('the privacy notice is public, in Vietnamese and English, with its version, and linked from every page footer', async () => {
  const vi = await ctx.app.inject({ url: '/quyen-rieng-tu' });
  assert.equal(vi.statusCode, 200);
  assert.match(vi.body, /<h1>Thông báo xử lý dữ liệu cá nhân<\/h1>/);
  assert.match(vi.body, new RegExp(`Phiên bản ngày ${noticeVersion}`));
  for (const heading of ['Ai xử lý dữ liệu của bạn', 'Dữ liệu được thu thập', 'Mục đích xử lý', 'Thời gian lưu giữ', 'Quyền của bạn và cách thực hiện']) {
    assert.match(vi.body, new RegExp(`<h2>${heading}</h2>`));
  }
  const en = await ctx.app.inject({ url: '/quyen-rieng-tu?lang=en' });
  assert.match(en.body, /<h1>Personal data notice<\/h1>/);
  assert.match(en.body, new RegExp(`Version of ${noticeVersion}`));
  const api = await call('GET', '/api/v1/privacy/notice');
  assert.deepEqual(api.body, { version: noticeVersion, url: '/quyen-rieng-tu' });
  const home = await ctx.app.inject({ url: '/' });
  assert.match(home.body, /href="\/quyen-rieng-tu"/);
});

test('registering on the page needs the consent box: unticked, the summary links to it and keeps what was typed; ticked, the consent is recorded', async () => {
  const b = new PageBrowser(ctx.app);
  const form = await b.get('/dang-ky');
  assert.match(form.body, /<input class="checkboxes-input" id="consent" name="consent" type="checkbox" value="yes">/);
  assert.match(form.body, /href="\/quyen-rieng-tu"/);
  const refused = await b.post('/dang-ky', { name: 'Đặng Văn Tám', username: '0933 444 555', password: 'mat-khau-dai' });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /<a href="#consent">Đánh dấu vào ô đồng ý với thông báo xử lý dữ liệu cá nhân để tiếp tục.<\/a>/);
  assert.match(refused.body, /value="Đặng Văn Tám"/);
  assert.match(refused.body, /value="0933 444 555"/);
  assert.equal(await ctx.handle.db.selectFrom('users').select('id').where('username', '=', '+84933444555').executeTakeFirst(), undefined, 'no account without consent');

  const ok = await b.post('/dang-ky', { name: 'Đặng Văn Tám', username: '0933 444 555', password: 'mat-khau-dai', consent: 'yes' });
  assert.equal(ok.statusCode, 303);
  const user = await ctx.handle.db.selectFrom('users').select('id').where('username', '=', '+84933444555').executeTakeFirstOrThrow();
  const [consent, ...more] = await consentsOf(user.id);
  assert.equal(more.length, 0);
  assert.equal(consent?.purpose, 'registration');
  assert.equal(consent?.notice_version, noticeVersion);
  assert.equal(consent?.channel, 'page');
  assert.equal(consent?.dossier_id, null);
  assert.equal(consent?.given_at, ctx.clock.now().toISOString());
});

test('the registration API works without consent as before, records it when sent, and refuses an old notice version before creating anything', async () => {
  const plain = await call('POST', '/api/v1/auth/register', {}, { username: 'khong.dong.y@example.vn', password: 'mat-khau-dai', name: 'Lê Văn Một' });
  assert.equal(plain.status, 201);
  assert.equal((await consentsOf(plain.body.id)).length, 0);

  const given = await call('POST', '/api/v1/auth/register', {}, { username: 'dong.y@example.vn', password: 'mat-khau-dai', name: 'Lê Văn Hai', consent: true });
  assert.equal(given.status, 201);
  assert.deepEqual((await consentsOf(given.body.id)).map((c) => [c.purpose, c.notice_version, c.channel]), [['registration', noticeVersion, 'api']]);

  const old = await call('POST', '/api/v1/auth/register', {}, { username: 'phien.ban.cu@example.vn', password: 'mat-khau-dai', name: 'Lê Văn Ba', consentVersion: '2020-01-01' });
  assert.equal(old.status, 400);
  assert.ok(old.body.error.fields.consentVersion);
  assert.equal(await ctx.handle.db.selectFrom('users').select('id').where('username', '=', 'phien.ban.cu@example.vn').executeTakeFirst(), undefined);
});

test('the filing check page asks for consent: without it nothing is submitted; with it the dossier is submitted and the consent recorded for it', async () => {
  const { auth, user, b } = await citizenWithBrowser();
  const id = await readyDraft(auth);
  const check = await b.get(`/ho-so/${id}/kiem-tra`);
  assert.equal(check.statusCode, 200);
  assert.match(check.body, /Tôi đã đọc thông báo xử lý dữ liệu cá nhân và đồng ý để dữ liệu trong hồ sơ này được xử lý/);

  const refused = await b.post(`/ho-so/${id}/nop`, {});
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /<a href="#consent">/);
  assert.equal((await call('GET', `/api/v1/dossiers/${id}`, auth)).body.status, 'draft', 'still a draft');
  assert.equal((await consentsOf(user.id)).length, 0);

  const sent = await b.post(`/ho-so/${id}/nop`, { consent: 'yes' });
  assert.equal(sent.statusCode, 303);
  assert.equal(sent.headers.location, `/ho-so/${id}/da-nop`);
  assert.equal((await call('GET', `/api/v1/dossiers/${id}`, auth)).body.status, 'submitted');
  assert.deepEqual((await consentsOf(user.id)).map((c) => [c.purpose, c.dossier_id, c.channel]), [['dossier', id, 'page']]);
});

test('the submit API still works without a body, and records consent once when sent, even on a retry', async () => {
  const { auth, user } = await signedInCitizen(ctx);
  const bare = await readyDraft(auth);
  const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${bare}/submit`, headers: auth });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal((await consentsOf(user.id)).length, 0);

  const id = await readyDraft(auth);
  const first = await call('POST', `/api/v1/dossiers/${id}/submit`, auth, { consentVersion: noticeVersion });
  assert.equal(first.status, 200);
  const retry = await call('POST', `/api/v1/dossiers/${id}/submit`, auth, { consent: true });
  assert.equal(retry.status, 200);
  assert.equal(retry.body.code, first.body.code);
  assert.deepEqual((await consentsOf(user.id)).map((c) => [c.purpose, c.dossier_id, c.channel]), [['dossier', id, 'api']]);

  const old = await readyDraft(auth);
  const refused = await call('POST', `/api/v1/dossiers/${old}/submit`, auth, { consentVersion: '2020-01-01' });
  assert.equal(refused.status, 400);
  assert.equal((await call('GET', `/api/v1/dossiers/${old}`, auth)).body.status, 'draft', 'an old notice version submits nothing');
});

test('a citizen downloads everything held about them as JSON, never cached, and the export is audited', async () => {
  const { auth, user, b } = await citizenWithBrowser('Võ Thị Sáu');
  const id = await readyDraft(auth);
  await call('POST', `/api/v1/dossiers/${id}/submit`, auth, { consent: true });
  const dossier = (await call('GET', `/api/v1/dossiers/${id}`, auth)).body;
  await ctx.handle.db.insertInto('ratings').values({ dossier_id: id, score: 4, satisfaction: 'satisfied', comment: 'Nhanh', created_at: ctx.clock.now().toISOString() }).execute();
  await ctx.services.feedback.submit({ unitId: 'my-tho-phuong-5', name: 'Võ Thị Sáu', contact: user.username, subject: 'Hỏi giờ làm việc', body: 'Thứ Bảy có làm việc không?' });

  const res = await call('GET', '/api/v1/me/data', auth);
  assert.equal(res.status, 200);
  assert.equal(res.headers['cache-control'], 'no-store');
  const data = res.body;
  assert.equal(data.noticeVersion, noticeVersion);
  assert.equal(data.account.id, user.id);
  assert.equal(data.account.name, 'Võ Thị Sáu');
  assert.equal(data.account.username, user.username);
  assert.deepEqual(data.account.roles, [{ role: 'citizen', unitId: null }]);
  assert.ok(data.sessions.length >= 2, 'the Bearer and the cookie session');
  assert.ok(data.sessions.every((s: Record<string, unknown>) => !('token_hash' in s) && !('tokenHash' in s)), 'never a token');
  assert.deepEqual(data.consents.map((c: { purpose: string; dossierId: string }) => [c.purpose, c.dossierId]), [['dossier', id]]);
  assert.equal(data.dossiers.length, 1);
  const [d] = data.dossiers;
  assert.equal(d.code, dossier.code);
  assert.equal(d.applicant.idNumber, '082195000123', 'the answers as the applicant gave them');
  assert.equal(d.form.child_full_name, 'Trần Minh Khang');
  assert.deepEqual(d.history.map((h: { action: string }) => h.action), ['create', 'submit']);
  assert.ok(d.attachments.length > 0);
  assert.match(d.attachments[0].sha256, /^[0-9a-f]{64}$/);
  assert.equal(typeof d.attachments[0].name, 'string');
  assert.deepEqual(
    data.ratings.map((r: { dossierId: string; satisfaction: string; score: number | null }) => [r.dossierId, r.satisfaction, r.score]),
    [[id, 'satisfied', 4]],
  );
  assert.deepEqual(data.feedback.map((f: { subject: string; contact: string }) => [f.subject, f.contact]), [['Hỏi giờ làm việc', user.username]]);

  const audit = await ctx.handle.db.selectFrom('audit_log').selectAll().where('kind', '=', 'personal_data_export').where('subject', '=', `user:${user.id}`).execute();
  assert.equal(audit.length, 1);
  assert.equal(audit[0]!.actor_id, user.id);

  const account = await b.get('/tai-khoan');
  assert.match(account.body, /href="\/tai-khoan\/du-lieu.json"/);
  assert.match(account.body, /href="\/tai-khoan\/xoa"/);
  const file = await b.get('/tai-khoan/du-lieu.json');
  assert.equal(file.statusCode, 200);
  assert.equal(file.headers['cache-control'], 'no-store');
  assert.match(String(file.headers['content-disposition']), /^attachment; filename="du-lieu-ca-nhan-\d{4}-\d{2}-\d{2}\.json"$/);
  assert.equal(JSON.parse(file.body).dossiers[0].code, dossier.code);
  assert.equal((await ctx.handle.db.selectFrom('audit_log').select('seq').where('kind', '=', 'personal_data_export').where('subject', '=', `user:${user.id}`).execute()).length, 2);
});

test('a rating given on the three-level scale alone is exported with its satisfaction and no score, not the stored 0', async () => {
  const { auth, user } = await citizenWithBrowser('Lê Văn Tám');
  const id = await readyDraft(auth);
  await call('POST', `/api/v1/dossiers/${id}/submit`, auth, { consent: true });
  // What FeedbackService.rate stores when only `satisfaction` is given: score 0 (the column cannot be empty).
  await ctx.handle.db.insertInto('ratings').values({ dossier_id: id, score: 0, satisfaction: 'very_satisfied', comment: null, created_at: ctx.clock.now().toISOString() }).execute();
  const data = (await call('GET', '/api/v1/me/data', auth)).body;
  assert.equal(data.account.id, user.id);
  assert.deepEqual(data.ratings, [{ dossierId: id, dossierCode: data.dossiers[0].code, satisfaction: 'very_satisfied', score: null, comment: null, createdAt: ctx.clock.now().toISOString() }]);
});

test('only the signed-in person gets their data: anonymous callers get 401 or the sign-in page, and one citizen never sees another’s', async () => {
  assert.equal((await call('GET', '/api/v1/me/data')).status, 401);
  assert.equal((await call('POST', '/api/v1/me/delete-request')).status, 401);
  const anon = new PageBrowser(ctx.app);
  for (const url of ['/tai-khoan/du-lieu.json', '/tai-khoan/xoa']) {
    const res = await anon.get(url);
    assert.equal(res.statusCode, 303, url);
    assert.equal(res.headers.location, `/dang-nhap?next=${encodeURIComponent(url)}`);
  }
  await anon.get('/dang-nhap');
  assert.equal((await anon.post('/tai-khoan/xoa', { confirm: 'yes' })).statusCode, 303);

  const a = await signedInCitizen(ctx, 'Người A');
  const b = await signedInCitizen(ctx, 'Người B');
  const aDossier = await readyDraft(a.auth);
  const bData = (await call('GET', '/api/v1/me/data', b.auth)).body;
  assert.equal(bData.account.id, b.user.id);
  assert.equal(bData.dossiers.length, 0);
  assert.doesNotMatch(JSON.stringify(bData), new RegExp(`${aDossier}|${a.user.id}|${a.user.username.replace('+', '\\+')}`));
});

test('deleting an account removes drafts and their files, sessions, identities and contacts, keeps submitted dossiers under a pseudonymised owner, and is audited', async () => {
  const { auth, user, b } = await citizenWithBrowser('Huỳnh Thị Bảy');
  const kept = await readyDraft(auth);
  await call('POST', `/api/v1/dossiers/${kept}/submit`, auth, { consent: true });
  const draft = (await call('POST', '/api/v1/dossiers', auth, birthRegistration())).body.id as string;
  assert.equal((await upload(ctx, auth, draft, 'to-khai-dang-ky-khai-sinh', { name: 'nhap.png', type: 'image/png', bytes: tinyPng })).status, 201);
  const draftFiles = (await ctx.handle.db.selectFrom('attachments').select('storage_key').where('dossier_id', '=', draft).execute()).map((r) => r.storage_key);
  assert.ok(draftFiles.every((k) => fs.existsSync(path.join(ctx.filesDir, k))));
  await ctx.handle.db.insertInto('user_identities').values({ issuer: 'https://vneid.example', subject: 'sub-7', user_id: user.id, created_at: ctx.clock.now().toISOString() }).execute();
  await ctx.services.feedback.submit({ unitId: 'my-tho-phuong-5', name: 'Huỳnh Thị Bảy', contact: user.username, subject: 'Góp ý', body: 'Cảm ơn cán bộ.' });

  const page = await b.get('/tai-khoan/xoa');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Những gì được giữ lại/);
  const forged = await b.post('/tai-khoan/xoa', { confirm: 'yes' }, false);
  assert.equal(forged.statusCode, 403, 'a form posted without the CSRF token deletes nothing');
  const unconfirmed = await b.post('/tai-khoan/xoa', {});
  assert.equal(unconfirmed.statusCode, 400);
  assert.match(unconfirmed.body, /<a href="#confirm">Đánh dấu vào ô để xác nhận bạn muốn xóa tài khoản.<\/a>/);
  assert.equal((await call('GET', '/api/v1/me', auth)).status, 200, 'nothing deleted without the confirmation');

  const done = await b.post('/tai-khoan/xoa', { confirm: 'yes' });
  assert.equal(done.statusCode, 200);
  assert.match(done.body, /Tài khoản đã được xóa/);
  assert.match(done.body, /Đã xóa 1 hồ sơ nháp. 1 hồ sơ đã nộp được giữ lại/);
  assert.match(String(done.headers['set-cookie']), /Max-Age=0/);

  assert.equal((await call('GET', '/api/v1/me', auth)).status, 401, 'every session ended, the Bearer one too');
  assert.equal((await b.get('/tai-khoan')).statusCode, 303);
  const row = await ctx.handle.db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
  assert.equal(row.name, deletedName);
  assert.equal(row.username, `deleted-${user.id}`);
  assert.equal(row.email, null);
  assert.equal(row.phone, null);
  assert.equal(row.password_hash, '');
  assert.equal(row.deleted_at, ctx.clock.now().toISOString());
  const signIn = await call('POST', '/api/v1/auth/login', {}, { username: user.username, password: 'mat-khau-dai' });
  assert.equal(signIn.status, 401, 'the old username and password open nothing');

  assert.equal(await ctx.handle.db.selectFrom('dossiers').select('id').where('id', '=', draft).executeTakeFirst(), undefined, 'the draft is gone');
  assert.ok(draftFiles.every((k) => !fs.existsSync(path.join(ctx.filesDir, k))), 'and its files');
  const submitted = await ctx.handle.db.selectFrom('dossiers').select(['status', 'owner_id']).where('id', '=', kept).executeTakeFirstOrThrow();
  assert.deepEqual(submitted, { status: 'submitted', owner_id: user.id }, 'the submitted dossier is a record of the state: kept');
  assert.equal((await ctx.handle.db.selectFrom('dossier_actions').select('seq').where('dossier_id', '=', kept).execute()).length, 2);
  assert.equal((await ctx.handle.db.selectFrom('user_identities').select('subject').where('user_id', '=', user.id).execute()).length, 0);
  assert.equal((await ctx.handle.db.selectFrom('sessions').select('kind').where('user_id', '=', user.id).execute()).length, 0);
  const feedback = await ctx.handle.db.selectFrom('feedback').select(['name', 'contact', 'body']).where('subject', '=', 'Góp ý').executeTakeFirstOrThrow();
  assert.deepEqual(feedback, { name: deletedName, contact: '', body: 'Cảm ơn cán bộ.' });
  const consents = await consentsOf(user.id);
  assert.equal(consents.length, 1, 'consent records are kept as proof');
  assert.equal(consents[0]!.withdrawn_at, ctx.clock.now().toISOString());

  const audit = await ctx.handle.db.selectFrom('audit_log').selectAll().where('kind', '=', 'deletion_request').where('subject', '=', `user:${user.id}`).execute();
  assert.equal(audit.length, 1);
  assert.deepEqual(JSON.parse(audit[0]!.data), { drafts: 1, keptDossiers: 1 });
  assert.equal((await ctx.services.audit.verify()).ok, true);
});

test('deletion through the API answers what was removed and kept; staff accounts cannot delete themselves', async () => {
  const { auth } = await signedInCitizen(ctx);
  await call('POST', '/api/v1/dossiers', auth, birthRegistration());
  const res = await call('POST', '/api/v1/me/delete-request', auth);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { deleted: true, drafts: 1, keptDossiers: 0 });
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.equal((await call('POST', '/api/v1/me/delete-request', auth)).status, 401, 'the session is gone');

  const staff = await signedInStaff(ctx, 'reception', 'my-tho-phuong-5');
  const refused = await call('POST', '/api/v1/me/delete-request', staff.auth);
  assert.equal(refused.status, 403);
  assert.equal((await call('GET', '/api/v1/me', staff.auth)).status, 200, 'the staff account is untouched');
});
