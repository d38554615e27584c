// Delivers the national sync's events (docs/national-sync.md): claims the head event of each
// dossier that has one due, POSTs it, and on a 2xx answer marks it sent and goes on with that
// dossier's next event; anything else is retried with backoff, never given up, and holds back the
// dossier's later events until it is delivered. Any number of instances may run one.
import { PollingLoop } from '../../polling.ts';
import type { Logger } from 'pino';
import type { Db } from '../../db/connection.ts';
import { stripPersonalData } from '../../domain/personal-text.ts';
import type { Clock } from '../../domain/time.ts';
import { claimHeads, claimNextOf, markRetry, markSent, type SyncEventRow } from './sync.queries.ts';
import { retryDelayMs, type NationalSyncSettings } from './sync.service.ts';

export type SyncWorkerOptions = {
  db: Db;
  clock: Clock;
  settings: NationalSyncSettings;
  log?: Logger;
  /** Dossiers claimed per run (20). */
  batchSize?: number;
  /** Requests in flight at once, each for a different dossier (4). */
  concurrency?: number;
  /** Events of one dossier sent one after the other in a run before it waits for the next (50). */
  chainLimit?: number;
  /**
   * How long a claim lasts before another worker may take the event over: longer than the
   * request timeout, so a worker never still waits for an answer once its claim has run out.
   */
  leaseMs?: number;
};

/** Events delivered, events that failed (to be retried), and dossiers claimed. */
export type SyncRunResult = { sent: number; retried: number; dossiers: number };

/** What a failed attempt leaves in `last_error` and the log: the status, or the network error; never the payload or the key. */
function describe(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
  const text = err instanceof Error ? `${err.message}${cause}` : String(err);
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

class Refused extends Error {}

export class SyncWorker {
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly chainLimit: number;
  private readonly leaseMs: number;
  private readonly poller: PollingLoop;

  constructor(private readonly opts: SyncWorkerOptions) {
    this.batchSize = opts.batchSize ?? 20;
    this.concurrency = opts.concurrency ?? 4;
    this.chainLimit = opts.chainLimit ?? 50;
    this.leaseMs = opts.leaseMs ?? opts.settings.timeoutMs * 2 + 30_000;
    this.poller = new PollingLoop(async () => (await this.runOnce()).dossiers >= this.batchSize, (err) => this.opts.log?.error({ err }, 'national sync run failed'));
  }

  /** One run: the due dossiers' events, each dossier's in order. Database errors propagate; the claims they leave run out. */
  async runOnce(): Promise<SyncRunResult> {
    const heads = await claimHeads(this.opts.db, this.opts.clock.now(), this.batchSize, this.leaseMs);
    const result: SyncRunResult = { sent: 0, retried: 0, dossiers: heads.length };
    let next = 0;
    const lane = async () => {
      while (next < heads.length) await this.drain(heads[next++]!, result);
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, heads.length) }, lane));
    return result;
  }

  /** Sends a dossier's events one after the other, from its claimed head, until one fails or none is due. */
  private async drain(first: SyncEventRow, result: SyncRunResult): Promise<void> {
    const { db, clock } = this.opts;
    let event: SyncEventRow | null = first;
    for (let n = 0; event && n < this.chainLimit; n++) {
      // A claim that ran out belongs to whichever worker takes the event next: sending it here too
      // could overtake that worker's sending of the dossier's next event.
      if (clock.now().toISOString() >= event.claimed_until!) return;
      if (!(await this.attempt(event, result))) return;
      event = await claimNextOf(db, event.dossier_id, clock.now(), this.leaseMs);
    }
  }

  private async attempt(event: SyncEventRow, result: SyncRunResult): Promise<boolean> {
    const { db, clock, log, settings } = this.opts;
    let error: string | null = null;
    try {
      await this.post(event);
    } catch (err) {
      error = describe(err, settings.timeoutMs);
    }
    // Marked outside the try: a database error after a delivery must not count as a failed delivery.
    if (error === null) {
      await markSent(db, event.id, clock.now());
      result.sent++;
      return true;
    }
    const next = new Date(clock.now().getTime() + retryDelayMs(event.attempts));
    await markRetry(db, event.id, event.attempts, error, next);
    result.retried++;
    log?.warn({ syncEventId: event.id, dossierId: event.dossier_id, seq: event.seq, attempts: event.attempts, nextAttemptAt: next.toISOString(), error }, 'national sync: event not delivered, will retry');
    return false;
  }

  private async post(event: SyncEventRow): Promise<void> {
    const { settings } = this.opts;
    const res = await fetch(settings.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': settings.key, 'idempotency-key': event.id },
      body: event.payload,
      // A redirect is an answer that is not 2xx: the key is never sent on to another address.
      redirect: 'manual',
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    // The receiver's own words help the operator; they are kept short and masked like free text.
    const text = (await res.text()).replace(/\s+/g, ' ').trim().slice(0, 200);
    if (res.status < 200 || res.status > 299) throw new Refused(`HTTP ${res.status}${text ? ` ${stripPersonalData(text, '[…]')}` : ''}`);
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
