// SQL for accounts and their roles.
import type { Db } from '../../db/connection.ts';

export async function findUserByUsername(db: Db, username: string) {
  return db.selectFrom('users').select(['id', 'username', 'name', 'password_hash']).where('username', '=', username).executeTakeFirst();
}

export async function insertUser(
  db: Db,
  user: { id: string; username: string; password_hash: string; name: string; created_at: string },
  role: { role: string; unit_id: string | null; subtree: number },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('users').values(user).execute();
    await tx.insertInto('user_roles').values({ user_id: user.id, ...role }).execute();
  });
}

export async function rolesOf(db: Db, userId: string) {
  return db.selectFrom('user_roles').select(['role', 'unit_id', 'subtree']).where('user_id', '=', userId).execute();
}
