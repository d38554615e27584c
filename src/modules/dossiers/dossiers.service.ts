// The dossier engine: the one place a dossier changes (applyAction), a new dossier's first row
// (insertNew), codes and tracking keys, who acts as which role (actorFor), who may see a dossier
// (visible), the applicant's messages, and the national portal's intake. Drafts, attachments and
// views (dossiers.drafts.ts, dossiers.attachments.ts, dossiers.views.ts) go through it.
// Every change appends to the action log and updates the current-status row in one transaction.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { dossierCode, isAgencyIdentifier, isNationalDossierCode, trackingKey } from '../../domain/dossier-code.ts';
import { clockPaused, decide, statuses, type Action, type Actor, type DossierState, type Status } from '../../domain/dossier-status.ts';
import { covers, dossierReaders } from '../../domain/roles.ts';
import { vietnamDay, type Clock } from '../../domain/time.ts';
import { invalid, type FieldProblem, fail } from '../../errors.ts';
import { localName, messages, type Lang } from '../../i18n/index.ts';
import type { Outbox, SessionUser } from '../accounts/accounts.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { UnitsService } from '../units/units.service.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { recordStatChanges } from '../stats/stats.service.ts';
import * as q from './dossiers.queries.ts';
import type { LookupKind, Sealer } from '../../domain/sealed.ts';
import { checkAnswers, pathOf, type AnswerCheck, type AnswerCheckOptions, type DossierInput } from './dossiers.answers.ts';

export { deliveryMethods, type DeliveryMethod, type DossierInput } from './dossiers.answers.ts';
export type { DossierView, TrackingView } from './dossiers.views.ts';
export type { DossierRecord, ActionRecord, ReportedDossier } from './dossiers.queries.ts';
export { trackingKey };

/**
 * What the receiving desk does on a dossier it received for another unit: the intake check (accept,
 * a supplement request before acceptance, refusal, the return of a dossier not supplemented in
 * time), sending it on (transfer), the applicant's supplement and withdrawal, and handing back the
 * result. The competent unit's own staff do the rest, a supplement request during processing too
 * (docs/domain.md §3.7).
 */
const deskActionSet: ReadonlySet<Action> = new Set(['accept', 'request_supplement', 'refuse', 'return_unsupplemented', 'supplement', 'transfer', 'return_result', 'confirm_withdrawal']);

/** Whether the receiving desk takes this action on a dossier in this status. */
export function deskMay(action: Action, status: Status): boolean {
  return deskActionSet.has(action) && !(action === 'request_supplement' && status !== 'submitted');
}

/** Upload limits: a phone photo or a scan per file, and a ceiling for the whole dossier. */
export type UploadLimits = { maxFileBytes: number; maxDossierBytes: number };

/**
 * The working calendar as the dossier rules need it (docs/domain.md §4). Inside a transaction pass it
 * as `db`, so the calendar is read on the transaction's own connection.
 */
export type DueCalendar = {
  /**
   * The due time of a dossier accepted at `from` with `hours` to process it (1 day = 8 h), counted in
   * working days unless `kind` is 'calendar' (docs/domain.md §4).
   */
  dueAt(unitId: string, from: Date, hours: number, db?: Db, kind?: import('../../domain/calendar.ts').ProcessingDayKind): Promise<Date>;
  /** A due time pushed back by the working time between `from` and `to` (a pause). */
  extend(unitId: string, due: Date, from: Date, to: Date, db?: Db): Promise<Date>;
  /** Working hours from `from` to `to` (0 when `to` is not later). */
  workingHoursBetween(unitId: string, from: Date, to: Date, db?: Db): Promise<number>;
};

/** One action to record: who takes it, as which role, and what it changes beside the status. */
export type ActionInput = {
  action: Action; actor: Actor; userId: string | null; at: Date;
  note?: string | null; data?: Record<string, unknown>; set?: Partial<q.DossierRecord>;
  /** false when the caller sends its own message (submission has its own). */
  notify?: boolean;
};

/**
 * The national sync (src/modules/sync) as the engine sees it: told of every change inside the
 * change's transaction, so the report and the change commit or roll back together.
 */
export type SyncRecorder = {
  record(tx: Db, before: q.DossierRecord, after: q.DossierRecord, change: SyncedChange): Promise<void>;
};
/** One change as the sync reports it; `results` reads the dossier's result documents in the transaction, when asked. */
export type SyncedChange = {
  name: Action; actorRole: Actor; note: string | null; at: Date; data: Record<string, unknown>;
  results(): Promise<Array<{ code: string; created_at: string }>>;
};
/** No national sync: nothing is recorded. */
export const noSync: SyncRecorder = { record: async () => {} };

/** The rule state kept beside the status (folded from the log when the row was written). */
export function stateOf(row: Pick<q.DossierRecord, 'state'>): DossierState {
  return row.state;
}

export class DossiersService {
  constructor(
    private readonly db: Db,
    private readonly catalog: CatalogService,
    private readonly units: UnitsService,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    private readonly calendar: DueCalendar,
    /** The portal's public address, for the tracking link printed on receipts. */
    private readonly publicUrl: string,
    /** AUDIT_KEY: signs the audit chain's head with each entry. */
    private readonly auditKey: Buffer,
    /** Seals the applicant, form and delivery at rest (DATA_KEY); drafts, views and the office read through it. */
    readonly sealer: Sealer,
    /** The national sync: each change of a dossier is reported in its transaction (off by default). */
    private readonly sync: SyncRecorder = noSync,
  ) {}

  /** Other modules told of every change in its transaction, after the national sync (payments record refunds, the postal service opens shipments). */
  private readonly observers: SyncRecorder[] = [];

  /** Adds a module that must act on changes of dossiers inside the change's transaction (wired once, in src/services.ts). */
  observe(observer: SyncRecorder): void {
    this.observers.push(observer);
  }

  /**
   * A dossier the national portal received (api-v1.md, inbound): created as submitted, on channel
   * `national_portal`. It keeps the national code (`nationalCode`, {identifier}-{YYMMDD}-{NNNN})
   * as its code when the sender gives one, with no counter used; otherwise it gets one of ours.
   * Idempotent by the sender's id and by the national code: a repeat from the same sender answers
   * with the dossier already made; a national code another sender used is a 409, nothing made.
   */
  async receiveInbound(sender: string, input: DossierInput & { externalId?: string; nationalCode?: string }): Promise<{ created: boolean; id: string; code: string; status: Status; trackingKey: string }> {
    const externalId = typeof input.externalId === 'string' ? input.externalId.trim().slice(0, 100) : '';
    if (!externalId) throw invalid({ externalId: { key: 'required' } });
    const nationalCode = input.nationalCode === undefined ? null : typeof input.nationalCode === 'string' ? input.nationalCode.trim() : '';
    if (nationalCode !== null && !isNationalDossierCode(nationalCode)) throw invalid({ nationalCode: { key: 'badNationalCode' } });
    const scopedId = `${sender}:${externalId}`;
    const answer = (d: q.DossierRecord) => ({ created: false, id: d.id, code: d.code!, status: d.status, trackingKey: d.tracking_key! });
    // The dossier this request repeats: the same sender's id, or its national code from the same sender.
    const repeated = async () => {
      const seen = await q.findByExternalId(this.db, scopedId, this.sealer);
      if (seen) return answer(seen);
      const holder = nationalCode ? await q.findDossierByCode(this.db, nationalCode, this.sealer) : undefined;
      if (!holder) return undefined;
      if (holder.channel === 'national_portal' && holder.external_id?.startsWith(`${sender}:`)) return answer(holder);
      fail('national_code_taken');
    };
    const seen = await repeated();
    if (seen) return seen;
    const { procedure, unitId } = this.procedureAndUnit(input);
    // The national portal checked completeness; its documents travel separately, so only the answers are checked here.
    const { applicant, form } = await this.checkDraft({ ...input, delivery: input.delivery ?? { method: 'online' } }, procedure.id, false);
    const now = this.clock.now();
    const id = randomUUID();
    const key = trackingKey();
    const version = (await this.catalog.get(procedure.id)).version.number;
    let code = '';
    try {
      await this.db.transaction().execute(async (tx) => {
        code = nationalCode ?? (await this.issueCode(tx, unitId, now));
        const by = { actor: 'system', userId: null, at: now, data: nationalCode ? { sender, externalId, nationalCode } : { sender, externalId } } as const;
        const draft = await this.insertNew(tx, {
          id, procedure_id: procedure.id, procedure_version: version, unit_id: unitId, channel: 'national_portal', owner_id: null,
          applicant, form, delivery: input.delivery ?? { method: 'online' },
          lang: 'vi', external_id: scopedId,
        }, by);
        await this.applyAction(tx, draft, { ...by, action: 'submit', notify: false, set: { code, tracking_key: key, submitted_at: now.toISOString() } });
      });
    } catch (err) {
      // A concurrent request won the unique external id or code: a retry of the same dossier gets
      // its answer; another sender's dossier with this national code, a 409.
      const first = isUniqueViolation(err) ? await repeated() : undefined;
      if (first) return first;
      throw err;
    }
    return { created: true, id, code, status: 'submitted', trackingKey: key };
  }

  trackingUrl(code: string, key: string): string {
    return `${this.publicUrl}/tra-cuu/${encodeURIComponent(code)}?key=${key}`;
  }

  /**
   * The role a user takes an action on a dossier as: the applicant as citizen; staff as the first
   * of their roles over the dossier's unit that the table allows, so someone at the desk who is
   * also a specialist acts as whichever the action needs. Null when no role of theirs may.
   */
  actorFor(user: SessionUser, row: q.DossierRecord, action: Action): { actor: Actor; refusal?: 'forbidden' | 'invalid_transition' } {
    if (row.owner_id === user.id) return { actor: 'citizen' };
    const state = row.state;
    const held = user.roles.filter((r) => r.role !== 'citizen' && this.covers(r, row.unit_id)).map((r) => r.role);
    // The desk that received a dossier for another unit keeps the desk's part of it (Decree 118/2025:
    // receiving is not bound to the administrative boundary): intake, sending it on, returning the result.
    if (deskMay(action, row.status)) for (const r of this.deskRoles(user, row)) if (!held.includes(r)) held.push(r);
    const fit = held.find((r) => decide(state, action, r).ok);
    if (fit) return { actor: fit };
    const first = held[0] ?? 'citizen';
    const d = decide(state, action, first);
    return { actor: first, refusal: d.ok ? undefined : d.reason };
  }

  /** The procedure asked for, and the receiving unit: required when several units handle it, one of them in any case. */
  procedureAndUnit(input: DossierInput) {
    const procedure = input.procedureId ? this.catalog.find(input.procedureId) : undefined;
    if (!procedure) throw invalid({ procedureId: { key: input.procedureId ? 'unknownProcedure' : 'required' } });
    let unitId = input.unitId;
    if (!unitId) {
      if (procedure.unitIds.length !== 1) throw invalid({ unitId: { key: 'required' } });
      unitId = procedure.unitIds[0]!;
    } else if (!procedure.unitIds.includes(unitId)) throw invalid({ unitId: { key: 'unitNotForProcedure' } });
    return { procedure, unitId };
  }

  /**
   * The next code of a unit's intake day, {identifier}-{YYMMDD}-{NNNN} (docs/domain.md §7.1), inside
   * the caller's transaction (the counter row queues concurrent callers). A unit without an
   * electronic agency identifier cannot issue one: 409 `unit_without_identifier`, naming the unit
   * (also as `fields.unitId`, so a form shows it beside what was typed), and the transaction rolls back.
   */
  async issueCode(tx: Db, unitId: string, now: Date): Promise<string> {
    const unit = this.catalog.unit(unitId);
    if (!unit) fail('internal');
    if (!isAgencyIdentifier(unit.identifier)) {
      const parent = unit.parentId ? this.catalog.unit(unit.parentId) : undefined;
      const params = { unit: [unit.name, parent?.name].filter(Boolean).join(', '), unitEn: [unit.nameEn, parent?.nameEn].filter(Boolean).join(', ') };
      fail('unit_without_identifier', { params, fields: { unitId: { key: 'unitWithoutIdentifier', params } } });
    }
    const day = vietnamDay(now);
    // A dossier from the national portal keeps the portal's code, which may use one of our
    // identifiers: a number already taken that way is skipped, not issued twice.
    for (;;) {
      const code = dossierCode(unit.identifier, day, await q.nextCounter(tx, unitId, day));
      if (!(await q.codeTaken(tx, code))) return code;
    }
  }

  /** Whether a role held at a unit (and maybe its subtree) covers another unit. */
  covers(role: { role: string; unitId: string | null; subtree: boolean }, unitId: string): boolean {
    return covers(role as Parameters<typeof covers>[0], unitId, (id) => this.catalog.unit(id)?.parentId);
  }

  /** A dossier the user may see: the applicant's own, or one in the scope of a staff role that reads dossiers; 404 otherwise. */
  async visible(user: SessionUser, id: string): Promise<q.DossierRecord> {
    const row = typeof id === 'string' && id.length <= 64 ? await q.findDossier(this.db, id, this.sealer) : undefined;
    if (!row || row.practice) fail('dossier_not_found');
    const mine = row.owner_id === user.id;
    const staff = user.roles.some((r) => dossierReaders.has(r.role) && this.covers(r, row.unit_id));
    if (!mine && !staff && !this.deskRoles(user, row).length) fail('dossier_not_found');
    return row;
  }

  /** The desk roles (reception, postal) the user holds at the desk that received a dossier for another unit. */
  deskRoles(user: SessionUser, row: Pick<q.DossierRecord, 'unit_id' | 'receiving_unit_id'>): Array<'reception' | 'postal'> {
    const desk = row.receiving_unit_id;
    if (!desk || desk === row.unit_id) return [];
    const roles = new Set<'reception' | 'postal'>();
    for (const r of user.roles) if ((r.role === 'reception' || r.role === 'postal') && this.covers(r, desk)) roles.add(r.role);
    return [...roles];
  }

  /** A dossier only its applicant may change: staff who can see it are refused (403), others never learn of it (404). */
  async own(user: SessionUser, id: string): Promise<q.DossierRecord> {
    const row = await this.visible(user, id);
    if (row.owner_id !== user.id) fail('forbidden');
    return row;
  }

  /**
   * Checks what a dossier may hold, throwing `invalid` with the request body's paths (`form.…`,
   * `applicant.…`, `delivery.…`, `documents.…`): present answers must be valid; missing ones wait
   * for submission. `final` checks everything; the uploaded documents too unless `attachments` is
   * null (paper documents handed in at the counter are checked by the officer).
   */
  /** The one check of answers, delivery and documents (dossiers.answers.ts), problems returned, not thrown. */
  checkAnswers(procedureId: string, answers: Record<string, unknown>, delivery: { method?: unknown; address?: unknown }, opts: AnswerCheckOptions): Promise<AnswerCheck> {
    return checkAnswers({ catalog: this.catalog, units: this.units, clock: this.clock }, procedureId, answers, delivery, opts);
  }

  async checkDraft(input: DossierInput, procedureId: string, final: boolean, attachments: Array<{ document_key: string }> | null = []) {
    const answers = { ...(input.form ?? {}), applicant: input.applicant ?? {} };
    const checked = await this.checkAnswers(procedureId, answers, input.delivery ?? {}, { final, attachments });
    const fields: Record<string, FieldProblem> = {};
    for (const [key, p] of Object.entries(checked.answerProblems)) fields[pathOf(key)] = p;
    Object.assign(fields, checked.otherProblems);
    if (Object.keys(fields).length) throw invalid(fields);
    return { applicant: checked.applicant, form: checked.form };
  }

  /** Who held a workflow step last (a return to the previous step goes back to them). */
  previousHolder(id: string, step: number): Promise<string | null> {
    return q.previousHolder(this.db, id, step);
  }

  /** Records a result document, inside the transaction of its `attach_result` action. */
  addResult(tx: Db, result: q.NewResult): Promise<void> {
    return q.insertResult(tx, result);
  }

  /** A dossier's result documents, in order. */
  results(id: string) {
    return q.listResults(this.db, id);
  }

  /** A dossier's full row (practice ones too), in the caller's transaction when given (payments, the postal service). */
  find(id: string, db: Db = this.db): Promise<q.DossierRecord | undefined> {
    return q.findDossier(db, id, this.sealer);
  }

  /** A dossier's columns without its personal data, for reports (the national sync), by id or code; in the caller's transaction when given. */
  reported(by: { id: string } | { code: string }, db: Db = this.db): Promise<q.ReportedDossier | undefined> {
    return q.reportedDossier(db, by);
  }

  /** Holds a dossier's row until the caller's transaction ends: its changes wait meanwhile. */
  hold(tx: Db, id: string): Promise<void> {
    return q.holdDossier(tx, id);
  }

  /**
   * Dossiers whose applicant has this ID number, phone or email, in any spelling (the values are
   * sealed; they are found by keyed hash). Callers that show them to staff check each one's scope.
   */
  findByApplicant(kind: LookupKind, value: string, limit = 50): Promise<q.DossierRecord[]> {
    return q.findByApplicant(this.db, this.sealer, kind, value, limit);
  }

  /**
   * `motcua keys rotate`: re-seals every dossier's personal columns under the current DATA_KEY
   * (opening them with it or a PREVIOUS_DATA_KEYS key; plain rows from before encryption are
   * sealed) and recomputes the look-up hashes, a batch per transaction. Idempotent: a second run
   * changes nothing, and afterwards the previous keys may be dropped.
   */
  async resealAll(progress?: (seen: number, changed: number) => void, batch = 200): Promise<{ seen: number; changed: number }> {
    let after = '';
    let seen = 0;
    let changed = 0;
    for (;;) {
      const n = await this.db.transaction().execute(async (tx) => {
        const rows = await q.sealedBatch(tx, after, batch);
        for (const r of rows) if (await q.resealDossier(tx, this.sealer, r)) changed++;
        if (rows.length) after = rows[rows.length - 1]!.id;
        return rows.length;
      });
      if (!n) break;
      seen += n;
      progress?.(seen, changed);
    }
    return { seen, changed };
  }

  async notify(tx: Db, row: q.DossierRecord, lang: Lang, template: string, params: Record<string, string>, now: Date): Promise<void> {
    const applicant = row.applicant;
    const procedure = this.catalog.find(row.procedure_id);
    const base = { name: applicant.fullName ?? '', procedure: procedure ? localName(lang, procedure) : row.procedure_id, ...params };
    if (applicant.email) await this.outbox.enqueue(tx, { channel: 'email', recipient: applicant.email, template, lang, params: base, now });
    else if (applicant.phone) await this.outbox.enqueue(tx, { channel: 'sms', recipient: applicant.phone, template, lang, params: base, now });
  }

  /** A new dossier's row and its first action (`create`), inside the caller's transaction. */
  async insertNew(
    tx: Db,
    fields: Pick<q.DossierRecord, 'id' | 'procedure_id' | 'procedure_version' | 'unit_id' | 'channel' | 'owner_id' | 'applicant' | 'form' | 'delivery' | 'lang' | 'external_id'> & { receiving_unit_id?: string },
    by: { actor: Actor; userId: string | null; at: Date; data?: Record<string, unknown> },
  ): Promise<q.DossierRecord> {
    const d = decide(null, 'create', by.actor);
    if (!d.ok) fail(d.reason);
    const at = by.at.toISOString();
    const row: q.DossierRecord = {
      ...fields, code: null, tracking_key: null, status: d.to, status_code: statuses[d.to], state: d.next, practice: 0,
      submitted_at: null, accepted_at: null, due_at: null, resolved_at: null, returned_at: null, created_at: at, updated_at: at, revision: 0,
      assignee_id: null, paused_at: null, new_due_at: null, processing_hours: null, reminded_on: null,
      receiving_unit_id: fields.receiving_unit_id ?? fields.unit_id, supplement_due_at: null,
    };
    await q.insertDossier(tx, row, this.sealer);
    await q.appendAction(tx, { id: randomUUID(), dossier_id: row.id, at, action: 'create', actor_id: by.userId, actor_role: by.actor, from_status: null, to_status: d.to, note: null, data: by.data ?? {} });
    await appendAudit(tx, { at, kind: 'dossier_action', actorId: by.userId, subject: `dossier:${row.id}`, data: { action: 'create', role: by.actor, from: null, to: d.to } }, this.auditKey);
    return row;
  }

  /**
   * Takes one action on a dossier inside the caller's transaction: the table decides; the log gets
   * the action; the current-status row gets the new status and state, but only if nobody changed
   * it since it was read (409 otherwise: of two officers acting at once, exactly one wins).
   * Starting a pause stops the clock; ending one pushes the due time back by the working time
   * paused. A new status is told to the applicant.
   */
  async applyAction(tx: Db, row: q.DossierRecord, a: ActionInput): Promise<q.DossierRecord> {
    const state = row.state;
    const d = decide(state, a.action, a.actor);
    if (!d.ok) fail(d.reason);
    const at = a.at.toISOString();
    const set: Partial<q.DossierRecord> = { ...a.set, state: d.next, status: d.to, status_code: statuses[d.to], updated_at: at };
    if (!clockPaused(state) && clockPaused(d.next)) set.paused_at = at;
    if (clockPaused(state) && !clockPaused(d.next)) {
      if (row.paused_at && row.due_at) set.due_at = (await this.calendar.extend(row.unit_id, new Date(row.due_at), new Date(row.paused_at), a.at, tx)).toISOString();
      set.paused_at = null;
    }
    if (!(await q.updateDossier(tx, row.id, row.revision, set, this.sealer))) fail('conflict');
    if (d.to !== row.status && !row.practice) await q.moveStatusCount(tx, row.unit_id, row.status, d.to);
    const next: q.DossierRecord = { ...row, ...set, revision: row.revision + 1 };
    await recordStatChanges(tx, row, next);
    await q.appendAction(tx, {
      id: randomUUID(), dossier_id: row.id, at, action: a.action, actor_id: a.userId, actor_role: a.actor,
      from_status: row.status, to_status: d.to, note: a.note ?? null, data: a.data ?? {},
    });
    if (d.to !== row.status && a.notify !== false && next.code && next.tracking_key) {
      const lang = next.lang === 'en' ? 'en' : 'vi';
      await this.notify(tx, next, lang, 'dossier_status_changed', { code: next.code, status: messages(lang).statuses[d.to], trackingUrl: this.trackingUrl(next.code, next.tracking_key) }, a.at);
    }
    const change: SyncedChange = { name: a.action, actorRole: a.actor, note: a.note ?? null, at: a.at, data: a.data ?? {}, results: () => q.listResults(tx, row.id) };
    await this.sync.record(tx, row, next, change);
    for (const observer of this.observers) await observer.record(tx, row, next, change);
    // Last write of the step: the audit head stays locked until the transaction commits.
    await appendAudit(tx, { at, kind: 'dossier_action', actorId: a.userId, subject: `dossier:${row.id}`, data: { action: a.action, role: a.actor, from: row.status, to: d.to } }, this.auditKey);
    return next;
  }

}
