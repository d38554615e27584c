// SQL for the national sync: events written in the transaction of the dossier change they report,
// then claimed, sent and marked by the workers of any number of instances sharing the database.
// Events of one dossier leave in `seq` order: only a dossier's head (its earliest pending event) is
// ever claimed, and a claim is a conditional UPDATE, so no two workers hold one dossier at a time.
import { sql, type ExpressionBuilder, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database, SyncEventTable } from '../../db/schema.ts';

export type SyncEventRow = Selectable<SyncEventTable>;

export async function insertEvent(db: Db, row: Insertable<SyncEventTable>): Promise<void> {
  await db.insertInto('sync_events').values(row).execute();
}

/** Pending and due, and not held by a live claim (a claim whose lease ran out is free again). */
function dueAndFree(at: string) {
  return (eb: ExpressionBuilder<Database, 'sync_events'>) =>
    eb.and([
      eb('sync_events.status', '=', 'pending'),
      eb('sync_events.next_attempt_at', '<=', at),
      eb.or([eb('sync_events.claimed_until', 'is', null), eb('sync_events.claimed_until', '<', at)]),
    ]);
}

/** The dossier's head: no earlier event of the same dossier is still pending. */
function isHead(eb: ExpressionBuilder<Database, 'sync_events'>) {
  return eb.not(eb.exists(
    eb.selectFrom('sync_events as earlier')
      .select(sql<number>`1`.as('one'))
      .whereRef('earlier.dossier_id', '=', 'sync_events.dossier_id')
      .whereRef('earlier.seq', '<', 'sync_events.seq')
      .where('earlier.status', '=', 'pending'),
  ));
}

/**
 * Claims one event for `leaseMs`, counting the attempt. The UPDATE repeats every condition it was
 * chosen on (due, free, the dossier's head) and the attempts it read, so of two workers that chose
 * the same event only one changes the row; an event whose earlier one is pending (claimed, backing
 * off, or put back by `sync resend`) is never taken.
 */
async function claim(db: Db, row: SyncEventRow, now: Date, leaseMs: number): Promise<SyncEventRow | null> {
  const at = now.toISOString();
  const until = new Date(now.getTime() + leaseMs).toISOString();
  const attempts = row.attempts + 1;
  const result = await db
    .updateTable('sync_events')
    .set({ claimed_until: until, attempts, last_attempt_at: at })
    .where('sync_events.id', '=', row.id)
    .where('sync_events.attempts', '=', row.attempts)
    .where(dueAndFree(at))
    .where(isHead)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n ? { ...row, claimed_until: until, attempts, last_attempt_at: at } : null;
}

/**
 * Claims the due heads of up to `limit` dossiers, longest waiting first. It reads three times as
 * many: another instance that read the same heads a moment earlier takes the first ones, and this
 * one goes on to the next instead of coming away empty.
 */
export async function claimHeads(db: Db, now: Date, limit: number, leaseMs: number): Promise<SyncEventRow[]> {
  const candidates = await db
    .selectFrom('sync_events')
    .selectAll()
    .where(dueAndFree(now.toISOString()))
    .where(isHead)
    .orderBy('next_attempt_at')
    .orderBy('created_at')
    .limit(limit * 3)
    .execute();
  const claimed: SyncEventRow[] = [];
  for (const row of candidates) {
    if (claimed.length >= limit) break;
    const got = await claim(db, row, now, leaseMs);
    if (got) claimed.push(got);
  }
  return claimed;
}

/** Claims the next event of one dossier (after its previous one was delivered), if one is due. */
export async function claimNextOf(db: Db, dossierId: string, now: Date, leaseMs: number): Promise<SyncEventRow | null> {
  const row = await db
    .selectFrom('sync_events')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .where(dueAndFree(now.toISOString()))
    .where(isHead)
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
  return row ? claim(db, row, now, leaseMs) : null;
}

/** A delivery is a fact: recorded even if the claim ran out meanwhile (the receiver deduplicates). */
export async function markSent(db: Db, id: string, now: Date): Promise<void> {
  await db
    .updateTable('sync_events')
    .set({ status: 'sent', sent_at: now.toISOString(), claimed_until: null, last_error: null })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

/** A failure counts only for the claim that made it: a worker whose lease ran out (and another
 *  worker claimed the event since, bumping the attempts) changes nothing. */
export async function markRetry(db: Db, id: string, attempts: number, error: string, next: Date): Promise<void> {
  await db
    .updateTable('sync_events')
    .set({ claimed_until: null, next_attempt_at: next.toISOString(), last_error: error })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('attempts', '=', attempts)
    .execute();
}

export type Backlog = { pending: number; failing: number; oldestPendingAt: string | null; lastSentAt: string | null; sent: number };

export async function backlog(db: Db): Promise<Backlog> {
  const row = await db
    .selectFrom('sync_events')
    .select((eb) => [
      eb.fn.sum<number>(eb.case().when('status', '=', 'pending').then(1).else(0).end()).as('pending'),
      eb.fn.sum<number>(eb.case().when(eb.and([eb('status', '=', 'pending'), eb('last_error', 'is not', null)])).then(1).else(0).end()).as('failing'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'sent').then(1).else(0).end()).as('sent'),
      eb.fn.min<string | null>(eb.case().when('status', '=', 'pending').then(eb.ref('created_at')).end()).as('oldestPendingAt'),
      eb.fn.max<string | null>('sent_at').as('lastSentAt'),
    ])
    .executeTakeFirstOrThrow();
  return {
    pending: Number(row.pending ?? 0), failing: Number(row.failing ?? 0), sent: Number(row.sent ?? 0),
    oldestPendingAt: row.oldestPendingAt ?? null, lastSentAt: row.lastSentAt ?? null,
  };
}

/** Pending events whose last attempt failed, those due soonest first. */
export async function failing(db: Db, limit: number): Promise<SyncEventRow[]> {
  return db
    .selectFrom('sync_events')
    .selectAll()
    .where('status', '=', 'pending')
    .where('last_error', 'is not', null)
    .orderBy('next_attempt_at')
    .orderBy('dossier_id')
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** Every pending event waiting for a later attempt is due now. Returns how many. */
export async function dueNow(db: Db, now: Date): Promise<number> {
  const at = now.toISOString();
  const r = await db.updateTable('sync_events').set({ next_attempt_at: at }).where('status', '=', 'pending').where('next_attempt_at', '>', at).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * A dossier's events go out again, in order: each is pending and due now, its attempts back to 0 and
 * its (run-out) claim cleared, so a resent event that fails is retried after the first backoff step
 * (30 s), not the hour the earlier failures had reached. A claim in flight keeps its lease and its
 * attempts: the lease so the event it holds is not sent twice at once, the attempts because they
 * fence that claim's `markRetry` (resetting them would let a later claim's count match the old one).
 */
export async function resetDossier(db: Db, dossierId: string, now: Date): Promise<number> {
  const at = now.toISOString();
  const r = await db
    .updateTable('sync_events')
    .set((eb) => {
      const held = eb('claimed_until', '>=', at);
      return {
        status: 'pending', next_attempt_at: at, sent_at: null, last_error: null,
        attempts: eb.case().when(held).then(eb.ref('attempts')).else(0).end(),
        claimed_until: eb.case().when(held).then(eb.ref('claimed_until')).else(null).end(),
      };
    })
    .where('dossier_id', '=', dossierId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function countOf(db: Db, dossierId: string): Promise<number> {
  const r = await db.selectFrom('sync_events').select((eb) => eb.fn.countAll<number>().as('n')).where('dossier_id', '=', dossierId).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function eventsOf(db: Db, dossierId: string): Promise<SyncEventRow[]> {
  return db.selectFrom('sync_events').selectAll().where('dossier_id', '=', dossierId).orderBy('seq').execute();
}

/** Deletes the events delivered before `sentBefore` (retention rule `syncSent`). Pending events, the backlog, are never deleted. */
export async function purgeSent(db: Db, sentBefore: string): Promise<number> {
  const r = await db.deleteFrom('sync_events').where('status', '=', 'sent').where('sent_at', '<', sentBefore).executeTakeFirst();
  return Number(r.numDeletedRows);
}
