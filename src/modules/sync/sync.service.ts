// The national sync (docs/national-sync.md): every change of a reported dossier becomes an event in
// `sync_events`, written in the transaction of the change (DossiersService.applyAction calls
// `record`), and SyncWorker POSTs the events to the national portal's adapter, each dossier's in
// `seq` order. This file builds the events and answers the administrator's page and the CLI.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import { stripPersonalData } from '../../domain/personal-text.ts';
import { statuses, type Status } from '../../domain/dossier-status.ts';
import { fail } from '../../errors.ts';
import type { Clock } from '../../domain/time.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { DossierRecord, ReportedDossier, SyncRecorder, SyncedChange } from '../dossiers/dossiers.service.ts';
import * as q from './sync.queries.ts';

/** Where events go: NATIONAL_SYNC_URL, NATIONAL_SYNC_KEY (sent as X-Api-Key), NATIONAL_SYNC_TIMEOUT_MS. */
export type NationalSyncSettings = { url: string; key: string; timeoutMs: number };

export const defaultSyncTimeoutMs = 10_000;

/** The wait after the 1st, 2nd, … failed attempt: 30 s, doubling, at most an hour. Never given up. */
export function retryDelayMs(attempts: number): number {
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be a positive integer, got ${attempts}`);
  return Math.min(30_000 * 2 ** Math.min(attempts - 1, 20), 3_600_000);
}

/** One event as POSTed (docs/national-sync.md, "The event"). No applicant's personal data. */
export type SyncEvent = {
  eventId: string;
  schemaVersion: 1;
  /** The dossier's revision after the change: a dossier's events are delivered in this order. */
  seq: number;
  code: string;
  procedureCode: string | null;
  procedureId: string;
  procedureVersion: number;
  unitId: string;
  unitIdentifier: string | null;
  receivingUnitId: string;
  receivingUnitIdentifier: string | null;
  channel: string;
  status: Status;
  statusCode: number;
  previousStatus: Status | null;
  at: string;
  submittedAt: string | null;
  acceptedAt: string | null;
  dueAt: string | null;
  newDueAt?: string;
  resolvedAt: string | null;
  returnedAt: string | null;
  action: { name: string; actorRole: string; note: string | null };
  results: Array<{ number: string; date: string; issuingUnitIdentifier: string | null }>;
  fees: { procedureVersion: number; totalVnd: number | null; items: Array<{ kind: string; amountVnd: number | null; collect: string | null; note: string | null }> };
};

/** What the stand-in receiver (sync.standin.ts) shows the administrator in a demo. */
export type StandInView = {
  recent(limit: number): Array<{ receivedAt: string; event: Partial<SyncEvent> }>;
  readonly repeats: number;
  readonly url: string;
};

/** A dossier's columns a report reads (no personal column); a snapshot reads only these. */
type Reported = ReportedDossier;

/** What the sync reads of dossiers, through the dossiers service (bound after both are made: the service records through the sync). */
export type SyncDossiers = {
  results(dossierId: string): Promise<ResultRef[]>;
  reported(by: { id: string } | { code: string }, db?: Db): Promise<ReportedDossier | undefined>;
  hold(tx: Db, id: string): Promise<void>;
};

type ResultRef = { code: string; created_at: string };

export type FailingEvent = { dossierId: string; code: string | null; seq: number; attempts: number; lastError: string | null; nextAttemptAt: string; lastAttemptAt: string | null };

export type SyncStatus = q.Backlog & {
  enabled: boolean;
  /** The receiver's address without query or credentials, for the page (never the key). */
  target: string | null;
  failures: FailingEvent[];
  standIn: StandInView | null;
};

/** An officer's note with the applicant's name and address and any ID number, phone or email masked. */
export function scrubNote(note: string | null, applicant: DossierRecord['applicant'] | null): string | null {
  if (!note) return null;
  let text = note;
  for (const value of [applicant?.fullName, applicant?.address?.line]) {
    if (typeof value !== 'string' || value.trim().length < 3) continue;
    text = text.split(value.trim()).join('[…]');
  }
  return stripPersonalData(text, '[…]');
}

export class NationalSync implements SyncRecorder {
  private readonly fees = new Map<string, SyncEvent['fees']['items']>();

  constructor(
    private readonly db: Db,
    private readonly catalog: CatalogService,
    private readonly clock: Clock,
    /** null: the sync is off and nothing is recorded. */
    readonly settings: NationalSyncSettings | null,
    /** Dossiers as the dossiers service reports them (a snapshot outside any change). */
    private readonly dossiers: SyncDossiers,
    /** The in-process stand-in receiver of a demo, whose received events the admin page shows. */
    readonly standIn: StandInView | null = null,
  ) {}

  get enabled(): boolean {
    return this.settings !== null;
  }

  /**
   * Records the event of one change, in the change's transaction: reported dossiers have a code
   * and are not practice dossiers; `seq` is the revision the change made. Does nothing when off.
   */
  async record(tx: Db, before: DossierRecord, after: DossierRecord, change: SyncedChange): Promise<void> {
    if (!this.settings || !after.code || after.practice) return;
    const results = await change.results();
    // attach_result may record its result document just after the action.
    const attached = change.name === 'attach_result' && typeof change.data.code === 'string' ? change.data.code : null;
    if (attached && !results.some((r) => r.code === attached)) results.push({ code: attached, created_at: change.at.toISOString() });
    const event = await this.build(tx, after, {
      previousStatus: before.status, at: change.at,
      action: { name: change.name, actorRole: change.actorRole, note: scrubNote(change.note, after.applicant) },
    }, results);
    await q.insertEvent(tx, toRow(after.id, event, change.at));
  }

  private async build(tx: Db, d: Reported, how: { previousStatus: Status | null; at: Date; action: SyncEvent['action'] }, results: ResultRef[]): Promise<SyncEvent> {
    const receiving = d.receiving_unit_id ?? d.unit_id;
    const ids = new Map([d.unit_id, receiving].map((id) => [id, this.catalog.unit(id)?.identifier ?? null]));
    const procedure = this.catalog.find(d.procedure_id);
    return {
      eventId: randomUUID(),
      schemaVersion: 1,
      seq: d.revision,
      code: d.code!,
      procedureCode: procedure?.code ?? null,
      procedureId: d.procedure_id,
      procedureVersion: d.procedure_version,
      unitId: d.unit_id,
      unitIdentifier: ids.get(d.unit_id) ?? null,
      receivingUnitId: receiving,
      receivingUnitIdentifier: ids.get(receiving) ?? null,
      channel: d.channel,
      status: d.status,
      statusCode: statuses[d.status],
      previousStatus: how.previousStatus,
      at: how.at.toISOString(),
      submittedAt: d.submitted_at,
      acceptedAt: d.accepted_at,
      dueAt: d.due_at,
      ...(d.new_due_at ? { newDueAt: d.new_due_at } : {}),
      resolvedAt: d.resolved_at,
      returnedAt: d.returned_at,
      action: how.action,
      results: results.map((r) => ({ number: r.code, date: r.created_at, issuingUnitIdentifier: ids.get(d.unit_id) ?? null })),
      fees: await this.feesOf(tx, d.procedure_id, d.procedure_version),
    };
  }

  /** The fees of the version the dossier was filed under: its lines, and their total when every line's amount is known. */
  private async feesOf(tx: Db, procedureId: string, version: number): Promise<SyncEvent['fees']> {
    const items = await this.feeItems(tx, procedureId, version);
    // A free line counts 0; a line without an amount (set by the council, say) leaves the total unknown.
    const amounts = items.map((i) => (i.kind === 'free' ? 0 : i.amountVnd));
    const totalVnd = amounts.every((a) => a !== null) ? amounts.reduce<number>((sum, a) => sum + a!, 0) : null;
    return { procedureVersion: version, totalVnd, items };
  }

  /** The fee lines of the version the dossier was filed under (cached: a published version never changes). */
  private async feeItems(tx: Db, procedureId: string, version: number): Promise<SyncEvent['fees']['items']> {
    const key = `${procedureId}@${version}`;
    let items = this.fees.get(key);
    if (!items) {
      const raw = (await this.catalog.versionFees(procedureId, version, tx)) ?? [];
      items = raw.map((f) => {
        const fee = f as { kind?: unknown; amountVnd?: unknown; collect?: unknown; note?: unknown };
        return {
          kind: typeof fee.kind === 'string' ? fee.kind : 'unknown',
          amountVnd: typeof fee.amountVnd === 'number' ? fee.amountVnd : null,
          collect: typeof fee.collect === 'string' ? fee.collect : null,
          note: typeof fee.note === 'string' ? fee.note : null,
        };
      });
      this.fees.set(key, items);
    }
    return items;
  }

  /** The backlog, the failing events and the last delivery, for the admin page and `motcua sync status`. */
  async status(limit = 50): Promise<SyncStatus> {
    const [counts, rows] = await Promise.all([q.backlog(this.db), q.failing(this.db, limit)]);
    return {
      ...counts,
      enabled: this.enabled,
      target: this.settings ? publicTarget(this.settings.url) : null,
      failures: rows.map((r) => ({
        dossierId: r.dossier_id, code: codeOf(r.payload), seq: r.seq, attempts: r.attempts, lastError: r.last_error,
        nextAttemptAt: r.next_attempt_at, lastAttemptAt: r.last_attempt_at,
      })),
      standIn: this.standIn,
    };
  }

  /** Every event waiting for a later attempt is due now (the admin page's button). Returns how many. */
  retryNow(): Promise<number> {
    return q.dueNow(this.db, this.clock.now());
  }

  /**
   * `motcua sync resend CODE`: the dossier's events go out again, in order, from the first. A
   * dossier with no event (changed before the sync was on) gets one event of its current state.
   */
  async resend(code: string): Promise<{ dossierId: string; events: number; snapshot: boolean }> {
    if (!this.settings) throw new Error('the national sync is off (NATIONAL_SYNC_URL is not set)');
    const found = code.length <= 80 ? await this.dossiers.reported({ code: code.trim() }) : undefined;
    if (!found || found.practice || !found.code) fail('dossier_not_found');
    const now = this.clock.now();
    const reset = await q.resetDossier(this.db, found.id, now);
    if (reset) return { dossierId: found.id, events: reset, snapshot: false };
    // A snapshot: the row is held while it is written, so no change's event can overtake it.
    for (let tries = 0; tries < 5; tries++) {
      const results = await this.dossiers.results(found.id);
      const written = await this.db.transaction().execute(async (tx) => {
        await this.dossiers.hold(tx, found.id);
        const d = await this.dossiers.reported({ id: found.id }, tx);
        if (!d) fail('dossier_not_found');
        if (await q.countOf(tx, d.id)) return 'raced';
        // Results only change with an action, which moves the revision: read again if it moved.
        if (d.revision !== found.revision) return 'moved';
        const event = await this.build(tx, d, { previousStatus: null, at: now, action: { name: 'snapshot', actorRole: 'system', note: null } }, results);
        await q.insertEvent(tx, toRow(d.id, event, now));
        return 'written';
      });
      if (written === 'written') return { dossierId: found.id, events: 1, snapshot: true };
      if (written === 'raced') return { dossierId: found.id, events: await q.resetDossier(this.db, found.id, now), snapshot: false };
      found.revision = (await this.dossiers.reported({ id: found.id }))?.revision ?? found.revision;
    }
    fail('conflict');
  }

  /**
   * Retention rule `syncSent` (SYNC_EVENT_RETENTION_DAYS): events delivered more than `days` ago are
   * deleted; pending ones never are. A later `sync resend` re-sends what is left of the dossier's
   * events, or a snapshot of its current state when none is left. Returns how many were deleted.
   */
  purgeSent(days: number): Promise<number> {
    return q.purgeSent(this.db, new Date(this.clock.now().getTime() - days * 86_400_000).toISOString());
  }

  /** A dossier's events, in order (tests and the CLI). */
  eventsOf(dossierId: string) {
    return q.eventsOf(this.db, dossierId);
  }
}

function toRow(dossierId: string, event: SyncEvent, at: Date) {
  const when = at.toISOString();
  return {
    id: event.eventId, dossier_id: dossierId, seq: event.seq, payload: JSON.stringify(event), status: 'pending', attempts: 0,
    next_attempt_at: when, claimed_until: null, last_error: null, last_attempt_at: null, created_at: when, sent_at: null,
  };
}

function codeOf(payload: string): string | null {
  try {
    const code = (JSON.parse(payload) as { code?: unknown }).code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}

/** The receiver's address as an administrator may see it: no query string, no credentials. */
export function publicTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '';
  }
}
