// SQL for accounts: users and roles, one-time codes, sessions, sign-in throttling.
// Every function takes the database or a transaction (a Kysely Transaction is a Kysely).
import type { Db } from '../../db/connection.ts';

export async function findUserByUsername(db: Db, username: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'name', 'password_hash', 'email', 'phone', 'verified_at', 'disabled_at'])
    .where('username', '=', username)
    .executeTakeFirst();
}

export async function findUserById(db: Db, id: string) {
  return db.selectFrom('users').select(['id', 'username', 'name', 'email', 'phone', 'verified_at']).where('id', '=', id).executeTakeFirst();
}

export type NewUserRow = {
  id: string; username: string; password_hash: string; name: string; email: string | null; phone: string | null;
  verified_at: string | null; created_at: string;
};

export async function insertUser(db: Db, user: NewUserRow, role: { role: string; unit_id: string | null; subtree: number }): Promise<void> {
  await db.insertInto('users').values(user).execute();
  await db.insertInto('user_roles').values({ user_id: user.id, ...role }).execute();
}

export async function updateUnverifiedUser(db: Db, id: string, set: { password_hash: string; name: string }): Promise<void> {
  await db.updateTable('users').set(set).where('id', '=', id).where('verified_at', 'is', null).execute();
}

export async function setVerified(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('users').set({ verified_at: at }).where('id', '=', id).execute();
}

export async function setPassword(db: Db, id: string, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
}

export async function rolesOf(db: Db, userId: string) {
  return db.selectFrom('user_roles').select(['role', 'unit_id', 'subtree']).where('user_id', '=', userId).orderBy('role').execute();
}

// Identities at an OpenID Connect provider

export async function findIdentityUser(db: Db, issuer: string, subject: string) {
  return db
    .selectFrom('user_identities')
    .innerJoin('users', 'users.id', 'user_identities.user_id')
    .select(['users.id', 'users.username', 'users.name', 'users.email', 'users.phone', 'users.verified_at'])
    .where('user_identities.issuer', '=', issuer)
    .where('user_identities.subject', '=', subject)
    .executeTakeFirst();
}

export async function insertIdentity(db: Db, row: { issuer: string; subject: string; user_id: string; created_at: string }): Promise<void> {
  await db.insertInto('user_identities').values(row).execute();
}

/** Makes an unconfirmed account the provider's: whoever typed its password never proved the address. */
export async function claimUnverifiedUser(db: Db, id: string, set: { name: string; verified_at: string }): Promise<void> {
  await db.updateTable('users').set({ ...set, password_hash: '' }).where('id', '=', id).where('verified_at', 'is', null).execute();
}

// One-time codes

export async function insertCode(db: Db, row: { id: string; user_id: string; purpose: string; code_hash: string; created_at: string; expires_at: string }): Promise<void> {
  // A new code replaces any earlier one for the same purpose.
  await db.deleteFrom('one_time_codes').where('user_id', '=', row.user_id).where('purpose', '=', row.purpose).execute();
  await db.insertInto('one_time_codes').values({ ...row, attempts: 0, used_at: null }).execute();
}

export async function findLiveCode(db: Db, userId: string, purpose: string, now: string) {
  return db
    .selectFrom('one_time_codes')
    .select(['id', 'code_hash', 'attempts'])
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function countCodeAttempt(db: Db, id: string): Promise<void> {
  await db.updateTable('one_time_codes').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('id', '=', id).execute();
}

/** Marks a code used, once: true only for the request that used it. */
export async function useCode(db: Db, id: string, at: string): Promise<boolean> {
  const r = await db.updateTable('one_time_codes').set({ used_at: at }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// Sessions

export async function insertSession(db: Db, row: { token_hash: string; user_id: string; kind: string; created_at: string; expires_at: string }): Promise<void> {
  await db.insertInto('sessions').values({ ...row, last_seen_at: row.created_at }).execute();
}

export async function findSessionUser(db: Db, tokenHash: string, now: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.username', 'users.name', 'users.email', 'users.phone', 'users.verified_at', 'sessions.kind', 'sessions.expires_at'])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteUserSessions(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

// Sign-in throttling and one-time-code limits: accounts.limits.queries.ts (every count in one statement).
