// Factories for back-office tests: a desk of officers at one unit, dossiers at each stage, and
// actions through the real HTTP API.
import assert from 'node:assert/strict';
import type { TestContext } from './context.ts';
import { birthRegistration, communeUnit, signedInCitizen, signedInStaff } from './fixtures.ts';
import { attachRequiredDocuments, multipartBody } from './uploads.ts';

export type Officer = Awaited<ReturnType<typeof signedInStaff>>;
export type Desk = { reception: Officer; specialist: Officer; approver: Officer; clerk: Officer; postal: Officer };

/** One officer of each working role at a unit. */
export async function deskAt(ctx: TestContext, unitId = communeUnit): Promise<Desk> {
  const [reception, specialist, approver, clerk, postal] = await Promise.all(
    (['reception', 'specialist', 'approver', 'clerk', 'postal'] as const).map((role) => signedInStaff(ctx, role, unitId)),
  );
  return { reception: reception!, specialist: specialist!, approver: approver!, clerk: clerk!, postal: postal! };
}

/** A birth registration filed online by a citizen, waiting for the intake check. */
export async function onlineDossier(ctx: TestContext, owner?: Awaited<ReturnType<typeof signedInCitizen>>) {
  const citizen = owner ?? (await signedInCitizen(ctx));
  const id = (await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: citizen.auth, payload: birthRegistration() })).json().id as string;
  await attachRequiredDocuments(ctx, citizen.auth, id);
  const submitted = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/submit`, headers: citizen.auth });
  assert.equal(submitted.statusCode, 200, submitted.body);
  return { id, code: submitted.json().code as string, trackingKey: submitted.json().trackingKey as string, citizen };
}

/** A certificate of marital status (3 working days) brought to the counter: accepted at once. */
export function counterIntakeBody(overrides: Record<string, unknown> = {}) {
  const { applicant } = birthRegistration();
  return { procedureId: 'xac-nhan-tinh-trang-hon-nhan', unitId: communeUnit, channel: 'counter', applicant, form: { request_details: 'Xác nhận tình trạng hôn nhân để đăng ký kết hôn' }, delivery: { method: 'counter' }, ...overrides };
}

export async function counterDossier(ctx: TestContext, reception: Officer, overrides: Record<string, unknown> = {}) {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/office/dossiers', headers: reception.auth, payload: counterIntakeBody(overrides) });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; code: string; dueAt: string; trackingKey: string; acceptedAt: string };
}

export async function act(ctx: TestContext, who: { auth: Record<string, string> }, id: string, body: Record<string, unknown>) {
  const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/actions`, headers: who.auth, payload: body });
  return { status: res.statusCode, body: res.json() };
}

/** Takes an action that must succeed. */
export async function must(ctx: TestContext, who: { auth: Record<string, string> }, id: string, body: Record<string, unknown>) {
  const r = await act(ctx, who, id, body);
  assert.equal(r.status, 200, `${String(body.action)}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Attaches a result document as an officer. */
export async function attachResult(ctx: TestContext, who: { auth: Record<string, string> }, id: string, bytes: Buffer, name = 'ket-qua.pdf') {
  // The results route reads only the `file` part; the document field rides along unread.
  const { body, contentType } = multipartBody('result', { name, type: 'application/pdf', bytes });
  const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/results`, headers: { ...who.auth, 'content-type': contentType }, payload: body });
  return { status: res.statusCode, body: res.json() };
}
