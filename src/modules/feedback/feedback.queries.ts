// SQL for satisfaction ratings and public feedback.
import type { Db } from '../../db/connection.ts';
import type { FeedbackTable, RatingTable } from '../../db/schema.ts';

export async function findRating(db: Db, dossierId: string) {
  return db.selectFrom('ratings').selectAll().where('dossier_id', '=', dossierId).executeTakeFirst();
}

export async function ratedAmong(db: Db, dossierIds: readonly string[]): Promise<Set<string>> {
  if (!dossierIds.length) return new Set();
  const rows = await db.selectFrom('ratings').select('dossier_id').where('dossier_id', 'in', dossierIds).execute();
  return new Set(rows.map((r) => r.dossier_id));
}

export async function insertRating(db: Db, row: RatingTable): Promise<void> {
  await db.insertInto('ratings').values(row).execute();
}

export async function insertFeedback(db: Db, row: FeedbackTable): Promise<void> {
  await db.insertInto('feedback').values(row).execute();
}

export async function findFeedback(db: Db, id: string) {
  return db.selectFrom('feedback').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function answerFeedback(db: Db, id: string, set: { answer: string; answered_at: string; answered_by: string; published: number }): Promise<boolean> {
  const r = await db.updateTable('feedback').set({ ...set, status: 'answered' }).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Feedback to the units in scope, unanswered first, newest first. */
export async function feedbackForUnits(db: Db, unitIds: readonly string[], limit: number, offset: number) {
  if (!unitIds.length) return { total: 0, rows: [] };
  const base = db.selectFrom('feedback').where('unit_id', 'in', unitIds);
  const [{ n } = { n: 0 }] = await base.select((eb) => eb.fn.countAll<number>().as('n')).execute();
  const rows = await base.selectAll().orderBy('status', 'desc').orderBy('created_at', 'desc').orderBy('id').limit(limit).offset(offset).execute();
  return { total: Number(n), rows };
}

/** Answered items the units chose to publish, newest answer first; never the sender's contact. */
export async function publishedFeedback(db: Db, limit: number, offset: number) {
  const base = db.selectFrom('feedback').where('published', '=', 1).where('status', '=', 'answered');
  const [{ n } = { n: 0 }] = await base.select((eb) => eb.fn.countAll<number>().as('n')).execute();
  const rows = await base
    .select(['id', 'unit_id', 'procedure_id', 'subject', 'body', 'created_at', 'answer', 'answered_at'])
    .orderBy('answered_at', 'desc').orderBy('id').limit(limit).offset(offset).execute();
  return { total: Number(n), rows };
}
