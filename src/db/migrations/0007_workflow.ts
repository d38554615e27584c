// The back office: the rule state folded from each dossier's log (kept beside its status), who
// holds the dossier, pauses and the apology date; workflow templates per procedure; result documents.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, type] of [
    ['state', 'text'], ['assignee_id', 'text'], ['paused_at', 'text'], ['new_due_at', 'text'], ['processing_hours', 'integer'], ['reminded_on', 'text'],
  ] as const) {
    await db.schema.alterTable('dossiers').addColumn(name, type).execute();
  }
  // Dossiers filed before this migration: their state is their status, with nothing else yet.
  await sql`update dossiers set state = '{"status":"' || status || '","supplementFrom":null,"processingSupplements":0,"apologies":0,"withdrawalRequested":false,"results":0,"step":0}'`.execute(db);
  // The queue reads its counts and picks its page from this index alone (no table rows): the
  // open dossiers of the units in scope, by status, with their due time and holder.
  // Its order (due time, then arrival, then id) comes from the index too.
  await db.schema.dropIndex('dossiers_unit_status').execute();
  await db.schema.createIndex('dossiers_queue').on('dossiers').columns(['unit_id', 'status', 'practice', 'due_at', 'submitted_at', 'id']).execute();
  // Recently closed dossiers, newest first; "assigned to me".
  await db.schema.createIndex('dossiers_closed').on('dossiers').columns(['unit_id', 'status', 'practice', 'updated_at', 'id']).execute();
  // The same for a scope that covers the whole province (no unit condition).
  await db.schema.createIndex('dossiers_queue_all').on('dossiers').columns(['status', 'practice', 'due_at', 'submitted_at', 'id']).execute();
  await db.schema.createIndex('dossiers_closed_all').on('dossiers').columns(['status', 'practice', 'updated_at', 'id']).execute();
  await db.schema.createIndex('dossiers_assignee').on('dossiers').columns(['assignee_id', 'status']).execute();

  // How many dossiers each unit holds in each status (drafts and practice dossiers aside), kept in
  // the transaction of every change of status: the queue's tab counts read a few hundred rows
  // here instead of every open dossier of a province.
  await db.schema
    .createTable('dossier_status_counts')
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('dossier_status_counts_pk', ['unit_id', 'status'])
    .execute();
  await sql`insert into dossier_status_counts (unit_id, status, n) select unit_id, status, count(*) from dossiers where status <> 'draft' and practice = 0 group by unit_id, status`.execute(db);

  await db.schema
    .createTable('workflow_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // null: the default template, for procedures without their own.
    .addColumn('procedure_id', 'text', (c) => c.unique().references('procedures.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('steps', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('dossier_results')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id').onDelete('cascade'))
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dossier_results_n').on('dossier_results').columns(['dossier_id', 'n']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('dossier_status_counts').ifExists().execute();
  await db.schema.dropTable('dossier_results').ifExists().execute();
  await db.schema.dropTable('workflow_templates').ifExists().execute();
  await db.schema.dropIndex('dossiers_assignee').ifExists().execute();
  await db.schema.dropIndex('dossiers_closed_all').ifExists().execute();
  await db.schema.dropIndex('dossiers_queue_all').ifExists().execute();
  await db.schema.dropIndex('dossiers_closed').ifExists().execute();
  await db.schema.dropIndex('dossiers_queue').ifExists().execute();
  await db.schema.createIndex('dossiers_unit_status').on('dossiers').columns(['unit_id', 'status']).execute();
  for (const name of ['state', 'assignee_id', 'paused_at', 'new_due_at', 'processing_hours', 'reminded_on']) {
    await db.schema.alterTable('dossiers').dropColumn(name).execute();
  }
}
