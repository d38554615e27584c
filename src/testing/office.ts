// Factories for back-office tests: a desk of officers at one unit, dossiers at each stage, and
// actions through the real HTTP API.
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from './context.ts';
import { birthRegistration, communeUnit, signedInCitizen, signedInStaff } from './fixtures.ts';
import { attachRequiredDocuments, tinyPdf } from './uploads.ts';

export type Officer = Awaited<ReturnType<typeof signedInStaff>>;
export type Desk = { reception: Officer; specialist: Officer; approver: Officer; clerk: Officer; postal: Officer };

/** A test file's world: a fresh app and database, and a desk of officers at the commune. */
export async function openDesk(opts?: Parameters<typeof createTestContext>[0]): Promise<{ ctx: TestContext; desk: Desk }> {
  const ctx = await createTestContext(opts);
  return { ctx, desk: await deskAt(ctx) };
}

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

/** What a result records beside its file (docs/domain.md §7.3): a decision numbered 15/QĐ-UBND unless told otherwise. */
export const resultFields = { type: 'decision', number: '15', symbol: 'QĐ-UBND' };

/** A multipart body with text fields first, then the `file` part. */
export function multipartFields(fields: Record<string, string>, file?: { name: string; type: string; bytes: Buffer }) {
  const boundary = `----motcua${Date.now().toString(16)}`;
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Attaches a result document as an officer, with its type, number and symbol (`fields` overrides them). */
export async function attachResult(ctx: TestContext, who: { auth: Record<string, string> }, id: string, bytes: Buffer, name = 'ket-qua.pdf', fields: Record<string, string> = resultFields) {
  const { body, contentType } = multipartFields(fields, { name, type: name.endsWith('.pdf') ? 'application/pdf' : 'image/png', bytes });
  const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/results`, headers: { ...who.auth, 'content-type': contentType }, payload: body });
  return { status: res.statusCode, body: res.json() };
}

/** The stages `dossierAt` brings a dossier to: its status (`processing` is `in_process`). */
export type Stage =
  | 'submitted' | 'accepted' | 'processing' | 'in_process' | 'supplement_requested' | 'refused' | 'financial_obligation'
  | 'suspended' | 'resolved' | 'returned' | 'withdrawn';

/**
 * An online birth registration brought to a stage through the real API, by the desk's officers:
 * accepted by reception, transferred, a result attached and resolved by the approver, and so on.
 */
export async function dossierAt(ctx: TestContext, desk: Desk, stage: Stage, owner?: Awaited<ReturnType<typeof signedInCitizen>>) {
  const d = await onlineDossier(ctx, owner);
  const to = async (...steps: Array<[Officer, Record<string, unknown>]>) => {
    for (const [who, body] of steps) await must(ctx, who, d.id, body);
  };
  const inProcess = () => to([desk.reception, { action: 'accept' }], [desk.reception, { action: 'transfer' }]);
  switch (stage) {
    case 'submitted':
      break;
    case 'accepted':
      await to([desk.reception, { action: 'accept' }]);
      break;
    case 'processing':
    case 'in_process':
      await inProcess();
      break;
    case 'supplement_requested':
      await to([desk.reception, { action: 'request_supplement', missing: ['Bản sao giấy chứng sinh'] }]);
      break;
    case 'refused':
      await to([desk.reception, { action: 'refuse', note: 'Hồ sơ không thuộc thẩm quyền' }]);
      break;
    case 'financial_obligation':
      await inProcess();
      await to([desk.specialist, { action: 'request_financial_obligation' }]);
      break;
    case 'suspended':
      await inProcess();
      await to([desk.approver, { action: 'suspend', note: 'Chờ ý kiến cơ quan khác' }]);
      break;
    case 'resolved':
    case 'returned':
      await inProcess();
      assert.equal((await attachResult(ctx, desk.approver, d.id, tinyPdf)).status, 201);
      await to([desk.approver, { action: 'resolve' }]);
      if (stage === 'returned') await to([desk.reception, { action: 'return_result', receivedBy: 'Nguyễn Thị Lan' }]);
      break;
    case 'withdrawn': {
      const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/withdraw`, headers: d.citizen.auth, payload: {} });
      assert.equal(res.statusCode, 200, res.body);
      await to([desk.reception, { action: 'confirm_withdrawal' }]);
      break;
    }
  }
  return d;
}
