// Every office route, called by every kind of caller: anonymous, the applicant, another citizen,
// each staff role at the dossier's unit, and each staff role at another commune. Routes that change
// a dossier get a fresh one per caller, so each answer reflects the role, not an earlier call.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dossierReaders, staffRoles, type Role } from '../../domain/roles.ts';
import type { TestContext } from '../../testing/context.ts';
import { signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { attachResult, counterIntakeBody, dossierAt, type Desk, openDesk } from '../../testing/office.ts';
import { tinyPdf } from '../../testing/uploads.ts';

let ctx: TestContext;
let desk: Desk;
before(async () => ({ ctx, desk } = await openDesk()));
after(() => ctx.close());

type Kind = 'anonymous' | 'owner' | 'citizen' | `${Role}-here` | `${Role}-elsewhere`;
type Caller = { kind: Kind; auth: Record<string, string> };
type Dossier = Awaited<ReturnType<typeof dossierAt>>;

const get = async (url: string, auth: Record<string, string>) => (await ctx.app.inject({ url, headers: auth })).statusCode;
const post = async (url: string, auth: Record<string, string>, payload: object) => (await ctx.app.inject({ method: 'POST', url, headers: auth, payload })).statusCode;

/** A dossier at a stage, made fresh for each caller of a route that changes it. */
const stages = {
  submitted: () => dossierAt(ctx, desk, 'submitted'),
  inProcess: () => dossierAt(ctx, desk, 'processing'),
  resolved: () => dossierAt(ctx, desk, 'resolved'),
};

type Route = { name: string; stage: keyof typeof stages; fresh: boolean; call: (auth: Record<string, string>, d: Dossier) => Promise<number> };
const routes: Route[] = [
  { name: 'GET /office/queue', stage: 'submitted', fresh: false, call: (a) => get('/api/v1/office/queue', a) },
  { name: 'POST /office/dossiers', stage: 'submitted', fresh: false, call: (a) => post('/api/v1/office/dossiers', a, counterIntakeBody()) },
  { name: 'POST /dossiers/{id}/actions accept', stage: 'submitted', fresh: true, call: (a, d) => post(`/api/v1/dossiers/${d.id}/actions`, a, { action: 'accept' }) },
  { name: 'POST /dossiers/{id}/results', stage: 'inProcess', fresh: true, call: async (a, d) => (await attachResult(ctx, { auth: a }, d.id, tinyPdf)).status },
  { name: 'GET /dossiers/{id}/results/{n}', stage: 'resolved', fresh: false, call: (a, d) => get(`/api/v1/dossiers/${d.id}/results/1`, a) },
  { name: 'GET /dossiers/{id}/documents/06.pdf', stage: 'inProcess', fresh: false, call: (a, d) => get(`/api/v1/dossiers/${d.id}/documents/06.pdf`, a) },
];

const readers: readonly Role[] = [...dossierReaders];

/** What each caller should get, route by route. */
function expected(kind: Kind, route: string): number {
  if (kind === 'anonymous') return 401;
  const [role, where] = kind.split('-') as [string, string | undefined];
  const reader = readers.includes(role as Role);
  switch (route) {
    case 'GET /office/queue':
      return reader ? 200 : 403;
    case 'POST /office/dossiers':
      return kind === 'reception-here' ? 201 : 403;
    case 'POST /dossiers/{id}/actions accept':
      if (kind === 'owner') return 403;
      if (!reader || where === 'elsewhere') return 404;
      return role === 'reception' ? 200 : 403;
    case 'POST /dossiers/{id}/results':
      if (kind === 'owner') return 403;
      if (!reader || where === 'elsewhere') return 404;
      return ['specialist', 'approver', 'clerk'].includes(role) ? 201 : 403;
    case 'GET /dossiers/{id}/results/{n}':
      if (kind === 'owner') return 200;
      return reader && where === 'here' ? 200 : 404;
    case 'GET /dossiers/{id}/documents/06.pdf':
      if (kind === 'owner') return 403;
      return reader && where === 'here' ? 200 : 404;
  }
  throw new Error(route);
}

test('every office route answers each caller as its role and scope allow', async () => {
  const callers: Caller[] = [
    { kind: 'anonymous', auth: {} },
    { kind: 'citizen', auth: (await signedInCitizen(ctx, 'Người Khác')).auth },
    ...(await Promise.all(staffRoles.map(async (role) => ({ kind: `${role}-here` as Kind, auth: (await signedInStaff(ctx, role, 'my-tho-phuong-5')).auth })))),
    ...(await Promise.all(staffRoles.map(async (role) => ({ kind: `${role}-elsewhere` as Kind, auth: (await signedInStaff(ctx, role, 'my-tho-phuong-4')).auth })))),
  ];
  const wrong: string[] = [];
  for (const route of routes) {
    const shared = route.fresh ? null : await stages[route.stage]();
    for (const caller of [...callers, { kind: 'owner' as Kind, auth: {} }]) {
      const d = shared ?? (await stages[route.stage]());
      const auth = caller.kind === 'owner' ? d.citizen.auth : caller.auth;
      const got = await route.call(auth, d);
      if (got !== expected(caller.kind, route.name)) wrong.push(`${caller.kind} ${route.name}: ${got}, expected ${expected(caller.kind, route.name)}`);
    }
  }
  assert.deepEqual(wrong, []);
});
