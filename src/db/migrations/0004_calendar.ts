// The working calendar (docs/domain.md §4): dated days off and swapped working days, for the default
// calendar (unit_id '') or one unit; the years kept as a table; and units' own working hours.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('calendar_days')
    .addColumn('date', 'text', (c) => c.notNull())
    // '' is the default calendar: a nullable column cannot be part of a PostgreSQL primary key.
    .addColumn('unit_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('calendar_days_pk', ['date', 'unit_id'])
    .execute();

  await db.schema
    .createTable('calendar_years')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('unit_working_hours')
    // No foreign key: reloading the organisation replaces the units table.
    .addColumn('unit_id', 'text', (c) => c.primaryKey())
    .addColumn('hours', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['unit_working_hours', 'calendar_years', 'calendar_days']) await db.schema.dropTable(t).ifExists().execute();
}
