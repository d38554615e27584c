// Every applicant-side dossier route, called by every kind of caller: anonymous, the applicant,
// another citizen, each staff role at the dossier's unit, and staff of another commune.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dossierReaders, staffRoles } from '../../domain/roles.ts';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { birthRegistration, signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { attachRequiredDocuments, multipartBody, tinyPng } from '../../testing/uploads.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

type Caller = { name: string; auth: Record<string, string>; kind: 'anonymous' | 'owner' | 'citizen' | 'staff-here' | 'staff-elsewhere' };

type Route = { name: string; call: (auth: Record<string, string>, ids: { draft: string; submitted: string; attachment: string }) => Promise<number> };

const inject = async (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Record<string, string>, payload?: unknown) =>
  (await ctx.app.inject({ method, url, headers, payload: payload as object })).statusCode;

const routes: Route[] = [
  { name: 'POST /dossiers', call: (a) => inject('POST', '/api/v1/dossiers', a, birthRegistration()) },
  { name: 'GET /me/dossiers', call: (a) => inject('GET', '/api/v1/me/dossiers', a) },
  { name: 'GET /dossiers/{id}', call: (a, ids) => inject('GET', `/api/v1/dossiers/${ids.submitted}`, a) },
  { name: 'PATCH /dossiers/{id}', call: (a, ids) => inject('PATCH', `/api/v1/dossiers/${ids.draft}`, a, { form: { child_sex: 'nu' } }) },
  {
    name: 'POST /dossiers/{id}/attachments',
    call: (a, ids) => {
      const { body, contentType } = multipartBody('to-khai-dang-ky-khai-sinh', { name: 'a.png', type: 'image/png', bytes: tinyPng });
      return inject('POST', `/api/v1/dossiers/${ids.draft}/attachments`, { ...a, 'content-type': contentType }, body);
    },
  },
  { name: 'POST /dossiers/{id}/submit', call: (a, ids) => inject('POST', `/api/v1/dossiers/${ids.submitted}/submit`, a) },
  { name: 'GET /dossiers/{id}/acknowledgement.pdf', call: (a, ids) => inject('GET', `/api/v1/dossiers/${ids.submitted}/acknowledgement.pdf`, a) },
  { name: 'GET /dossiers/{id}/attachments/{aid}', call: (a, ids) => inject('GET', `/api/v1/dossiers/${ids.submitted}/attachments/${ids.attachment}`, a) },
  { name: 'POST /dossiers/{id}/supplement', call: (a, ids) => inject('POST', `/api/v1/dossiers/${ids.submitted}/supplement`, a, {}) },
  { name: 'POST /dossiers/{id}/withdraw', call: (a, ids) => inject('POST', `/api/v1/dossiers/${ids.submitted}/withdraw`, a, {}) },
];

/** What each kind of caller gets. Staff who can see a dossier may read it, never change it as if it were theirs. */
const expected: Record<Caller['kind'], Record<string, number>> = {
  anonymous: Object.fromEntries(routes.map((r) => [r.name, 401])),
  owner: {
    'POST /dossiers': 201, 'GET /me/dossiers': 200, 'GET /dossiers/{id}': 200, 'PATCH /dossiers/{id}': 200,
    'POST /dossiers/{id}/attachments': 201, 'POST /dossiers/{id}/submit': 200, 'GET /dossiers/{id}/acknowledgement.pdf': 200, 'POST /dossiers/{id}/withdraw': 200,
    // Nothing was asked for: a supplement now is not a transition.
    'GET /dossiers/{id}/attachments/{aid}': 200, 'POST /dossiers/{id}/supplement': 409,
  },
  citizen: {
    'POST /dossiers': 201, 'GET /me/dossiers': 200, 'GET /dossiers/{id}': 404, 'PATCH /dossiers/{id}': 404,
    'POST /dossiers/{id}/attachments': 404, 'POST /dossiers/{id}/submit': 404, 'GET /dossiers/{id}/acknowledgement.pdf': 404, 'POST /dossiers/{id}/withdraw': 404,
    'GET /dossiers/{id}/attachments/{aid}': 404, 'POST /dossiers/{id}/supplement': 404,
  },
  'staff-here': {
    'POST /dossiers': 201, 'GET /me/dossiers': 200, 'GET /dossiers/{id}': 200, 'PATCH /dossiers/{id}': 403,
    'POST /dossiers/{id}/attachments': 403, 'POST /dossiers/{id}/submit': 403, 'GET /dossiers/{id}/acknowledgement.pdf': 200, 'POST /dossiers/{id}/withdraw': 403,
    'GET /dossiers/{id}/attachments/{aid}': 200, 'POST /dossiers/{id}/supplement': 403,
  },
  'staff-elsewhere': {
    'POST /dossiers': 201, 'GET /me/dossiers': 200, 'GET /dossiers/{id}': 404, 'PATCH /dossiers/{id}': 404,
    'POST /dossiers/{id}/attachments': 404, 'POST /dossiers/{id}/submit': 404, 'GET /dossiers/{id}/acknowledgement.pdf': 404, 'POST /dossiers/{id}/withdraw': 404,
    'GET /dossiers/{id}/attachments/{aid}': 404, 'POST /dossiers/{id}/supplement': 404,
  },
};

test('every dossier route answers each caller as its role allows', async () => {
  const callers: Caller[] = [
    { name: 'anonymous', auth: {}, kind: 'anonymous' },
    { name: 'another citizen', auth: (await signedInCitizen(ctx, 'Người Khác')).auth, kind: 'citizen' },
    // Outreach works with figures, never with dossiers: at the dossier's own unit it is a stranger to them.
    ...(await Promise.all(staffRoles.map(async (role) => ({ name: `${role} at Phường 5`, auth: (await signedInStaff(ctx, role, 'my-tho-phuong-5')).auth, kind: dossierReaders.has(role) ? 'staff-here' as const : 'staff-elsewhere' as const })))),
    ...(await Promise.all(staffRoles.map(async (role) => ({ name: `${role} at Phường 4`, auth: (await signedInStaff(ctx, role, 'my-tho-phuong-4')).auth, kind: 'staff-elsewhere' as const })))),
  ];
  const owner = await signedInCitizen(ctx);
  const fresh = async () => {
    const draft = (await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: owner.auth, payload: birthRegistration() })).json().id as string;
    const submitted = (await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: owner.auth, payload: birthRegistration() })).json().id as string;
    await attachRequiredDocuments(ctx, owner.auth, submitted);
    await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${submitted}/submit`, headers: owner.auth });
    const attachment = (await ctx.app.inject({ url: `/api/v1/dossiers/${submitted}`, headers: owner.auth })).json().attachments[0].id as string;
    return { draft, submitted, attachment };
  };
  const ids = await fresh();
  const wrong: string[] = [];
  for (const caller of callers) {
    for (const route of routes) {
      const got = await route.call(caller.auth, ids);
      if (got !== expected[caller.kind][route.name]) wrong.push(`${caller.name} ${route.name}: ${got}, expected ${expected[caller.kind][route.name]}`);
    }
  }
  // The applicant last: withdrawing changes the dossier for everyone after.
  for (const route of routes) {
    const got = await route.call(owner.auth, ids);
    if (got !== expected.owner[route.name]) wrong.push(`owner ${route.name}: ${got}, expected ${expected.owner[route.name]}`);
  }
  assert.deepEqual(wrong, []);
  assert.equal(callers.length + 1, 2 + 2 * staffRoles.length + 1);
});

test('the filing pages of a dossier: the applicant sees them, others get the 404 page, visitors are asked to sign in', async () => {
  const owner = await signedInCitizen(ctx);
  const other = await signedInCitizen(ctx, 'Người Khác');
  const staffElsewhere = await signedInStaff(ctx, 'reception', 'my-tho-phuong-4');
  const id = (await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: owner.auth, payload: birthRegistration() })).json().id;
  for (const url of [`/ho-so/${id}/khai`, `/ho-so/${id}/dinh-kem`, `/ho-so/${id}/kiem-tra`]) {
    assert.equal((await ctx.app.inject({ url, headers: owner.auth })).statusCode, 200, `owner ${url}`);
    for (const stranger of [other, staffElsewhere]) {
      const res = await ctx.app.inject({ url, headers: stranger.auth });
      assert.equal(res.statusCode, 404, url);
      assert.match(res.body, /Không tìm thấy trang/);
    }
    const anonymous = await ctx.app.inject({ url });
    assert.equal(anonymous.statusCode, 303);
    assert.equal(anonymous.headers.location, `/dang-nhap?next=${encodeURIComponent(url)}`);
  }
});
