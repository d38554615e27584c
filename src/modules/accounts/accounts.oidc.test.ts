// Sign-in through an OpenID Connect provider (VNeID), against a real provider in this process:
// the browser leaves for the provider, signs in there, and comes back with a code.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { signedInStaff } from '../../testing/fixtures.ts';
import { startIdentityProvider, visitProvider, type TestIdentityProvider } from '../../testing/oidc.ts';
import { PageBrowser } from '../../testing/page-browser.ts';
import { callbackPath } from './accounts.oidc.ts';

const home = 'http://localhost:3000';
let idp: TestIdentityProvider;
let ctx: TestContext;

before(async () => {
  idp = await startIdentityProvider(
    {
      'vneid-001': { name: 'Trần Văn Minh', email: 'minh.tran@example.vn', email_verified: true, phone_number: '0912345678', phone_number_verified: true },
      'vneid-002': { name: 'Lê Thị Hoa', email: 'hoa.le@example.vn', email_verified: true },
      'vneid-003': { name: 'Phạm Quốc Bảo', email: 'hoa.le@example.vn', email_verified: false },
      'vneid-004': { name: 'Võ Thành Công', email: 'staff.reception@example.vn', email_verified: true },
      'vneid-005': { name: 'Đỗ Hữu Nghĩa' },
      'vneid-006': { name: 'Ngô Minh Chính', email: 'minh.squatter@example.vn', email_verified: true },
    },
    `${home}${callbackPath}`,
  );
  ctx = await createTestContext({
    settings: {
      mode: 'full', nationalPortalUrl: 'https://dichvucong.gov.vn', inboundKeys: {},
      oidc: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, name: 'VNeID', scopes: 'openid profile email phone' },
    },
  });
});
after(async () => {
  await ctx.close();
  await idp.close();
});

/** The whole round trip as a browser makes it; answers our callback's response. */
async function signInThroughProvider(b: PageBrowser, subject: string | null, next = '/ho-so-cua-toi') {
  idp.signInAs(subject);
  const leave = await b.get(`/dang-nhap/oidc?next=${encodeURIComponent(next)}`);
  assert.equal(leave.statusCode, 303);
  const authorize = new URL(leave.headers.location as string);
  assert.equal(authorize.origin, idp.issuer);
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  const back = await visitProvider(authorize.href, home);
  return b.get(back.slice(home.length));
}

const usersNamed = (name: string) => ctx.handle.db.selectFrom('users').select(['id', 'username', 'password_hash']).where('name', '=', name).execute();

test('the sign-in page offers VNeID next to the password form, without JavaScript (a plain link)', async () => {
  const res = await new PageBrowser(ctx.app).get('/dang-nhap?next=/ho-so-cua-toi');
  assert.match(res.body, /<a class="button button-secondary" role="button" id="provider" href="\/dang-nhap\/oidc\?next=%2Fho-so-cua-toi">Đăng nhập bằng VNeID<\/a>/);
});

test('a first sign-in through VNeID makes a confirmed citizen account from the claims; the next one finds it again', async () => {
  const b = new PageBrowser(ctx.app);
  const res = await signInThroughProvider(b, 'vneid-001');
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/ho-so-cua-toi');
  assert.ok(b.cookies.get('motcua_session'));
  assert.ok(!b.cookies.has('motcua_oidc'), 'the pending-login cookie is spent');

  const account = await b.get('/tai-khoan');
  assert.equal(account.statusCode, 200);
  assert.match(account.body, /Trần Văn Minh/);
  const [user, ...others] = await usersNamed('Trần Văn Minh');
  assert.equal(others.length, 0);
  assert.equal(user!.username, 'minh.tran@example.vn');
  assert.equal(user!.password_hash, '', 'no password until the person sets one');

  const again = new PageBrowser(ctx.app);
  assert.equal((await signInThroughProvider(again, 'vneid-001')).statusCode, 303);
  assert.equal((await usersNamed('Trần Văn Minh')).length, 1);
  const me = await ctx.app.inject({ url: '/api/v1/me', headers: { cookie: again.cookieHeader } });
  assert.equal(me.json().id, user!.id);
});

test('an account made through VNeID cannot be entered with an empty password', async () => {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'minh.tran@example.vn', password: '' } });
  assert.equal(res.statusCode, 401);
});

test('a citizen who registered with the same email, verified by the provider, keeps one account', async () => {
  const reg = await ctx.services.accounts.addUser({ username: 'hoa.le@example.vn', password: 'mat-khau-cu-9', name: 'Lê Thị Hoa', role: 'citizen' });
  const b = new PageBrowser(ctx.app);
  assert.equal((await signInThroughProvider(b, 'vneid-002')).statusCode, 303);
  const me = await ctx.app.inject({ url: '/api/v1/me', headers: { cookie: b.cookieHeader } });
  assert.equal(me.json().id, reg.id);
  // The password still works: the account gained a way in, and lost none.
  const login = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'hoa.le@example.vn', password: 'mat-khau-cu-9' } });
  assert.equal(login.statusCode, 200);
});

test('an unconfirmed registration with the same email is taken over by the provider’s person, and its password stops working', async () => {
  // Someone registered this address without ever proving they hold it (and knows the password).
  const reg = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { username: 'minh.squatter@example.vn', password: 'squatter-pass-1', name: 'Kẻ Giữ Chỗ' } });
  assert.equal(reg.statusCode, 201);
  const b = new PageBrowser(ctx.app);
  assert.equal((await signInThroughProvider(b, 'vneid-006')).statusCode, 303);
  const me = (await ctx.app.inject({ url: '/api/v1/me', headers: { cookie: b.cookieHeader } })).json();
  assert.equal(me.id, reg.json().id);
  assert.equal(me.name, 'Ngô Minh Chính');
  const login = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'minh.squatter@example.vn', password: 'squatter-pass-1' } });
  assert.equal(login.statusCode, 401);
});

test('an email the provider did not verify never joins someone else’s account', async () => {
  const b = new PageBrowser(ctx.app);
  assert.equal((await signInThroughProvider(b, 'vneid-003')).statusCode, 303);
  const me = (await ctx.app.inject({ url: '/api/v1/me', headers: { cookie: b.cookieHeader } })).json();
  assert.equal(me.name, 'Phạm Quốc Bảo');
  assert.match(me.username, /^oidc-[0-9a-f]{20}$/);
  assert.deepEqual(me.roles, [{ role: 'citizen', unitId: null }]);
});

test('a staff account is never entered through the provider, even with a verified matching email', async () => {
  const staff = await signedInStaff(ctx, 'reception', 'my-tho-phuong-5');
  await ctx.handle.db.updateTable('users').set({ username: 'staff.reception@example.vn', email: 'staff.reception@example.vn' }).where('id', '=', staff.user.id).execute();
  const b = new PageBrowser(ctx.app);
  assert.equal((await signInThroughProvider(b, 'vneid-004')).statusCode, 303);
  const me = (await ctx.app.inject({ url: '/api/v1/me', headers: { cookie: b.cookieHeader } })).json();
  assert.notEqual(me.id, staff.user.id);
  assert.deepEqual(me.roles, [{ role: 'citizen', unitId: null }]);
});

test('a person with neither email nor phone from the provider still gets an account', async () => {
  const b = new PageBrowser(ctx.app);
  assert.equal((await signInThroughProvider(b, 'vneid-005')).statusCode, 303);
  assert.equal((await usersNamed('Đỗ Hữu Nghĩa')).length, 1);
});

test('cancelling at the provider comes back to the sign-in page with an error summary, and no session', async () => {
  const b = new PageBrowser(ctx.app);
  const res = await signInThroughProvider(b, null);
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /class="error-summary"/);
  assert.match(res.body, /<a href="#provider">Chưa đăng nhập được bằng VNeID/);
  assert.ok(!b.cookies.has('motcua_session'));
});

test('a callback without the pending-login cookie, or with a forged state, signs nobody in', async () => {
  const b = new PageBrowser(ctx.app);
  idp.signInAs('vneid-001');
  const leave = await b.get('/dang-nhap/oidc');
  const back = await visitProvider(leave.headers.location as string, home);
  const stranger = new PageBrowser(ctx.app); // a link sent to someone else: no cookie
  assert.equal((await stranger.get(back.slice(home.length))).statusCode, 400);
  assert.ok(!stranger.cookies.has('motcua_session'));

  const forged = back.replace(/state=[^&]+/, 'state=forged');
  const res = await b.get(forged.slice(home.length));
  assert.equal(res.statusCode, 400);
  assert.ok(!b.cookies.has('motcua_session'));
});

test('with the provider down, the sign-in page says so (503) and the password form still works', async () => {
  const down = await createTestContext({
    demo: false,
    settings: {
      mode: 'full', nationalPortalUrl: 'https://dichvucong.gov.vn', inboundKeys: {},
      oidc: { issuer: 'http://127.0.0.1:9', clientId: 'x', clientSecret: 'y', name: 'VNeID', scopes: 'openid' },
    },
  });
  try {
    const res = await down.app.inject({ url: '/dang-nhap/oidc' });
    assert.equal(res.statusCode, 503);
    assert.match(res.body, /Hiện không kết nối được với VNeID/);
    assert.match(res.body, /name="password"/);
  } finally {
    await down.close();
  }
});

test('without OIDC settings there is no provider button and no provider route', async () => {
  const plain = await createTestContext({ demo: false });
  try {
    assert.doesNotMatch((await plain.app.inject({ url: '/dang-nhap' })).body, /VNeID/);
    assert.equal((await plain.app.inject({ url: '/dang-nhap/oidc' })).statusCode, 404);
  } finally {
    await plain.close();
  }
});
