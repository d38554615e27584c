// What a dossier looks like to whoever may see it: the applicant's and staff's view, the
// applicant's list, the public tracking page (no personal data), the receipt, the action log.
import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import { isOverdue, type Status } from '../../domain/dossier-status.ts';
import type { Clock } from '../../domain/time.ts';
import { fail } from '../../errors.ts';
import { format, localName, messages, type Lang } from '../../i18n/index.ts';
import type { SessionUser } from '../accounts/accounts.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { UnitsService } from '../units/units.service.ts';
import type { DeliveryMethod } from './dossiers.answers.ts';
import * as q from './dossiers.queries.ts';
import { acknowledgementPdf, receiptPdf, type ReceiptData } from './dossiers.receipt.ts';
import { deskName } from '../units/units.desks.ts';
import type { DossiersService } from './dossiers.service.ts';

export type DossierView = {
  id: string; code: string | null; status: Status; statusCode: number; channel: string;
  procedureId: string; procedureVersion: number; unitId: string;
  /** The desk that received it (the competent unit, `unitId`, unless a desk took it in for another unit). */
  receivingUnitId: string;
  applicant: Record<string, unknown>; form: Record<string, unknown>; delivery: Record<string, unknown>;
  attachments: Array<{ id: string; document: string; name: string; size: number; mime: string; sha256: string }>;
  trackingKey: string | null;
  createdAt: string; submittedAt: string | null; acceptedAt: string | null; dueAt: string | null;
  resolvedAt: string | null; returnedAt: string | null; overdue: boolean;
  /** The date promised in an apology letter, when one was sent. */
  newDueAt: string | null;
  /** The deadline of an open supplement request, when one was set (docs/domain.md §3.4). */
  supplementDueAt: string | null;
  assigneeId: string | null;
  results: Array<{ n: number; code: string; name: string; size: number; mime: string; sha256: string }>;
  history: Array<{ at: string; action: string; actorRole: string; status: Status; note: string | null }>;
};

export type TrackingView = {
  code: string; status: Status; statusCode: number; statusLabel: string; procedureId: string; procedureName: string;
  submittedAt: string | null; acceptedAt: string | null; dueAt: string | null; resolvedAt: string | null;
  history: Array<{ at: string; status: Status; label: string }>;
};

export class DossierViews {
  constructor(
    private readonly db: Db,
    private readonly dossiers: DossiersService,
    private readonly catalog: CatalogService,
    private readonly units: UnitsService,
    private readonly clock: Clock,
  ) {}

  async get(user: SessionUser, id: string): Promise<DossierView> {
    const row = await this.dossiers.visible(user, id);
    return this.view(row, row.owner_id === user.id);
  }

  async listMine(user: SessionUser, limit: number, offset: number): Promise<{ total: number; items: DossierView[] }> {
    const { total, rows } = await q.listOwnerDossiers(this.db, user.id, limit, offset, this.dossiers.sealer);
    return { total, items: await Promise.all(rows.map((r) => this.view(r, true))) };
  }

  async view(row: q.DossierRecord, owner: boolean): Promise<DossierView> {
    const [actions, attachments, results] = await Promise.all([q.listActions(this.db, row.id), q.listAttachments(this.db, row.id), q.listResults(this.db, row.id)]);
    return {
      id: row.id, code: row.code, status: row.status, statusCode: row.status_code, channel: row.channel,
      procedureId: row.procedure_id, procedureVersion: row.procedure_version, unitId: row.unit_id, receivingUnitId: row.receiving_unit_id ?? row.unit_id,
      applicant: row.applicant, form: row.form, delivery: row.delivery,
      attachments: attachments.map((a) => ({ id: a.id, document: a.document_key, name: a.name, size: a.size, mime: a.mime, sha256: a.sha256 })),
      trackingKey: owner ? row.tracking_key : null,
      createdAt: row.created_at, submittedAt: row.submitted_at, acceptedAt: row.accepted_at, dueAt: row.due_at,
      resolvedAt: row.resolved_at, returnedAt: row.returned_at,
      overdue: isOverdue(row.status, row.due_at, this.clock.now()),
      newDueAt: row.new_due_at, assigneeId: row.assignee_id,
      supplementDueAt: row.status === 'supplement_requested' ? row.supplement_due_at : null,
      results: results.map((r) => ({ n: r.n, code: r.code, name: r.name, size: r.size, mime: r.mime, sha256: r.sha256 })),
      history: actions.map((a) => ({ at: a.at, action: a.action, actorRole: a.actor_role, status: a.to_status, note: a.note })),
    };
  }

  /**
   * The public tracking view: no personal data. A wrong or missing key answers exactly as an
   * unknown code does, so codes cannot be probed.
   */
  async track(code: string, key: string | undefined, lang: Lang): Promise<TrackingView> {
    const row = code.length <= 80 ? await q.findDossierByCode(this.db, code, this.dossiers.sealer) : undefined;
    const expected = Buffer.from(row?.tracking_key ?? 'x'.repeat(10));
    const given = Buffer.from(String(key ?? '').trim().toUpperCase().padEnd(expected.length, ' ').slice(0, expected.length));
    if (!row || row.practice || !row.tracking_key || !timingSafeEqual(expected, given)) fail('dossier_not_found');
    const m = messages(lang);
    const actions = await q.listActions(this.db, row.id);
    const procedure = this.catalog.find(row.procedure_id);
    const status = row.status;
    // Each change of status, once: forwarding inside the unit is the unit's business.
    const history: TrackingView['history'] = [];
    for (const a of actions) {
      const to = a.to_status;
      if (to !== 'draft' && history.at(-1)?.status !== to) history.push({ at: a.at, status: to, label: m.statuses[to] });
    }
    return {
      code: row.code!, status, statusCode: row.status_code, statusLabel: m.statuses[status], procedureId: row.procedure_id,
      procedureName: procedure ? localName(lang, procedure) : row.procedure_id,
      submittedAt: row.submitted_at, acceptedAt: row.accepted_at, dueAt: row.due_at, resolvedAt: row.resolved_at, history,
    };
  }

  /** The acknowledgement of a submitted dossier (before acceptance and after), for its applicant and the staff who hold it. */
  async acknowledgement(user: SessionUser, id: string, lang: Lang): Promise<Buffer> {
    return acknowledgementPdf(lang, await this.receiptData(user, id, lang));
  }

  /** The receipt and appointment slip (Form 01) of an accepted dossier; 409 before acceptance. */
  async receipt(user: SessionUser, id: string, lang: Lang): Promise<Buffer> {
    const data = await this.receiptData(user, id, lang);
    if (!data.acceptedAt || !data.dueAt) fail('invalid_transition');
    return receiptPdf(lang, data);
  }

  private async receiptData(user: SessionUser, id: string, lang: Lang): Promise<ReceiptData> {
    const row = await this.dossiers.visible(user, id);
    if (!row.code || !row.tracking_key || !row.submitted_at) fail('invalid_transition');
    const [unit, attachments, procedure] = await Promise.all([this.units.find(row.unit_id), q.listAttachments(this.db, id), this.catalog.get(row.procedure_id)]);
    // The desk that received it prints the receipt in its name (docs/domain.md §3.7).
    const desk = row.receiving_unit_id && row.receiving_unit_id !== row.unit_id ? await this.units.find(row.receiving_unit_id) : unit;
    const parent = desk?.parentId ? await this.units.find(desk.parentId) : null;
    const applicant = row.applicant;
    const area = applicant.address?.areaCode ? await this.units.areaName(applicant.address.areaCode) : null;
    const areaText = area && (area.former ? format(messages(lang).receipt.formerly, { current: area.current, former: area.former }) : area.current);
    const delivery = row.delivery.method as DeliveryMethod | undefined;
    const m = messages(lang);
    return {
      unitName: unit ? localName(lang, unit) : row.unit_id,
      agencyName: unit ? (lang === 'en' ? unit.agencyNameEn : unit.agencyName) : null,
      deskName: desk ? deskName(lang, desk, parent) : '',
      code: row.code,
      trackingUrl: this.dossiers.trackingUrl(row.code, row.tracking_key),
      applicant: { ...applicant, addressText: [applicant.address?.line, areaText].filter(Boolean).join(', ') || undefined },
      procedureName: localName(lang, procedure),
      documents: procedure.documents
        .map((d) => ({ name: d.name, files: attachments.filter((a) => a.document_key === d.key).length, kind: documentKind(d.name) }))
        .filter((d) => d.files > 0),
      processingDays: row.processing_hours === null ? null : row.processing_hours / 8,
      processingNote: procedure.processingNote,
      submittedAt: row.submitted_at,
      acceptedAt: row.accepted_at,
      dueAt: row.due_at,
      feeVnd: procedure.feeVnd,
      delivery: delivery ? m.receipt.deliveryMethods[delivery] : '',
    };
  }

  /** A dossier's action log, its data parsed (the caller has checked that the dossier is visible). */
  actionLog(id: string): Promise<q.ActionRecord[]> {
    return q.listActions(this.db, id);
  }
}

/** Original or copy, only where the catalogue's list says so in the document's name. */
function documentKind(name: string): 'original' | 'copy' | null {
  const lower = name.toLowerCase();
  const copy = lower.search(/bản sao|bản chụp|bản photo/);
  const original = lower.search(/bản chính|bản gốc/);
  if (copy < 0 && original < 0) return null;
  if (copy < 0) return 'original';
  if (original < 0) return 'copy';
  return original < copy ? 'original' : 'copy';
}
