// The feedback module's retention rule (run by src/modules/retention): the sender's name and
// contact are needed to answer them, and are cleared FEEDBACK_CONTACT_RETENTION_DAYS after the
// answer. The feedback itself, its answer and its publication stay: they are the unit's record.
import type { Db } from '../../db/connection.ts';
import type { Clock } from '../../domain/time.ts';
import { clearAnsweredContacts } from './feedback.retention.queries.ts';

export class FeedbackRetention {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  /** Clears the sender's name and contact on feedback answered more than `days` days ago. */
  async clearContacts(days: number): Promise<number> {
    return clearAnsweredContacts(this.db, new Date(this.clock.now().getTime() - days * 86400_000).toISOString());
  }
}
