// SQL for payments (migration 0019): requests per dossier, gateway attempts, receipt counters.
// Paying is one conditional UPDATE (status still open), so of concurrent or replayed
// confirmations exactly one changes the row.
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { PaymentAttemptTable, PaymentTable } from '../../db/schema.ts';
import type { PaymentMethod, PaymentStatus, Purpose, Stage } from '../../domain/fees.ts';

export type PaymentRecord = Omit<Selectable<PaymentTable>, 'detail' | 'status' | 'stage' | 'purpose' | 'method'> & {
  status: PaymentStatus; stage: Stage; purpose: Purpose; method: PaymentMethod | null; detail: Record<string, unknown>;
};
export type AttemptRecord = Selectable<PaymentAttemptTable>;

const parse = (r: Selectable<PaymentTable>): PaymentRecord => ({
  ...r, status: r.status as PaymentStatus, stage: r.stage as Stage, purpose: r.purpose as Purpose, method: r.method as PaymentMethod | null,
  detail: JSON.parse(r.detail) as Record<string, unknown>,
});

export async function insertPayment(db: Db, row: Omit<Insertable<PaymentTable>, 'detail'> & { detail: Record<string, unknown> }): Promise<void> {
  await db.insertInto('payments').values({ ...row, detail: JSON.stringify(row.detail) }).execute();
}

export async function findPayment(db: Db, id: string): Promise<PaymentRecord | undefined> {
  const r = await db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
  return r && parse(r);
}

export async function findByReference(db: Db, reference: string): Promise<PaymentRecord | undefined> {
  const r = await db.selectFrom('payments').selectAll().where('reference', '=', reference).executeTakeFirst();
  return r && parse(r);
}

export async function paymentsOf(db: Db, dossierId: string): Promise<PaymentRecord[]> {
  const rows = await db.selectFrom('payments').selectAll().where('dossier_id', '=', dossierId).orderBy('created_at').orderBy('id').execute();
  return rows.map(parse);
}

export async function listPayments(db: Db, f: { unitIds: string[]; status?: PaymentStatus; refundDue?: boolean; limit: number; offset: number }): Promise<PaymentRecord[]> {
  if (!f.unitIds.length) return [];
  let q = db.selectFrom('payments').selectAll().where('unit_id', 'in', f.unitIds);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.refundDue !== undefined) q = q.where('refund_due', '=', f.refundDue ? 1 : 0);
  const rows = await q.orderBy('updated_at', 'desc').orderBy('id').limit(f.limit).offset(f.offset).execute();
  return rows.map(parse);
}

/**
 * Marks a payment paid if it is still owed (due, pending, failed, or cancelled: money that arrives
 * for a dossier that ended is taken and owed back). True for the one caller that changed the row.
 */
export async function markPaid(db: Db, id: string, set: { method: PaymentMethod; paid_at: string; paid_by: string | null; gateway_ref: string | null; receipt_series: string; receipt_no: string }): Promise<boolean> {
  // refund_due from the row as this UPDATE finds it (not as read before): a refusal that cancelled
  // it in between is seen here, so the money taken is owed back.
  const r = await db.updateTable('payments')
    .set((eb) => ({
      ...set, status: 'paid', updated_at: set.paid_at, revision: eb('revision', '+', 1),
      refund_due: eb.case().when('status', '=', 'cancelled').then(1).else(0).end(),
    }))
    .where('id', '=', id)
    .where('status', 'in', ['due', 'pending', 'failed', 'cancelled'])
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

/** Changes a payment's status from one of `from` (and, when given, its method still `method`); false when it had moved on. */
export async function moveStatus(db: Db, id: string, from: readonly PaymentStatus[], set: { status: PaymentStatus; method?: PaymentMethod | null; at: string }, revision?: number, method?: PaymentMethod): Promise<boolean> {
  let q = db.updateTable('payments')
    .set((eb) => ({ status: set.status, ...(set.method !== undefined ? { method: set.method } : {}), updated_at: set.at, revision: eb('revision', '+', 1) }))
    .where('id', '=', id).where('status', 'in', [...from]);
  if (revision !== undefined) q = q.where('revision', '=', revision);
  if (method !== undefined) q = q.where('method', '=', method);
  const r = await q.executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

/** The receipt number, once the settling caller has won the row. */
export async function setReceipt(db: Db, id: string, receiptNo: string): Promise<void> {
  await db.updateTable('payments').set({ receipt_no: receiptNo }).where('id', '=', id).execute();
}

export async function setRefundDue(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('payments').set((eb) => ({ refund_due: 1, updated_at: at, revision: eb('revision', '+', 1) }))
    .where('id', '=', id).where('status', '=', 'paid').execute();
}

export async function markRefunded(db: Db, id: string, by: string, at: string): Promise<boolean> {
  const r = await db.updateTable('payments')
    .set((eb) => ({ status: 'refunded', refund_due: 0, refunded_at: at, refunded_by: by, updated_at: at, revision: eb('revision', '+', 1) }))
    .where('id', '=', id).where('status', '=', 'paid').executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

/** The next number of a receipt series in a year, in the caller's transaction (the counter row queues concurrent callers). */
export async function nextReceiptNumber(tx: Db, series: string, year: number): Promise<number> {
  const row = await tx.insertInto('payment_receipt_counters').values({ series, year, last: 1 })
    .onConflict((oc) => oc.columns(['series', 'year']).doUpdateSet({ last: sql`payment_receipt_counters.last + 1` }))
    .returning('last').executeTakeFirstOrThrow();
  return Number(row.last);
}

export async function insertAttempt(db: Db, row: Insertable<PaymentAttemptTable>): Promise<void> {
  await db.insertInto('payment_attempts').values(row).execute();
}

export async function findAttemptByRef(db: Db, txnRef: string): Promise<AttemptRecord | undefined> {
  return db.selectFrom('payment_attempts').selectAll().where('txn_ref', '=', txnRef).executeTakeFirst();
}

export async function attemptsOf(db: Db, paymentId: string): Promise<AttemptRecord[]> {
  return db.selectFrom('payment_attempts').selectAll().where('payment_id', '=', paymentId).orderBy('created_at').orderBy('id').execute();
}

/** Ends a pending attempt; false when it had already ended. */
export async function finishAttempt(db: Db, id: string, set: { status: 'succeeded' | 'failed' | 'expired'; at: string; response_code?: string | null; gateway_ref?: string | null }): Promise<boolean> {
  const r = await db.updateTable('payment_attempts')
    .set({ status: set.status, finished_at: set.at, response_code: set.response_code ?? null, gateway_ref: set.gateway_ref ?? null })
    .where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

/** Marks an attempt still pending, or expired, succeeded; false when it had already succeeded or failed. */
export async function succeedAttempt(db: Db, id: string, set: { at: string; response_code: string | null; gateway_ref: string | null }): Promise<boolean> {
  const r = await db.updateTable('payment_attempts')
    .set({ status: 'succeeded', finished_at: set.at, response_code: set.response_code, gateway_ref: set.gateway_ref })
    .where('id', '=', id).where('status', 'in', ['pending', 'expired']).executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

/** Pending attempts past their expiry (a timeout at the gateway: no IPN came). */
export async function expiredAttempts(db: Db, now: string, limit = 200): Promise<AttemptRecord[]> {
  return db.selectFrom('payment_attempts').selectAll().where('status', '=', 'pending').where('expires_at', '<', now).limit(limit).execute();
}
