// The applicant's side of a dossier before and around submission: create a draft, save answers
// (through the API or a page), submit it (a code from the unit's daily counter, a tracking key, a
// message), send a supplement, ask to withdraw; and the sweep of abandoned drafts and stray files.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { decide, type Action, type Status } from '../../domain/dossier-status.ts';
import { trackingKey } from '../../domain/dossier-code.ts';
import type { Clock } from '../../domain/time.ts';
import { invalid, type FieldProblem, fail } from '../../errors.ts';
import type { Lang } from '../../i18n/index.ts';
import type { SessionUser } from '../accounts/accounts.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { FileStorage } from '../files/files.storage.ts';
import type { DossierInput } from './dossiers.answers.ts';
import * as q from './dossiers.queries.ts';
import type { DossiersService } from './dossiers.service.ts';
import type { DossierView, DossierViews } from './dossiers.views.ts';

export class DraftsService {
  constructor(
    private readonly db: Db,
    private readonly dossiers: DossiersService,
    private readonly views: DossierViews,
    private readonly catalog: CatalogService,
    private readonly storage: FileStorage,
    private readonly clock: Clock,
    /** In back-office mode citizens file on the national portal; dossiers arrive through receiveInbound. */
    private readonly backOffice = false,
  ) {}

  async create(user: SessionUser, input: DossierInput, lang: Lang, idempotencyKey?: string): Promise<DossierView> {
    if (this.backOffice) fail('filing_disabled');
    if (idempotencyKey) {
      const seen = await q.findIdempotentDossier(this.db, user.id, idempotencyKey);
      if (seen) return this.views.get(user, seen);
    }
    const { procedure, unitId } = this.dossiers.procedureAndUnit(input);
    if (procedure.onlineClass === 'none') throw invalid({ procedureId: { key: 'notOnline' } });
    const { applicant, form } = await this.dossiers.checkDraft(input, procedure.id, false);
    const now = this.clock.now().toISOString();
    const id = randomUUID();
    const version = (await this.catalog.get(procedure.id)).version.number;
    try {
      await this.db.transaction().execute(async (tx) => {
        // The key first: a concurrent retry with the same key waits here (PostgreSQL) or fails here,
        // before it takes the audit head, and the unique key decides which request made the draft.
        if (idempotencyKey) await q.rememberIdempotencyKey(tx, { scope: user.id, key: idempotencyKey, dossier_id: id, created_at: now });
        await this.dossiers.insertNew(tx, {
          id, procedure_id: procedure.id, procedure_version: version, unit_id: unitId, channel: 'online', owner_id: user.id,
          applicant, form, delivery: input.delivery ?? {}, lang, external_id: null,
        }, { actor: 'citizen', userId: user.id, at: this.clock.now() });
      });
    } catch (err) {
      // Lost the race to a retry carrying the same key: answer with the draft the winner made.
      const first = idempotencyKey && isUniqueViolation(err) ? await q.findIdempotentDossier(this.db, user.id, idempotencyKey) : undefined;
      if (first) return this.views.get(user, first);
      throw err;
    }
    return this.views.get(user, id);
  }

  /** Saves answers into a draft, and only a draft. */
  async update(user: SessionUser, id: string, input: DossierInput): Promise<DossierView> {
    const row = await this.dossiers.own(user, id);
    if (row.status !== 'draft') fail('invalid_transition');
    const merged: DossierInput = {
      applicant: { ...row.applicant, ...(input.applicant ?? {}) },
      form: { ...row.form, ...(input.form ?? {}) },
      delivery: input.delivery ?? row.delivery,
    };
    const { applicant, form } = await this.dossiers.checkDraft(merged, row.procedure_id, false);
    const ok = await q.updateDossier(this.db, id, row.revision, {
      applicant, form, delivery: merged.delivery ?? {}, updated_at: this.clock.now().toISOString(),
    }, this.dossiers.sealer);
    if (!ok) fail('conflict');
    return this.views.get(user, id);
  }

  /**
   * Saves what a page posted: every valid answer is kept (so nothing typed correctly is lost), and
   * the problems of the others come back, keyed by field, for the page to show. Missing answers
   * are not problems yet: a draft may be finished later.
   */
  async saveAnswers(user: SessionUser, id: string, posted: Record<string, unknown>): Promise<Record<string, FieldProblem>> {
    const row = await this.dossiers.own(user, id);
    if (row.status !== 'draft') fail('invalid_transition');
    const line = posted['delivery.address.line'];
    const area = posted['delivery.address.areaCode'];
    const structured = (typeof line === 'string' && line.trim()) || (typeof area === 'string' && area.trim()) ? { line, areaCode: area } : undefined;
    const delivery = { method: posted['delivery.method'], address: structured ?? posted['delivery.address'] };
    const checked = await this.dossiers.checkAnswers(row.procedure_id, posted, delivery, { final: false, lenientDelivery: true });
    const ok = await q.updateDossier(this.db, id, row.revision, {
      applicant: checked.applicant, form: checked.form, delivery: checked.delivery, updated_at: this.clock.now().toISOString(),
    }, this.dossiers.sealer);
    if (!ok) fail('conflict');
    return { ...checked.answerProblems, ...checked.otherProblems };
  }

  /**
   * Submits a draft: checks the form and the required documents, issues the code and the tracking
   * key, and tells the applicant. A repeated submit (a retry, or a known Idempotency-Key) answers
   * with the same dossier; submitting anything that has moved on is a 409.
   */
  async submit(user: SessionUser, id: string, lang: Lang): Promise<{ id: string; code: string; status: Status; trackingKey: string }> {
    const row = await this.dossiers.own(user, id);
    if (row.status === 'submitted' && row.code && row.tracking_key) {
      const log = await q.listActions(this.db, id);
      if (log.at(-1)?.action === 'submit') return { id, code: row.code, status: 'submitted', trackingKey: row.tracking_key };
    }
    const decision = decide(row.state, 'submit', 'citizen');
    if (!decision.ok) fail('invalid_transition');
    const attachments = await q.listAttachments(this.db, id);
    await this.dossiers.checkDraft({ applicant: row.applicant, form: row.form, delivery: row.delivery }, row.procedure_id, true, attachments);
    const now = this.clock.now();
    const key = trackingKey();
    let code = '';
    await this.db.transaction().execute(async (tx) => {
      code = await this.dossiers.issueCode(tx, row.unit_id, now);
      await this.dossiers.applyAction(tx, row, {
        action: 'submit', actor: 'citizen', userId: user.id, at: now, notify: false,
        set: { code, tracking_key: key, submitted_at: now.toISOString(), lang },
      });
      await this.dossiers.notify(tx, row, lang, 'dossier_submitted', { code, trackingUrl: this.dossiers.trackingUrl(code, key) }, now);
    });
    return { id, code, status: decision.to, trackingKey: key };
  }

  /** The applicant sends what a supplement request asked for (files uploaded first); the dossier goes back where it was, and the request's deadline is cleared. */
  async supplement(user: SessionUser, id: string, note: string | undefined): Promise<DossierView> {
    const row = await this.dossiers.own(user, id);
    await this.act(row, user, 'supplement', note, {}, { supplement_due_at: null });
    return this.views.get(user, id);
  }

  /** The applicant asks to withdraw; reception confirms it later (docs/domain.md §3). */
  async withdraw(user: SessionUser, id: string, note: string | undefined): Promise<DossierView> {
    const row = await this.dossiers.own(user, id);
    await this.act(row, user, 'withdraw', note);
    return this.views.get(user, id);
  }

  private async act(row: q.DossierRecord, user: SessionUser, action: Action, note?: string, data: Record<string, unknown> = {}, set: Partial<q.DossierRecord> = {}): Promise<void> {
    const { actor, refusal } = this.dossiers.actorFor(user, row, action);
    if (refusal) fail(refusal);
    await this.db.transaction().execute((tx) => this.dossiers.applyAction(tx, row, { action, actor, userId: user.id, at: this.clock.now(), note, data, set }));
  }

  /**
   * Removes every draft of an account, files first (a data-subject deletion request: drafts are
   * no record of a procedure). Submitted dossiers are kept. Answers how many drafts went.
   */
  async discardDraftsOf(userId: string): Promise<number> {
    const drafts = await q.ownerDrafts(this.db, userId);
    for (const { id } of drafts) {
      for (const key of await q.storageKeysOf(this.db, id)) await this.storage.delete(key);
      await q.deleteDossier(this.db, id);
    }
    return drafts.length;
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
}
