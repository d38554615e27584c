// Test factories for payments: a world with the sandbox gateway wired, a dossier of a paid procedure
// filed online, and an IPN signed as VNPay (or the sandbox) signs it.
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from './context.ts';
import { communeUnit, signedInCitizen, birthRegistration } from './fixtures.ts';
import { attachRequiredDocuments } from './uploads.ts';
import { defaultSettings } from '../services.ts';
import { signedQuery } from '../domain/vnpay.ts';
import { sandboxPath } from '../modules/payments/payments.sandbox.ts';

export const terminal = { tmnCode: 'MOTCUATEST', hashSecret: 'test-sandbox-secret-0123456789' };
export const publicUrl = 'http://localhost:3000';

export function paymentsWorld(): Promise<TestContext> {
  return createTestContext({ publicUrl, settings: { ...defaultSettings, vnpay: { ...terminal, gatewayUrl: `${publicUrl}${sandboxPath}`, sandbox: true, expireMinutes: 15 } } });
}

/** A certified extract of a civil status record (8,000 đồng, due before intake), filed online. */
export async function paidDossier(ctx: TestContext, owner?: Awaited<ReturnType<typeof signedInCitizen>>) {
  const citizen = owner ?? (await signedInCitizen(ctx));
  const { applicant } = birthRegistration();
  const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: citizen.auth, payload: { procedureId: 'cap-ban-sao-trich-luc-ho-tich', unitId: communeUnit, applicant, form: { request_details: 'Cấp bản sao trích lục khai sinh' }, delivery: { method: 'online' } } });
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().id as string;
  await attachRequiredDocuments(ctx, citizen.auth, id);
  const submitted = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/submit`, headers: citizen.auth });
  assert.equal(submitted.statusCode, 200, submitted.body);
  const list = await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${id}/payments`, headers: citizen.auth });
  assert.equal(list.statusCode, 200, list.body);
  const items = list.json().items as Array<{ id: string; amountVnd: number; status: string }>;
  assert.equal(items.length, 1);
  return { id, code: submitted.json().code as string, citizen, paymentId: items[0]!.id };
}

/** Starts VNPay for a payment and returns the TxnRef and the redirect URL. */
export async function startVnpay(ctx: TestContext, auth: Record<string, string>, dossierId: string, paymentId: string) {
  const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${dossierId}/payments/${paymentId}/start`, headers: auth, payload: { method: 'vnpay' } });
  assert.equal(res.statusCode, 200, res.body);
  const url = new URL(res.json().redirectUrl as string);
  return { url, txnRef: url.searchParams.get('vnp_TxnRef')!, amount: url.searchParams.get('vnp_Amount')! };
}

/** The query of an IPN for a transaction, signed with `secret`. */
export function ipnQuery(txnRef: string, amountVnd: number, o: { code?: string; status?: string; secret?: string; tmn?: string } = {}): string {
  return signedQuery({
    vnp_Amount: String(amountVnd * 100), vnp_BankCode: 'NCB', vnp_OrderInfo: 'Thanh toan', vnp_PayDate: '20261129100500',
    vnp_ResponseCode: o.code ?? '00', vnp_TmnCode: o.tmn ?? terminal.tmnCode, vnp_TransactionNo: '14000001',
    vnp_TransactionStatus: o.status ?? '00', vnp_TxnRef: txnRef,
  }, o.secret ?? terminal.hashSecret);
}

export async function ipn(ctx: TestContext, query: string): Promise<{ RspCode: string; Message: string }> {
  const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/payments/vnpay/ipn?${query}` });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}
