// SQL for personal data (Decree 13/2023/NĐ-CP): consents to the privacy notice, what an account
// holds for its export, and the deletion that removes what the law allows and pseudonymises the rest.
import type { Db } from '../../db/connection.ts';
import type { ConsentTable } from '../../db/schema.ts';

export async function insertConsent(db: Db, row: Omit<ConsentTable, 'withdrawn_at'>): Promise<void> {
  await db.insertInto('consents').values({ ...row, withdrawn_at: null }).execute();
}

export async function consentsOf(db: Db, userId: string) {
  return db.selectFrom('consents').selectAll().where('user_id', '=', userId).orderBy('given_at').orderBy('id').execute();
}

export async function findAccount(db: Db, userId: string) {
  return db.selectFrom('users').select(['id', 'username', 'name', 'email', 'phone', 'verified_at', 'created_at', 'deleted_at']).where('id', '=', userId).executeTakeFirst();
}

export async function identitiesOf(db: Db, userId: string) {
  return db.selectFrom('user_identities').select(['issuer', 'subject', 'created_at']).where('user_id', '=', userId).orderBy('created_at').execute();
}

/** The account's sessions, without their token hashes. */
export async function sessionsOf(db: Db, userId: string) {
  return db.selectFrom('sessions').select(['kind', 'created_at', 'expires_at', 'last_seen_at']).where('user_id', '=', userId).orderBy('created_at').execute();
}

/** Ratings the owner gave to their dossiers (`score` is 0 when only the three-level `satisfaction` was given). */
export async function ratingsOf(db: Db, ownerId: string) {
  return db
    .selectFrom('ratings')
    .innerJoin('dossiers', 'dossiers.id', 'ratings.dossier_id')
    .select(['ratings.dossier_id', 'dossiers.code', 'ratings.satisfaction', 'ratings.score', 'ratings.comment', 'ratings.created_at'])
    .where('dossiers.owner_id', '=', ownerId)
    .orderBy('ratings.created_at')
    .execute();
}

/** Feedback sent with one of these contacts (feedback keeps no account id: the contact is the link). */
export async function feedbackFrom(db: Db, contacts: readonly string[]) {
  if (!contacts.length) return [];
  return db
    .selectFrom('feedback')
    .select(['id', 'unit_id', 'procedure_id', 'dossier_code', 'name', 'contact', 'subject', 'body', 'created_at', 'status', 'answer', 'answered_at', 'published'])
    .where('contact', 'in', contacts)
    .orderBy('created_at')
    .execute();
}

export const deletedName = 'Người dùng đã xóa';

/**
 * Removes an account's personal data that no law requires to keep, in the caller's transaction:
 * sessions, identities, one-time codes, the sign-in throttle row, the contact on feedback it
 * sent; keeps the consents (marked withdrawn) and the account row, pseudonymised, because
 * submitted dossiers still name it as their owner.
 */
export async function pseudonymise(db: Db, account: { id: string; username: string; contacts: readonly string[] }, at: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', account.id).execute();
  await db.deleteFrom('user_identities').where('user_id', '=', account.id).execute();
  await db.deleteFrom('one_time_codes').where('user_id', '=', account.id).execute();
  await db.deleteFrom('login_throttle').where('key', '=', `user:${account.username}`).execute();
  if (account.contacts.length) await db.updateTable('feedback').set({ name: deletedName, contact: '' }).where('contact', 'in', account.contacts).execute();
  await db.updateTable('consents').set({ withdrawn_at: at }).where('user_id', '=', account.id).where('withdrawn_at', 'is', null).execute();
  await db
    .updateTable('users')
    .set({ name: deletedName, username: `deleted-${account.id}`, email: null, phone: null, password_hash: '', deleted_at: at })
    .where('id', '=', account.id)
    .execute();
}

/** Whether a consent for this dossier is recorded already (a retried submission records it once). */
export async function hasDossierConsent(db: Db, userId: string, dossierId: string): Promise<boolean> {
  const row = await db.selectFrom('consents').select('id').where('user_id', '=', userId).where('dossier_id', '=', dossierId).executeTakeFirst();
  return row !== undefined;
}
