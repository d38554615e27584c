// The account pages as a browser without JavaScript uses them: plain form posts, cookies, redirects.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { PageBrowser } from '../../testing/page-browser.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

async function codeFor(recipient: string, template = 'account_verify_code') {
  const row = await ctx.handle.db.selectFrom('outbox').select('params').where('recipient', '=', recipient).where('template', '=', template)
    .orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  return JSON.parse(row.params).code as string;
}

test('register, confirm, sign in, see my account, sign out: all with plain forms', async () => {
  const b = new PageBrowser(ctx.app);
  const form = await b.get('/dang-ky');
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /<label class="label" for="username">Thư điện tử hoặc số điện thoại di động<\/label>/);
  const reg = await b.post('/dang-ky', { name: 'Huỳnh Văn Giàu', username: '0933 222 111', password: 'mat-khau-dai', consent: 'yes' });
  assert.equal(reg.statusCode, 303);
  assert.equal(reg.headers.location, '/xac-nhan?tai-khoan=%2B84933222111');
  const confirmForm = await b.get(reg.headers.location as string);
  assert.match(confirmForm.body, /đến \+84933222111/);
  const confirmed = await b.post('/xac-nhan', { username: '+84933222111', code: await codeFor('+84933222111') });
  assert.equal(confirmed.statusCode, 303);
  const signInForm = await b.get(confirmed.headers.location as string);
  assert.match(signInForm.body, /Tài khoản đã được xác nhận/);
  const signedIn = await b.post('/dang-nhap', { username: '0933222111', password: 'mat-khau-dai', next: '/tai-khoan' });
  assert.equal(signedIn.statusCode, 303);
  assert.match(String(signedIn.headers['set-cookie']), /motcua_session=[^;]+; Path=\/; Max-Age=2592000; HttpOnly; SameSite=Lax/);
  const account = await b.get('/tai-khoan');
  assert.equal(account.statusCode, 200);
  assert.match(account.body, /Huỳnh Văn Giàu/);
  assert.match(account.body, /<a href="\/tai-khoan">Tài khoản<\/a>/, 'the header shows the account link');
  const out = await b.post('/dang-xuat', {});
  assert.equal(out.statusCode, 303);
  assert.equal((await b.get('/tai-khoan')).statusCode, 303, 'signed out: my account asks to sign in again');
});

test('errors come back in a summary with what was typed, but never the password', async () => {
  const b = new PageBrowser(ctx.app);
  await b.get('/dang-ky');
  const res = await b.post('/dang-ky', { name: 'Trương Thị Hạnh', username: '12345', password: 'ngắn' });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /<title>Lỗi: Tạo tài khoản/);
  assert.match(res.body, /<a href="#username">Nhập địa chỉ thư điện tử/);
  assert.match(res.body, /<a href="#password">Mật khẩu cần ít nhất 8 ký tự.<\/a>/);
  assert.match(res.body, /value="Trương Thị Hạnh"/);
  assert.match(res.body, /value="12345"/);
  assert.doesNotMatch(res.body, /ngắn/);
});

test('a wrong password shows the error on the sign-in form; the next link only goes to local pages', async () => {
  const b = new PageBrowser(ctx.app);
  await b.get('/dang-nhap');
  const res = await b.post('/dang-nhap', { username: 'khong.co@example.vn', password: 'sai-mat-khau', next: 'https://evil.example/' });
  assert.equal(res.statusCode, 401);
  assert.match(res.body, /Tên đăng nhập hoặc mật khẩu không đúng/);
  assert.match(res.body, /name="next" value="\/tai-khoan"/);
});

test('a form posted without the CSRF token is refused, and nothing happens', async () => {
  const b = new PageBrowser(ctx.app);
  await b.get('/dang-ky');
  const res = await b.post('/dang-ky', { name: 'Kẻ Giả Mạo', username: '0911000999', password: 'mat-khau-dai' }, false);
  assert.equal(res.statusCode, 403);
  assert.match(res.body, /Biểu mẫu đã hết hạn/);
  const user = await ctx.handle.db.selectFrom('users').select('id').where('username', '=', '+84911000999').executeTakeFirst();
  assert.equal(user, undefined);
});

test('forgot password: a code, a new password, then sign in with it', async () => {
  await ctx.services.accounts.addUser({ username: 'mai.ly@example.vn', password: 'mat-khau-cu-1', name: 'Lý Thị Mai', role: 'citizen' });
  const b = new PageBrowser(ctx.app);
  await b.get('/quen-mat-khau');
  const sent = await b.post('/quen-mat-khau', { username: 'mai.ly@example.vn' });
  assert.equal(sent.statusCode, 303);
  await b.get(sent.headers.location as string);
  const reset = await b.post('/dat-lai-mat-khau', { username: 'mai.ly@example.vn', code: await codeFor('mai.ly@example.vn', 'password_reset_code'), password: 'mat-khau-moi-2' });
  assert.equal(reset.statusCode, 303);
  await b.get('/dang-nhap');
  assert.equal((await b.post('/dang-nhap', { username: 'mai.ly@example.vn', password: 'mat-khau-moi-2', next: '/' })).statusCode, 303);
});
