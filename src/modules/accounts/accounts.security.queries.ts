// SQL for staff security (issue 10): session limits, the second factor, pending sign-ins, role
// policies, disabling accounts and revoking roles.
import type { Db } from '../../db/connection.ts';

// Sessions

export async function insertSession(db: Db, row: { token_hash: string; user_id: string; kind: string; created_at: string; expires_at: string; idle_seconds: number }): Promise<void> {
  await db.insertInto('sessions').values({ ...row, last_seen_at: row.created_at }).execute();
}

/** A session and its account, whatever its age: the caller decides whether it ran out. */
export async function findSession(db: Db, tokenHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'users.id', 'users.username', 'users.name', 'users.email', 'users.phone', 'users.verified_at', 'users.disabled_at', 'users.totp_enabled_at',
      'sessions.kind', 'sessions.expires_at', 'sessions.last_seen_at', 'sessions.idle_seconds',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchSession(db: Db, tokenHash: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('token_hash', '=', tokenHash).execute();
}

export async function deleteSessionsOf(db: Db, userId: string): Promise<number> {
  const r = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// The second factor

export async function userSecurity(db: Db, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'disabled_at', 'totp_secret', 'totp_enabled_at', 'totp_last_step'])
    .where('id', '=', userId)
    .executeTakeFirst();
}

/** A new secret, not yet on: it turns on with the first good code. */
export async function setTotpSecret(db: Db, userId: string, sealed: string): Promise<void> {
  await db.updateTable('users').set({ totp_secret: sealed, totp_enabled_at: null, totp_last_step: null, totp_failures: 0 }).where('id', '=', userId).execute();
}

/** Every stored second-factor secret, for re-sealing under a new DATA_KEY. */
export async function totpSecrets(db: Db): Promise<Array<{ id: string; sealed: string }>> {
  const rows = await db.selectFrom('users').select(['id', 'totp_secret']).where('totp_secret', 'is not', null).execute();
  return rows.map((r) => ({ id: r.id, sealed: r.totp_secret! }));
}

/** Replaces a secret's seal, only if nobody changed it since it was read; the factor's state is kept. */
export async function resealTotpSecret(db: Db, userId: string, from: string, to: string): Promise<boolean> {
  const r = await db.updateTable('users').set({ totp_secret: to }).where('id', '=', userId).where('totp_secret', '=', from).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function enableTotp(db: Db, userId: string, at: string): Promise<void> {
  await db.updateTable('users').set({ totp_enabled_at: at }).where('id', '=', userId).execute();
}

export async function clearTotp(db: Db, userId: string): Promise<void> {
  await db.updateTable('users').set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null, totp_failures: 0 }).where('id', '=', userId).execute();
}

/** Records the step of an accepted code, once: false when that step (or a later one) was used already. */
export async function useTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Counts a wrong-code try before the code is checked: false once `max` tries in a row were used (parallel guesses each count). */
export async function countTotpTry(db: Db, userId: string, max: number): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set((eb) => ({ totp_failures: eb('totp_failures', '+', 1) }))
    .where('id', '=', userId)
    .where('totp_failures', '<', max)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function resetTotpTries(db: Db, userId: string): Promise<void> {
  await db.updateTable('users').set({ totp_failures: 0 }).where('id', '=', userId).execute();
}

// Pending sign-ins (between the password and the code)

export async function insertPending(db: Db, row: { token_hash: string; user_id: string; kind: string; created_at: string; expires_at: string }): Promise<void> {
  await db.insertInto('pending_sign_ins').values(row).execute();
}

export async function findPending(db: Db, tokenHash: string, now: string) {
  return db
    .selectFrom('pending_sign_ins')
    .select(['token_hash', 'user_id', 'kind'])
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function deletePending(db: Db, tokenHash: string): Promise<boolean> {
  const r = await db.deleteFrom('pending_sign_ins').where('token_hash', '=', tokenHash).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

// Role policies

export async function rolePolicies(db: Db) {
  return db.selectFrom('role_policies').select(['role', 'require_totp']).orderBy('role').execute();
}

export async function rolesRequiringTotp(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('user_roles')
    .innerJoin('role_policies', 'role_policies.role', 'user_roles.role')
    .select('user_roles.role')
    .where('user_roles.user_id', '=', userId)
    .where('role_policies.require_totp', '=', 1)
    .execute();
  return rows.map((r) => r.role);
}

export async function setRolePolicy(db: Db, role: string, requireTotp: boolean, at: string): Promise<void> {
  await db
    .insertInto('role_policies')
    .values({ role, require_totp: requireTotp ? 1 : 0, updated_at: at })
    .onConflict((oc) => oc.column('role').doUpdateSet({ require_totp: requireTotp ? 1 : 0, updated_at: at }))
    .execute();
}

// Administration

export type AccountRow = { id: string; username: string; name: string; disabled_at: string | null; totp_enabled_at: string | null };

/** Accounts whose name or username contains `text`, optionally only those holding a role at one of `unitIds`. */
export async function searchAccounts(db: Db, text: string, unitIds: string[] | null, limit: number): Promise<AccountRow[]> {
  let query = db.selectFrom('users').select(['id', 'username', 'name', 'disabled_at', 'totp_enabled_at']);
  if (text) {
    // Wildcards typed by the searcher are dropped (SQLite has no default LIKE escape).
    const like = `%${text.toLowerCase().replace(/[\\%_]/g, "")}%`;
    query = query.where((eb) => eb.or([eb(eb.fn('lower', ['username']), 'like', like), eb(eb.fn('lower', ['name']), 'like', like)]));
  }
  if (unitIds) {
    if (!unitIds.length) return [];
    query = query.where('id', 'in', db.selectFrom('user_roles').select('user_id').where('unit_id', 'in', unitIds));
  }
  return query.orderBy('username').limit(limit).execute();
}

export async function rolesOfMany(db: Db, userIds: string[]) {
  if (!userIds.length) return [];
  return db.selectFrom('user_roles').select(['user_id', 'role', 'unit_id', 'subtree']).where('user_id', 'in', userIds).orderBy('role').execute();
}

export async function findAccount(db: Db, by: { id?: string; username?: string }): Promise<AccountRow | undefined> {
  let query = db.selectFrom('users').select(['id', 'username', 'name', 'disabled_at', 'totp_enabled_at']);
  if (by.id) query = query.where('id', '=', by.id);
  else query = query.where('username', '=', by.username ?? '');
  return query.executeTakeFirst();
}

export async function setDisabled(db: Db, userId: string, at: string | null): Promise<void> {
  await db.updateTable('users').set({ disabled_at: at }).where('id', '=', userId).execute();
}

/** Removes one role (at one unit, or every unit when unitId is undefined); how many were removed. */
export async function deleteRole(db: Db, userId: string, role: string, unitId: string | null | undefined): Promise<number> {
  let query = db.deleteFrom('user_roles').where('user_id', '=', userId).where('role', '=', role);
  if (unitId !== undefined) query = unitId === null ? query.where('unit_id', 'is', null) : query.where('unit_id', '=', unitId);
  const r = await query.executeTakeFirst();
  return Number(r.numDeletedRows);
}
