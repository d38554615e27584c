// Statistics (docs/domain.md §5): daily counts per unit × procedure × channel × measure, kept in the
// transaction of each change, so no statistics request reads the dossiers.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stats_daily')
    // The Vietnam calendar day the event falls on (YYYY-MM-DD).
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('procedure_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    // received, settled_early, settled_on_time, settled_late, due, due_kept (src/domain/stats.ts).
    .addColumn('measure', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stats_daily_pk', ['day', 'unit_id', 'procedure_id', 'channel', 'measure'])
    .execute();
  await db.schema.createIndex('stats_daily_unit').on('stats_daily').columns(['unit_id', 'day']).execute();
  // The same counts for the whole province by level only: a province-wide report reads a few rows a
  // day here instead of one per unit, procedure and channel.
  await db.schema
    .createTable('stats_daily_level')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('measure', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stats_daily_level_pk', ['day', 'level', 'channel', 'measure'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('stats_daily_level').ifExists().execute();
  await db.schema.dropTable('stats_daily').ifExists().execute();
}
