// Issue 11, the 2025 rules (docs/domain.md): every unit carries its electronic agency identifier
// (mã định danh, Decision 20/2020/QĐ-TTg) that dossier codes are built from; a dossier records the
// desk that received it beside the competent unit (Decree 118/2025/NĐ-CP receives dossiers across
// administrative boundaries) and the deadline of a supplement request; every change of a dossier is
// queued for the national portal (sync_events, the outbox of the national sync); ratings keep the
// national three-level satisfaction scale beside the old five-level score.
import { sql, type Kysely } from 'kysely';
import { readReference } from '../../reference.ts';

export async function up(db: Kysely<any>): Promise<void> {
  // NNN.NN.NN.XNN; null: the unit cannot issue dossier codes until an administrator sets it
  // (`motcua unit identifier`). Two units never share one: their codes would clash.
  await db.schema.alterTable('units').addColumn('identifier', 'text').execute();
  await db.schema.createIndex('units_identifier').on('units').column('identifier').unique().execute();
  // A database holding the demo gets the demo's (synthetic) identifiers, as a fresh demo would; a
  // province's own organisation is left for its administrator to fill in.
  if (await db.selectFrom('meta').select('value').where('key', '=', 'demo_loaded_at').executeTakeFirst()) {
    const file = readReference<{ units: Record<string, { identifier: string }> }>('org/agency-identifiers.json');
    for (const [id, { identifier }] of Object.entries(file.units)) {
      await db.updateTable('units').set({ identifier }).where('id', '=', id).where('identifier', 'is', null).execute();
    }
  }

  // The desk that received the dossier; the competent unit stays in unit_id. Older rows were received
  // where they were handled.
  await db.schema.alterTable('dossiers').addColumn('receiving_unit_id', 'text').execute();
  await db.updateTable('dossiers').set({ receiving_unit_id: sql`unit_id` }).execute();
  await db.schema.createIndex('dossiers_receiving_unit').on('dossiers').columns(['receiving_unit_id', 'status']).execute();
  // The date an open supplement request asks the documents by; null: no deadline set.
  await db.schema.alterTable('dossiers').addColumn('supplement_due_at', 'text').execute();

  await db.schema
    .createTable('sync_events')
    // The event's id: its Idempotency-Key.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dossier_id', 'text', (c) => c.notNull())
    // The dossier's revision after the change: events of one dossier go out in this order.
    .addColumn('seq', 'integer', (c) => c.notNull())
    // JSON: the event as POSTed (docs/national-sync.md).
    .addColumn('payload', 'text', (c) => c.notNull())
    // `pending` until the receiver answers 2xx, then `sent`.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('claimed_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('last_attempt_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addUniqueConstraint('sync_events_dossier_seq', ['dossier_id', 'seq'])
    .execute();
  await db.schema.createIndex('sync_events_due').on('sync_events').columns(['status', 'next_attempt_at']).execute();

  // very_satisfied | satisfied | dissatisfied (the national portal's scale); older five-level
  // scores are mapped: 5 → very satisfied, 3–4 → satisfied, 1–2 → dissatisfied.
  await db.schema.alterTable('ratings').addColumn('satisfaction', 'text').execute();
  await db.updateTable('ratings').set({
    satisfaction: sql`case when score >= 5 then 'very_satisfied' when score >= 3 then 'satisfied' else 'dissatisfied' end`,
  }).execute();

  // The statistics now count holds, withdrawals, receiving desks and the three-level scale
  // (docs/domain.md §5): counters kept before this are recomputed once, by whoever applied this
  // migration (`motcua migrate`, or the instance of `serve` that did), through StatsService.rebuildIfNeeded.
  const kept = await db.selectFrom('stats_daily').select('day').limit(1).executeTakeFirst();
  if (kept) await db.insertInto('meta').values({ key: 'stats_rebuild_needed', value: '0017_national' }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('meta').where('key', '=', 'stats_rebuild_needed').execute();
  await db.schema.alterTable('ratings').dropColumn('satisfaction').execute();
  await db.schema.dropTable('sync_events').ifExists().execute();
  await db.schema.dropIndex('dossiers_receiving_unit').ifExists().execute();
  await db.schema.alterTable('dossiers').dropColumn('supplement_due_at').execute();
  await db.schema.alterTable('dossiers').dropColumn('receiving_unit_id').execute();
  await db.schema.dropIndex('units_identifier').ifExists().execute();
  await db.schema.alterTable('units').dropColumn('identifier').execute();
}
