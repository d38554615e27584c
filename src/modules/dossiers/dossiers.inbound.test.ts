// Back-office mode: citizens file on the national portal, which sends the dossiers in.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { birthRegistration, signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';

let ctx: TestContext;
const key = 'khoa-bi-mat-cua-cong-quoc-gia-2026';
before(async () => {
  ctx = await createTestContext({ settings: { mode: 'back_office', nationalPortalUrl: 'https://dichvucong.gov.vn', inboundKeys: { dvcqg: key } } });
});
after(() => ctx.close());

const inbound = (payload: unknown, apiKey = key) =>
  ctx.app.inject({ method: 'POST', url: '/api/v1/inbound/dossiers', headers: { 'x-api-key': apiKey }, payload: payload as object });

test('a dossier from the national portal arrives submitted, on channel national_portal, with our code', async () => {
  const res = await inbound({ ...birthRegistration(), externalId: 'G22.99-261129-000123' });
  assert.equal(res.statusCode, 201, res.body);
  const body = res.json();
  assert.match(body.code, /^28249-261129-\d{4}$/);
  assert.equal(body.status, 'submitted');
  const staff = await signedInStaff(ctx, 'reception', 'my-tho-phuong-5');
  const view = (await ctx.app.inject({ url: `/api/v1/dossiers/${body.id}`, headers: staff.auth })).json();
  assert.equal(view.channel, 'national_portal');
  assert.deepEqual(view.history.map((h: { action: string; actorRole: string }) => `${h.action}:${h.actorRole}`), ['create:system', 'submit:system']);
});

test('sending the same externalId again answers with the same dossier, never a second one', async () => {
  const first = await inbound({ ...birthRegistration(), externalId: 'G22.99-261129-000456' });
  const again = await inbound({ ...birthRegistration(), externalId: 'G22.99-261129-000456' });
  assert.equal(first.statusCode, 201);
  assert.equal(again.statusCode, 200);
  assert.equal(again.json().id, first.json().id);
  assert.equal(again.json().code, first.json().code);
});

test('a wrong or missing API key is 401; bad answers are 400 with fields', async () => {
  assert.equal((await inbound({ ...birthRegistration(), externalId: 'x' }, 'sai-khoa-sai-khoa-sai-khoa-sai-khoa')).statusCode, 401);
  assert.equal((await ctx.app.inject({ method: 'POST', url: '/api/v1/inbound/dossiers', payload: { externalId: 'x' } })).statusCode, 401);
  const bad = await inbound({ ...birthRegistration({ applicant: { idNumber: '12' } }), externalId: 'G22-bad' });
  assert.equal(bad.statusCode, 400);
  assert.ok(bad.json().error.fields['applicant.idNumber']);
});

test('in back-office mode, citizens cannot file here: the catalogue stays and links to the national portal', async () => {
  const { auth } = await signedInCitizen(ctx);
  const api = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: auth, payload: birthRegistration() });
  assert.equal(api.statusCode, 403);
  assert.equal(api.json().error.code, 'filing_disabled');
  const page = await ctx.app.inject({ url: '/thu-tuc/dang-ky-khai-sinh' });
  assert.match(page.body, /href="https:\/\/dichvucong.gov.vn">Nộp hồ sơ trên Cổng Dịch vụ công quốc gia</);
  const start = await ctx.app.inject({ url: '/thu-tuc/dang-ky-khai-sinh/nop-ho-so' });
  assert.equal(start.statusCode, 303);
  assert.equal(start.headers.location, 'https://dichvucong.gov.vn');
  assert.equal((await ctx.app.inject({ url: '/api/v1/procedures?q=khai+sinh' })).json().items[0].id, 'dang-ky-khai-sinh');
});
