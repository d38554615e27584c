// SQL for dossiers: the current-status row, the action log, codes, attachments, idempotency keys.
// Every function takes the database or a transaction.
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { AttachmentTable, DossierActionTable, DossierResultTable, DossierTable } from '../../db/schema.ts';

export type DossierRow = DossierTable;

export async function insertDossier(db: Db, row: DossierRow): Promise<void> {
  await db.insertInto('dossiers').values(row).execute();
}

export async function findDossier(db: Db, id: string): Promise<DossierRow | undefined> {
  return db.selectFrom('dossiers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findDossierByCode(db: Db, code: string): Promise<DossierRow | undefined> {
  return db.selectFrom('dossiers').selectAll().where('code', '=', code).executeTakeFirst();
}

/**
 * Changes the row only if nobody changed it since it was read (same revision): true when this
 * writer won.
 */
export async function updateDossier(db: Db, id: string, revision: number, set: Partial<DossierRow>): Promise<boolean> {
  const r = await db
    .updateTable('dossiers')
    .set({ ...set, revision: revision + 1 })
    .where('id', '=', id)
    .where('revision', '=', revision)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function appendAction(db: Db, row: Omit<DossierActionTable, 'seq'>): Promise<number> {
  const last = await db
    .selectFrom('dossier_actions')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('dossier_id', '=', row.dossier_id)
    .executeTakeFirst();
  const seq = Number(last?.seq ?? 0) + 1;
  await db.insertInto('dossier_actions').values({ ...row, seq }).execute();
  return seq;
}

export async function listActions(db: Db, dossierId: string) {
  return db.selectFrom('dossier_actions').selectAll().where('dossier_id', '=', dossierId).orderBy('seq').execute();
}

/** The next number in a unit's daily sequence; the row lock makes concurrent submissions queue. */
export async function nextCounter(db: Db, unitId: string, day: string): Promise<number> {
  const row = await db
    .insertInto('dossier_counters')
    .values({ unit_id: unitId, day, last: 1 })
    .onConflict((oc) => oc.columns(['unit_id', 'day']).doUpdateSet({ last: sql`dossier_counters.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return Number(row.last);
}

export async function listOwnerDossiers(db: Db, ownerId: string, limit: number, offset: number) {
  const [{ total } = { total: 0 }] = await db
    .selectFrom('dossiers')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where('owner_id', '=', ownerId)
    .execute();
  const rows = await db
    .selectFrom('dossiers')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .offset(offset)
    .execute();
  return { total: Number(total), rows };
}

export async function findIdempotentDossier(db: Db, scope: string, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('idempotency_keys').select('dossier_id').where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
  return row?.dossier_id;
}

export async function rememberIdempotencyKey(db: Db, row: { scope: string; key: string; dossier_id: string; created_at: string }): Promise<void> {
  await db.insertInto('idempotency_keys').values(row).execute();
}

export async function insertAttachment(db: Db, row: AttachmentTable): Promise<void> {
  await db.insertInto('attachments').values(row).execute();
}

export async function listAttachments(db: Db, dossierId: string) {
  return db.selectFrom('attachments').selectAll().where('dossier_id', '=', dossierId).orderBy('created_at').orderBy('id').execute();
}

/** Drafts nobody has touched since a moment: abandoned. */
export async function abandonedDrafts(db: Db, before: string, limit: number) {
  return db.selectFrom('dossiers').select(['id']).where('status', '=', 'draft').where('updated_at', '<', before).orderBy('updated_at').limit(limit).execute();
}

export async function deleteDossier(db: Db, id: string): Promise<void> {
  await db.deleteFrom('dossiers').where('id', '=', id).execute();
}

export async function storageKeysOf(db: Db, dossierId: string): Promise<string[]> {
  return (await db.selectFrom('attachments').select('storage_key').where('dossier_id', '=', dossierId).execute()).map((r) => r.storage_key);
}

export async function dossierUpdatedAt(db: Db, id: string): Promise<string | undefined> {
  return (await db.selectFrom('dossiers').select('updated_at').where('id', '=', id).executeTakeFirst())?.updated_at;
}

export async function isRecordedKey(db: Db, storageKey: string): Promise<boolean> {
  return (await db.selectFrom('attachments').select('id').where('storage_key', '=', storageKey).executeTakeFirst()) !== undefined;
}

export async function findByExternalId(db: Db, externalId: string): Promise<DossierRow | undefined> {
  return db.selectFrom('dossiers').selectAll().where('external_id', '=', externalId).executeTakeFirst();
}

export async function listResults(db: Db, dossierId: string) {
  return db.selectFrom('dossier_results').selectAll().where('dossier_id', '=', dossierId).orderBy('n').execute();
}

export async function insertResult(db: Db, row: DossierResultTable): Promise<void> {
  await db.insertInto('dossier_results').values(row).execute();
}

/** A procedure's own workflow template, or else the default one (procedure_id null); undefined before any is loaded. */
export async function findWorkflowTemplate(db: Db, procedureId: string) {
  const rows = await db
    .selectFrom('workflow_templates')
    .selectAll()
    .where((eb) => eb.or([eb('procedure_id', '=', procedureId), eb('procedure_id', 'is', null)]))
    .execute();
  return rows.find((r) => r.procedure_id === procedureId) ?? rows[0];
}

export async function staffRolesOf(db: Db, userId: string) {
  return db.selectFrom('user_roles').select(['role', 'unit_id', 'subtree']).where('user_id', '=', userId).execute();
}

/** Who held a step last: the person a forward or transfer sent the dossier to, or who took it there. */
export async function previousHolder(db: Db, dossierId: string, step: number): Promise<string | null> {
  const log = await listActions(db, dossierId);
  for (const a of log.reverse()) {
    if (!['transfer', 'forward', 'assign'].includes(a.action)) continue;
    const data = JSON.parse(a.data) as { step?: number; toUserId?: string };
    if (data.step === step) return data.toUserId ?? null;
  }
  return null;
}

/** Moves one dossier between status counts (drafts and practice dossiers are not counted). */
export async function moveStatusCount(db: Db, unitId: string, from: string | null, to: string): Promise<void> {
  if (from && from !== 'draft') {
    await db.updateTable('dossier_status_counts').set((eb) => ({ n: eb('n', '-', 1) })).where('unit_id', '=', unitId).where('status', '=', from).execute();
  }
  if (to !== 'draft') {
    await db
      .insertInto('dossier_status_counts')
      .values({ unit_id: unitId, status: to, n: 1 })
      .onConflict((oc) => oc.columns(['unit_id', 'status']).doUpdateSet({ n: sql`dossier_status_counts.n + 1` }))
      .execute();
  }
}

/** Recounts every unit's dossiers by status from the dossiers themselves (after bulk loads, or to repair). */
export async function rebuildStatusCounts(db: Db): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('dossier_status_counts').execute();
    await sql`insert into dossier_status_counts (unit_id, status, n) select unit_id, status, count(*) from dossiers where status <> 'draft' and practice = 0 group by unit_id, status`.execute(tx);
  });
}
