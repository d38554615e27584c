// Administering accounts (issue 10): who may open /quan-tri/tai-khoan and act there (per role),
// disabling an account (its sessions end at once; sign-in answers as a wrong password), revoking a
// role (gone from the next request), requiring the second factor per role, and the audit trail.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { staffRoles } from '../../domain/roles.ts';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { sessionLimits } from '../../domain/accounts.ts';
import { signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { PageBrowser } from '../../testing/page-browser.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext({ sessionLimits });
});
after(() => ctx.close());

const here = 'my-tho-phuong-5';
const elsewhere = 'my-tho-phuong-4';
let seq = 0;

/** A browser signed in to the pages with a fresh account of a role. */
async function browserAs(role: string, unitId: string | undefined = here) {
  const username = `admin.test.${role}.${++seq}`;
  await ctx.services.accounts.addUser({ username, password: 'mat-khau-dai', name: `Người ${seq}`, role, unitId: role === 'citizen' ? undefined : unitId });
  const b = new PageBrowser(ctx.app);
  await b.get('/dang-nhap');
  const r = await b.post('/dang-nhap', { username, password: 'mat-khau-dai', next: '/tai-khoan' });
  assert.equal(r.statusCode, 303);
  return b;
}

const auditKinds = async (subject: string) => (await ctx.handle.db.selectFrom('audit_log').select('kind').where('subject', '=', subject).orderBy('seq').execute()).map((r) => r.kind);

test('permissions per role: province and unit administrators open the accounts page, every other role and a citizen get 403, anonymous visitors are sent to sign in', async () => {
  const anonymous = await ctx.app.inject({ url: '/quan-tri/tai-khoan' });
  assert.equal(anonymous.statusCode, 303);
  assert.equal(anonymous.headers.location, '/dang-nhap?next=%2Fquan-tri%2Ftai-khoan');
  const target = await signedInStaff(ctx, 'reception', here);
  for (const role of ['citizen', ...staffRoles]) {
    const b = await browserAs(role);
    const page = await b.get('/quan-tri/tai-khoan');
    const admin = role === 'province_admin' || role === 'unit_admin';
    assert.equal(page.statusCode, admin ? 200 : 403, `${role} GET`);
    for (const [url, form] of [
      ['/quan-tri/tai-khoan/khoa', { userId: target.user.id, action: 'disable' }],
      ['/quan-tri/tai-khoan/thu-hoi', { userId: target.user.id, role: 'reception', unitId: here }],
      ['/quan-tri/tai-khoan/dat-lai-hai-buoc', { userId: target.user.id }],
      ['/quan-tri/tai-khoan/chinh-sach', { requireTotp: 'approver' }],
    ] as const) {
      if (admin) continue;
      assert.equal((await b.post(url, form)).statusCode, 403, `${role} POST ${url}`);
    }
    const posted = await ctx.app.inject({ method: 'POST', url: '/quan-tri/tai-khoan/khoa', payload: `userId=${target.user.id}&action=disable`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(posted.statusCode, 403, 'a post without the CSRF token');
  }
  assert.equal((await ctx.app.inject({ url: '/api/v1/me', headers: target.auth })).statusCode, 200, 'no one above could disable the account');
});

test('a province administrator disables an account: its sessions end at once and its sign-in answers as a wrong password; enabling it restores sign-in', async () => {
  const admin = await browserAs('province_admin');
  const target = await signedInStaff(ctx, 'specialist', elsewhere);
  const second = await ctx.services.accounts.signIn({ username: target.user.username, password: 'mat-khau-dai', ip: '127.0.0.1', kind: 'bearer' });
  const list = await admin.get(`/quan-tri/tai-khoan?q=${encodeURIComponent(target.user.username)}`);
  assert.equal(list.statusCode, 200);
  assert.match(list.body, new RegExp(target.user.username.replace(/\./g, '\\.')));
  const off = await admin.post(`/quan-tri/tai-khoan/khoa?q=${encodeURIComponent(target.user.username)}`, { userId: target.user.id, action: 'disable' });
  assert.equal(off.statusCode, 303);
  assert.match(String(off.headers.location), /da-luu=1/);
  assert.equal((await ctx.app.inject({ url: '/api/v1/me', headers: target.auth })).statusCode, 401);
  assert.equal((await ctx.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${second.token}` } })).statusCode, 401);
  assert.equal((await ctx.handle.db.selectFrom('sessions').select('user_id').where('user_id', '=', target.user.id).execute()).length, 0);
  const refused = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: target.user.username, password: 'mat-khau-dai' } });
  const wrong = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: target.user.username, password: 'sai-mat-khau-roi' } });
  assert.equal(refused.statusCode, 401);
  assert.deepEqual(refused.json(), wrong.json(), 'the same answer as a wrong password');
  assert.match((await admin.get(`/quan-tri/tai-khoan?q=${encodeURIComponent(target.user.username)}`)).body, /Đã khóa/);
  assert.equal((await admin.post('/quan-tri/tai-khoan/khoa', { userId: target.user.id, action: 'enable' })).statusCode, 303);
  const back = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: target.user.username, password: 'mat-khau-dai' } });
  assert.equal(back.statusCode, 200);
  const kinds = await auditKinds(`user:${target.user.id}`);
  assert.ok(kinds.includes('user_disabled') && kinds.includes('user_enabled'), kinds.join(','));
});

test('a revoked role is gone from the next request, and the revocation is in the audit log', async () => {
  const admin = await browserAs('province_admin');
  const target = await signedInStaff(ctx, 'reception', here);
  assert.equal((await ctx.app.inject({ url: '/api/v1/office/queue', headers: target.auth })).statusCode, 200);
  const r = await admin.post('/quan-tri/tai-khoan/thu-hoi', { userId: target.user.id, role: 'reception', unitId: here });
  assert.equal(r.statusCode, 303);
  assert.equal((await ctx.app.inject({ url: '/api/v1/office/queue', headers: target.auth })).statusCode, 403);
  assert.deepEqual((await ctx.app.inject({ url: '/api/v1/me', headers: target.auth })).json().roles, []);
  assert.ok((await auditKinds(`user:${target.user.id}`)).includes('role_revoked'));
});

test('a unit administrator administers only the accounts of their units, never a province administrator nor their own account', async () => {
  const unitAdmin = await browserAs('unit_admin', here);
  const mine = await signedInStaff(ctx, 'clerk', here);
  const theirs = await signedInStaff(ctx, 'clerk', elsewhere);
  const province = await signedInStaff(ctx, 'province_admin', here);
  const list = await unitAdmin.get('/quan-tri/tai-khoan');
  assert.ok(list.body.includes(mine.user.username));
  assert.ok(!list.body.includes(theirs.user.username), 'an account of another unit is not listed');
  assert.doesNotMatch(list.body, /chinh-sach/, 'no role policies for a unit administrator');
  assert.equal((await unitAdmin.post('/quan-tri/tai-khoan/khoa', { userId: theirs.user.id, action: 'disable' })).statusCode, 403);
  assert.equal((await unitAdmin.post('/quan-tri/tai-khoan/khoa', { userId: province.user.id, action: 'disable' })).statusCode, 403);
  assert.equal((await unitAdmin.post('/quan-tri/tai-khoan/chinh-sach', { requireTotp: 'clerk' })).statusCode, 403);
  assert.equal((await unitAdmin.post('/quan-tri/tai-khoan/khoa', { userId: mine.user.id, action: 'disable' })).statusCode, 303);
  assert.equal((await ctx.app.inject({ url: '/api/v1/me', headers: mine.auth })).statusCode, 401);
  assert.equal((await ctx.app.inject({ url: '/api/v1/me', headers: theirs.auth })).statusCode, 200);
  const self = (await ctx.app.inject({ url: '/api/v1/me', headers: { cookie: unitAdmin.cookieHeader } })).json();
  assert.equal((await unitAdmin.post('/quan-tri/tai-khoan/khoa', { userId: self.id, action: 'disable' })).statusCode, 403, 'not their own account');
});

test('a province administrator requires the second factor per role on the admin page; the change is audited and takes effect at the next request', async () => {
  const admin = await browserAs('province_admin');
  const approver = await signedInStaff(ctx, 'approver', here);
  assert.equal((await ctx.app.inject({ url: '/api/v1/office/queue', headers: approver.auth })).statusCode, 200);
  const page = await admin.get('/quan-tri/tai-khoan');
  assert.match(page.body, /name="requireTotp" value="approver"/);
  assert.equal((await admin.post('/quan-tri/tai-khoan/chinh-sach', { requireTotp: 'approver' })).statusCode, 303);
  assert.deepEqual((await ctx.services.accountsAdmin.policies()).filter((p) => p.requireTotp).map((p) => p.role), ['approver']);
  const gated = await ctx.app.inject({ url: '/api/v1/office/queue', headers: approver.auth });
  assert.equal(gated.statusCode, 403);
  assert.equal(gated.json().error.code, 'totp_setup_required');
  assert.match((await admin.get('/quan-tri/tai-khoan')).body, /value="approver" checked/);
  assert.equal((await admin.post('/quan-tri/tai-khoan/chinh-sach', {})).statusCode, 303, 'every box cleared');
  assert.equal((await ctx.app.inject({ url: '/api/v1/office/queue', headers: approver.auth })).statusCode, 200);
  assert.deepEqual(await auditKinds('role:approver'), ['role_policy_changed', 'role_policy_changed']);
});

test('a citizen’s account page offers signing out everywhere but no second factor; a disabled citizen cannot sign in', async () => {
  const citizen = await signedInCitizen(ctx);
  const page = await ctx.app.inject({ url: '/tai-khoan', headers: { cookie: `motcua_session=${citizen.token}` } });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Đăng xuất trên mọi thiết bị/);
  assert.doesNotMatch(page.body, /xac-thuc-hai-buoc/);
  await ctx.services.accountsAdmin.setDisabled(null, { username: citizen.user.username }, true);
  assert.equal((await ctx.app.inject({ url: '/tai-khoan', headers: { cookie: `motcua_session=${citizen.token}` } })).statusCode, 303);
});
