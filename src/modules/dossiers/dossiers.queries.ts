// SQL for dossiers: the current-status row, the action log, codes, attachments, idempotency keys.
// Every function takes the database or a transaction. The JSON columns are parsed and serialised
// here: callers see and pass typed records, never JSON text.
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { AttachmentTable, DossierActionTable, DossierResultTable, DossierTable } from '../../db/schema.ts';
import { blankState, type DossierState, type Status } from '../../domain/dossier-status.ts';
import type { LookupKind, Sealer } from '../../domain/sealed.ts';

/** The applicant as filed: fullName, idNumber, phone, email, address, and any other `applicant.*` answer. */
export type Applicant = { fullName?: string; idNumber?: string; phone?: string; email?: string; address?: { line?: string; areaCode?: string }; [key: string]: unknown };
/** How the result goes back: method (counter, postal, online) and address. */
export type Delivery = { method?: string; address?: unknown; [key: string]: unknown };

type JsonColumns = 'applicant' | 'form' | 'delivery' | 'state';
/** Written from the applicant by serialiseDossier, never seen by callers. */
type HashColumns = 'applicant_id_hash' | 'applicant_phone_hash' | 'applicant_email_hash';

/**
 * A dossier's current-status row with its JSON columns parsed. The personal columns (applicant,
 * form, delivery) are sealed at rest (src/domain/sealed.ts, AES-256-GCM under DATA_KEY): sealed
 * here on write, opened here on read, so callers only see plain records.
 */
export type DossierRecord = Omit<DossierTable, JsonColumns | HashColumns> & {
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

/** The personal columns, sealed at rest; each value is bound to its row and column. */
export const sealedColumns = ['applicant', 'form', 'delivery'] as const;
const where = (column: string, id: string) => `dossiers.${column}/${id}`;

/** Opens a sealed column of one row (plain JSON written before encryption passes through). */
export function openColumn<T>(s: Sealer, column: (typeof sealedColumns)[number], id: string, text: string): T {
  return JSON.parse(s.open(text, where(column, id))) as T;
}

function parseDossier(row: DossierTable, s: Sealer): DossierRecord {
  const { applicant_id_hash: _i, applicant_phone_hash: _p, applicant_email_hash: _e, ...rest } = row;
  return {
    ...rest,
    applicant: openColumn<Applicant>(s, 'applicant', row.id, row.applicant),
    form: openColumn<Record<string, unknown>>(s, 'form', row.id, row.form),
    delivery: openColumn<Delivery>(s, 'delivery', row.id, row.delivery),
    state: row.state ? (JSON.parse(row.state) as DossierState) : { status: row.status, ...blankState },
  };
}

/** The look-up hashes of an applicant's ID number, phone and email. */
export function applicantHashes(s: Sealer, applicant: Applicant): Pick<DossierTable, HashColumns> {
  return {
    applicant_id_hash: s.lookup('id', applicant.idNumber),
    applicant_phone_hash: s.lookup('phone', applicant.phone),
    applicant_email_hash: s.lookup('email', applicant.email),
  };
}

function serialiseDossier(set: Partial<DossierRecord>, id: string, s: Sealer): Partial<DossierTable> {
  const { applicant, form, delivery, state, ...rest } = set;
  const out: Partial<DossierTable> = rest;
  if (applicant !== undefined) Object.assign(out, { applicant: s.seal(JSON.stringify(applicant), where('applicant', id)) }, applicantHashes(s, applicant));
  if (form !== undefined) out.form = s.seal(JSON.stringify(form), where('form', id));
  if (delivery !== undefined) out.delivery = s.seal(JSON.stringify(delivery), where('delivery', id));
  if (state !== undefined) out.state = JSON.stringify(state);
  return out;
}

function parseAction(row: DossierActionTable): ActionRecord {
  return { ...row, data: JSON.parse(row.data) as Record<string, unknown> };
}

export async function insertDossier(db: Db, row: DossierRecord, s: Sealer): Promise<void> {
  await db.insertInto('dossiers').values(serialiseDossier(row, row.id, s) as DossierTable).execute();
}

export async function findDossier(db: Db, id: string, s: Sealer): Promise<DossierRecord | undefined> {
  const row = await db.selectFrom('dossiers').selectAll().where('id', '=', id).executeTakeFirst();
  return row && parseDossier(row, s);
}

export async function findDossierByCode(db: Db, code: string, s: Sealer): Promise<DossierRecord | undefined> {
  const row = await db.selectFrom('dossiers').selectAll().where('code', '=', code).executeTakeFirst();
  return row && parseDossier(row, s);
}

const hashColumn = { id: 'applicant_id_hash', phone: 'applicant_phone_hash', email: 'applicant_email_hash' } as const;

/**
 * Dossiers whose applicant has this ID number, phone or email (any spelling of it: the value is
 * normalised, then matched by its keyed hash under the current or a previous key), newest first.
 */
export async function findByApplicant(db: Db, s: Sealer, kind: LookupKind, value: string, limit: number): Promise<DossierRecord[]> {
  const hashes = s.lookups(kind, value);
  if (!hashes.length) return [];
  const rows = await db.selectFrom('dossiers').selectAll().where(hashColumn[kind], 'in', hashes).orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
  return rows.map((r) => parseDossier(r, s));
}

/** One batch of a key rotation: the personal columns of up to `limit` dossiers after `afterId`, by id. */
export async function sealedBatch(db: Db, afterId: string, limit: number) {
  return db.selectFrom('dossiers').select(['id', ...sealedColumns]).where('id', '>', afterId).orderBy('id').limit(limit).execute();
}

/**
 * Re-seals one dossier's personal columns under the current key and recomputes its look-up
 * hashes (a key rotation, or a row written before encryption). False when nothing was stale.
 */
export async function resealDossier(db: Db, s: Sealer, row: { id: string; applicant: string; form: string; delivery: string }): Promise<boolean> {
  if (!sealedColumns.some((c) => s.stale(row[c]))) return false;
  const set = serialiseDossier({
    applicant: openColumn<Applicant>(s, 'applicant', row.id, row.applicant),
    form: openColumn<Record<string, unknown>>(s, 'form', row.id, row.form),
    delivery: openColumn<Delivery>(s, 'delivery', row.id, row.delivery),
  }, row.id, s);
  // Only if nobody changed the row since it was read (a writer seals under its own key anyway).
  const r = await db.updateTable('dossiers').set(set).where('id', '=', row.id)
    .where('applicant', '=', row.applicant).where('form', '=', row.form).where('delivery', '=', row.delivery).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Changes the row only if nobody changed it since it was read (same revision): true when this
 * writer won.
 */
export async function updateDossier(db: Db, id: string, revision: number, set: Partial<DossierRecord>, s: Sealer): Promise<boolean> {
  const r = await db
    .updateTable('dossiers')
    .set({ ...serialiseDossier(set, id, s), revision: revision + 1 })
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

/** Whether some dossier already has this code. */
export async function codeTaken(db: Db, code: string): Promise<boolean> {
  return !!(await db.selectFrom('dossiers').select('id').where('code', '=', code).executeTakeFirst());
}

export async function listOwnerDossiers(db: Db, ownerId: string, limit: number, offset: number, s: Sealer) {
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
  return { total: Number(total), rows: rows.map((r) => parseDossier(r, s)) };
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

/** An owner's drafts (never submitted): what a deletion request removes. */
export async function ownerDrafts(db: Db, ownerId: string) {
  return db.selectFrom('dossiers').select(['id']).where('owner_id', '=', ownerId).where('status', '=', 'draft').execute();
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

export async function findByExternalId(db: Db, externalId: string, s: Sealer): Promise<DossierRecord | undefined> {
  const row = await db.selectFrom('dossiers').selectAll().where('external_id', '=', externalId).executeTakeFirst();
  return row && parseDossier(row, s);
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

/** A dossier's columns a report to the national portal reads: none of the sealed personal ones. */
export const reportedColumns = [
  'id', 'code', 'procedure_id', 'procedure_version', 'unit_id', 'receiving_unit_id', 'channel', 'status', 'status_code', 'practice',
  'submitted_at', 'accepted_at', 'due_at', 'new_due_at', 'resolved_at', 'returned_at', 'revision',
] as const;

export type ReportedDossier = Pick<DossierTable, (typeof reportedColumns)[number]>;

export async function reportedDossier(db: Db, by: { id: string } | { code: string }): Promise<ReportedDossier | undefined> {
  const q = db.selectFrom('dossiers').select(reportedColumns);
  return ('id' in by ? q.where('id', '=', by.id) : q.where('code', '=', by.code)).executeTakeFirst();
}

/**
 * Holds the dossier's row until the transaction ends (a write that changes nothing): a change of
 * the dossier waits meanwhile.
 */
export async function holdDossier(tx: Db, id: string): Promise<void> {
  await tx.updateTable('dossiers').set((eb) => ({ revision: eb.ref('revision') })).where('id', '=', id).execute();
}
