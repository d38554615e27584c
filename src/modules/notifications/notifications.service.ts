// The notifications module as the rest of the portal sees it beyond enqueueing: the outbox's
// retention (sent messages after OUTBOX_RETENTION_DAYS, failed ones after OUTBOX_FAILED_RETENTION_DAYS).
import type { Db } from '../../db/connection.ts';
import type { Clock } from '../../domain/time.ts';
import { purgeOutbox } from './notifications.queries.ts';

const day = 86400_000;

export class NotificationsService {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  /** Deletes messages sent more than `sentDays` days ago and failed ones written more than `failedDays` ago. */
  async purge(sentDays: number, failedDays: number): Promise<{ sent: number; failed: number }> {
    const now = this.clock.now().getTime();
    return purgeOutbox(this.db, new Date(now - sentDays * day).toISOString(), new Date(now - failedDays * day).toISOString());
  }
}
