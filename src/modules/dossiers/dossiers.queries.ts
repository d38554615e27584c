// SQL for dossiers: the current-status row, the action log, codes, attachments, idempotency keys.
// Every function takes the database or a transaction. The JSON columns are parsed and serialised
// here: callers see and pass typed records, never JSON text.
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { AttachmentTable, DossierActionTable, DossierResultTable, DossierTable } from '../../db/schema.ts';
import { blankState, type DossierState, type Status } from '../../domain/dossier-status.ts';

/** The applicant as filed: fullName, idNumber, phone, email, address, and any other `applicant.*` answer. */
export type Applicant = { fullName?: string; idNumber?: string; phone?: string; email?: string; address?: { line?: string; areaCode?: string }; [key: string]: unknown };
/** How the result goes back: method (counter, postal, online) and address. */
export type Delivery = { method?: string; address?: unknown; [key: string]: unknown };

type JsonColumns = 'applicant' | 'form' | 'delivery' | 'state';

/** A dossier's current-status row with its JSON columns parsed. */
export type DossierRecord = Omit<DossierTable, JsonColumns> & {
  applicant: Applicant;
  form: Record<string, unknown>;
  delivery: Delivery;
  /** The rule state folded from the log (a row written without one gets the blank state of its status). */
  state: DossierState;
};
/** @deprecated the same as DossierRecord. */
export type DossierRow = DossierRecord;

/** One entry of the action log with its data parsed. */
export type ActionRecord = Omit<DossierActionTable, 'data'> & { data: Record<string, unknown> };

function parseDossier(row: DossierTable): DossierRecord {
  return {
    ...row,
    applicant: JSON.parse(row.applicant) as Applicant,
    form: JSON.parse(row.form) as Record<string, unknown>,
    delivery: JSON.parse(row.delivery) as Delivery,
    state: row.state ? (JSON.parse(row.state) as DossierState) : { status: row.status, ...blankState },
  };
}

function serialiseDossier(set: Partial<DossierRecord>): Partial<DossierTable> {
  const { applicant, form, delivery, state, ...rest } = set;
  const out: Partial<DossierTable> = rest;
  if (applicant !== undefined) out.applicant = JSON.stringify(applicant);
  if (form !== undefined) out.form = JSON.stringify(form);
  if (delivery !== undefined) out.delivery = JSON.stringify(delivery);
  if (state !== undefined) out.state = JSON.stringify(state);
  return out;
}

function parseAction(row: DossierActionTable): ActionRecord {
  return { ...row, data: JSON.parse(row.data) as Record<string, unknown> };
}

export async function insertDossier(db: Db, row: DossierRecord): Promise<void> {
  await db.insertInto('dossiers').values(serialiseDossier(row) as DossierTable).execute();
}

export async function findDossier(db: Db, id: string): Promise<DossierRecord | undefined> {
  const row = await db.selectFrom('dossiers').selectAll().where('id', '=', id).executeTakeFirst();
  return row && parseDossier(row);
}

export async function findDossierByCode(db: Db, code: string): Promise<DossierRecord | undefined> {
  const row = await db.selectFrom('dossiers').selectAll().where('code', '=', code).executeTakeFirst();
  return row && parseDossier(row);
}

/**
 * Changes the row only if nobody changed it since it was read (same revision): true when this
 * writer won.
 */
export async function updateDossier(db: Db, id: string, revision: number, set: Partial<DossierRecord>): Promise<boolean> {
  const r = await db
    .updateTable('dossiers')
    .set({ ...serialiseDossier(set), revision: revision + 1 })
    .where('id', '=', id)
    .where('revision', '=', revision)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function appendAction(db: Db, row: Omit<ActionRecord, 'seq'>): Promise<number> {
  const last = await db
    .selectFrom('dossier_actions')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('dossier_id', '=', row.dossier_id)
    .executeTakeFirst();
  const seq = Number(last?.seq ?? 0) + 1;
  await db.insertInto('dossier_actions').values({ ...row, data: JSON.stringify(row.data), seq }).execute();
  return seq;
}

export async function listActions(db: Db, dossierId: string): Promise<ActionRecord[]> {
  return (await db.selectFrom('dossier_actions').selectAll().where('dossier_id', '=', dossierId).orderBy('seq').execute()).map(parseAction);
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
  return { total: Number(total), rows: rows.map(parseDossier) };
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

export async function findByExternalId(db: Db, externalId: string): Promise<DossierRecord | undefined> {
  const row = await db.selectFrom('dossiers').selectAll().where('external_id', '=', externalId).executeTakeFirst();
  return row && parseDossier(row);
}

export async function listResults(db: Db, dossierId: string) {
  return db.selectFrom('dossier_results').selectAll().where('dossier_id', '=', dossierId).orderBy('n').execute();
}

export type NewResult = DossierResultTable;

export async function insertResult(db: Db, row: NewResult): Promise<void> {
  await db.insertInto('dossier_results').values(row).execute();
}

/** Who held a step last: the person a forward or transfer sent the dossier to, or who took it there. */
export async function previousHolder(db: Db, dossierId: string, step: number): Promise<string | null> {
  const log = await listActions(db, dossierId);
  for (const a of log.reverse()) {
    if (!['transfer', 'forward', 'assign'].includes(a.action)) continue;
    const data = a.data as { step?: number; toUserId?: string };
    if (data.step === step) return data.toUserId ?? null;
  }
  return null;
}

/** Moves one dossier between status counts (drafts and practice dossiers are not counted). */
export async function moveStatusCount(db: Db, unitId: string, from: Status | null, to: Status): Promise<void> {
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
