// SQL for the sign-in and one-time-code limits: every count moves in one statement
// (INSERT … ON CONFLICT DO UPDATE … RETURNING, on both dialects), so N parallel requests count N.
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

/**
 * Counts one more attempt under `key` unless it is locked at `now`, and sets the lock the new count
 * earns: `steps` gives the lock end for each count from `free` on, `maxUntil` the end beyond the
 * last step. Answers the new count, or null (nothing counted) when the key is locked.
 */
export async function countAttempt(
  db: Db, key: string, now: string, lock: { free: number; steps: Array<{ failures: number; until: string }>; maxUntil: string },
): Promise<number | null> {
  const next = sql`login_throttle.failures + 1`;
  const whens = sql.join(lock.steps.map((s) => sql`when ${next} = ${s.failures} then ${s.until}`), sql` `);
  const first = lock.free <= 1 ? (lock.steps[0]?.until ?? lock.maxUntil) : null;
  const row = await db
    .insertInto('login_throttle')
    .values({ key, failures: 1, locked_until: first, updated_at: now })
    .onConflict((oc) =>
      oc.column('key')
        .doUpdateSet({
          failures: sql<number>`${next}`,
          locked_until: sql<string | null>`case when ${next} < ${lock.free} then null ${whens} else ${lock.maxUntil} end`,
          updated_at: now,
        })
        .where((eb) => eb.or([eb('login_throttle.locked_until', 'is', null), eb('login_throttle.locked_until', '<=', now)])),
    )
    .returning(['failures'])
    .executeTakeFirst();
  return row ? Number(row.failures) : null;
}

export async function lockedUntil(db: Db, key: string): Promise<string | null> {
  const row = await db.selectFrom('login_throttle').select('locked_until').where('key', '=', key).executeTakeFirst();
  return row?.locked_until ?? null;
}

export async function clearCount(db: Db, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

export type Window = { start: string; previousStart: string; nextStart: string };

/**
 * Counts one event in a sliding window: a row that last counted in an older window rolls over (its
 * count becomes the previous one, or zero when two windows old). Answers both counts after this one.
 */
export async function countInWindow(db: Db, key: string, w: Window, now: string): Promise<{ current: number; previous: number }> {
  const row = await db
    .insertInto('login_throttle')
    .values({ key, failures: 1, previous_failures: 0, window_start: w.start, locked_until: null, updated_at: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        previous_failures: sql<number>`case when login_throttle.window_start = ${w.start} then login_throttle.previous_failures
          when login_throttle.window_start = ${w.previousStart} then login_throttle.failures else 0 end`,
        failures: sql<number>`case when login_throttle.window_start = ${w.start} then login_throttle.failures + 1 else 1 end`,
        window_start: w.start,
        updated_at: now,
      }),
    )
    .returning(['failures', 'previous_failures'])
    .executeTakeFirstOrThrow();
  return { current: Number(row.failures), previous: Number(row.previous_failures) };
}

/** Takes back one event counted in window `w` (it was refused, or it was no failure after all). */
export async function uncountInWindow(db: Db, key: string, w: Window): Promise<void> {
  await db.updateTable('login_throttle').set((eb) => ({ failures: eb('failures', '-', 1) }))
    .where('key', '=', key).where('window_start', '=', w.start).where('failures', '>', 0).execute();
  // The window may have rolled over meanwhile: the event is then in the previous count.
  await db.updateTable('login_throttle').set((eb) => ({ previous_failures: eb('previous_failures', '-', 1) }))
    .where('key', '=', key).where('window_start', '=', w.nextStart).where('previous_failures', '>', 0).execute();
}
