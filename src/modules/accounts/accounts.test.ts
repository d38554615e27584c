import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../testing/context.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

async function post(url: string, payload: unknown, headers: Record<string, string> = {}) {
  const res = await ctx.app.inject({ method: 'POST', url, payload: payload as object, headers });
  return { status: res.statusCode, body: res.body ? res.json() : null, headers: res.headers };
}

/** The one-time code in the newest message to this recipient, as the outbox holds it. */
async function lastCode(recipient: string, template: string): Promise<string> {
  const row = await ctx.handle.db.selectFrom('outbox').select(['params', 'channel']).where('recipient', '=', recipient)
    .where('template', '=', template).orderBy('created_at', 'desc').orderBy('id').executeTakeFirstOrThrow();
  return JSON.parse(row.params).code;
}

async function registered(username: string, password = 'mat-khau-dai') {
  const r = await post('/api/v1/auth/register', { username, password, name: 'Lê Thị Cúc' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  await post('/api/v1/auth/confirm', { username, code: await lastCode(r.body.username, 'account_verify_code') });
  return r.body.username as string;
}

test('a citizen registers with a phone number, confirms the SMS code, and signs in with a Bearer token', async () => {
  const r = await post('/api/v1/auth/register', { username: '0912 345 678', password: 'mat-khau-dai', name: 'Nguyễn Văn An' });
  assert.equal(r.status, 201);
  assert.equal(r.body.username, '+84912345678');
  assert.equal(r.body.sentTo, 'sms');
  const msg = await ctx.handle.db.selectFrom('outbox').selectAll().where('recipient', '=', '+84912345678').executeTakeFirstOrThrow();
  assert.equal(msg.channel, 'sms');
  assert.equal(msg.status, 'pending');
  assert.match(JSON.parse(msg.params).code, /^\d{6}$/);

  const early = await post('/api/v1/auth/login', { username: '0912345678', password: 'mat-khau-dai' });
  assert.equal(early.status, 403);
  assert.equal(early.body.error.code, 'account_not_verified');

  const confirmed = await post('/api/v1/auth/confirm', { username: '+84 912 345 678', code: JSON.parse(msg.params).code });
  assert.equal(confirmed.status, 200);
  const login = await post('/api/v1/auth/login', { username: '0912.345.678', password: 'mat-khau-dai' });
  assert.equal(login.status, 200);
  assert.ok(login.body.token.length >= 40);
  assert.deepEqual(login.body.user.roles, [{ role: 'citizen', unitId: null }]);
  const me = await ctx.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${login.body.token}` } });
  assert.equal(me.statusCode, 200);
  assert.equal(me.json().name, 'Nguyễn Văn An');
});

test('registering with an email sends the code by email', async () => {
  const r = await post('/api/v1/auth/register', { username: 'Cuc.Le@Example.VN', password: 'mat-khau-dai', name: 'Lê Thị Cúc' });
  assert.equal(r.status, 201);
  assert.equal(r.body.sentTo, 'email');
  const msg = await ctx.handle.db.selectFrom('outbox').select(['channel', 'lang']).where('recipient', '=', 'cuc.le@example.vn').executeTakeFirstOrThrow();
  assert.deepEqual(msg, { channel: 'email', lang: 'vi' });
});

test('bad registrations answer 400 naming each field, and save nothing', async () => {
  const before = await ctx.handle.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const r = await post('/api/v1/auth/register', { username: '12345', password: 'ngan', name: '  ' });
  assert.equal(r.status, 400);
  assert.deepEqual(Object.keys(r.body.error.fields).sort(), ['name', 'password', 'username']);
  assert.match(r.body.error.fields.username, /số điện thoại di động/);
  const en = await post('/api/v1/auth/register', { username: 'x' }, { 'accept-language': 'en' });
  assert.equal(en.status, 400);
  assert.equal(en.body.error.fields.password, 'Enter this information.');
  const after = await ctx.handle.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.equal(Number(after.n), Number(before.n));
});

test('an address that already has a confirmed account cannot register again', async () => {
  await registered('0987654321');
  const again = await post('/api/v1/auth/register', { username: '0987654321', password: 'mat-khau-khac', name: 'X' });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'account_exists');
});

test('a wrong code is refused; after five wrong tries even the right code is refused', async () => {
  const r = await post('/api/v1/auth/register', { username: '0977000111', password: 'mat-khau-dai', name: 'Phạm Văn Dũng' });
  const code = await lastCode(r.body.username, 'account_verify_code');
  const wrong = code === '000000' ? '111111' : '000000';
  for (let i = 0; i < 5; i++) {
    const w = await post('/api/v1/auth/confirm', { username: '0977000111', code: wrong });
    assert.equal(w.status, 400);
    assert.ok(w.body.error.fields.code);
  }
  assert.equal((await post('/api/v1/auth/confirm', { username: '0977000111', code })).status, 400);
});

test('a code expires after ten minutes', async () => {
  const r = await post('/api/v1/auth/register', { username: '0977000222', password: 'mat-khau-dai', name: 'Võ Thị Em' });
  const code = await lastCode(r.body.username, 'account_verify_code');
  const start = ctx.clock.now();
  ctx.clock.set(new Date(start.getTime() + 10 * 60_000 + 1000).toISOString());
  try {
    assert.equal((await post('/api/v1/auth/confirm', { username: '0977000222', code })).status, 400);
  } finally {
    ctx.clock.set(start.toISOString());
  }
});

test('wrong credentials answer the same 401 whether or not the user exists', async () => {
  await registered('an.tran@example.vn');
  const wrongPassword = await post('/api/v1/auth/login', { username: 'an.tran@example.vn', password: 'sai-mat-khau' });
  const noSuchUser = await post('/api/v1/auth/login', { username: 'khong.co@example.vn', password: 'sai-mat-khau' });
  assert.equal(wrongPassword.status, 401);
  assert.deepEqual(wrongPassword.body, noSuchUser.body);
  assert.equal(noSuchUser.body.error.message, 'Tên đăng nhập hoặc mật khẩu không đúng.');
});

test('repeated failures back off: after five, 429 with Retry-After, and the right password waits too', async () => {
  const username = await registered('0966111222');
  for (let i = 0; i < 5; i++) assert.equal((await post('/api/v1/auth/login', { username, password: 'sai' })).status, 401);
  const locked = await post('/api/v1/auth/login', { username, password: 'mat-khau-dai' });
  assert.equal(locked.status, 429);
  assert.equal(locked.body.error.code, 'rate_limited');
  assert.equal(locked.headers['retry-after'], '1');
  const start = ctx.clock.now();
  ctx.clock.set(new Date(start.getTime() + 1500).toISOString());
  try {
    assert.equal((await post('/api/v1/auth/login', { username, password: 'sai' })).status, 401);
    const longer = await post('/api/v1/auth/login', { username, password: 'mat-khau-dai' });
    assert.equal(longer.headers['retry-after'], '2', 'the wait doubles');
    ctx.clock.set(new Date(start.getTime() + 4000).toISOString());
    assert.equal((await post('/api/v1/auth/login', { username, password: 'mat-khau-dai' })).status, 200);
  } finally {
    ctx.clock.set(start.toISOString());
  }
});

test('logout ends the session: the token no longer works', async () => {
  const username = await registered('0955333444');
  const { body } = await post('/api/v1/auth/login', { username, password: 'mat-khau-dai' });
  const auth = { authorization: `Bearer ${body.token}` };
  assert.equal((await post('/api/v1/auth/logout', {}, auth)).status, 204);
  const me = await ctx.app.inject({ url: '/api/v1/me', headers: auth });
  assert.equal(me.statusCode, 401);
  assert.equal(me.json().error.code, 'not_signed_in');
  assert.equal((await post('/api/v1/auth/logout', {}, auth)).status, 401);
});

test('a password reset code sets a new password and ends every session', async () => {
  const username = await registered('binh.do@example.vn');
  const { body } = await post('/api/v1/auth/login', { username, password: 'mat-khau-dai' });
  const unknown = await post('/api/v1/auth/password-reset', { username: 'khong.co.ai@example.vn' });
  const known = await post('/api/v1/auth/password-reset', { username });
  assert.equal(unknown.status, 202);
  assert.deepEqual(known.body, unknown.body, 'the same answer either way');
  const code = await lastCode(username, 'password_reset_code');
  const short = await post('/api/v1/auth/password-reset/confirm', { username, code, password: 'ngan' });
  assert.equal(short.status, 400);
  assert.ok(short.body.error.fields.password);
  assert.equal((await post('/api/v1/auth/password-reset/confirm', { username, code, password: 'mat-khau-moi-123' })).status, 200);
  assert.equal((await ctx.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${body.token}` } })).statusCode, 401);
  assert.equal((await post('/api/v1/auth/login', { username, password: 'mat-khau-dai' })).status, 401);
  assert.equal((await post('/api/v1/auth/login', { username, password: 'mat-khau-moi-123' })).status, 200);
  assert.equal((await post('/api/v1/auth/password-reset/confirm', { username, code, password: 'mat-khau-khac-9' })).status, 400, 'a code works once');
});

test('a session token that was never issued, or has expired, is not signed in', async () => {
  assert.equal((await ctx.app.inject({ url: '/api/v1/me', headers: { authorization: 'Bearer bịa-đặt' } })).statusCode, 401);
  const username = await registered('0944555666');
  const { body } = await post('/api/v1/auth/login', { username, password: 'mat-khau-dai' });
  const start = ctx.clock.now();
  ctx.clock.set(new Date(start.getTime() + 31 * 86400_000).toISOString());
  try {
    assert.equal((await ctx.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${body.token}` } })).statusCode, 401);
  } finally {
    ctx.clock.set(start.toISOString());
  }
});

test('staff created with motcua user add sign in through the same API and carry their unit', async () => {
  await ctx.services.accounts.addUser({ username: 'tiepnhan.mytho', password: 'mat-khau-dai', name: 'Cán bộ tiếp nhận', role: 'reception', unitId: 'my-tho' });
  const { status, body } = await post('/api/v1/auth/login', { username: 'TiepNhan.MyTho', password: 'mat-khau-dai' });
  assert.equal(status, 200);
  assert.deepEqual(body.user.roles, [{ role: 'reception', unitId: 'my-tho' }]);
});
