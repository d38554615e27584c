// SQL for the back office's side of payments (migration 0021): bank statement imports and their
// lines (each bank transaction kept once, by its id), the review list, and the payment lists of an
// officer's units with the dossier's code.
import type { Db } from '../../db/connection.ts';
import type { StatementImportTable, StatementLineTable } from '../../db/schema.ts';
import type { Insertable, Selectable } from 'kysely';

export type ImportRecord = Selectable<StatementImportTable>;
export type LineRecord = Selectable<StatementLineTable>;

export async function insertImport(db: Db, row: Insertable<StatementImportTable>): Promise<void> {
  await db.insertInto('statement_imports').values(row).execute();
}

export async function updateImportCounts(db: Db, id: string, counts: Pick<ImportRecord, 'lines' | 'applied' | 'review' | 'duplicates' | 'outgoing'>): Promise<void> {
  await db.updateTable('statement_imports').set(counts).where('id', '=', id).execute();
}

export async function findImport(db: Db, id: string): Promise<ImportRecord | undefined> {
  return db.selectFrom('statement_imports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function recentImports(db: Db, limit: number): Promise<ImportRecord[]> {
  return db.selectFrom('statement_imports').selectAll().orderBy('imported_at', 'desc').orderBy('id').limit(limit).execute();
}

/** Which of these bank transaction ids were read before (by any import). */
export async function knownTxnIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectFrom('statement_lines').select('bank_txn_id').where('bank_txn_id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of rows) out.add(r.bank_txn_id);
  }
  return out;
}

/** Keeps a line unless its bank transaction id is already kept (a concurrent import): true when this call kept it. */
/** A line kept as applied whose payment turned out settled meanwhile: it goes to review instead. */
export async function sendLineToReview(db: Db, id: string, reason: string): Promise<void> {
  await db.updateTable('statement_lines').set({ outcome: 'review', reason }).where('id', '=', id).execute();
}

export async function insertLine(db: Db, row: Insertable<StatementLineTable>): Promise<boolean> {
  const r = await db.insertInto('statement_lines').values(row).onConflict((oc) => oc.column('bank_txn_id').doNothing()).executeTakeFirst();
  return r.numInsertedOrUpdatedRows === 1n;
}

export async function linesOfImport(db: Db, importId: string): Promise<LineRecord[]> {
  return db.selectFrom('statement_lines').selectAll().where('import_id', '=', importId).orderBy('line_no').execute();
}

/** Lines for review, open ones (not handled) or handled ones, oldest first, with the total. */
export async function reviewLines(db: Db, f: { handled: boolean; limit: number; offset: number }): Promise<{ total: number; items: LineRecord[] }> {
  const base = db.selectFrom('statement_lines').where('outcome', '=', 'review').where('handled_at', f.handled ? 'is not' : 'is', null);
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const items = await base.selectAll().orderBy('booked_on').orderBy('id').limit(f.limit).offset(f.offset).execute();
  return { total: Number(total.n), items };
}

export async function findLine(db: Db, id: string): Promise<LineRecord | undefined> {
  return db.selectFrom('statement_lines').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks a review line handled once; false when it was not open for review. */
export async function markHandled(db: Db, id: string, set: { by: string; at: string; note: string }): Promise<boolean> {
  const r = await db.updateTable('statement_lines').set({ handled_at: set.at, handled_by: set.by, handled_note: set.note })
    .where('id', '=', id).where('outcome', '=', 'review').where('handled_at', 'is', null).executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

export type OfficeFilter = { unitIds: readonly string[]; view: 'due' | 'paid' | 'refund'; dossierCode?: string; limit: number; offset: number };
const viewStatuses = { due: ['due', 'pending', 'failed'], paid: ['paid', 'refunded'], refund: ['paid'] } as const;

/** Payments collected by, or received at, the officer's units, in one view (owed, paid, refund owed), newest change first, with the total. */
export async function officeList(db: Db, f: OfficeFilter) {
  if (!f.unitIds.length) return { total: 0, items: [] };
  let base = db.selectFrom('payments').innerJoin('dossiers', 'dossiers.id', 'payments.dossier_id')
    .where((eb) => eb.or([eb('payments.unit_id', 'in', f.unitIds), eb('dossiers.receiving_unit_id', 'in', f.unitIds)]))
    .where('payments.status', 'in', [...viewStatuses[f.view]])
    .where('dossiers.practice', '=', 0);
  if (f.view === 'refund') base = base.where('payments.refund_due', '=', 1);
  if (f.dossierCode) base = base.where('dossiers.code', '=', f.dossierCode);
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const items = await base
    .select(['payments.id', 'payments.dossier_id', 'payments.purpose', 'payments.stage', 'payments.amount_vnd', 'payments.status', 'payments.method', 'payments.reference',
      'payments.receipt_series', 'payments.receipt_no', 'payments.paid_at', 'payments.refund_due', 'payments.refunded_at', 'payments.updated_at', 'payments.unit_id',
      'dossiers.code', 'dossiers.receiving_unit_id'])
    .orderBy('payments.updated_at', 'desc').orderBy('payments.id').limit(f.limit).offset(f.offset).execute();
  return { total: Number(total.n), items };
}
export type OfficeItem = Awaited<ReturnType<typeof officeList>>['items'][number];
