// The accounts module's retention rules (run by src/modules/retention): sessions are deleted a
// while after they expire, sign-in failure counters once they have been idle and lock nobody.
import type { Db } from '../../db/connection.ts';
import type { Clock } from '../../domain/time.ts';
import { deleteExpiredSessions, deleteIdleThrottles } from './accounts.retention.queries.ts';

const day = 86400_000;

export class AccountsRetention {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  /** Deletes sessions that expired more than `days` days ago (0: every expired one). */
  async purgeSessions(days: number): Promise<number> {
    return deleteExpiredSessions(this.db, new Date(this.clock.now().getTime() - days * day).toISOString());
  }

  /** Deletes failure counters untouched for `days` days, unless they still lock someone out. */
  async purgeThrottle(days: number): Promise<number> {
    const now = this.clock.now();
    return deleteIdleThrottles(this.db, new Date(now.getTime() - days * day).toISOString(), now.toISOString());
  }
}
