// Issue 10, sign-in that cannot be raced or brute-forced: the throttle rows also hold sliding-window
// counters (sign-in failures per address, one-time codes issued per account and per address, wrong
// codes per account). `failures` is then this window's count, `previous_failures` the previous
// window's, and `window_start` when this window began.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('login_throttle').addColumn('window_start', 'text').execute();
  await db.schema.alterTable('login_throttle').addColumn('previous_failures', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
