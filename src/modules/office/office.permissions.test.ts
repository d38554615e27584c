// Every office route, called by every kind of caller: anonymous, the applicant, another citizen,
// each staff role at the dossier's unit, and each staff role at another commune. Routes that change
// a dossier get a fresh one per caller, so each answer reflects the role, not an earlier call.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dossierReaders, staffRoles, type Role } from '../../domain/roles.ts';
import type { TestContext } from '../../testing/context.ts';
import { signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { attachResult, counterIntakeBody, dossierAt, must, type Desk, openDesk } from '../../testing/office.ts';
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

/** The time the first dossier past its supplement deadline was made: each one starts there, so the clock never runs far. */
let start: number | null = null;

/** A dossier asked for a supplement with a deadline, now a day past it. */
async function supplementOverdue() {
  start ??= ctx.clock.now().getTime();
  ctx.clock.set(new Date(start).toISOString());
  const d = await dossierAt(ctx, desk, 'submitted');
  await must(ctx, desk.reception, d.id, { action: 'request_supplement', missing: ['Bản chính giấy chứng sinh'], supplementDueAt: new Date(start + 86400_000).toISOString() });
  ctx.clock.set(new Date(start + 2 * 86400_000).toISOString());
  return d;
}

/** A dossier at a stage, made fresh for each caller of a route that changes it. */
const stages = {
  submitted: () => dossierAt(ctx, desk, 'submitted'),
  inProcess: () => dossierAt(ctx, desk, 'processing'),
  resolved: () => dossierAt(ctx, desk, 'resolved'),
  suspended: () => dossierAt(ctx, desk, 'suspended'),
  supplementOverdue,
};

type Route = { name: string; stage: keyof typeof stages; fresh: boolean; call: (auth: Record<string, string>, d: Dossier) => Promise<number> };
const routes: Route[] = [
  { name: 'GET /office/queue', stage: 'submitted', fresh: false, call: (a) => get('/api/v1/office/queue', a) },
  { name: 'POST /office/dossiers', stage: 'submitted', fresh: false, call: (a) => post('/api/v1/office/dossiers', a, counterIntakeBody()) },
  { name: 'POST /dossiers/{id}/actions accept', stage: 'submitted', fresh: true, call: (a, d) => post(`/api/v1/dossiers/${d.id}/actions`, a, { action: 'accept' }) },
  { name: 'POST /dossiers/{id}/results', stage: 'inProcess', fresh: true, call: async (a, d) => (await attachResult(ctx, { auth: a }, d.id, tinyPdf)).status },
  { name: 'GET /dossiers/{id}/results/{n}', stage: 'resolved', fresh: false, call: (a, d) => get(`/api/v1/dossiers/${d.id}/results/1`, a) },
  { name: 'GET /dossiers/{id}/documents/06.pdf', stage: 'inProcess', fresh: false, call: (a, d) => get(`/api/v1/dossiers/${d.id}/documents/06.pdf`, a) },
  { name: 'GET /dossiers/{id}/documents/05.pdf', stage: 'suspended', fresh: false, call: (a, d) => get(`/api/v1/dossiers/${d.id}/documents/05.pdf`, a) },
  {
    name: 'POST /dossiers/{id}/actions return_unsupplemented', stage: 'supplementOverdue', fresh: true,
    call: (a, d) => post(`/api/v1/dossiers/${d.id}/actions`, a, { action: 'return_unsupplemented', note: 'Quá hạn bổ sung mà chưa bổ sung.' }),
  },
  { name: 'POST /dossiers/{id}/actions resume', stage: 'suspended', fresh: false, call: (a, d) => post(`/api/v1/dossiers/${d.id}/actions`, a, { action: 'resume' }) },
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
      // Reception anywhere takes it in, for the competent commune (Decree 118/2025, docs/domain.md §3.7).
      return role === 'reception' ? 201 : 403;
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
    case 'GET /dossiers/{id}/documents/05.pdf':
      // The notice is the applicant's as much as the office's.
      if (kind === 'owner') return 200;
      return reader && where === 'here' ? 200 : 404;
    case 'POST /dossiers/{id}/actions return_unsupplemented':
      if (kind === 'owner') return 403;
      if (!reader || where === 'elsewhere') return 404;
      return role === 'reception' ? 200 : 403;
    case 'POST /dossiers/{id}/actions resume':
      // A stopped dossier is an end state: whoever may see it learns that nothing resumes it (409).
      if (!reader && kind !== 'owner') return 404;
      if (where === 'elsewhere') return 404;
      return 409;
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
