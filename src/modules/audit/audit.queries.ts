// SQL for the audit log and its one-row chain head. Every function takes the database or a transaction.
import type { Selectable } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { AuditLogTable } from '../../db/schema.ts';
import type { AuditEntry, ChainHead, JsonValue } from '../../domain/audit-chain.ts';

function toEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return { seq: row.seq, at: row.at, kind: row.kind, actorId: row.actor_id, subject: row.subject, data: row.data, prevHash: row.prev_hash, hash: row.hash };
}

/**
 * Moves the head on by one and returns the new seq with the hash still recorded (the previous
 * entry's). Writing first is the lock: on PostgreSQL the row stays locked until the caller's
 * transaction ends, so concurrent appenders queue here and each sees the one before it committed;
 * on SQLite the write takes the database's write lock at once, so no other writer can have moved
 * the head between this read and the insert. Undefined when the head row is missing.
 */
export async function advanceHead(db: Db): Promise<ChainHead | undefined> {
  return db
    .updateTable('audit_head')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .returning(['seq', 'hash'])
    .executeTakeFirst();
}

/** Records the new head's hash and its signature (the anchor) together. */
export async function setHeadHash(db: Db, seq: number, hash: string, signature: string): Promise<void> {
  await db.updateTable('audit_head').set({ hash, signature }).where('id', '=', 1).where('seq', '=', seq).execute();
}

export async function findHead(db: Db): Promise<(ChainHead & { signature: string | null }) | undefined> {
  return db.selectFrom('audit_head').select(['seq', 'hash', 'signature']).where('id', '=', 1).executeTakeFirst();
}

export async function insertEntry(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ seq: entry.seq, at: entry.at, kind: entry.kind, actor_id: entry.actorId, subject: entry.subject, data: entry.data, prev_hash: entry.prevHash, hash: entry.hash })
    .execute();
}

/** Up to `limit` entries in seq order after `after` (from the very first when null), none beyond `upTo`. */
export async function entriesPage(db: Db, opts: { after: number | null; upTo: number; limit: number }): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll().where('seq', '<=', opts.upTo);
  if (opts.after !== null) query = query.where('seq', '>', opts.after);
  const rows = await query.orderBy('seq').limit(opts.limit).execute();
  return rows.map(toEntry);
}

/** The first entry beyond the recorded head, read in one statement so a concurrent append cannot fall between. */
export async function findFirstBeyondHead(db: Db): Promise<number | undefined> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.min('seq').as('seq'))
    .where('seq', '>', (eb) => eb.selectFrom('audit_head').select('seq').where('id', '=', 1))
    .executeTakeFirst();
  return row?.seq == null ? undefined : Number(row.seq);
}

/** Entries newest first, their data parsed (the chain hashes the stored text; readers want the values). */
export async function listEntries(db: Db, opts: { subject?: string; limit: number; offset: number }): Promise<{ total: number; items: Array<Omit<AuditEntry, 'data'> & { data: JsonValue }> }> {
  let base = db.selectFrom('audit_log');
  if (opts.subject !== undefined) base = base.where('subject', '=', opts.subject);
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base.selectAll().orderBy('seq', 'desc').limit(opts.limit).offset(opts.offset).execute(),
  ]);
  return { total: Number(count.n), items: rows.map((r) => ({ ...toEntry(r), data: JSON.parse(r.data) as JsonValue })) };
}
