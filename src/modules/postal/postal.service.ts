// The public postal service (Decision 45/2016/QĐ-TTg; docs/domain.md §9): the checks of a postal
// delivery at submission and intake, the shipments a dossier's changes open (the dossier carried to
// the desk at postal intake, the result carried to the applicant when resolved), the operator's
// events (idempotent, in order, a delivered result returning the dossier), what postal staff
// record, each unit's excluded procedures, and the applicant's message at each change.
import { randomUUID } from 'node:crypto';
import { underSavepoint, type Db } from '../../db/connection.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import {
  checkPostalAddress, dossierActionFor, eventClockSkewMs, isOperatorToken, isShipmentStatus, mayMove, parseEventTime, troubleStatuses,
  type PostalAddress, type ShipmentDirection, type ShipmentStatus,
} from '../../domain/postal.ts';
import type { Clock } from '../../domain/time.ts';
import type { Sealer } from '../../domain/sealed.ts';
import { AppError, fail, invalid, type FieldProblem } from '../../errors.ts';
import { messages } from '../../i18n/index.ts';
import type { SessionUser } from '../accounts/accounts.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { DossierRecord, DossiersService, SyncedChange, SyncRecorder } from '../dossiers/dossiers.service.ts';
import { recordPostalReturn } from '../stats/stats.service.ts';
import type { PostalNetwork, PostOffice } from './postal.network.ts';
import * as q from './postal.queries.ts';

export type ShipmentView = {
  id: string; dossierId: string; direction: ShipmentDirection; operator: string; postOfficeId: string | null; postOfficeName: string | null;
  trackingNumber: string | null; feeVnd: number; feeConfirmed: boolean; address: (PostalAddress & { areaName: string }) | null;
  status: ShipmentStatus; trouble: boolean; createdAt: string; updatedAt: string;
  /** Delivered, yet the dossier is not returned (its return was refused: a fee owed): the desk must act. */
  returnPending?: boolean;
  events: Array<{ status: ShipmentStatus; from: ShipmentStatus; at: string; source: string; note: string | null }>;
};

export type EventInput = { eventId?: unknown; status?: unknown; at?: unknown; trackingNumber?: unknown; note?: unknown };

const text = (v: unknown, max: number) => (typeof v === 'string' ? v.trim().slice(0, max) : '');

export class PostalService implements SyncRecorder {
  constructor(
    private readonly db: Db,
    private readonly dossiers: DossiersService,
    private readonly catalog: CatalogService,
    readonly network: PostalNetwork,
    private readonly clock: Clock,
    private readonly sealer: Sealer,
  ) {}

  /** Whether the postal service is closed to a procedure at a unit (or at the desk that received the dossier). */
  excluded(unitIds: readonly string[], procedureId: string, db: Db = this.db): Promise<boolean> {
    return q.isExcluded(db, [...new Set(unitIds)], procedureId);
  }

  /**
   * The dossier engine's observer (wired in src/services.ts): runs inside every change's transaction.
   * A submission with postal delivery or on the postal channel is checked (a problem rolls the
   * submission back with 400); postal intake opens the inbound shipment, a resolution with postal
   * delivery the outbound one; a result returned by the postal actor counts as returned by post.
   */
  async record(tx: Db, _before: DossierRecord, after: DossierRecord, change: SyncedChange): Promise<void> {
    if (change.name === 'submit') {
      await this.checkSubmission(tx, after);
      if (after.channel === 'postal' && change.actorRole === 'postal') await this.open(tx, after, 'inbound', null, change.at);
    } else if (change.name === 'resolve' && after.delivery?.method === 'postal') {
      const { address } = checkPostalAddress(after.delivery.address, (c) => this.network.areas.communes.has(c));
      await this.open(tx, after, 'outbound', address, change.at);
    } else if (change.name === 'return_result' && change.actorRole === 'postal' && !after.practice) {
      await recordPostalReturn(tx, after, change.at);
    }
  }

  /** The postal rules of a submission: the address names a current commune, the procedure and unit take post. */
  private async checkSubmission(tx: Db, d: DossierRecord): Promise<void> {
    const problems: Record<string, FieldProblem> = {};
    const units = [d.unit_id, d.receiving_unit_id ?? d.unit_id];
    // Through tx, never this.db: on SQLite the transaction holds the only connection.
    const rules = await q.postalRulesOf(tx, d.procedure_id, d.procedure_version);
    if (d.channel === 'postal') {
      if (!rules?.submit) problems.procedureId = { key: 'postalSubmitNotAllowed' };
      else if (await this.excluded(units, d.procedure_id, tx)) problems.procedureId = { key: 'postalExcluded' };
    }
    if (d.delivery?.method === 'postal') {
      if (await this.excluded(units, d.procedure_id, tx)) problems['delivery.method'] = { key: 'postalExcluded' };
      const { problems: bad } = checkPostalAddress(d.delivery.address, (c) => this.network.areas.communes.has(c));
      for (const p of bad) problems[`delivery.address.${p.field}`] = { key: p.key };
    }
    if (Object.keys(problems).length) throw invalid(problems);
  }

  /** Opens a shipment in the change's transaction and tells the applicant. */
  private async open(tx: Db, d: DossierRecord, direction: ShipmentDirection, address: PostalAddress | null, at: Date): Promise<void> {
    const desk = d.receiving_unit_id ?? d.unit_id;
    const office = this.network.officeFor(desk);
    const toProvince = address ? (this.network.areas.communes.get(address.areaCode)?.province ?? null) : this.applicantProvince(d);
    const { feeVnd } = this.network.fee(direction, desk, toProvince);
    const now = at.toISOString();
    const s: q.ShipmentRecord = {
      id: randomUUID(), dossier_id: d.id, direction, operator: office?.operator ?? 'vnpost', post_office_id: office?.id ?? null,
      tracking_number: null, fee_vnd: feeVnd, address, status: 'created', created_at: now, updated_at: now, revision: 0,
    };
    await q.insertShipment(tx, s, this.sealer);
    await this.tell(tx, d, s, at);
  }

  private applicantProvince(d: DossierRecord): string | null {
    const code = (d.applicant as { address?: { areaCode?: string } }).address?.areaCode;
    return code ? (this.network.areas.communes.get(code)?.province ?? null) : null;
  }

  private async tell(tx: Db, d: DossierRecord, s: Pick<q.ShipmentRecord, 'direction' | 'status' | 'tracking_number'>, at: Date): Promise<void> {
    if (!d.code) return;
    const lang = d.lang === 'en' ? 'en' : 'vi';
    const m = messages(lang).postal;
    await this.dossiers.notify(tx, d, lang, 'shipment_status_changed', {
      code: d.code, direction: m.directions[s.direction as ShipmentDirection], status: m.statuses[s.status as ShipmentStatus], tracking: s.tracking_number ?? '—',
    }, at);
  }

  /**
   * An event from a postal operator (POST /api/v1/shipments/{id}/events): 404 for a shipment that
   * is not this operator's (or does not exist); the same event id again answers as the first time;
   * a change the table does not allow is 409. A delivered result returns the dossier, as `postal`.
   */
  async receiveEvent(operator: string, shipmentId: string, input: EventInput): Promise<{ shipment: ShipmentView; repeated: boolean }> {
    const eventId = input.eventId;
    const problems: Record<string, FieldProblem> = {};
    if (!isOperatorToken(eventId)) problems.eventId = { key: eventId ? 'invalid' : 'required' };
    if (!isShipmentStatus(input.status)) problems.status = { key: input.status ? 'notAllowed' : 'required', params: { allowed: 'picked_up, in_transit, delivered, failed, returned_to_sender' } };
    if (input.trackingNumber !== undefined && !isOperatorToken(input.trackingNumber, 40)) problems.trackingNumber = { key: 'invalid' };
    const now = this.clock.now();
    const at = input.at === undefined ? now : parseEventTime(input.at);
    if (!at) problems.at = { key: 'shipmentEventTime' };
    const shipment = typeof shipmentId === 'string' && shipmentId.length <= 64 ? await q.findShipment(this.db, shipmentId, this.sealer) : undefined;
    if (!shipment || shipment.operator !== operator) fail('not_found');
    if (at && at.getTime() < Date.parse(shipment.created_at)) problems.at = { key: 'shipmentEventTooEarly', params: { created: shipment.created_at } };
    else if (at && at.getTime() > now.getTime() + eventClockSkewMs) problems.at = { key: 'shipmentEventInFuture' };
    if (Object.keys(problems).length || !at) throw invalid(problems);
    try {
      return await this.move(shipment.id, { eventId: eventId as string, status: input.status as ShipmentStatus, at, source: 'operator', trackingNumber: input.trackingNumber as string | undefined, note: text(input.note, 500) || null });
    } catch (err) {
      // The same event sent twice at once: the second insert meets the unique index; answer as a repeat.
      if (isUniqueViolation(err)) return this.move(shipment.id, { eventId: eventId as string, status: input.status as ShipmentStatus, at, source: 'operator' });
      throw err;
    }
  }

  private async move(shipmentId: string, e: { eventId: string; status: ShipmentStatus; at: Date; source: 'operator' | 'staff'; trackingNumber?: string; note?: string | null }): Promise<{ shipment: ShipmentView; repeated: boolean }> {
    let repeated = false;
    await this.db.transaction().execute(async (tx) => {
      const s = await q.findShipment(tx, shipmentId, this.sealer);
      if (!s) fail('not_found');
      const seen = await q.findEvent(tx, s.id, e.eventId);
      if (seen) {
        if (seen.status !== e.status) fail('conflict');
        repeated = true;
        return;
      }
      const from = s.status as ShipmentStatus;
      if (!mayMove(from, e.status)) fail('invalid_transition');
      const now = this.clock.now().toISOString();
      await q.insertEvent(tx, { id: randomUUID(), shipment_id: s.id, event_id: e.eventId, seq: s.revision + 1, source: e.source, from_status: from, status: e.status, at: e.at.toISOString(), recorded_at: now, note: e.note ?? null });
      const tracking = e.trackingNumber ?? s.tracking_number;
      if (!(await q.moveShipment(tx, s.id, s.revision, { status: e.status, tracking_number: tracking, updated_at: now }))) fail('conflict');
      let d = await this.dossiers.find(s.dossier_id, tx);
      if (!d) fail('not_found');
      if (dossierActionFor(s.direction as ShipmentDirection, e.status) === 'return_result' && d.status === 'resolved') d = await this.tryReturn(tx, d, s.id, tracking);
      await this.tell(tx, d, { direction: s.direction, status: e.status, tracking_number: tracking }, e.at);
    });
    const after = await q.findShipment(this.db, shipmentId, this.sealer);
    return { shipment: (await this.views([after!]))[0]!, repeated };
  }

  /**
   * A delivered result returns the dossier, as `postal`, at the time it is recorded (the operator's
   * `at` stays on the event). The return is tried under a savepoint: when it is refused (a
   * before-result fee owed: `payment_due`, or any other refusal) the event and the shipment's status
   * are kept, the dossier stays resolved and the desk sees the shipment flagged (`returnPending`).
   */
  private async tryReturn(tx: Db, d: DossierRecord, shipmentId: string, tracking: string | null): Promise<DossierRecord> {
    const at = this.clock.now();
    try {
      return await underSavepoint(tx, 'postal_return', () => this.dossiers.applyAction(tx, d, {
        action: 'return_result', actor: 'postal', userId: null, at,
        data: { receivedBy: messages(d.lang === 'en' ? 'en' : 'vi').postal.receivedByPost, via: 'postal', shipmentId, trackingNumber: tracking },
        set: { returned_at: at.toISOString() },
      }));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return d;
    }
  }

  /** A dossier's shipments, for its applicant and for staff in scope (404 otherwise). */
  async forDossier(user: SessionUser, dossierId: string): Promise<ShipmentView[]> {
    const d = await this.dossiers.visible(user, dossierId);
    return (await this.views(await q.shipmentsOf(this.db, d.id, this.sealer)))
      .map((v) => ({ ...v, returnPending: v.direction === 'outbound' && v.status === 'delivered' && d.status === 'resolved' }));
  }

  /** The post offices a member of staff works for: those serving a unit their postal grants cover (docs/domain.md §9). */
  officesOf(user: SessionUser): PostOffice[] {
    const grants = user.roles.filter((r) => r.role === 'postal' && r.unitId);
    return this.network.offices.filter((o) => grants.some((g) => this.network.touches(o, g.unitId!) || o.serves.some((s) => this.dossiers.covers(g, s))));
  }

  /** The shipments of the caller's post offices, newest change first, with their dossiers' codes; 403 without a postal grant. */
  async forStaff(user: SessionUser, limit = 100): Promise<Array<ShipmentView & { dossierCode: string | null }>> {
    const offices = this.officesOf(user);
    if (!offices.length) fail('forbidden');
    const rows = await q.shipmentsOfOffices(this.db, offices.map((o) => o.id), limit, this.sealer);
    const views = await this.views(rows);
    const codes = new Map<string, string | null>();
    for (const r of rows) if (!codes.has(r.dossier_id)) codes.set(r.dossier_id, (await this.dossiers.find(r.dossier_id))?.code ?? null);
    return views.map((v) => ({ ...v, dossierCode: codes.get(v.dossierId) ?? null }));
  }

  /**
   * Postal staff record what happened to a shipment of their post office: its tracking number, and
   * a status (the handover to the desk, say), through the same table as the operator's events.
   */
  async recordByStaff(user: SessionUser, shipmentId: string, input: { status?: string; trackingNumber?: string }): Promise<ShipmentView> {
    const s = await q.findShipment(this.db, shipmentId.slice(0, 64), this.sealer);
    if (!s || !this.officesOf(user).some((o) => o.id === s.post_office_id)) fail('not_found');
    const tracking = text(input.trackingNumber, 40);
    if (tracking && !isOperatorToken(tracking, 40)) throw invalid({ trackingNumber: { key: 'badTrackingNumber' } });
    if (!input.status) {
      if (!tracking) throw invalid({ trackingNumber: { key: 'required' } });
      if (!(await q.moveShipment(this.db, s.id, s.revision, { tracking_number: tracking, updated_at: this.clock.now().toISOString() }))) fail('conflict');
      return (await this.views([(await q.findShipment(this.db, s.id, this.sealer))!]))[0]!;
    }
    if (!isShipmentStatus(input.status)) throw invalid({ status: { key: 'chooseOne' } });
    return (await this.move(s.id, { eventId: `staff-${randomUUID()}`, status: input.status, at: this.clock.now(), source: 'staff', trackingNumber: tracking || undefined })).shipment;
  }

  private async views(rows: q.ShipmentRecord[]): Promise<ShipmentView[]> {
    const events = await q.eventsOf(this.db, rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id, dossierId: r.dossier_id, direction: r.direction as ShipmentDirection, operator: r.operator,
      postOfficeId: r.post_office_id, postOfficeName: this.network.office(r.post_office_id)?.name ?? null,
      trackingNumber: r.tracking_number, feeVnd: r.fee_vnd, feeConfirmed: this.network.tariff.confirmed,
      address: r.address ? { ...r.address, areaName: this.network.areaLabel(r.address.areaCode, 'vi') } : null,
      status: r.status as ShipmentStatus, trouble: troubleStatuses.has(r.status as ShipmentStatus), createdAt: r.created_at, updatedAt: r.updated_at,
      events: events.filter((e) => e.shipment_id === r.id).map((e) => ({ status: e.status as ShipmentStatus, from: e.from_status as ShipmentStatus, at: e.at, source: e.source, note: e.note })),
    }));
  }

  /** The units whose exclusions a user may edit: unit admins over them, province admins. */
  mayEditExclusions(user: SessionUser, unitId: string): boolean {
    return user.roles.some((r) => (r.role === 'unit_admin' || r.role === 'province_admin') && this.dossiers.covers(r, unitId));
  }

  async exclusions(user: SessionUser, unitId: string): Promise<string[]> {
    if (!this.catalog.unit(unitId)) throw invalid({ unitId: { key: 'unknownUnit' } });
    if (!this.mayEditExclusions(user, unitId)) fail('forbidden');
    return q.exclusionsOf(this.db, unitId);
  }

  /** Replaces a unit's excluded procedures (each one the unit handles); unit admins over it only. */
  async setExclusions(user: SessionUser, unitId: string, procedureIds: readonly string[]): Promise<string[]> {
    if (!this.catalog.unit(unitId)) throw invalid({ unitId: { key: 'unknownUnit' } });
    if (!this.mayEditExclusions(user, unitId)) fail('forbidden');
    const ids = [...new Set(procedureIds)];
    const bad = ids.filter((id) => !this.catalog.find(id)?.unitIds.includes(unitId));
    if (bad.length) throw invalid({ procedureIds: { key: 'unknownProcedure' } });
    await q.setExclusions(this.db, unitId, ids, this.clock.now().toISOString(), user.id);
    return q.exclusionsOf(this.db, unitId);
  }
}
