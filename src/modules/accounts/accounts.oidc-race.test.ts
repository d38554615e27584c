// Two callbacks from the identity provider for one person, processed at the same time (a double
// click, a retried redirect): one account, and both browsers signed in to it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { startIdentityProvider, visitProvider, type TestIdentityProvider } from '../../testing/oidc.ts';
import { PageBrowser } from '../../testing/page-browser.ts';
import { callbackPath } from './accounts.oidc.ts';

const home = 'http://localhost:3000';
let idp: TestIdentityProvider;
let ctx: TestContext;

before(async () => {
  idp = await startIdentityProvider(
    {
      'vneid-race-1': { name: 'Trương Văn Đua', email: 'dua.truong@example.vn', email_verified: true },
      'vneid-race-2': { name: 'Hồ Thị Nhanh' },
    },
    `${home}${callbackPath}`,
  );
  ctx = await createTestContext({
    demo: false,
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

/** A browser that has been to the provider and holds the way back, not yet followed. */
async function backFromProvider(subject: string): Promise<{ b: PageBrowser; back: string }> {
  const b = new PageBrowser(ctx.app);
  idp.signInAs(subject);
  const leave = await b.get('/dang-nhap/oidc?next=/tai-khoan');
  assert.equal(leave.statusCode, 303);
  return { b, back: (await visitProvider(leave.headers.location as string, home)).slice(home.length) };
}

for (const [subject, name, what] of [
  ['vneid-race-1', 'Trương Văn Đua', 'with a verified email'],
  ['vneid-race-2', 'Hồ Thị Nhanh', 'with no address at all'],
] as const) {
  test(`two callbacks for one identity (${what}) processed at once make one account, and both sign in`, async () => {
    const first = await backFromProvider(subject);
    const second = await backFromProvider(subject);
    const answers = await Promise.all([first.b.get(first.back), second.b.get(second.back)]);
    assert.deepEqual(answers.map((a) => a.statusCode), [303, 303]);
    const users = await ctx.handle.db.selectFrom('users').select('id').where('name', '=', name).execute();
    assert.equal(users.length, 1, 'one account');
    const identities = await ctx.handle.db.selectFrom('user_identities').select('user_id').where('subject', '=', subject).execute();
    assert.deepEqual(identities, [{ user_id: users[0]!.id }]);
    for (const { b } of [first, second]) {
      const me = await ctx.app.inject({ url: '/api/v1/me', headers: { cookie: b.cookieHeader } });
      assert.equal(me.statusCode, 200);
      assert.equal(me.json().id, users[0]!.id);
    }
    const created = await ctx.handle.db.selectFrom('audit_log').select('seq').where('kind', '=', 'user_created').where('subject', '=', `user:${users[0]!.id}`).execute();
    assert.equal(created.length, 1, 'the loser left nothing behind, not even an audit entry');
  });
}

test('the service itself, asked twice at once for a new identity, makes one account: the loser reads the winner’s', async () => {
  const identity = { issuer: idp.issuer, subject: 'vneid-race-3', name: 'Lý Thị Cùng', email: 'cung.ly@example.vn', emailVerified: true, phone: null, phoneVerified: false };
  const [a, b] = await Promise.all([ctx.services.accounts.signInWithIdentity(identity, 'cookie'), ctx.services.accounts.signInWithIdentity(identity, 'bearer')]);
  assert.equal(a.user.id, b.user.id);
  assert.notEqual(a.token, b.token, 'two sessions');
  assert.equal((await ctx.handle.db.selectFrom('users').select('id').where('name', '=', 'Lý Thị Cùng').execute()).length, 1);
});
