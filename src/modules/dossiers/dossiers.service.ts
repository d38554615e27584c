// Dossiers, applicant side: create a draft, edit it, submit it (a code from the unit's daily
// counter, a tracking key, a message to the applicant), read it, list one's own, ask to withdraw.
// Every change appends to the action log and updates the current-status row in one transaction.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import { dossierCode } from '../../domain/dossier-code.ts';
import { decide, statuses, terminalStatuses, type Action, type Actor, type Status } from '../../domain/dossier-status.ts';
import { isMissingAnswer, validateAnswers } from '../../domain/form-answers.ts';
import { vietnamDay, type Clock } from '../../domain/time.ts';
import { AppError, invalid, notFound, type FieldProblem } from '../../http/errors.ts';
import { format, localName, messages, type Lang } from '../../web/i18n/index.ts';
import type { Outbox, SessionUser } from '../accounts/accounts.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { UnitsService } from '../units/units.service.ts';
import type { FileStorage } from '../files/files.storage.ts';
import { allowedForDocuments } from '../../domain/file-types.ts';
import type { Readable } from 'node:stream';
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

export type DossierView = {
  id: string; code: string | null; status: Status; statusCode: number; channel: string;
  procedureId: string; procedureVersion: number; unitId: string;
  applicant: Record<string, unknown>; form: Record<string, unknown>; delivery: Record<string, unknown>;
  attachments: Array<{ id: string; document: string; name: string; size: number; mime: string; sha256: string }>;
  trackingKey: string | null;
  createdAt: string; submittedAt: string | null; acceptedAt: string | null; dueAt: string | null;
  resolvedAt: string | null; returnedAt: string | null; overdue: boolean;
  history: Array<{ at: string; action: string; actorRole: string; status: Status; note: string | null }>;
};

const settled: ReadonlySet<Status> = new Set(['resolved', 'returned', 'refused', 'withdrawn']);

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
      const stamp = now.toISOString();
      await q.insertDossier(tx, {
        id, code, tracking_key: key, procedure_id: procedure.id, procedure_version: version, unit_id: unitId,
        channel: 'national_portal', status: 'submitted', status_code: statuses.submitted, owner_id: null,
        applicant: JSON.stringify(applicant), form: JSON.stringify(form), delivery: JSON.stringify(input.delivery ?? { method: 'online' }),
        lang: 'vi', practice: 0, external_id: scopedId, submitted_at: stamp, accepted_at: null, due_at: null, resolved_at: null,
        returned_at: null, created_at: stamp, updated_at: stamp, revision: 0,
      });
      for (const action of ['create', 'submit'] as const) {
        await q.appendAction(tx, { id: randomUUID(), dossier_id: id, at: stamp, action, actor_id: null, actor_role: 'system', from_status: action === 'create' ? null : 'draft', to_status: action === 'create' ? 'draft' : 'submitted', note: null, data: JSON.stringify({ sender, externalId }) });
      }
    });
    return { created: true, id, code, status: 'submitted', trackingKey: key };
  }

  trackingUrl(code: string, key: string): string {
    return `${this.publicUrl}/tra-cuu/${encodeURIComponent(code)}?key=${key}`;
  }

  /** The receipt (Form 01) of a submitted dossier, for its applicant and the staff who hold it. */
  async receipt(user: SessionUser, id: string, lang: Lang): Promise<Buffer> {
    const row = await this.visible(user, id);
    if (!row.code || !row.tracking_key || !row.submitted_at) throw new AppError('invalid_transition', 409);
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

  private actorOf(user: SessionUser, dossier?: q.DossierRow): Actor {
    if (dossier && dossier.owner_id === user.id) return 'citizen';
    const staff = user.roles.find((r) => r.role !== 'citizen' && (!dossier || this.covers(r, dossier.unit_id)));
    return staff?.role ?? 'citizen';
  }

  /** The procedure asked for, and the receiving unit: required when several units handle it, one of them in any case. */
  private procedureAndUnit(input: DossierInput) {
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
  private async issueCode(tx: Db, unitId: string, now: Date): Promise<string> {
    const unit = this.catalog.unit(unitId);
    if (!unit) throw new AppError('internal', 500);
    const day = vietnamDay(now);
    return dossierCode(unit.code, day, await q.nextCounter(tx, unitId, day));
  }

  /** Whether a role held at a unit (and maybe its subtree) covers another unit. */
  private covers(role: { unitId: string | null; subtree: boolean }, unitId: string): boolean {
    if (!role.unitId) return false;
    if (role.unitId === unitId) return true;
    if (!role.subtree) return false;
    for (let u = this.catalog.unit(unitId); u?.parentId; u = this.catalog.unit(u.parentId)) if (u.parentId === role.unitId) return true;
    return false;
  }

  /** A dossier the user may see: the applicant's own, or one in a staff member's scope; 404 otherwise. */
  private async visible(user: SessionUser, id: string): Promise<q.DossierRow> {
    const row = typeof id === 'string' && id.length <= 64 ? await q.findDossier(this.db, id) : undefined;
    if (!row || row.practice) throw notFound('dossier_not_found');
    const mine = row.owner_id === user.id;
    const staff = user.roles.some((r) => r.role !== 'citizen' && this.covers(r, row.unit_id));
    if (!mine && !staff) throw notFound('dossier_not_found');
    return row;
  }

  /** A dossier only its applicant may change: staff who can see it are refused (403), others never learn of it (404). */
  private async ownDraftable(user: SessionUser, id: string): Promise<q.DossierRow> {
    const row = await this.visible(user, id);
    if (row.owner_id !== user.id) throw new AppError('forbidden', 403);
    return row;
  }

  /** Checks what a draft may hold: present answers must be valid; missing ones wait for submission. */
  private async checkDraft(input: DossierInput, procedureId: string, final: boolean, attachments: Array<{ document_key: string }> = []) {
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
      for (const doc of detail.documents) {
        if (doc.required && !attachments.some((a) => a.document_key === doc.key)) fields[`documents.${doc.key}`] = { key: 'documentMissing' };
      }
    }
    if (Object.keys(fields).length) throw invalid(fields);
    const { applicant, ...form_ } = splitApplicant(values);
    return { applicant, form: form_ };
  }

  async create(user: SessionUser, input: DossierInput, lang: Lang, idempotencyKey?: string): Promise<DossierView> {
    if (this.backOffice) throw new AppError('filing_disabled', 403);
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
      await q.insertDossier(tx, {
        id, code: null, tracking_key: null, procedure_id: procedure.id, procedure_version: version, unit_id: unitId,
        channel: 'online', status: 'draft', status_code: statuses.draft, owner_id: user.id,
        applicant: JSON.stringify(applicant), form: JSON.stringify(form), delivery: JSON.stringify(input.delivery ?? {}),
        lang, practice: 0, external_id: null, submitted_at: null, accepted_at: null, due_at: null, resolved_at: null,
        returned_at: null, created_at: now, updated_at: now, revision: 0,
      });
      await q.appendAction(tx, { id: randomUUID(), dossier_id: id, at: now, action: 'create', actor_id: user.id, actor_role: 'citizen', from_status: null, to_status: 'draft', note: null, data: '{}' });
      if (idempotencyKey) await q.rememberIdempotencyKey(tx, { scope: user.id, key: idempotencyKey, dossier_id: id, created_at: now });
    });
    return this.get(user, id);
  }

  /** Saves answers into a draft, and only a draft. */
  async update(user: SessionUser, id: string, input: DossierInput): Promise<DossierView> {
    const row = await this.ownDraftable(user, id);
    if (row.status !== 'draft') throw new AppError('invalid_transition', 409);
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
    if (!ok) throw new AppError('conflict', 409);
    return this.get(user, id);
  }

  /**
   * Saves what a page posted: every valid answer is kept (so nothing typed correctly is lost), and
   * the problems of the others come back, keyed by field, for the page to show. Missing answers
   * are not problems yet: a draft may be finished later.
   */
  async saveAnswers(user: SessionUser, id: string, posted: Record<string, unknown>): Promise<Record<string, FieldProblem>> {
    const row = await this.ownDraftable(user, id);
    if (row.status !== 'draft') throw new AppError('invalid_transition', 409);
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
    if (!ok) throw new AppError('conflict', 409);
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
    const decision = decide(row.status as Status, 'submit', 'citizen');
    if (!decision.ok) throw new AppError('invalid_transition', 409);
    const attachments = await q.listAttachments(this.db, id);
    await this.checkDraft({ applicant: JSON.parse(row.applicant), form: JSON.parse(row.form), delivery: JSON.parse(row.delivery) }, row.procedure_id, true, attachments);
    const now = this.clock.now();
    const key = trackingKey();
    let code = '';
    await this.db.transaction().execute(async (tx) => {
      code = await this.issueCode(tx, row.unit_id, now);
      const ok = await q.updateDossier(tx, id, row.revision, {
        code, tracking_key: key, status: decision.to, status_code: statuses[decision.to], submitted_at: now.toISOString(),
        updated_at: now.toISOString(), lang,
      });
      if (!ok) throw new AppError('conflict', 409);
      await q.appendAction(tx, { id: randomUUID(), dossier_id: id, at: now.toISOString(), action: 'submit', actor_id: user.id, actor_role: 'citizen', from_status: row.status, to_status: decision.to, note: null, data: '{}' });
      await this.notify(tx, row, lang, 'dossier_submitted', { code, trackingUrl: this.trackingUrl(code, key) }, now);
    });
    return { id, code, status: decision.to, trackingKey: key };
  }

  private async notify(tx: Db, row: q.DossierRow, lang: Lang, template: string, params: Record<string, string>, now: Date): Promise<void> {
    const applicant = JSON.parse(row.applicant) as { fullName?: string; email?: string; phone?: string };
    const procedure = this.catalog.find(row.procedure_id);
    const base = { name: applicant.fullName ?? '', procedure: procedure ? localName(lang, procedure) : row.procedure_id, ...params };
    if (applicant.email) await this.outbox.enqueue(tx, { channel: 'email', recipient: applicant.email, template, lang, params: base, now });
    else if (applicant.phone) await this.outbox.enqueue(tx, { channel: 'sms', recipient: applicant.phone, template, lang, params: base, now });
  }

  /** Whether files may be added now: the applicant's own draft (or a dossier asked to supplement). */
  private async attachable(user: SessionUser, id: string): Promise<q.DossierRow> {
    const row = await this.ownDraftable(user, id);
    if (row.status !== 'draft' && row.status !== 'supplement_requested') throw new AppError('invalid_transition', 409);
    return row;
  }

  /**
   * Receives one uploaded file into storage, checked by content and size as it streams. The route
   * then records it with recordUpload, or discards it; a file is never left without its record.
   */
  async receiveFile(user: SessionUser, id: string, file: { filename: string; stream: Readable }): Promise<StoredUpload> {
    const row = await this.attachable(user, id);
    return storeUpload(this.storage, row.id, file, { allowed: allowedForDocuments, maxBytes: this.limits.maxFileBytes });
  }

  async recordUpload(user: SessionUser, id: string, documentKey: string | undefined, stored: StoredUpload) {
    try {
      return await this.record(await this.attachable(user, id), documentKey, stored);
    } catch (err) {
      await this.discardUpload(stored);
      throw err;
    }
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
    if (total > this.limits.maxDossierBytes) throw new AppError('dossier_files_too_large', 413);
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

  /** The applicant asks to withdraw; reception confirms it later (design.md §4). */
  async withdraw(user: SessionUser, id: string, note: string | undefined): Promise<DossierView> {
    const row = await this.ownDraftable(user, id);
    await this.act(row, user, 'withdraw', note);
    return this.get(user, id);
  }

  private async act(row: q.DossierRow, user: SessionUser, action: Action, note?: string, data: Record<string, unknown> = {}): Promise<void> {
    const actor = this.actorOf(user, row);
    const decision = decide(row.status as Status, action, actor);
    if (!decision.ok) throw new AppError(decision.reason, decision.reason === 'forbidden' ? 403 : 409);
    const now = this.clock.now().toISOString();
    await this.db.transaction().execute(async (tx) => {
      const ok = await q.updateDossier(tx, row.id, row.revision, { status: decision.to, status_code: statuses[decision.to], updated_at: now });
      if (!ok) throw new AppError('conflict', 409);
      await q.appendAction(tx, { id: randomUUID(), dossier_id: row.id, at: now, action, actor_id: user.id, actor_role: actor, from_status: row.status, to_status: decision.to, note: note ?? null, data: JSON.stringify(data) });
    });
  }

  /**
   * The public tracking view: no personal data. A wrong or missing key answers exactly as an
   * unknown code does, so codes cannot be probed.
   */
  async track(code: string, key: string | undefined, lang: Lang): Promise<TrackingView> {
    const row = code.length <= 80 ? await q.findDossierByCode(this.db, code) : undefined;
    const expected = Buffer.from(row?.tracking_key ?? 'x'.repeat(10));
    const given = Buffer.from(String(key ?? '').trim().toUpperCase().padEnd(expected.length, ' ').slice(0, expected.length));
    if (!row || row.practice || !row.tracking_key || !timingSafeEqual(expected, given)) throw notFound('dossier_not_found');
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

  async get(user: SessionUser, id: string): Promise<DossierView> {
    const row = await this.visible(user, id);
    return this.view(row, row.owner_id === user.id);
  }

  async listMine(user: SessionUser, limit: number, offset: number): Promise<{ total: number; items: DossierView[] }> {
    const { total, rows } = await q.listOwnerDossiers(this.db, user.id, limit, offset);
    return { total, items: await Promise.all(rows.map((r) => this.view(r, true))) };
  }

  private async view(row: q.DossierRow, owner: boolean): Promise<DossierView> {
    const [actions, attachments] = await Promise.all([q.listActions(this.db, row.id), q.listAttachments(this.db, row.id)]);
    const status = row.status as Status;
    return {
      id: row.id, code: row.code, status, statusCode: row.status_code, channel: row.channel,
      procedureId: row.procedure_id, procedureVersion: row.procedure_version, unitId: row.unit_id,
      applicant: JSON.parse(row.applicant), form: JSON.parse(row.form), delivery: JSON.parse(row.delivery),
      attachments: attachments.map((a) => ({ id: a.id, document: a.document_key, name: a.name, size: a.size, mime: a.mime, sha256: a.sha256 })),
      trackingKey: owner ? row.tracking_key : null,
      createdAt: row.created_at, submittedAt: row.submitted_at, acceptedAt: row.accepted_at, dueAt: row.due_at,
      resolvedAt: row.resolved_at, returnedAt: row.returned_at,
      overdue: !!row.due_at && !settled.has(status) && !terminalStatuses.has(status) && this.clock.now().toISOString() > row.due_at,
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
