// Dossiers, applicant side: create a draft, edit it, submit it (a code from the unit's daily
// counter, a tracking key, a message to the applicant), read it, list one's own, ask to withdraw.
// Every change appends to the action log and updates the current-status row in one transaction.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import { dossierCode } from '../../domain/dossier-code.ts';
import { clockPaused, decide, isOverdue, statuses, type Action, type Actor, type DossierState, type Status } from '../../domain/dossier-status.ts';
import { covers, dossierReaders } from '../../domain/roles.ts';
import { isMissingAnswer, validateAnswers } from '../../domain/form-answers.ts';
import { vietnamDay, type Clock } from '../../domain/time.ts';
import { invalid, type FieldProblem, fail } from '../../errors.ts';
import { format, localName, messages, type Lang } from '../../i18n/index.ts';
import type { Outbox, SessionUser } from '../accounts/accounts.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { UnitsService } from '../units/units.service.ts';
import type { FileStorage } from '../files/files.storage.ts';
import { allowedForDocuments } from '../../domain/file-types.ts';
import type { Readable } from 'node:stream';
import { appendAudit } from '../audit/audit.service.ts';
import { recordStatChanges } from '../stats/stats.service.ts';
import * as q from './dossiers.queries.ts';
import { storeUpload, type StoredUpload } from './dossiers.uploads.ts';
import { receiptPdf } from './dossiers.receipt.ts';

/** Upload limits: a phone photo or a scan per file, and a ceiling for the whole dossier. */
export type UploadLimits = { maxFileBytes: number; maxDossierBytes: number };

export type DeliveryMethod = 'counter' | 'postal' | 'online';
export const deliveryMethods: readonly DeliveryMethod[] = ['counter', 'postal', 'online'];

export type DossierInput = {
  procedureId?: string;
  unitId?: string;
  applicant?: Record<string, unknown>;
  form?: Record<string, unknown>;
  delivery?: { method?: string; address?: unknown };
};

/**
 * The working calendar as the dossier rules need it (docs/domain.md §4). Inside a transaction pass it
 * as `db`, so the calendar is read on the transaction's own connection.
 */
export type DueCalendar = {
  /** The due time of a dossier accepted at `from` with `hours` working hours to process it. */
  dueAt(unitId: string, from: Date, hours: number, db?: Db): Promise<Date>;
  /** A due time pushed back by the working time between `from` and `to` (a pause). */
  extend(unitId: string, due: Date, from: Date, to: Date, db?: Db): Promise<Date>;
  /** Working hours from `from` to `to` (0 when `to` is not later). */
  workingHoursBetween(unitId: string, from: Date, to: Date, db?: Db): Promise<number>;
};

/** One action to record: who takes it, as which role, and what it changes beside the status. */
export type ActionInput = {
  action: Action; actor: Actor; userId: string | null; at: Date;
  note?: string | null; data?: Record<string, unknown>; set?: Partial<q.DossierRow>;
  /** false when the caller sends its own message (submission has its own). */
  notify?: boolean;
};

export type DossierView = {
  id: string; code: string | null; status: Status; statusCode: number; channel: string;
  procedureId: string; procedureVersion: number; unitId: string;
  applicant: Record<string, unknown>; form: Record<string, unknown>; delivery: Record<string, unknown>;
  attachments: Array<{ id: string; document: string; name: string; size: number; mime: string; sha256: string }>;
  trackingKey: string | null;
  createdAt: string; submittedAt: string | null; acceptedAt: string | null; dueAt: string | null;
  resolvedAt: string | null; returnedAt: string | null; overdue: boolean;
  /** The date promised in an apology letter, when one was sent. */
  newDueAt: string | null;
  assigneeId: string | null;
  results: Array<{ n: number; code: string; name: string; size: number; mime: string; sha256: string }>;
  history: Array<{ at: string; action: string; actorRole: string; status: Status; note: string | null }>;
};

const blankState = { supplementFrom: null, processingSupplements: 0, apologies: 0, withdrawalRequested: false, results: 0, step: 0 } as const;

/** The rule state kept beside the status (folded from the log when the row was written). */
export function stateOf(row: q.DossierRow): DossierState {
  return row.state ? (JSON.parse(row.state) as DossierState) : { status: row.status as Status, ...blankState };
}

/** Tracking keys avoid letters people confuse (0/O, 1/I/L) when reading them off a receipt. */
const keyAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
function trackingKey(): string {
  return [...randomBytes(10)].map((b) => keyAlphabet[b % keyAlphabet.length]).join('');
}

export class DossiersService {
  constructor(
    private readonly db: Db,
    private readonly catalog: CatalogService,
    private readonly units: UnitsService,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    private readonly storage: FileStorage,
    private readonly calendar: DueCalendar,
    readonly limits: UploadLimits,
    /** The portal's public address, for the tracking link printed on receipts. */
    private readonly publicUrl: string,
    /** In back-office mode citizens file on the national portal; dossiers arrive through receiveInbound. */
    private readonly backOffice = false,
  ) {}

  /**
   * A dossier the national portal received (api-v1.md, inbound): created as submitted, on channel
   * `national_portal`, with our own code. Idempotent by the sender's id: a repeat answers with the
   * dossier already made.
   */
  async receiveInbound(sender: string, input: DossierInput & { externalId?: string }): Promise<{ created: boolean; id: string; code: string; status: Status; trackingKey: string }> {
    const externalId = typeof input.externalId === 'string' ? input.externalId.trim().slice(0, 100) : '';
    if (!externalId) throw invalid({ externalId: { key: 'required' } });
    const scopedId = `${sender}:${externalId}`;
    const seen = await q.findByExternalId(this.db, scopedId);
    if (seen) return { created: false, id: seen.id, code: seen.code!, status: seen.status as Status, trackingKey: seen.tracking_key! };
    const { procedure, unitId } = this.procedureAndUnit(input);
    // The national portal checked completeness; its documents travel separately, so only the answers are checked here.
    const { applicant, form } = await this.checkDraft({ ...input, delivery: input.delivery ?? { method: 'online' } }, procedure.id, false);
    const now = this.clock.now();
    const id = randomUUID();
    const key = trackingKey();
    const version = (await this.catalog.get(procedure.id)).version.number;
    let code = '';
    await this.db.transaction().execute(async (tx) => {
      code = await this.issueCode(tx, unitId, now);
      const by = { actor: 'system', userId: null, at: now, data: { sender, externalId } } as const;
      const draft = await this.insertNew(tx, {
        id, procedure_id: procedure.id, procedure_version: version, unit_id: unitId, channel: 'national_portal', owner_id: null,
        applicant: JSON.stringify(applicant), form: JSON.stringify(form), delivery: JSON.stringify(input.delivery ?? { method: 'online' }),
        lang: 'vi', external_id: scopedId,
      }, by);
      await this.applyAction(tx, draft, { ...by, action: 'submit', notify: false, set: { code, tracking_key: key, submitted_at: now.toISOString() } });
    });
    return { created: true, id, code, status: 'submitted', trackingKey: key };
  }

  trackingUrl(code: string, key: string): string {
    return `${this.publicUrl}/tra-cuu/${encodeURIComponent(code)}?key=${key}`;
  }

  /** The receipt (Form 01) of a submitted dossier, for its applicant and the staff who hold it. */
  async receipt(user: SessionUser, id: string, lang: Lang): Promise<Buffer> {
    const row = await this.visible(user, id);
    if (!row.code || !row.tracking_key || !row.submitted_at) fail('invalid_transition');
    const [unit, attachments, procedure] = await Promise.all([this.units.find(row.unit_id), q.listAttachments(this.db, id), this.catalog.get(row.procedure_id)]);
    const applicant = JSON.parse(row.applicant) as { fullName?: string; idNumber?: string; phone?: string; email?: string; address?: { line?: string; areaCode?: string } };
    const area = applicant.address?.areaCode ? await this.units.areaName(applicant.address.areaCode) : null;
    const areaText = area && (area.former ? format(messages(lang).receipt.formerly, { current: area.current, former: area.former }) : area.current);
    const delivery = (JSON.parse(row.delivery) as { method?: DeliveryMethod }).method;
    const m = messages(lang);
    return receiptPdf(lang, {
      unitName: unit ? localName(lang, unit) : row.unit_id,
      agencyName: unit ? (lang === 'en' ? unit.agencyNameEn : unit.agencyName) : null,
      code: row.code,
      trackingUrl: this.trackingUrl(row.code, row.tracking_key),
      applicant: { ...applicant, addressText: [applicant.address?.line, areaText].filter(Boolean).join(', ') || undefined },
      procedureName: localName(lang, procedure),
      documents: procedure.documents
        .map((d) => ({ name: d.name, files: attachments.filter((a) => a.document_key === d.key).length }))
        .filter((d) => d.files > 0),
      submittedAt: row.submitted_at,
      acceptedAt: row.accepted_at,
      dueAt: row.due_at,
      feeVnd: procedure.feeVnd,
      delivery: delivery ? m.receipt.deliveryMethods[delivery] : '',
    });
  }

  /**
   * The role a user takes an action on a dossier as: the applicant as citizen; staff as the first
   * of their roles over the dossier's unit that the table allows, so someone at the desk who is
   * also a specialist acts as whichever the action needs. Null when no role of theirs may.
   */
  actorFor(user: SessionUser, row: q.DossierRow, action: Action): { actor: Actor; refusal?: 'forbidden' | 'invalid_transition' } {
    if (row.owner_id === user.id) return { actor: 'citizen' };
    const state = stateOf(row);
    const held = user.roles.filter((r) => r.role !== 'citizen' && this.covers(r, row.unit_id)).map((r) => r.role);
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

  /** The next code of a unit's intake day, inside the caller's transaction (the counter row queues concurrent callers). */
  async issueCode(tx: Db, unitId: string, now: Date): Promise<string> {
    const unit = this.catalog.unit(unitId);
    if (!unit) fail('internal');
    const day = vietnamDay(now);
    return dossierCode(unit.code, day, await q.nextCounter(tx, unitId, day));
  }

  /** Whether a role held at a unit (and maybe its subtree) covers another unit. */
  covers(role: { role: string; unitId: string | null; subtree: boolean }, unitId: string): boolean {
    return covers(role as Parameters<typeof covers>[0], unitId, (id) => this.catalog.unit(id)?.parentId);
  }

  /** A dossier the user may see: the applicant's own, or one in the scope of a staff role that reads dossiers; 404 otherwise. */
  async visible(user: SessionUser, id: string): Promise<q.DossierRow> {
    const row = typeof id === 'string' && id.length <= 64 ? await q.findDossier(this.db, id) : undefined;
    if (!row || row.practice) fail('dossier_not_found');
    const mine = row.owner_id === user.id;
    const staff = user.roles.some((r) => dossierReaders.has(r.role) && this.covers(r, row.unit_id));
    if (!mine && !staff) fail('dossier_not_found');
    return row;
  }

  /** A dossier only its applicant may change: staff who can see it are refused (403), others never learn of it (404). */
  private async ownDraftable(user: SessionUser, id: string): Promise<q.DossierRow> {
    const row = await this.visible(user, id);
    if (row.owner_id !== user.id) fail('forbidden');
    return row;
  }

  /**
   * Checks what a draft may hold: present answers must be valid; missing ones wait for submission.
   * `final` checks everything; the uploaded documents too unless `attachments` is null (paper
   * documents handed in at the counter are checked by the officer).
   */
  async checkDraft(input: DossierInput, procedureId: string, final: boolean, attachments: Array<{ document_key: string }> | null = []) {
    const form = await this.catalog.formDefinition(procedureId);
    const answers = { ...(input.form ?? {}), applicant: input.applicant ?? {} };
    const communes = await this.units.communeCodes();
    const { values, problems } = validateAnswers(form, answers, { today: vietnamDay(this.clock.now()), isAreaCode: (c) => communes.has(c) });
    const fields: Record<string, FieldProblem> = {};
    for (const [key, p] of Object.entries(problems)) if (final || !isMissingAnswer(p)) fields[pathOf(key)] = p as FieldProblem;
    const method = input.delivery?.method;
    if (method !== undefined && !deliveryMethods.includes(method as DeliveryMethod)) {
      fields['delivery.method'] = { key: 'notAllowed', params: { allowed: deliveryMethods.join(', ') } };
    }
    if (method === 'postal') {
      const detail = await this.catalog.get(procedureId);
      if (!detail.postal.return) fields['delivery.method'] = { key: 'postalNotAllowed' };
      else if (!input.delivery?.address) fields['delivery.address'] = { key: 'required' };
    }
    if (final) {
      if (!method) fields['delivery.method'] = { key: 'required' };
      const detail = await this.catalog.get(procedureId);
      for (const doc of attachments ? detail.documents : []) {
        if (doc.required && !attachments!.some((a) => a.document_key === doc.key)) fields[`documents.${doc.key}`] = { key: 'documentMissing' };
      }
    }
    if (Object.keys(fields).length) throw invalid(fields);
    const { applicant, ...form_ } = splitApplicant(values);
    return { applicant, form: form_ };
  }

  async create(user: SessionUser, input: DossierInput, lang: Lang, idempotencyKey?: string): Promise<DossierView> {
    if (this.backOffice) fail('filing_disabled');
    if (idempotencyKey) {
      const seen = await q.findIdempotentDossier(this.db, user.id, idempotencyKey);
      if (seen) return this.get(user, seen);
    }
    const { procedure, unitId } = this.procedureAndUnit(input);
    if (procedure.onlineClass === 'none') throw invalid({ procedureId: { key: 'notOnline' } });
    const { applicant, form } = await this.checkDraft(input, procedure.id, false);
    const now = this.clock.now().toISOString();
    const id = randomUUID();
    const version = (await this.catalog.get(procedure.id)).version.number;
    await this.db.transaction().execute(async (tx) => {
      await this.insertNew(tx, {
        id, procedure_id: procedure.id, procedure_version: version, unit_id: unitId, channel: 'online', owner_id: user.id,
        applicant: JSON.stringify(applicant), form: JSON.stringify(form), delivery: JSON.stringify(input.delivery ?? {}), lang, external_id: null,
      }, { actor: 'citizen', userId: user.id, at: this.clock.now() });
      if (idempotencyKey) await q.rememberIdempotencyKey(tx, { scope: user.id, key: idempotencyKey, dossier_id: id, created_at: now });
    });
    return this.get(user, id);
  }

  /** Saves answers into a draft, and only a draft. */
  async update(user: SessionUser, id: string, input: DossierInput): Promise<DossierView> {
    const row = await this.ownDraftable(user, id);
    if (row.status !== 'draft') fail('invalid_transition');
    const merged: DossierInput = {
      applicant: { ...JSON.parse(row.applicant), ...(input.applicant ?? {}) },
      form: { ...JSON.parse(row.form), ...(input.form ?? {}) },
      delivery: input.delivery ?? JSON.parse(row.delivery),
    };
    const { applicant, form } = await this.checkDraft(merged, row.procedure_id, false);
    const ok = await q.updateDossier(this.db, id, row.revision, {
      applicant: JSON.stringify(applicant), form: JSON.stringify(form), delivery: JSON.stringify(merged.delivery ?? {}),
      updated_at: this.clock.now().toISOString(),
    });
    if (!ok) fail('conflict');
    return this.get(user, id);
  }

  /**
   * Saves what a page posted: every valid answer is kept (so nothing typed correctly is lost), and
   * the problems of the others come back, keyed by field, for the page to show. Missing answers
   * are not problems yet: a draft may be finished later.
   */
  async saveAnswers(user: SessionUser, id: string, posted: Record<string, unknown>): Promise<Record<string, FieldProblem>> {
    const row = await this.ownDraftable(user, id);
    if (row.status !== 'draft') fail('invalid_transition');
    const form = await this.catalog.formDefinition(row.procedure_id);
    const communes = await this.units.communeCodes();
    const { values, problems } = validateAnswers(form, posted, { today: vietnamDay(this.clock.now()), isAreaCode: (c) => communes.has(c) });
    const found: Record<string, FieldProblem> = {};
    for (const [key, p] of Object.entries(problems)) if (!isMissingAnswer(p)) found[key] = p as FieldProblem;
    const method = typeof posted['delivery.method'] === 'string' ? posted['delivery.method'] : undefined;
    const address = typeof posted['delivery.address'] === 'string' ? posted['delivery.address'].trim().slice(0, 300) : '';
    const delivery: Record<string, string> = {};
    if (method && deliveryMethods.includes(method as DeliveryMethod)) delivery.method = method;
    if (address) delivery.address = address;
    if (delivery.method === 'postal' && !address) found['delivery.address'] = { key: 'required' };
    const { applicant, ...rest } = splitApplicant(values);
    const ok = await q.updateDossier(this.db, id, row.revision, {
      applicant: JSON.stringify(applicant), form: JSON.stringify(rest), delivery: JSON.stringify(delivery), updated_at: this.clock.now().toISOString(),
    });
    if (!ok) fail('conflict');
    return found;
  }

  /**
   * Submits a draft: checks the form and the required documents, issues the code and the tracking
   * key, and tells the applicant. A repeated submit (a retry, or a known Idempotency-Key) answers
   * with the same dossier; submitting anything that has moved on is a 409.
   */
  async submit(user: SessionUser, id: string, lang: Lang): Promise<{ id: string; code: string; status: Status; trackingKey: string }> {
    const row = await this.ownDraftable(user, id);
    if (row.status === 'submitted' && row.code && row.tracking_key) {
      const log = await q.listActions(this.db, id);
      if (log.at(-1)?.action === 'submit') return { id, code: row.code, status: 'submitted', trackingKey: row.tracking_key };
    }
    const decision = decide(stateOf(row), 'submit', 'citizen');
    if (!decision.ok) fail('invalid_transition');
    const attachments = await q.listAttachments(this.db, id);
    await this.checkDraft({ applicant: JSON.parse(row.applicant), form: JSON.parse(row.form), delivery: JSON.parse(row.delivery) }, row.procedure_id, true, attachments);
    const now = this.clock.now();
    const key = trackingKey();
    let code = '';
    await this.db.transaction().execute(async (tx) => {
      code = await this.issueCode(tx, row.unit_id, now);
      await this.applyAction(tx, row, {
        action: 'submit', actor: 'citizen', userId: user.id, at: now, notify: false,
        set: { code, tracking_key: key, submitted_at: now.toISOString(), lang },
      });
      await this.notify(tx, row, lang, 'dossier_submitted', { code, trackingUrl: this.trackingUrl(code, key) }, now);
    });
    return { id, code, status: decision.to, trackingKey: key };
  }

  async notify(tx: Db, row: q.DossierRow, lang: Lang, template: string, params: Record<string, string>, now: Date): Promise<void> {
    const applicant = JSON.parse(row.applicant) as { fullName?: string; email?: string; phone?: string };
    const procedure = this.catalog.find(row.procedure_id);
    const base = { name: applicant.fullName ?? '', procedure: procedure ? localName(lang, procedure) : row.procedure_id, ...params };
    if (applicant.email) await this.outbox.enqueue(tx, { channel: 'email', recipient: applicant.email, template, lang, params: base, now });
    else if (applicant.phone) await this.outbox.enqueue(tx, { channel: 'sms', recipient: applicant.phone, template, lang, params: base, now });
  }

  /** Whether files may be added now: the applicant's own draft (or a dossier asked to supplement). */
  private async attachable(user: SessionUser, id: string): Promise<q.DossierRow> {
    const row = await this.ownDraftable(user, id);
    if (row.status !== 'draft' && row.status !== 'supplement_requested') fail('invalid_transition');
    return row;
  }

  /**
   * Receives one uploaded file into storage, checked by content and size as it streams. The route
   * then records it with recordUpload, or discards it; a file is never left without its record.
   */
  async receiveFile(user: SessionUser, id: string, file: { filename: string; stream: Readable }): Promise<StoredUpload> {
    const row = await this.attachable(user, id);
    return storeUpload(this.storage, `dossiers/${row.id}`, file, { allowed: allowedForDocuments, maxBytes: this.limits.maxFileBytes });
  }

  async recordUpload(user: SessionUser, id: string, documentKey: string | undefined, stored: StoredUpload) {
    try {
      return await this.record(await this.attachable(user, id), documentKey, stored);
    } catch (err) {
      await this.discardUpload(stored);
      throw err;
    }
  }

  /** An attached file, for whoever may see the dossier: viewed inline by the officer checking it. */
  async attachmentFile(user: SessionUser, id: string, attachmentId: string) {
    const row = await this.visible(user, id);
    const a = (await q.listAttachments(this.db, row.id)).find((x) => x.id === attachmentId);
    if (!a) fail('not_found');
    return { name: a.name, mime: a.mime, body: await this.storage.get(a.storage_key) };
  }

  async discardUpload(stored: StoredUpload): Promise<void> {
    await this.storage.delete(stored.storageKey);
  }

  private async record(row: q.DossierRow, documentKey: string | undefined, stored: StoredUpload) {
    const detail = await this.catalog.get(row.procedure_id);
    if (!documentKey) throw invalid({ document: { key: 'required' } });
    if (!detail.documents.some((d) => d.key === documentKey)) throw invalid({ document: { key: 'unknownDocument' } });
    const existing = await q.listAttachments(this.db, row.id);
    const total = existing.reduce((n, a) => n + a.size, 0) + stored.size;
    if (total > this.limits.maxDossierBytes) fail('dossier_files_too_large');
    const attachment = {
      id: randomUUID(), dossier_id: row.id, document_key: documentKey, name: stored.name, size: stored.size,
      mime: stored.mime, sha256: stored.sha256, storage_key: stored.storageKey, created_at: this.clock.now().toISOString(),
    };
    await q.insertAttachment(this.db, attachment);
    return { id: attachment.id, document: documentKey, name: attachment.name, size: attachment.size, mime: attachment.mime, sha256: attachment.sha256 };
  }

  /**
   * Removes drafts untouched for `days` (their files first, then the rows), and files in storage
   * that no attachment records: left by an upload whose record failed, or by a crash. A file is
   * only taken for an orphan when its dossier is gone or has not changed for an hour, so an upload
   * in flight is never swept.
   */
  async sweep(days = 30): Promise<{ drafts: number; files: number }> {
    const now = this.clock.now().getTime();
    const before = new Date(now - days * 86400_000).toISOString();
    let drafts = 0;
    for (;;) {
      const batch = await q.abandonedDrafts(this.db, before, 100);
      if (!batch.length) break;
      for (const { id } of batch) {
        for (const key of await q.storageKeysOf(this.db, id)) await this.storage.delete(key);
        await q.deleteDossier(this.db, id);
        drafts++;
      }
    }
    let files = 0;
    const settled = new Date(now - 3600_000).toISOString();
    for await (const key of this.storage.list('dossiers/')) {
      const dossierId = key.split('/')[1] ?? '';
      const updatedAt = await q.dossierUpdatedAt(this.db, dossierId);
      if (updatedAt !== undefined && updatedAt > settled) continue;
      if (await q.isRecordedKey(this.db, key)) continue;
      await this.storage.delete(key);
      files++;
    }
    return { drafts, files };
  }

  /** The applicant sends what a supplement request asked for (files uploaded first); the dossier goes back where it was. */
  async supplement(user: SessionUser, id: string, note: string | undefined): Promise<DossierView> {
    const row = await this.ownDraftable(user, id);
    await this.act(row, user, 'supplement', note);
    return this.get(user, id);
  }

  /** The applicant asks to withdraw; reception confirms it later (docs/domain.md §3). */
  async withdraw(user: SessionUser, id: string, note: string | undefined): Promise<DossierView> {
    const row = await this.ownDraftable(user, id);
    await this.act(row, user, 'withdraw', note);
    return this.get(user, id);
  }

  private async act(row: q.DossierRow, user: SessionUser, action: Action, note?: string, data: Record<string, unknown> = {}): Promise<void> {
    const { actor, refusal } = this.actorFor(user, row, action);
    if (refusal) fail(refusal);
    await this.db.transaction().execute((tx) => this.applyAction(tx, row, { action, actor, userId: user.id, at: this.clock.now(), note, data }));
  }

  /** A new dossier's row and its first action (`create`), inside the caller's transaction. */
  async insertNew(
    tx: Db,
    fields: Pick<q.DossierRow, 'id' | 'procedure_id' | 'procedure_version' | 'unit_id' | 'channel' | 'owner_id' | 'applicant' | 'form' | 'delivery' | 'lang' | 'external_id'>,
    by: { actor: Actor; userId: string | null; at: Date; data?: Record<string, unknown> },
  ): Promise<q.DossierRow> {
    const d = decide(null, 'create', by.actor);
    if (!d.ok) fail(d.reason);
    const at = by.at.toISOString();
    const row: q.DossierRow = {
      ...fields, code: null, tracking_key: null, status: d.to, status_code: statuses[d.to], state: JSON.stringify(d.next), practice: 0,
      submitted_at: null, accepted_at: null, due_at: null, resolved_at: null, returned_at: null, created_at: at, updated_at: at, revision: 0,
      assignee_id: null, paused_at: null, new_due_at: null, processing_hours: null, reminded_on: null,
    };
    await q.insertDossier(tx, row);
    await q.appendAction(tx, { id: randomUUID(), dossier_id: row.id, at, action: 'create', actor_id: by.userId, actor_role: by.actor, from_status: null, to_status: d.to, note: null, data: JSON.stringify(by.data ?? {}) });
    await appendAudit(tx, { at, kind: 'dossier_action', actorId: by.userId, subject: `dossier:${row.id}`, data: { action: 'create', role: by.actor, from: null, to: d.to } });
    return row;
  }

  /**
   * Takes one action on a dossier inside the caller's transaction: the table decides; the log gets
   * the action; the current-status row gets the new status and state, but only if nobody changed
   * it since it was read (409 otherwise: of two officers acting at once, exactly one wins).
   * Starting a pause stops the clock; ending one pushes the due time back by the working time
   * paused. A new status is told to the applicant.
   */
  async applyAction(tx: Db, row: q.DossierRow, a: ActionInput): Promise<q.DossierRow> {
    const state = stateOf(row);
    const d = decide(state, a.action, a.actor);
    if (!d.ok) fail(d.reason);
    const at = a.at.toISOString();
    const set: Partial<q.DossierRow> = { ...a.set, state: JSON.stringify(d.next), status: d.to, status_code: statuses[d.to], updated_at: at };
    if (!clockPaused(state) && clockPaused(d.next)) set.paused_at = at;
    if (clockPaused(state) && !clockPaused(d.next)) {
      if (row.paused_at && row.due_at) set.due_at = (await this.calendar.extend(row.unit_id, new Date(row.due_at), new Date(row.paused_at), a.at, tx)).toISOString();
      set.paused_at = null;
    }
    if (!(await q.updateDossier(tx, row.id, row.revision, set))) fail('conflict');
    if (d.to !== row.status && !row.practice) await q.moveStatusCount(tx, row.unit_id, row.status, d.to);
    const next: q.DossierRow = { ...row, ...set, revision: row.revision + 1 };
    await recordStatChanges(tx, row, next);
    await q.appendAction(tx, {
      id: randomUUID(), dossier_id: row.id, at, action: a.action, actor_id: a.userId, actor_role: a.actor,
      from_status: row.status, to_status: d.to, note: a.note ?? null, data: JSON.stringify(a.data ?? {}),
    });
    if (d.to !== row.status && a.notify !== false && next.code && next.tracking_key) {
      const lang = next.lang === 'en' ? 'en' : 'vi';
      await this.notify(tx, next, lang, 'dossier_status_changed', { code: next.code, status: messages(lang).statuses[d.to], trackingUrl: this.trackingUrl(next.code, next.tracking_key) }, a.at);
    }
    // Last write of the step: the audit head stays locked until the transaction commits.
    await appendAudit(tx, { at, kind: 'dossier_action', actorId: a.userId, subject: `dossier:${row.id}`, data: { action: a.action, role: a.actor, from: row.status, to: d.to } });
    return next;
  }

  /**
   * The public tracking view: no personal data. A wrong or missing key answers exactly as an
   * unknown code does, so codes cannot be probed.
   */
  async track(code: string, key: string | undefined, lang: Lang): Promise<TrackingView> {
    const row = code.length <= 80 ? await q.findDossierByCode(this.db, code) : undefined;
    const expected = Buffer.from(row?.tracking_key ?? 'x'.repeat(10));
    const given = Buffer.from(String(key ?? '').trim().toUpperCase().padEnd(expected.length, ' ').slice(0, expected.length));
    if (!row || row.practice || !row.tracking_key || !timingSafeEqual(expected, given)) fail('dossier_not_found');
    const m = messages(lang);
    const actions = await q.listActions(this.db, row.id);
    const procedure = this.catalog.find(row.procedure_id);
    const status = row.status as Status;
    // Each change of status, once: forwarding inside the unit is the unit's business.
    const history: TrackingView['history'] = [];
    for (const a of actions) {
      const to = a.to_status as Status;
      if (to !== 'draft' && history.at(-1)?.status !== to) history.push({ at: a.at, status: to, label: m.statuses[to] });
    }
    return {
      code: row.code!, status, statusCode: row.status_code, statusLabel: m.statuses[status], procedureId: row.procedure_id,
      procedureName: procedure ? localName(lang, procedure) : row.procedure_id,
      submittedAt: row.submitted_at, acceptedAt: row.accepted_at, dueAt: row.due_at, resolvedAt: row.resolved_at, history,
    };
  }

  /** A dossier's action log, rows as stored (the caller has checked that the dossier is visible). */
  actionLog(id: string) {
    return q.listActions(this.db, id);
  }

  async get(user: SessionUser, id: string): Promise<DossierView> {
    const row = await this.visible(user, id);
    return this.view(row, row.owner_id === user.id);
  }

  async listMine(user: SessionUser, limit: number, offset: number): Promise<{ total: number; items: DossierView[] }> {
    const { total, rows } = await q.listOwnerDossiers(this.db, user.id, limit, offset);
    return { total, items: await Promise.all(rows.map((r) => this.view(r, true))) };
  }

  async view(row: q.DossierRow, owner: boolean): Promise<DossierView> {
    const [actions, attachments, results] = await Promise.all([q.listActions(this.db, row.id), q.listAttachments(this.db, row.id), q.listResults(this.db, row.id)]);
    const status = row.status as Status;
    return {
      id: row.id, code: row.code, status, statusCode: row.status_code, channel: row.channel,
      procedureId: row.procedure_id, procedureVersion: row.procedure_version, unitId: row.unit_id,
      applicant: JSON.parse(row.applicant), form: JSON.parse(row.form), delivery: JSON.parse(row.delivery),
      attachments: attachments.map((a) => ({ id: a.id, document: a.document_key, name: a.name, size: a.size, mime: a.mime, sha256: a.sha256 })),
      trackingKey: owner ? row.tracking_key : null,
      createdAt: row.created_at, submittedAt: row.submitted_at, acceptedAt: row.accepted_at, dueAt: row.due_at,
      resolvedAt: row.resolved_at, returnedAt: row.returned_at,
      overdue: isOverdue(status, row.due_at, this.clock.now()),
      newDueAt: row.new_due_at, assigneeId: row.assignee_id,
      results: results.map((r) => ({ n: r.n, code: r.code, name: r.name, size: r.size, mime: r.mime, sha256: r.sha256 })),
      history: actions.map((a) => ({ at: a.at, action: a.action, actorRole: a.actor_role, status: a.to_status as Status, note: a.note })),
    };
  }
}

/** Form answers keep `applicant.*` apart: the API carries the applicant beside the form. */
function splitApplicant(values: Record<string, unknown>): { applicant: Record<string, unknown>; [k: string]: unknown } {
  const applicant: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (k.startsWith('applicant.')) applicant[k.slice('applicant.'.length)] = v;
    else rest[k] = v;
  }
  return { applicant, ...rest };
}

/** Field keys as JSON paths of the request body: form answers live under `form.`. */
function pathOf(key: string): string {
  return key.startsWith('applicant.') ? key : `form.${key}`;
}

export type TrackingView = {
  code: string; status: Status; statusCode: number; statusLabel: string; procedureId: string; procedureName: string;
  submittedAt: string | null; acceptedAt: string | null; dueAt: string | null; resolvedAt: string | null;
  history: Array<{ at: string; status: Status; label: string }>;
};
