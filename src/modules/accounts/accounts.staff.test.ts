// Staff security (issue 10): session limits, signing out everywhere, __Host- cookies on https,
// the second factor (TOTP) at sign-in and its setup, and roles that require it. Time moves with
// the test clock; codes come from the RFC 6238 implementation at the test clock's moment.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { sessionLimits } from '../../domain/accounts.ts';
import { signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { PageBrowser } from '../../testing/page-browser.ts';
import { base32Decode, totp } from '../../domain/totp.ts';

let ctx: TestContext;
let https: TestContext;
before(async () => {
  ctx = await createTestContext({ sessionLimits });
  https = await createTestContext({ publicUrl: 'https://motcua.example.vn', sessionLimits });
});
after(async () => {
  await ctx.close();
  await https.close();
});

const unit = 'so-tu-phap';
let seq = 0;
const later = (minutes: number) => ctx.clock.set(new Date(ctx.clock.now().getTime() + minutes * 60_000).toISOString());
const me = (auth: Record<string, string>) => ctx.app.inject({ url: '/api/v1/me', headers: auth });

/** A staff account with a password, not signed in. */
async function staffAccount(c: TestContext, role = 'reception') {
  const username = `totp.${role}.${++seq}`;
  await c.services.accounts.addUser({ username, password: 'mat-khau-dai', name: `Cán bộ ${seq}`, role, unitId: unit });
  return username;
}

/** Turns the second factor on through the API; returns the secret. */
async function withTotp(c: TestContext, username: string): Promise<Buffer> {
  const { token } = await c.services.accounts.signIn({ username, password: 'mat-khau-dai', ip: '127.0.0.1', kind: 'bearer' });
  const auth = { authorization: `Bearer ${token}` };
  const setup = await c.app.inject({ method: 'POST', url: '/api/v1/me/totp', headers: auth });
  assert.equal(setup.statusCode, 200);
  const secret = base32Decode(setup.json().secret)!;
  const confirm = await c.app.inject({ method: 'POST', url: '/api/v1/me/totp/confirm', headers: auth, payload: { otp: totp(secret, c.clock.now()) } });
  assert.equal(confirm.statusCode, 204);
  c.clock.set(new Date(c.clock.now().getTime() + 30_000).toISOString());
  return secret;
}

test('a staff session ends after 30 idle minutes; a citizen session is still alive then', async () => {
  const staff = await signedInStaff(ctx, 'reception', unit);
  const citizen = await signedInCitizen(ctx);
  later(29);
  assert.equal((await me(staff.auth)).statusCode, 200, '29 minutes idle');
  later(29);
  assert.equal((await me(staff.auth)).statusCode, 200, 'activity moved the idle limit on');
  later(31);
  assert.equal((await me(staff.auth)).statusCode, 401, '31 minutes idle: signed out');
  assert.equal((await me(citizen.auth)).statusCode, 200, 'a citizen after 89 minutes idle');
  const left = await ctx.handle.db.selectFrom('sessions').select('user_id').where('user_id', '=', staff.user.id).execute();
  assert.equal(left.length, 0, 'the run-out session is deleted');
});

test('a staff session ends 12 hours after sign-in however active; a citizen session idles out after 7 days', async () => {
  const staff = await signedInStaff(ctx, 'specialist', unit);
  const citizen = await signedInCitizen(ctx);
  for (let i = 0; i < 35; i++) {
    later(20);
    assert.equal((await me(staff.auth)).statusCode, 200, `${(i + 1) * 20} minutes after sign-in`);
  }
  later(20);
  assert.equal((await me(staff.auth)).statusCode, 401, '12 hours after sign-in, active every 20 minutes');
  ctx.clock.set(new Date(ctx.clock.now().getTime() + 6 * 86_400_000).toISOString());
  assert.equal((await me(citizen.auth)).statusCode, 200, 'a citizen back after 6 days');
  ctx.clock.set(new Date(ctx.clock.now().getTime() + 7 * 86_400_000 + 1000).toISOString());
  assert.equal((await me(citizen.auth)).statusCode, 401, 'a citizen away for more than 7 days');
});

test('activity moves the last-seen time at most once a minute', async () => {
  const staff = await signedInStaff(ctx, 'approver', unit);
  const seen = async () => (await ctx.handle.db.selectFrom('sessions').select('last_seen_at').where('user_id', '=', staff.user.id).executeTakeFirstOrThrow()).last_seen_at;
  const first = await seen();
  ctx.clock.set(new Date(ctx.clock.now().getTime() + 30_000).toISOString());
  await me(staff.auth);
  assert.equal(await seen(), first, 'not written 30 s later');
  ctx.clock.set(new Date(ctx.clock.now().getTime() + 31_000).toISOString());
  await me(staff.auth);
  assert.equal(await seen(), ctx.clock.now().toISOString(), 'written a minute later');
});

test('signing out everywhere ends every session of the account and no one else’s', async () => {
  const username = await staffAccount(ctx, 'clerk');
  const a = await ctx.services.accounts.signIn({ username, password: 'mat-khau-dai', ip: '127.0.0.1', kind: 'bearer' });
  const b = await ctx.services.accounts.signIn({ username, password: 'mat-khau-dai', ip: '127.0.0.1', kind: 'bearer' });
  const other = await signedInStaff(ctx, 'clerk', unit);
  const out = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all', headers: { authorization: `Bearer ${a.token}` } });
  assert.equal(out.statusCode, 204);
  assert.equal((await me({ authorization: `Bearer ${a.token}` })).statusCode, 401);
  assert.equal((await me({ authorization: `Bearer ${b.token}` })).statusCode, 401);
  assert.equal((await me(other.auth)).statusCode, 200);
  assert.equal((await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all' })).statusCode, 401);
});

test('the account page’s "sign out everywhere" button ends the sessions on other devices too', async () => {
  const username = await staffAccount(ctx, 'reception');
  const phone = await ctx.services.accounts.signIn({ username, password: 'mat-khau-dai', ip: '127.0.0.1', kind: 'bearer' });
  const b = new PageBrowser(ctx.app);
  await b.get('/dang-nhap');
  assert.equal((await b.post('/dang-nhap', { username, password: 'mat-khau-dai', next: '/tai-khoan' })).statusCode, 303);
  const page = await b.get('/tai-khoan');
  assert.match(page.body, /action="\/dang-xuat-moi-noi"/);
  assert.match(page.body, /Đăng xuất trên mọi thiết bị/);
  const out = await b.post('/dang-xuat-moi-noi', {});
  assert.equal(out.statusCode, 303);
  assert.equal((await me({ authorization: `Bearer ${phone.token}` })).statusCode, 401);
  assert.equal((await b.get('/tai-khoan')).statusCode, 303, 'this browser is signed out');
});

test('a staff session cookie lives 12 hours, a citizen’s 30 days; on http the plain names stay, without Secure', async () => {
  const username = await staffAccount(ctx, 'reception');
  const b = new PageBrowser(ctx.app);
  await b.get('/dang-nhap');
  assert.ok(b.cookies.has('motcua_csrf'));
  const r = await b.post('/dang-nhap', { username, password: 'mat-khau-dai', next: '/tai-khoan' });
  const cookie = String(r.headers['set-cookie']);
  assert.match(cookie, /^motcua_session=[^;]+; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax$/);
});

test('on https every cookie is Secure with a __Host- name (Path=/, no Domain), and only that name is read', async () => {
  const username = await staffAccount(https, 'reception');
  const b = new PageBrowser(https.app);
  const form = await b.get('/dang-nhap?lang=en');
  const set = [form.headers['set-cookie'] ?? []].flat();
  assert.ok(set.some((c) => /^__Host-motcua_csrf=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Secure$/.test(c)), set.join(' | '));
  assert.ok(set.some((c) => /^__Host-lang=en; Path=\/; Max-Age=31536000; SameSite=Lax; Secure$/.test(c)), set.join(' | '));
  const signedIn = await b.post('/dang-nhap', { username, password: 'mat-khau-dai', next: '/tai-khoan' });
  assert.equal(signedIn.statusCode, 303);
  const session = [signedIn.headers['set-cookie'] ?? []].flat().join(' | ');
  assert.match(session, /^__Host-motcua_session=[^;]+; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax; Secure$/);
  assert.doesNotMatch(session, /Domain=/i);
  const account = await b.get('/tai-khoan');
  assert.equal(account.statusCode, 200);
  assert.match(account.body, /<html lang="en">/, 'the language kept in __Host-lang');
  const token = b.cookies.get('__Host-motcua_session')!;
  const plain = await https.app.inject({ url: '/tai-khoan', headers: { cookie: `motcua_session=${token}` } });
  assert.equal(plain.statusCode, 303, 'the plain name is not read on https');
  const out = await b.post('/dang-xuat', {});
  assert.match([out.headers['set-cookie'] ?? []].flat().join(' | '), /__Host-motcua_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax; Secure/);
});

test('staff turn the second factor on from the account page: secret as text, otpauth URI and QR code, confirmed by a first code', async () => {
  const username = await staffAccount(ctx, 'specialist');
  const b = new PageBrowser(ctx.app);
  await b.get('/dang-nhap');
  await b.post('/dang-nhap', { username, password: 'mat-khau-dai', next: '/tai-khoan' });
  const account = await b.get('/tai-khoan');
  assert.match(account.body, /Xác thực hai bước chưa bật/);
  assert.match(account.body, /href="\/tai-khoan\/xac-thuc-hai-buoc"/);
  const setup = await b.get('/tai-khoan/xac-thuc-hai-buoc');
  assert.equal(setup.statusCode, 200);
  assert.match(setup.body, /<svg[^>]*viewBox/);
  const uri = /otpauth:\/\/totp\/[^<"]+/.exec(setup.body)![0].replace(/&amp;/g, '&');
  const secretText = new URL(uri).searchParams.get('secret')!;
  assert.match(setup.body, new RegExp(secretText.slice(0, 4)));
  assert.equal((await b.get('/tai-khoan/xac-thuc-hai-buoc')).body.includes(secretText), true, 'the same secret until confirmed');
  const stored = await ctx.handle.db.selectFrom('users').select(['totp_secret', 'totp_enabled_at']).where('username', '=', username).executeTakeFirstOrThrow();
  assert.ok(stored.totp_secret && !stored.totp_secret.includes(secretText), 'the secret is stored sealed');
  assert.equal(stored.totp_enabled_at, null);
  const wrong = await b.post('/tai-khoan/xac-thuc-hai-buoc', { otp: '000000' === totp(base32Decode(secretText)!, ctx.clock.now()) ? '111111' : '000000' });
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /Mã xác thực không đúng/);
  const ok = await b.post('/tai-khoan/xac-thuc-hai-buoc', { otp: totp(base32Decode(secretText)!, ctx.clock.now()) });
  assert.equal(ok.statusCode, 303);
  assert.match((await b.get(ok.headers.location as string)).body, /Đã bật xác thực hai bước/);
  const audit = await ctx.handle.db.selectFrom('audit_log').select('kind').where('kind', '=', 'second_factor_changed').execute();
  assert.ok(audit.length >= 1);
});

test('with the second factor on, the sign-in page asks for the code on a second page; the pending step is not a session and a code is not taken twice', async () => {
  const username = await staffAccount(ctx, 'approver');
  const secret = await withTotp(ctx, username);
  const b = new PageBrowser(ctx.app);
  await b.get('/dang-nhap');
  const first = await b.post('/dang-nhap', { username, password: 'mat-khau-dai', next: '/van-phong' });
  assert.equal(first.statusCode, 303);
  assert.equal(first.headers.location, '/dang-nhap/ma-xac-thuc?next=%2Fvan-phong');
  assert.ok(!b.cookies.has('motcua_session'), 'no session after the password alone');
  const pending = b.cookies.get('motcua_pending')!;
  assert.equal((await me({ authorization: `Bearer ${pending}` })).statusCode, 401, 'the pending token opens nothing');
  assert.equal((await ctx.app.inject({ url: '/tai-khoan', headers: { cookie: `motcua_session=${pending}` } })).statusCode, 303);
  const codePage = await b.get(first.headers.location as string);
  assert.match(codePage.body, /autocomplete="one-time-code"/);
  const code = totp(secret, ctx.clock.now());
  const done = await b.post('/dang-nhap/ma-xac-thuc', { otp: code, next: '/tai-khoan' });
  assert.equal(done.statusCode, 303);
  assert.equal(done.headers.location, '/tai-khoan');
  assert.ok(b.cookies.has('motcua_session'));
  assert.ok(!b.cookies.has('motcua_pending'));
  // The same code again, within its window, from another browser.
  const c = new PageBrowser(ctx.app);
  await c.get('/dang-nhap');
  await c.post('/dang-nhap', { username, password: 'mat-khau-dai', next: '/tai-khoan' });
  const replay = await c.post('/dang-nhap/ma-xac-thuc', { otp: code, next: '/tai-khoan' });
  assert.equal(replay.statusCode, 400);
  assert.ok(!c.cookies.has('motcua_session'));
  ctx.clock.set(new Date(ctx.clock.now().getTime() + 30_000).toISOString());
  const fresh = await c.post('/dang-nhap/ma-xac-thuc', { otp: totp(secret, ctx.clock.now()), next: '/tai-khoan' });
  assert.equal(fresh.statusCode, 303);
  // The pending token was spent.
  const again = await ctx.app.inject({ method: 'POST', url: '/dang-nhap/ma-xac-thuc', payload: `_csrf=${c.cookies.get('motcua_csrf')}&otp=123456`, headers: { cookie: `motcua_csrf=${c.cookies.get('motcua_csrf')}; motcua_pending=${pending}`, 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(again.statusCode, 303);
  assert.equal(again.headers.location, '/dang-nhap');
});

test('the API sign-in answers 401 otp_required without otp, 400 on a wrong code, and signs in with the right one', async () => {
  const username = await staffAccount(ctx, 'clerk');
  const secret = await withTotp(ctx, username);
  const login = (body: Record<string, string>) => ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'mat-khau-dai', ...body } });
  const missing = await login({});
  assert.equal(missing.statusCode, 401);
  assert.equal(missing.json().error.code, 'otp_required');
  const right = totp(secret, ctx.clock.now());
  const wrong = await login({ otp: right === '123456' ? '654321' : '123456' });
  assert.equal(wrong.statusCode, 400);
  assert.ok(wrong.json().error.fields.otp);
  const ok = await login({ otp: right });
  assert.equal(ok.statusCode, 200);
  assert.ok(ok.json().token);
  const badPassword = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'sai-mat-khau', otp: right } });
  assert.equal(badPassword.statusCode, 401);
  assert.equal(badPassword.json().error.code, 'invalid_credentials');
});

test('wrong codes count per account before the check: of 20 parallel guesses at most 10 are checked, then even the right code is refused', async () => {
  const username = await staffAccount(ctx, 'reception');
  const secret = await withTotp(ctx, username);
  const { id } = (await ctx.handle.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow());
  const right = totp(secret, ctx.clock.now());
  const near = new Set([-1, 0, 1].map((d) => totp(secret, new Date(ctx.clock.now().getTime() + d * 30_000))));
  const guesses: string[] = [];
  for (let n = 0; guesses.length < 20; n++) if (!near.has(String(n).padStart(6, '0'))) guesses.push(String(n).padStart(6, '0'));
  const outcomes = await Promise.allSettled(guesses.map((otp) => ctx.services.accounts.secondFactor.check(id, otp)));
  const codes = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { code: string }).code : 'ok'));
  assert.equal(codes.filter((c) => c === 'validation').length, 10, codes.join(','));
  assert.equal(codes.filter((c) => c === 'rate_limited').length, 10, codes.join(','));
  await assert.rejects(ctx.services.accounts.secondFactor.check(id, right), { code: 'rate_limited' });
  const locked = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'mat-khau-dai', otp: right } });
  assert.equal(locked.statusCode, 429, 'the API sign-in refuses the right code too');
  await ctx.services.accountsAdmin.resetSecondFactor(null, { username });
  const after = await ctx.services.accounts.signIn({ username, password: 'mat-khau-dai', ip: '127.0.0.1', kind: 'bearer' });
  assert.ok(after.token, 'after an administrator’s reset the account signs in and sets it up again');
});

test('a role that requires the second factor sends its holder to set it up right after the password, and nothing else answers until done', async () => {
  await ctx.services.accountsAdmin.setRolePolicy(null, 'postal', true);
  try {
    const username = await staffAccount(ctx, 'postal');
    const b = new PageBrowser(ctx.app);
    await b.get('/dang-nhap');
    await b.post('/dang-nhap', { username, password: 'mat-khau-dai', next: '/van-phong' });
    for (const url of ['/tai-khoan', '/van-phong', '/']) {
      const r = await b.get(url);
      assert.equal(r.statusCode, 303, url);
      assert.equal(r.headers.location, '/tai-khoan/xac-thuc-hai-buoc', url);
    }
    const setup = await b.get('/tai-khoan/xac-thuc-hai-buoc');
    assert.equal(setup.statusCode, 200);
    assert.match(setup.body, /Vai trò của bạn yêu cầu xác thực hai bước/);
    const token = b.cookies.get('motcua_session')!;
    const api = await ctx.app.inject({ url: '/api/v1/office/queue', headers: { authorization: `Bearer ${token}` } });
    assert.equal(api.statusCode, 403);
    assert.equal(api.json().error.code, 'totp_setup_required');
    const secretText = new URL(/otpauth:\/\/totp\/[^<"]+/.exec(setup.body)![0].replace(/&amp;/g, '&')).searchParams.get('secret')!;
    const done = await b.post('/tai-khoan/xac-thuc-hai-buoc', { otp: totp(base32Decode(secretText)!, ctx.clock.now()) });
    assert.equal(done.statusCode, 303);
    assert.equal((await b.get('/tai-khoan')).statusCode, 200);
    assert.notEqual((await ctx.app.inject({ url: '/api/v1/office/queue', headers: { authorization: `Bearer ${token}` } })).statusCode, 403);
  } finally {
    await ctx.services.accountsAdmin.setRolePolicy(null, 'postal', false);
  }
});

test('keys rotate re-seals second-factor secrets: after it, the new DATA_KEY alone opens them and codes still work', async () => {
  const { SecondFactor } = await import('./accounts.totp.ts');
  const { AesSealer } = await import('../../domain/sealed.ts');
  const oldKey = Buffer.alloc(32, 21);
  const newKey = Buffer.alloc(32, 22);
  const staff = await signedInStaff(ctx, 'approver', unit);
  const before = new SecondFactor(ctx.handle.db, ctx.clock, new AesSealer(oldKey), Buffer.alloc(32, 9));
  const { secret } = await before.beginSetup(staff.user.id);
  const rotating = new SecondFactor(ctx.handle.db, ctx.clock, new AesSealer(newKey, [oldKey, ctx.services.keys.data]), Buffer.alloc(32, 9));
  const first = await rotating.resealAll();
  assert.ok(first.changed >= 1 && first.seen >= first.changed, JSON.stringify(first));
  assert.deepEqual(await rotating.resealAll(), { seen: first.seen, changed: 0 }, 'a second run changes nothing');
  const after = new SecondFactor(ctx.handle.db, ctx.clock, new AesSealer(newKey), Buffer.alloc(32, 9));
  assert.equal((await after.beginSetup(staff.user.id)).secret, secret, 'the new key alone opens the same secret');
  await after.check(staff.user.id, totp(base32Decode(secret)!, ctx.clock.now()));
});
