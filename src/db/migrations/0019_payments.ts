// Issue 12, level 4: fees paid online. A payment request belongs to a dossier and is due at a stage
// (before intake, before processing, before the result); it is paid once, through one of the
// methods (VNPay signed redirect, VietQR transfer, cash at the counter), and then carries an
// electronic receipt number (biên lai điện tử) from a counter per receipt series and year.
// Each try through a gateway is an attempt with its own transaction reference (vnp_TxnRef).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dossier_id', 'text', (c) => c.notNull())
    // fee (lệ phí) | charge (phí); the kind of money, as the fee rules name it.
    .addColumn('purpose', 'text', (c) => c.notNull())
    // before_intake | before_processing | before_result
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('amount_vnd', 'bigint', (c) => c.notNull())
    // due | pending | paid | failed | refunded | cancelled (the dossier ended before it was paid)
    .addColumn('status', 'text', (c) => c.notNull())
    // null until paid or tried: vnpay | vietqr | cash
    .addColumn('method', 'text')
    // 'MC' + 10 characters of A-Z0-9: typed in a bank transfer's description, printed on the receipt.
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    // The fee line it comes from (JSON: label, rule, exemption applied), shown on the receipt.
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    // The collecting unit (the dossier's competent unit when the request was made).
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('receipt_series', 'text')
    .addColumn('receipt_no', 'text')
    .addColumn('paid_at', 'text')
    .addColumn('paid_by', 'text')
    .addColumn('gateway_ref', 'text')
    .addColumn('refund_due', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('refunded_at', 'text')
    .addColumn('refunded_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('payments_receipt', ['receipt_series', 'receipt_no'])
    .execute();
  await db.schema.createIndex('payments_dossier').on('payments').column('dossier_id').execute();
  await db.schema.createIndex('payments_unit_status').on('payments').columns(['unit_id', 'status']).execute();

  // One try through a gateway: its own vnp_TxnRef, amount, expiry and outcome.
  await db.schema
    .createTable('payment_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('payment_id', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('txn_ref', 'text', (c) => c.notNull().unique())
    .addColumn('amount_vnd', 'bigint', (c) => c.notNull())
    // pending | succeeded | failed | expired
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('response_code', 'text')
    .addColumn('gateway_ref', 'text')
    .execute();
  await db.schema.createIndex('payment_attempts_payment').on('payment_attempts').columns(['payment_id', 'status']).execute();

  // Receipt numbers: one counter per series and year (a receipt book), taken in the settling transaction.
  await db.schema
    .createTable('payment_receipt_counters')
    .addColumn('series', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('payment_receipt_counters_pk', ['series', 'year'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('payment_receipt_counters').ifExists().execute();
  await db.schema.dropTable('payment_attempts').ifExists().execute();
  await db.schema.dropTable('payments').ifExists().execute();
}
