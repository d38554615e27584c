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
  // The queue: a unit's dossiers by due time; "assigned to me".
  await db.schema.createIndex('dossiers_unit_due').on('dossiers').columns(['unit_id', 'due_at']).execute();
  await db.schema.createIndex('dossiers_assignee').on('dossiers').columns(['assignee_id', 'status']).execute();

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
  await db.schema.dropTable('dossier_results').ifExists().execute();
  await db.schema.dropTable('workflow_templates').ifExists().execute();
  await db.schema.dropIndex('dossiers_assignee').ifExists().execute();
  await db.schema.dropIndex('dossiers_unit_due').ifExists().execute();
  for (const name of ['state', 'assignee_id', 'paused_at', 'new_due_at', 'processing_hours', 'reminded_on']) {
    await db.schema.alterTable('dossiers').dropColumn(name).execute();
  }
}
