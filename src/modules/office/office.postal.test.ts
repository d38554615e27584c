// Postal intake records who took the dossier in by the role they did it in.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, testDialect, type TestContext } from '../../testing/context.ts';
import { communeUnit, signedInStaff } from '../../testing/fixtures.ts';
import { counterIntakeBody } from '../../testing/office.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

const history = async (auth: Record<string, string>, id: string) =>
  ((await ctx.app.inject({ url: `/api/v1/dossiers/${id}`, headers: auth })).json().history as Array<{ action: string; actorRole: string }>).map((h) => `${h.action}:${h.actorRole}`);

test(`an officer holding reception and postal records a postal intake as postal and a counter intake as reception, whatever the order of the roles (${testDialect})`, async () => {
  const officer = await signedInStaff(ctx, 'reception', communeUnit);
  await ctx.handle.db.insertInto('user_roles').values({ user_id: officer.user!.id, role: 'postal', unit_id: communeUnit, subtree: 0 }).execute();

  const postal = await ctx.app.inject({ method: 'POST', url: '/api/v1/office/dossiers', headers: officer.auth, payload: counterIntakeBody({ channel: 'postal', delivery: { method: 'counter' } }) });
  assert.equal(postal.statusCode, 201, postal.body);
  assert.deepEqual(await history(officer.auth, postal.json().id), ['create:postal', 'submit:postal', 'accept:reception']);

  const counter = await ctx.app.inject({ method: 'POST', url: '/api/v1/office/dossiers', headers: officer.auth, payload: counterIntakeBody() });
  assert.equal(counter.statusCode, 201, counter.body);
  assert.deepEqual(await history(officer.auth, counter.json().id), ['create:reception', 'submit:reception', 'accept:reception']);

  const postalOnly = await signedInStaff(ctx, 'postal', communeUnit);
  const byPost = await ctx.app.inject({ method: 'POST', url: '/api/v1/office/dossiers', headers: postalOnly.auth, payload: counterIntakeBody({ channel: 'postal' }) });
  assert.equal(byPost.statusCode, 201, byPost.body);
  assert.deepEqual((await history(postalOnly.auth, byPost.json().id)).slice(0, 2), ['create:postal', 'submit:postal']);
  assert.equal((await ctx.app.inject({ method: 'POST', url: '/api/v1/office/dossiers', headers: postalOnly.auth, payload: counterIntakeBody() })).statusCode, 403, 'postal staff take in only what came by post');
});
