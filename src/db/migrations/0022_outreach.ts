// Campaign plans (issue 13): a plan with its channels, units, activities (planned and carried out,
// with evidence files) and the lines of its budget estimate. Totals are never stored: they are
// computed from the lines (src/domain/outreach.ts). Channels and activities have ids of their own
// so that tracked links can later point at them (a link: slug, plan, channel, activity, target).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('outreach_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull())
    // The number the plan's appendix cites, when it differs from the header's (kept, shown as a warning).
    .addColumn('appendix_number', 'text')
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('period_from', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text', (c) => c.notNull())
    // JSON arrays of text.
    .addColumn('objectives', 'text', (c) => c.notNull())
    .addColumn('themes', 'text', (c) => c.notNull())
    // JSON: [{ role: responsible|coordinating, unitId, name, tasks: [] }]
    .addColumn('units', 'text', (c) => c.notNull())
    // JSON: the source's known errors, as text, shown as warnings.
    .addColumn('discrepancies', 'text', (c) => c.notNull())
    // The totals as printed in the source, to compare with the computed ones; null when none were printed.
    .addColumn('printed_amount', 'bigint')
    .addColumn('printed_state', 'bigint')
    .addColumn('printed_social', 'bigint')
    .addColumn('source', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outreach_plans_date').on('outreach_plans').columns(['date']).execute();

  await db.schema
    .createTable('outreach_channels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('outreach_plans.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    // One of src/domain/outreach.ts outreachChannels.
    .addColumn('kind', 'text', (c) => c.notNull())
    // Free text: the channel's own name (required for `other`).
    .addColumn('label', 'text')
    .execute();
  await db.schema.createIndex('outreach_channels_plan').on('outreach_channels').columns(['plan_id', 'position']).execute();

  await db.schema
    .createTable('outreach_activities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('outreach_plans.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.references('outreach_channels.id').onDelete('set null'))
    .addColumn('planned_from', 'text', (c) => c.notNull())
    .addColumn('planned_to', 'text', (c) => c.notNull())
    // planned, in_progress, done, cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('actual_from', 'text')
    .addColumn('actual_to', 'text')
    .addColumn('actual_spending', 'bigint')
    .addColumn('note', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outreach_activities_plan').on('outreach_activities').columns(['plan_id', 'position']).execute();

  await db.schema
    .createTable('outreach_budget_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('outreach_plans.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('section', 'text', (c) => c.notNull())
    .addColumn('section_name', 'text', (c) => c.notNull())
    .addColumn('group_key', 'text')
    .addColumn('group_name', 'text')
    .addColumn('no', 'integer', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('duration', 'text')
    .addColumn('quantity', 'bigint')
    .addColumn('unit_price', 'bigint', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('state', 'bigint', (c) => c.notNull())
    .addColumn('social', 'bigint', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('outreach_budget_lines_plan').on('outreach_budget_lines').columns(['plan_id', 'position']).execute();

  await db.schema
    .createTable('outreach_evidence')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('activity_id', 'text', (c) => c.notNull().references('outreach_activities.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outreach_evidence_activity').on('outreach_evidence').columns(['activity_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['outreach_evidence', 'outreach_budget_lines', 'outreach_activities', 'outreach_channels', 'outreach_plans']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
