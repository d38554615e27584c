// The public postal service (issue 12, Decision 45/2016/QĐ-TTg; docs/domain.md §9): each unit's list
// of procedures excluded from the postal service, the shipments of a dossier (the dossier to the
// desk, the result to the applicant) and each shipment's events, idempotent by the operator's id.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('postal_exclusions')
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('procedure_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addPrimaryKeyConstraint('postal_exclusions_pk', ['unit_id', 'procedure_id'])
    .execute();

  await db.schema
    .createTable('shipments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id').onDelete('cascade'))
    // inbound (the dossier, post office → desk) or outbound (the result, desk → applicant)
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('operator', 'text', (c) => c.notNull())
    .addColumn('post_office_id', 'text')
    .addColumn('tracking_number', 'text')
    .addColumn('fee_vnd', 'integer', (c) => c.notNull())
    // The applicant's address for an outbound result, sealed under DATA_KEY like dossiers.delivery; null inbound.
    .addColumn('address', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('shipments_dossier').on('shipments').columns(['dossier_id', 'created_at']).execute();
  await db.schema.createIndex('shipments_office').on('shipments').columns(['post_office_id', 'updated_at']).execute();

  await db.schema
    .createTable('shipment_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('shipment_id', 'text', (c) => c.notNull().references('shipments.id').onDelete('cascade'))
    // The operator's own id of the event (or one we make for staff): a repeat is recognised by it.
    .addColumn('event_id', 'text', (c) => c.notNull())
    // Its place among the shipment's events (the shipment's revision it made): their order.
    .addColumn('seq', 'integer', (c) => c.notNull())
    // operator (the API) or staff (the postal pages)
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('shipment_events_once').on('shipment_events').columns(['shipment_id', 'event_id']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('shipment_events').ifExists().execute();
  await db.schema.dropTable('shipments').ifExists().execute();
  await db.schema.dropTable('postal_exclusions').ifExists().execute();
}
