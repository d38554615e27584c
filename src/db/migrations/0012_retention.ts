// Issue 10 (security and personal data), retention: the indexes the daily purge (src/modules/retention)
// reads by, so it stays cheap as the tables grow. No new columns: the outbox clears a sent message's
// parameters in place (notifications.queries.ts markSent), feedback clears its contact in place.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('outbox_retention').on('outbox').columns(['status', 'sent_at']).execute();
  await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();
  await db.schema.createIndex('login_throttle_updated').on('login_throttle').column('updated_at').execute();
  await db.schema.createIndex('feedback_answered').on('feedback').columns(['status', 'answered_at']).execute();
}
