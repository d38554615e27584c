// The postal service's tables: exclusions per unit, shipments (the address sealed under DATA_KEY,
// bound to its row, like dossiers.delivery) and their events.
import type { Db } from '../../db/connection.ts';
import type { ShipmentEventTable, ShipmentTable } from '../../db/schema.ts';
import type { Sealer } from '../../domain/sealed.ts';
import type { PostalAddress } from '../../domain/postal.ts';

export type ShipmentRecord = Omit<ShipmentTable, 'address'> & { address: PostalAddress | null };
export type ShipmentEventRecord = ShipmentEventTable;

const where = (id: string) => `shipments.address/${id}`;

function parse(row: ShipmentTable, s: Sealer): ShipmentRecord {
  return { ...row, fee_vnd: Number(row.fee_vnd), revision: Number(row.revision), address: row.address ? (JSON.parse(s.open(row.address, where(row.id))) as PostalAddress) : null };
}

export async function insertShipment(db: Db, r: ShipmentRecord, s: Sealer): Promise<void> {
  await db.insertInto('shipments').values({ ...r, address: r.address ? s.seal(JSON.stringify(r.address), where(r.id)) : null }).execute();
}

export async function findShipment(db: Db, id: string, s: Sealer): Promise<ShipmentRecord | undefined> {
  const row = await db.selectFrom('shipments').selectAll().where('id', '=', id).executeTakeFirst();
  return row && parse(row, s);
}

export async function shipmentsOf(db: Db, dossierId: string, s: Sealer): Promise<ShipmentRecord[]> {
  const rows = await db.selectFrom('shipments').selectAll().where('dossier_id', '=', dossierId).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => parse(r, s));
}

export async function shipmentsOfOffices(db: Db, officeIds: readonly string[], limit: number, s: Sealer): Promise<ShipmentRecord[]> {
  if (!officeIds.length) return [];
  const rows = await db.selectFrom('shipments').selectAll().where('post_office_id', 'in', officeIds).orderBy('updated_at', 'desc').limit(limit).execute();
  return rows.map((r) => parse(r, s));
}

/** Moves a shipment on, only if nobody did since it was read. */
export async function moveShipment(db: Db, id: string, revision: number, set: Partial<Pick<ShipmentTable, 'status' | 'tracking_number' | 'updated_at'>>): Promise<boolean> {
  const r = await db.updateTable('shipments').set({ ...set, revision: revision + 1 }).where('id', '=', id).where('revision', '=', revision).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function insertEvent(db: Db, e: ShipmentEventRecord): Promise<void> {
  await db.insertInto('shipment_events').values(e).execute();
}

export async function findEvent(db: Db, shipmentId: string, eventId: string): Promise<ShipmentEventRecord | undefined> {
  return db.selectFrom('shipment_events').selectAll().where('shipment_id', '=', shipmentId).where('event_id', '=', eventId).executeTakeFirst();
}

export async function eventsOf(db: Db, shipmentIds: readonly string[]): Promise<ShipmentEventRecord[]> {
  if (!shipmentIds.length) return [];
  return db.selectFrom('shipment_events').selectAll().where('shipment_id', 'in', shipmentIds).orderBy('shipment_id').orderBy('seq').execute();
}

export async function isExcluded(db: Db, unitIds: readonly string[], procedureId: string): Promise<boolean> {
  if (!unitIds.length) return false;
  const row = await db.selectFrom('postal_exclusions').select('unit_id').where('unit_id', 'in', unitIds).where('procedure_id', '=', procedureId).executeTakeFirst();
  return !!row;
}

export async function exclusionsOf(db: Db, unitId: string): Promise<string[]> {
  return (await db.selectFrom('postal_exclusions').select('procedure_id').where('unit_id', '=', unitId).orderBy('procedure_id').execute()).map((r) => r.procedure_id);
}

/** Replaces a unit's list of excluded procedures. */
export async function setExclusions(db: Db, unitId: string, procedureIds: readonly string[], at: string, by: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('postal_exclusions').where('unit_id', '=', unitId).execute();
    if (procedureIds.length) await tx.insertInto('postal_exclusions').values(procedureIds.map((procedure_id) => ({ unit_id: unitId, procedure_id, created_at: at, created_by: by }))).execute();
  });
}

/**
 * A procedure version's postal rules, read through the caller's handle: the dossier engine's
 * observer runs inside its transaction, and on SQLite that holds the only connection (the
 * catalogue's own reads go through its pool handle and would wait on themselves).
 */
export async function postalRulesOf(db: Db, procedureId: string, version: number): Promise<{ submit: boolean; return: boolean } | null> {
  const row = await db.selectFrom('procedure_versions').select('content').where('procedure_id', '=', procedureId).where('version', '=', version).executeTakeFirst();
  if (!row) return null;
  const postal = (JSON.parse(row.content) as { postal?: { submit?: unknown; return?: unknown } }).postal;
  return { submit: postal?.submit === true, return: postal?.return === true };
}
