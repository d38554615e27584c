// SQL for the outbox: messages written in the same transaction as the change they report, then
// claimed, sent and marked by the workers of any number of app instances sharing the database.
import { randomUUID } from 'node:crypto';
import type { ExpressionBuilder, Kysely, Selectable, Transaction } from 'kysely';
import type { Database, OutboxTable } from '../../db/schema.ts';
import type { Lang } from '../../i18n/index.ts';
import { render, type TemplateKey } from './notifications.templates.ts';

/** The database, or a transaction on it: callers enqueue inside their own transaction. */
export type DbOrTx = Kysely<Database> | Transaction<Database>;

export type Channel = 'email' | 'sms';
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export type NewMessage = {
  channel: Channel;
  /** An email address, or a phone number for SMS. */
  recipient: string;
  template: TemplateKey;
  lang: Lang;
  params: Record<string, string>;
  now: Date;
};

export type OutboxMessage = {
  id: string;
  channel: string;
  recipient: string;
  template: string;
  lang: string;
  params: Record<string, string>;
  status: OutboxStatus;
  /** Attempts started so far, counting the one in progress while `sending`. */
  attempts: number;
  nextAttemptAt: string;
  claimedUntil: string | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
};

function toMessage(row: Selectable<OutboxTable>): OutboxMessage {
  return {
    id: row.id,
    channel: row.channel,
    recipient: row.recipient,
    template: row.template,
    lang: row.lang,
    params: JSON.parse(row.params) as Record<string, string>,
    status: row.status as OutboxStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    claimedUntil: row.claimed_until,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

/** Writes a message to send. Returns its id. */
export async function enqueue(db: DbOrTx, msg: NewMessage): Promise<string> {
  // Rendering once here makes a missing parameter fail the caller's transaction now, rather than
  // the worker's, six attempts and eight hours later.
  render(msg.template, msg.lang, msg.params);
  const id = randomUUID();
  const at = msg.now.toISOString();
  await db
    .insertInto('outbox')
    .values({
      id,
      channel: msg.channel,
      recipient: msg.recipient,
      template: msg.template,
      lang: msg.lang,
      params: JSON.stringify(msg.params),
      status: 'pending',
      attempts: 0,
      next_attempt_at: at,
      claimed_until: null,
      last_error: null,
      created_at: at,
      sent_at: null,
    })
    .execute();
  return id;
}

/** Due now: waiting for its (next) attempt, or claimed by a worker whose lease ran out (it crashed
 *  or hung), so another may take it over. */
function isDue(at: string) {
  return (eb: ExpressionBuilder<Database, 'outbox'>) =>
    eb.or([
      eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', at)]),
      eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<', at)]),
    ]);
}

/**
 * Claims up to `limit` due messages for `leaseMs`, counting the attempt. Safe with several workers
 * on one database: each row is claimed by an UPDATE that repeats the due condition, so of two
 * workers that read the same row only the one whose update changed it (count 1) gets it. The
 * update also requires the attempts it read: every claim bumps them, so a row that another worker
 * claimed and gave back in between is not claimed on stale data.
 */
export async function claimDue(db: DbOrTx, now: Date, limit: number, leaseMs: number): Promise<OutboxMessage[]> {
  const at = now.toISOString();
  const until = new Date(now.getTime() + leaseMs).toISOString();
  const candidates = await db
    .selectFrom('outbox')
    .selectAll()
    .where(isDue(at))
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  const claimed: OutboxMessage[] = [];
  for (const row of candidates) {
    const attempts = row.attempts + 1;
    const result = await db
      .updateTable('outbox')
      .set({ status: 'sending', claimed_until: until, attempts })
      .where('id', '=', row.id)
      .where('attempts', '=', row.attempts)
      .where(isDue(at))
      .executeTakeFirst();
    if (result.numUpdatedRows === 1n) claimed.push(toMessage({ ...row, status: 'sending', claimed_until: until, attempts }));
  }
  return claimed;
}

/** What a message's parameters become once it has left, or failed for good: a one-time code, a
 *  tracking link or a name in them is not kept a moment longer than needed to send it. */
export const clearedParams = '{}';

/** A delivery is a fact: it is recorded even if the claim ran out meanwhile. The parameters are
 *  cleared in the same update, so no sent row ever holds a one-time code. */
export async function markSent(db: DbOrTx, id: string, now: Date): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'sent', sent_at: now.toISOString(), claimed_until: null, params: clearedParams })
    .where('id', '=', id)
    .execute();
}

// A failure only counts while the message is still being sent: a worker whose lease ran out must
// not undo the delivery another worker made meanwhile.

export async function markRetry(db: DbOrTx, id: string, error: string, nextAttemptAt: Date): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'pending', next_attempt_at: nextAttemptAt.toISOString(), claimed_until: null, last_error: error })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

export async function markFailed(db: DbOrTx, id: string, error: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'failed', claimed_until: null, last_error: error, params: clearedParams })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

export type OutboxFilter = { status?: OutboxStatus; recipient?: string; limit?: number };

/** The outbox, oldest first, for tests and the administrators' view. */
export async function listOutbox(db: DbOrTx, filter: OutboxFilter = {}): Promise<OutboxMessage[]> {
  let query = db.selectFrom('outbox').selectAll().orderBy('created_at').orderBy('id').limit(filter.limit ?? 100);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.recipient) query = query.where('recipient', '=', filter.recipient);
  return (await query.execute()).map(toMessage);
}

export async function findOutboxMessage(db: DbOrTx, id: string): Promise<OutboxMessage | undefined> {
  const row = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toMessage(row);
}

/** Retention: sent messages sent before `sentBefore`, and failed ones written before
 *  `failedBefore`, are deleted. Returns how many of each. */
export async function purgeOutbox(db: DbOrTx, sentBefore: string, failedBefore: string): Promise<{ sent: number; failed: number }> {
  const sent = await db.deleteFrom('outbox').where('status', '=', 'sent').where('sent_at', '<', sentBefore).executeTakeFirst();
  const failed = await db.deleteFrom('outbox').where('status', '=', 'failed').where('created_at', '<', failedBefore).executeTakeFirst();
  return { sent: Number(sent.numDeletedRows), failed: Number(failed.numDeletedRows) };
}
