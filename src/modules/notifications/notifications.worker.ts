// Delivers the outbox: claims due messages, renders them, sends each through its channel, and
// records the outcome, retrying failures with backoff. Any number of instances may run one.
import { PollingLoop } from '../../polling.ts';
import type { Logger } from 'pino';
import type { Db } from '../../db/connection.ts';
import { maxAttempts, nextAttemptAt } from '../../domain/backoff.ts';
import type { Clock } from '../../domain/time.ts';
import { isLang } from '../../i18n/index.ts';
import { claimDue, markFailed, markRetry, markSent, type OutboxMessage } from './notifications.queries.ts';
import { isTemplateKey, render } from './notifications.templates.ts';
import type { Transports } from './notifications.transports.ts';

export type WorkerOptions = Transports & {
  db: Db;
  clock: Clock;
  log?: Logger;
  /** Messages claimed per run (20). */
  batchSize?: number;
  /** How long a claim lasts before another worker may take the message over (60 s). */
  leaseMs?: number;
};

export type RunResult = { sent: number; retried: number; failed: number };

/** Keeps stored errors readable and bounded: an SMTP reply can quote a whole message. */
function describe(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 1000 ? `${text.slice(0, 999)}…` : text;
}

export class NotificationWorker {
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly poller: PollingLoop;

  constructor(private readonly opts: WorkerOptions) {
    this.batchSize = opts.batchSize ?? 20;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.poller = new PollingLoop(async () => {
      const r = await this.runOnce();
      return r.sent + r.retried + r.failed >= this.batchSize;
    }, (err) => this.opts.log?.error({ err }, 'outbox run failed'));
  }

  /** One batch. Database errors propagate: the claims they leave run out and are taken again. */
  async runOnce(): Promise<RunResult> {
    const { db, clock, log } = this.opts;
    const result: RunResult = { sent: 0, retried: 0, failed: 0 };
    const batch = await claimDue(db, clock.now(), this.batchSize, this.leaseMs);
    for (const msg of batch) {
      // A slow batch can outlast the lease of its last messages; those now belong to whichever
      // worker claims them next, and sending them here as well would send them twice.
      if (clock.now().toISOString() >= msg.claimedUntil!) continue;
      // A claim past the last attempt means workers died while sending it (a message that crashes
      // the process, say): give up rather than try for ever.
      if (msg.attempts > maxAttempts) {
        await markFailed(db, msg.id, msg.lastError ?? 'the worker stopped while sending it');
        result.failed++;
        continue;
      }
      let error: string | null = null;
      try {
        await this.deliver(msg);
      } catch (err) {
        error = describe(err);
      }
      // Marked outside the try: a database error after a successful send must not count as a
      // failed send and send it again.
      if (error === null) {
        await markSent(db, msg.id, clock.now());
        result.sent++;
        continue;
      }
      // Every failure is retried, a rendering error too: during a rolling deploy an older instance
      // may claim a message whose template only the newer one knows.
      const next = nextAttemptAt(msg.attempts, clock.now());
      if (next) {
        await markRetry(db, msg.id, error, next);
        result.retried++;
        log?.warn({ outboxId: msg.id, channel: msg.channel, attempts: msg.attempts, nextAttemptAt: next.toISOString(), error }, 'message not sent, will retry');
      } else {
        await markFailed(db, msg.id, error);
        result.failed++;
        log?.error({ outboxId: msg.id, channel: msg.channel, attempts: msg.attempts, error }, 'message not sent, giving up');
      }
    }
    return result;
  }

  private async deliver(msg: OutboxMessage): Promise<void> {
    if (!isTemplateKey(msg.template)) throw new Error(`unknown message template ${JSON.stringify(msg.template)}`);
    if (!isLang(msg.lang)) throw new Error(`unknown message language ${JSON.stringify(msg.lang)}`);
    const rendered = render(msg.template, msg.lang, msg.params);
    const info = { template: msg.template };
    if (msg.channel === 'email') return this.opts.email.send(msg.recipient, rendered.subject, rendered.text, info);
    if (msg.channel === 'sms') return this.opts.sms.send(msg.recipient, rendered.sms, info);
    throw new Error(`unknown channel ${JSON.stringify(msg.channel)}`);
  }

  /** Polls every `intervalMs` (src/polling.ts): runs never overlap, and a full batch runs again at once. */
  start(intervalMs = 5_000): void {
    this.poller.start(intervalMs);
  }

  /** Stops polling; resolves once the run in flight, if any, has finished. */
  stop(): Promise<void> {
    return this.poller.stop();
  }
}
