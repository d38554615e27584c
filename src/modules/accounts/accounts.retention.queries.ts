// SQL for the accounts module's retention rules (src/modules/retention): expired sessions and idle
// sign-in failure counters.
import type { Db } from '../../db/connection.ts';

/** Sessions that expired before `before`. */
export async function deleteExpiredSessions(db: Db, before: string): Promise<number> {
  const r = await db.deleteFrom('sessions').where('expires_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Failure counters last moved before `before` whose lock, if any, has ended by `now`. */
export async function deleteIdleThrottles(db: Db, before: string, now: string): Promise<number> {
  const r = await db
    .deleteFrom('login_throttle')
    .where('updated_at', '<', before)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
