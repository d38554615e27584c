// A stand-in for the national portal's receiving adapter (docs/national-sync.md): a real HTTP server
// on 127.0.0.1 that takes events the way the contract says a receiver must. POST /events with the
// right X-Api-Key (401 otherwise) and a JSON event whose eventId is the Idempotency-Key; a repeated
// key answers 200 again and is counted as a repeat, never recorded twice; events are recorded in the
// order they arrive. Tests steer it (answer 500 for the next N requests, hang past the client's
// timeout, or record and then lose the answer); `npm start` runs it when NATIONAL_SYNC_URL is unset,
// and the administrator's page shows what it received.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { StandInView, SyncEvent } from './sync.service.ts';

export type ReceivedEvent = { receivedAt: string; idempotencyKey: string; event: Partial<SyncEvent> & Record<string, unknown> };

/** One request as it arrived, refused ones too: what the tests check headers on. */
export type SeenRequest = { apiKey: string | null; idempotencyKey: string | null; contentType: string | null; status: number | 'hung'; code: string | null; seq: number | null };

const maxBody = 1024 * 1024;

export class SyncStandIn implements StandInView {
  /** Recorded events, first arrival of each key, in order. */
  readonly received: ReceivedEvent[] = [];
  /** Every request to /events, in order. */
  readonly requests: SeenRequest[] = [];
  /** Events that arrived again under a key already recorded (answered 200, not recorded). */
  repeats = 0;
  /** New events whose seq was lower than one already recorded for the same dossier code. */
  outOfOrder = 0;
  /** Times a request for a dossier arrived while another request for it was unanswered. */
  overlaps = 0;
  /**
   * Idempotency keys already recorded, oldest first (a Set keeps insertion order), bounded to the last
   * `remember` keys so that a long demo does not grow it without end. `remember` is at least `keep`,
   * so every recorded event still shown is still known; a key older than that would be recorded again,
   * but the worker retries a lost answer within its capped backoff, long before that many newer events.
   */
  private readonly seen = new Set<string>();
  private readonly lastSeq = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  private failing = 0;
  private failStatus = 500;
  private hanging = 0;
  private losing = 0;
  private readonly server: http.Server;

  private constructor(readonly key: string, private readonly keep: number, private readonly remember: number) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    // A hung request keeps its socket until the client gives up; closing must not wait for it.
    this.server.keepAliveTimeout = 1_000;
  }

  /**
   * Starts listening on 127.0.0.1 (a free port unless given). `keep`: recorded events kept (the oldest
   * are dropped). `remember`: idempotency keys remembered (the oldest are forgotten); at least `keep`,
   * by default the larger of `keep` and 10,000.
   */
  static async start(opts: { key: string; port?: number; keep?: number; remember?: number }): Promise<SyncStandIn> {
    const keep = opts.keep ?? 100_000;
    const s = new SyncStandIn(opts.key, keep, Math.max(keep, opts.remember ?? 10_000));
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject);
      s.server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    return s;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/events`;
  }

  /** The next `n` requests (with the right key) are answered `status` (500), not recorded. */
  failNext(n: number, status = 500): void {
    this.failing = n;
    this.failStatus = status;
  }

  /** The next `n` requests are never answered (the client's timeout ends them); not recorded. */
  hangNext(n: number): void {
    this.hanging = n;
  }

  /** The next `n` new events are recorded, then answered 500, as if the answer was lost on the way. */
  loseAnswerNext(n: number): void {
    this.losing = n;
  }

  /** The last `limit` recorded events, newest first. */
  recent(limit: number): ReceivedEvent[] {
    return this.received.slice(-limit).reverse();
  }

  /** Recorded events of one dossier code, in arrival order. */
  eventsOf(code: string): ReceivedEvent[] {
    return this.received.filter((r) => r.event.code === code);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/events') return answer(res, 404, { error: { code: 'not_found', message: 'POST /events' } });
    if (req.method !== 'POST') return answer(res, 405, { error: { code: 'method_not_allowed', message: 'POST /events' } });
    const header = (name: string) => {
      const v = req.headers[name];
      return typeof v === 'string' ? v : null;
    };
    const seen: SeenRequest = { apiKey: header('x-api-key'), idempotencyKey: header('idempotency-key'), contentType: header('content-type'), status: 0, code: null, seq: null };
    this.requests.push(seen);
    const finish = (status: number, body: unknown) => {
      seen.status = status;
      answer(res, status, body);
    };
    const given = Buffer.from(seen.apiKey ?? '');
    const expected = Buffer.from(this.key);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return finish(401, { error: { code: 'unauthorized', message: 'X-Api-Key is missing or wrong' } });
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch {
      return finish(413, { error: { code: 'too_large', message: 'at most 1 MB' } });
    }
    if (!/^application\/json\b/i.test(seen.contentType ?? '')) return finish(415, { error: { code: 'unsupported_media_type', message: 'Content-Type must be application/json' } });
    let event: ReceivedEvent['event'];
    try {
      event = JSON.parse(raw.toString('utf8')) as ReceivedEvent['event'];
      if (!event || typeof event !== 'object' || Array.isArray(event)) throw new Error();
    } catch {
      return finish(400, { error: { code: 'bad_json', message: 'the body is not a JSON object' } });
    }
    seen.code = typeof event.code === 'string' ? event.code : null;
    seen.seq = typeof event.seq === 'number' ? event.seq : null;
    const key = seen.idempotencyKey;
    if (!key || key !== event.eventId || !seen.code || seen.seq === null) {
      return finish(400, { error: { code: 'bad_event', message: 'Idempotency-Key must equal eventId; code and seq are required' } });
    }
    const dossier = seen.code;
    const busy = this.inFlight.get(dossier) ?? 0;
    if (busy > 0) this.overlaps++;
    this.inFlight.set(dossier, busy + 1);
    const done = () => this.inFlight.set(dossier, (this.inFlight.get(dossier) ?? 1) - 1);
    if (this.hanging > 0) {
      this.hanging--;
      seen.status = 'hung';
      res.once('close', done);
      return;
    }
    done();
    if (this.failing > 0) {
      this.failing--;
      return finish(this.failStatus, { error: { code: 'unavailable', message: 'the stand-in was told to fail' } });
    }
    if (this.seen.has(key)) {
      this.repeats++;
      return finish(200, { status: 'repeat', eventId: key });
    }
    this.seen.add(key);
    if (this.seen.size > this.remember) this.seen.delete(this.seen.values().next().value!);
    const last = this.lastSeq.get(dossier);
    if (last !== undefined && seen.seq < last) this.outOfOrder++;
    this.lastSeq.set(dossier, Math.max(last ?? seen.seq, seen.seq));
    this.received.push({ receivedAt: new Date().toISOString(), idempotencyKey: key, event });
    if (this.received.length > this.keep) this.received.splice(0, this.received.length - this.keep);
    if (this.losing > 0) {
      this.losing--;
      return finish(500, { error: { code: 'lost', message: 'recorded, but the answer was lost' } });
    }
    return finish(200, { status: 'recorded', eventId: key });
  }
}

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBody) {
        reject(new Error('too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
