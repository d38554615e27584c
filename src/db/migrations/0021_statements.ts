// Issue 12: bank statements imported to reconcile VietQR transfers (docs/domain.md §8.2). An import
// keeps its counts; each incoming line read from it is kept once per bank transaction id (the
// unique key makes a re-import, or two imports at once, apply nothing twice), with its outcome:
// applied to a payment, or listed for review (never applied) until an officer marks it handled.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('statement_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('imported_by', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    // Incoming lines read, applied, listed for review, already imported before, and outgoing (skipped).
    .addColumn('lines', 'integer', (c) => c.notNull())
    .addColumn('applied', 'integer', (c) => c.notNull())
    .addColumn('review', 'integer', (c) => c.notNull())
    .addColumn('duplicates', 'integer', (c) => c.notNull())
    .addColumn('outgoing', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('statement_imports_at').on('statement_imports').column('imported_at').execute();

  await db.schema
    .createTable('statement_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('bank_txn_id', 'text', (c) => c.notNull().unique())
    .addColumn('booked_on', 'text', (c) => c.notNull())
    .addColumn('amount_vnd', 'bigint', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    // The payment reference read from the description, and the payment it names (when one does).
    .addColumn('reference', 'text')
    .addColumn('payment_id', 'text')
    // applied | review
    .addColumn('outcome', 'text', (c) => c.notNull())
    // Why a line is for review: no_reference | unknown_reference | ambiguous | amount_mismatch | already_paid | not_open
    .addColumn('reason', 'text')
    .addColumn('handled_at', 'text')
    .addColumn('handled_by', 'text')
    .addColumn('handled_note', 'text')
    .execute();
  await db.schema.createIndex('statement_lines_import').on('statement_lines').columns(['import_id', 'line_no']).execute();
  await db.schema.createIndex('statement_lines_review').on('statement_lines').columns(['outcome', 'handled_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('statement_lines').ifExists().execute();
  await db.schema.dropTable('statement_imports').ifExists().execute();
}
