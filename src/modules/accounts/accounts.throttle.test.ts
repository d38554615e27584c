// Sign-in and one-time codes cannot be raced or brute-forced: every attempt is counted before it is
// checked, in one statement, so parallel requests count one each (issue 10, part 1).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../errors.ts';
import { buildApp } from '../../app.ts';
import { codeRules, throttleRules } from '../../domain/accounts.ts';
import { createTestContext, type TestContext } from '../../testing/context.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

const password = 'mat-khau-dai';

async function post(url: string, payload: unknown, headers: Record<string, string> = {}) {
  const res = await ctx.app.inject({ method: 'POST', url, payload: payload as object, headers });
  return { status: res.statusCode, body: res.body ? res.json() : null, headers: res.headers };
}

/** Moves the test clock by `ms` for the length of `work`, then back. */
async function later<T>(ms: number, work: () => Promise<T>): Promise<T> {
  const start = ctx.clock.now();
  ctx.clock.set(new Date(start.getTime() + ms).toISOString());
  try {
    return await work();
  } finally {
    ctx.clock.set(start.toISOString());
  }
}

const codesSent = async (recipient: string, template: string) =>
  ctx.handle.db.selectFrom('outbox').select(['params', 'channel', 'template']).where('recipient', '=', recipient).where('template', '=', template).orderBy('created_at').execute();

async function newestCode(recipient: string, template = 'password_reset_code'): Promise<string> {
  const rows = await ctx.handle.db.selectFrom('outbox').select('params').where('recipient', '=', recipient).where('template', '=', template)
    .orderBy('created_at', 'desc').execute();
  return JSON.parse(rows[0]!.params).code;
}

const rateLimited = (err: unknown) => err instanceof AppError && err.code === 'rate_limited';

test('60 parallel wrong passwords for one account: at most 5 are checked (401), the rest 429 unchecked; the right password waits for the lock', async () => {
  const { id } = await ctx.services.accounts.addUser({ username: 'song.song@example.vn', password, name: 'Song Song', role: 'citizen' });
  const answers = await Promise.all(Array.from({ length: 60 }, () => post('/api/v1/auth/login', { username: 'song.song@example.vn', password: 'doan-bua-123' })));
  const statuses = answers.map((a) => a.status);
  assert.equal(statuses.filter((s) => s === 401).length, throttleRules.freeFailures, 'exactly the free allowance was checked');
  assert.equal(statuses.filter((s) => s === 429).length, 60 - throttleRules.freeFailures);
  for (const a of answers.filter((x) => x.status === 429)) {
    assert.equal(a.body.error.code, 'rate_limited');
    assert.ok(Number(a.headers['retry-after']) >= 1);
  }
  const failed = await ctx.handle.db.selectFrom('audit_log').select('seq').where('kind', '=', 'sign_in_failed').where('subject', '=', `user:${id}`).execute();
  assert.equal(failed.length, throttleRules.freeFailures, 'only checked guesses are failures in the audit log');

  const right = await post('/api/v1/auth/login', { username: 'song.song@example.vn', password });
  assert.equal(right.status, 429, 'the right password is refused while the lock lasts');
  const wait = Number(right.headers['retry-after']);
  assert.ok(wait >= 1);
  await later((wait + 1) * 1000, async () => {
    assert.equal((await post('/api/v1/auth/login', { username: 'song.song@example.vn', password })).status, 200, 'and works once it ends');
  });
});

test('a lock on an address slows that address only: its accounts still sign in from elsewhere, and the window slides on', async () => {
  await ctx.services.accounts.addUser({ username: 'lop.hoc@example.vn', password, name: 'Lớp học', role: 'citizen' });
  const school = '198.51.100.7';
  // 100 failures spread over 25 accounts (4 each: no account locks), as a school's lab might make.
  const guesses = Array.from({ length: throttleRules.freeFailuresPerAddress }, (_, i) =>
    ctx.services.accounts.signIn({ username: `hs${i % 25}@example.vn`, password: 'sai-mat-khau', ip: school, kind: 'bearer' }).then(() => 'signed in', (e: AppError) => e.code));
  const outcomes = await Promise.all(guesses);
  assert.deepEqual(new Set(outcomes), new Set(['invalid_credentials']), 'all within the address allowance were checked');
  await assert.rejects(ctx.services.accounts.signIn({ username: 'lop.hoc@example.vn', password, ip: school, kind: 'bearer' }), (err) => {
    assert.ok(rateLimited(err));
    assert.ok((err as AppError).retryAfter! >= 1 && (err as AppError).retryAfter! <= 2 * throttleRules.addressWindowMinutes * 60, 'the wait until the window has slid far enough');
    return true;
  });
  const elsewhere = await ctx.services.accounts.signIn({ username: 'lop.hoc@example.vn', password, ip: '203.0.113.9', kind: 'bearer' });
  assert.ok(elsewhere.token, 'the same account signs in from another address');
  await assert.rejects(ctx.services.accounts.signIn({ username: 'hs1@example.vn', password: 'sai-mat-khau', ip: '203.0.113.9', kind: 'bearer' }), (err) => (err as AppError).code === 'invalid_credentials',
    'the accounts guessed at are not locked for others');
  await later(20 * 60_000, async () => {
    const back = await ctx.services.accounts.signIn({ username: 'lop.hoc@example.vn', password, ip: school, kind: 'bearer' });
    assert.ok(back.token, 'the failures decay as the window slides');
  });
});

test('successful sign-ins never use up an address: 110 from one address (over its failure allowance), 22 people at once, all pass', async () => {
  const people = Array.from({ length: 22 }, (_, i) => `lop${i}@truong.example.vn`);
  for (const username of people) await ctx.services.accounts.addUser({ username, password, name: 'Học sinh', role: 'citizen' });
  const outcomes = (await Promise.all(people.map(async (username) => {
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) mine.push(await ctx.services.accounts.signIn({ username, password, ip: '192.0.2.150', kind: 'bearer' }).then(() => 'ok', (e: AppError) => e.code));
    return mine;
  }))).flat();
  assert.equal(outcomes.length, 110);
  assert.deepEqual(new Set(outcomes), new Set(['ok']));
});

test('behind a trusted proxy (TRUST_PROXY) the client address is X-Forwarded-For; by default the header is ignored', async () => {
  const proxied = await buildApp({ services: ctx.services, logger: false, publicUrl: 'http://localhost:3000', trustProxy: ['127.0.0.1'] });
  try {
    const headers = { 'x-forwarded-for': '203.0.113.77' };
    await proxied.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'proxy.test@example.vn', password: 'sai' }, headers });
    await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'proxy.test@example.vn', password: 'sai' }, headers: { 'x-forwarded-for': '203.0.113.78' } });
    const keys = (await ctx.handle.db.selectFrom('login_throttle').select('key').where('key', 'like', 'ip:%').execute()).map((r) => r.key);
    assert.ok(keys.includes('ip:203.0.113.77'), 'the proxy’s client is counted');
    assert.ok(!keys.includes('ip:203.0.113.78'), 'a header from a client reaching the portal directly is not believed');
  } finally {
    await proxied.close();
  }
});

test('20 reset requests for one account within a minute: 429 after three, and exactly three codes in the outbox', async () => {
  await ctx.services.accounts.addUser({ username: 'quen.mk@example.vn', password, name: 'Quên mật khẩu', role: 'citizen' });
  const answers = await Promise.all(Array.from({ length: 20 }, () => post('/api/v1/auth/password-reset', { username: 'quen.mk@example.vn' })));
  const statuses = answers.map((a) => a.status);
  assert.equal(statuses.filter((s) => s === 202).length, codeRules.issuePerAccount.hour);
  assert.equal(statuses.filter((s) => s === 429).length, 20 - codeRules.issuePerAccount.hour);
  const refused = answers.find((a) => a.status === 429)!;
  assert.equal(refused.body.error.code, 'rate_limited');
  assert.ok(Number(refused.headers['retry-after']) > 0);
  assert.equal((await codesSent('quen.mk@example.vn', 'password_reset_code')).length, codeRules.issuePerAccount.hour, 'no code beyond the limit');
  // Once the window has slid on there are fresh codes (up to ten a day).
  await later(90 * 60_000, async () => {
    const again = await post('/api/v1/auth/password-reset', { username: 'quen.mk@example.vn' });
    assert.equal(again.status, 202);
  });
});

test('an unknown username is limited the same way: the limit tells nothing about which accounts exist', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await post('/api/v1/auth/password-reset', { username: 'khong.ai.ca@example.vn' })).status);
  assert.deepEqual(statuses, [202, 202, 202, 429]);
});

test('codes are limited per address too: one address cannot send codes to endless numbers', async () => {
  const ip = '192.0.2.44';
  const outcomes: string[] = [];
  for (let i = 0; i <= codeRules.issuePerAddress.hour; i++) {
    outcomes.push(await ctx.services.accounts.requestReset({ username: `09770${String(i).padStart(5, '0')}`, lang: 'vi', ip }).then(() => 'sent', (e: AppError) => e.code));
  }
  assert.equal(outcomes.filter((o) => o === 'sent').length, codeRules.issuePerAddress.hour);
  assert.equal(outcomes.at(-1), 'rate_limited');
  await assert.rejects(
    ctx.services.accounts.register({ username: '0977999888', password, name: 'Đăng ký', lang: 'vi', ip }),
    rateLimited, 'registration codes count against the same address',
  );
  assert.equal((await codesSent('+84977999888', 'account_verify_code')).length, 0);
  assert.equal(await ctx.handle.db.selectFrom('users').select('id').where('username', '=', '+84977999888').executeTakeFirst(), undefined, 'nothing registered');
});

test('a guess at a reset code after five wrong guesses on earlier codes is refused, even with a fresh code', async () => {
  await ctx.services.accounts.addUser({ username: 'doan.ma@example.vn', password, name: 'Đoán mã', role: 'citizen' });
  const username = 'doan.ma@example.vn';
  const wrong = (code: string) => (code === '000000' ? '111111' : '000000');
  assert.equal((await post('/api/v1/auth/password-reset', { username })).status, 202);
  const first = await newestCode(username);
  for (let i = 0; i < 3; i++) assert.equal((await post('/api/v1/auth/password-reset/confirm', { username, code: wrong(first), password: 'mat-khau-moi-1' })).status, 400);
  assert.equal((await post('/api/v1/auth/password-reset', { username })).status, 202);
  const second = await newestCode(username);
  for (let i = 0; i < 2; i++) assert.equal((await post('/api/v1/auth/password-reset/confirm', { username, code: wrong(second), password: 'mat-khau-moi-1' })).status, 400);
  assert.equal((await post('/api/v1/auth/password-reset', { username })).status, 202);
  const fresh = await newestCode(username);
  const refused = await post('/api/v1/auth/password-reset/confirm', { username, code: fresh, password: 'mat-khau-moi-1' });
  assert.equal(refused.status, 400);
  assert.ok(refused.body.error.fields.code);
  assert.equal((await post('/api/v1/auth/login', { username, password })).status, 200, 'the password did not change');

  await later(2 * 3600_000, async () => {
    assert.equal((await post('/api/v1/auth/password-reset', { username })).status, 202);
    const code = await newestCode(username);
    assert.equal((await post('/api/v1/auth/password-reset/confirm', { username, code, password: 'mat-khau-moi-1' })).status, 200, 'the tries come back once the window has passed');
  });
});

test('parallel guesses at a confirmation code count one each: of 20 at once, at most 5 are compared', async () => {
  const reg = await post('/api/v1/auth/register', { username: '0966000777', password, name: 'Song song' });
  assert.equal(reg.status, 201);
  const code = await newestCode('+84966000777', 'account_verify_code');
  const wrong = code === '000000' ? '111111' : '000000';
  await Promise.all(Array.from({ length: 20 }, () => post('/api/v1/auth/confirm', { username: '0966000777', code: wrong })));
  const row = await ctx.handle.db.selectFrom('login_throttle').select(['failures']).where('key', '=', `code-tries:${reg.body.id}`).executeTakeFirst();
  assert.equal(row?.failures, codeRules.maxAttempts, 'refused guesses are not counted, and none slipped past the count');
  assert.equal((await post('/api/v1/auth/confirm', { username: '0966000777', code })).status, 400, 'the right code is refused too');
});

test('after a password reset, the account’s other contact gets a notice, without the code or the password', async () => {
  const { id } = await ctx.services.accounts.addUser({ username: 'hai.lienhe@example.vn', password, name: 'Hai liên hệ', role: 'citizen' });
  await ctx.handle.db.updateTable('users').set({ phone: '+84933444555' }).where('id', '=', id).execute();
  assert.equal((await post('/api/v1/auth/password-reset', { username: 'hai.lienhe@example.vn' }, { 'accept-language': 'en' })).status, 202);
  const code = await newestCode('hai.lienhe@example.vn');
  assert.equal((await post('/api/v1/auth/password-reset/confirm', { username: 'hai.lienhe@example.vn', code, password: 'mat-khau-moi-2' }, { 'accept-language': 'en' })).status, 200);
  const notices = await ctx.handle.db.selectFrom('outbox').selectAll().where('template', '=', 'password_changed').where('recipient', '=', '+84933444555').execute();
  assert.equal(notices.length, 1);
  assert.equal(notices[0]!.channel, 'sms');
  assert.equal(notices[0]!.lang, 'en');
  assert.doesNotMatch(notices[0]!.params, new RegExp(`${code}|mat-khau-moi-2`));
  assert.deepEqual(Object.keys(JSON.parse(notices[0]!.params)).sort(), ['at', 'name']);
  assert.equal((await ctx.handle.db.selectFrom('outbox').select('id').where('template', '=', 'password_changed').where('recipient', '=', 'hai.lienhe@example.vn').execute()).length, 0,
    'not to the address the code went to');

  // A phone account with an email gets the notice by email; an account with one contact gets none.
  const phone = await ctx.services.accounts.addUser({ username: '0933666777', password, name: 'Số điện thoại', role: 'citizen' });
  await ctx.handle.db.updateTable('users').set({ email: 'so.dt@example.vn' }).where('id', '=', phone.id).execute();
  await ctx.services.accounts.addUser({ username: '0933888999', password, name: 'Một liên hệ', role: 'citizen' });
  for (const username of ['+84933666777', '+84933888999']) {
    await ctx.services.accounts.requestReset({ username, lang: 'vi', ip: '192.0.2.9' });
    await ctx.services.accounts.resetPassword({ username, code: await newestCode(username), password: 'mat-khau-moi-3', lang: 'vi' });
  }
  const byEmail = await ctx.handle.db.selectFrom('outbox').select(['channel']).where('template', '=', 'password_changed').where('recipient', '=', 'so.dt@example.vn').execute();
  assert.deepEqual(byEmail, [{ channel: 'email' }]);
  assert.equal((await ctx.handle.db.selectFrom('outbox').select('id').where('template', '=', 'password_changed').where('recipient', 'in', ['+84933888999', '+84933666777']).execute()).length, 0);
});
