// The back office's work on payments (docs/domain.md §8.2): the lists of what is owed, paid and
// to refund in an officer's units; cash taken at the counter (exactly the amount due, settled with
// method cash and the officer as `paid_by`, so the receipt prints); a refund paid back, with a note.
import type { Db } from '../../db/connection.ts';
import type { SessionUser } from '../../domain/accounts.ts';
import { dossierReaders, unitsCovered, type Role } from '../../domain/roles.ts';
import type { Clock } from '../../domain/time.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { fail, invalid } from '../../errors.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { DossiersService } from '../dossiers/dossiers.service.ts';
import type { PaymentRecord, PaymentsService } from './payments.service.ts';
import * as q from './payments.statement.queries.ts';

/** Who sees the payment lists of the units their grants cover. */
export const paymentReaders: readonly Role[] = ['reception', 'unit_admin', 'province_admin'];
/** Who takes cash: reception at the dossier's unit or at the desk that received it. */
export const cashRoles: readonly Role[] = ['reception'];
/** Who records a refund paid back: reception (the unit or the desk) and the unit's administrator. */
export const refundRoles: readonly Role[] = ['reception', 'unit_admin'];

export type OfficeView = 'due' | 'paid' | 'refund';
export const officeViews: readonly OfficeView[] = ['due', 'paid', 'refund'];

export class PaymentsOffice {
  constructor(
    private readonly db: Db,
    private readonly payments: Pick<PaymentsService, 'settle' | 'markRefunded' | 'payment'>,
    private readonly dossiers: Pick<DossiersService, 'find' | 'covers'>,
    private readonly catalog: Pick<CatalogService, 'allUnits'>,
    private readonly clock: Clock,
    private readonly auditKey: Buffer,
  ) {}

  /** The units whose payments the user may list (403 without a reading role). */
  scope(user: SessionUser): string[] {
    const grants = user.roles.filter((r) => paymentReaders.includes(r.role));
    if (!grants.length) fail('forbidden');
    return unitsCovered(grants, this.catalog.allUnits());
  }

  /** One page of a view (owed, paid, refund owed) in the user's units, optionally one dossier's (by its code). */
  async list(user: SessionUser, f: { view?: unknown; code?: unknown; limit?: number; offset?: number }) {
    const unitIds = this.scope(user);
    const view = officeViews.includes(f.view as OfficeView) ? (f.view as OfficeView) : 'due';
    const code = typeof f.code === 'string' && f.code.trim() ? f.code.trim().slice(0, 60) : undefined;
    const limit = Math.min(Math.max(f.limit ?? 50, 1), 100);
    const offset = Math.max(f.offset ?? 0, 0);
    return { view, code, limit, offset, ...(await q.officeList(this.db, { unitIds, view, dossierCode: code, limit, offset })) };
  }

  /** A payment whose dossier (its unit, or the desk that received it) one of the user's grants of these roles covers: 404 when the user cannot read the dossier, 403 when reading is all they may do. */
  private async permitted(user: SessionUser, paymentId: string, roles: readonly Role[]): Promise<PaymentRecord> {
    const p = typeof paymentId === 'string' && paymentId.length <= 64 ? await this.payments.payment(paymentId) : undefined;
    const dossier = p && (await this.dossiers.find(p.dossier_id));
    if (!p || !dossier || dossier.practice) fail('payment_not_found');
    const units = [p.unit_id, dossier.unit_id, dossier.receiving_unit_id].filter((u): u is string => !!u);
    const holds = (rs: readonly Role[]) => user.roles.some((r) => rs.includes(r.role) && units.some((u) => this.dossiers.covers(r, u)));
    if (!holds([...dossierReaders])) fail('payment_not_found');
    if (!holds(roles)) fail('forbidden');
    return p;
  }

  /**
   * Cash taken at the counter: the amount must be exactly the amount due (400 otherwise); settled
   * once with method cash and the officer as payer's receiver. 409 when already paid or no longer owed.
   */
  async recordCash(user: SessionUser, paymentId: string, amount: unknown): Promise<PaymentRecord> {
    const p = await this.permitted(user, paymentId, cashRoles);
    if (p.status === 'paid' || p.status === 'refunded') fail('payment_already_paid');
    if (p.status === 'cancelled') fail('payment_not_due');
    const n = typeof amount === 'number' ? amount : typeof amount === 'string' && /^\s*[\d.,\s]+\s*$/.test(amount) ? Number(amount.replace(/[.,\s]/g, '')) : NaN;
    if (!Number.isSafeInteger(n) || n !== p.amount_vnd) throw invalid({ amountVnd: { key: 'cashAmountMismatch', params: { amount: p.amount_vnd.toLocaleString('vi-VN') } } });
    const r = await this.payments.settle({ paymentId: p.id, method: 'cash', amountVnd: n, gatewayRef: null, by: user.id, at: this.clock.now() });
    if (r === 'already_paid') fail('payment_already_paid');
    if (r !== 'paid') fail('payment_not_found');
    return (await this.payments.payment(p.id))!;
  }

  /** A refund owed was paid back: the payment becomes refunded; the note (what was paid back, how) goes to the audit chain. */
  async refund(user: SessionUser, paymentId: string, note: unknown): Promise<void> {
    const p = await this.permitted(user, paymentId, refundRoles);
    const text = typeof note === 'string' ? note.trim() : '';
    if (!text) throw invalid({ note: { key: 'required' } });
    if (text.length > 1000) throw invalid({ note: { key: 'tooLong', params: { max: 1000 } } });
    if (p.status !== 'paid' || !p.refund_due) fail('payment_not_due');
    const at = this.clock.now();
    await this.payments.markRefunded(p.id, user.id, at);
    await this.db.transaction().execute((tx) =>
      appendAudit(tx, { at: at.toISOString(), kind: 'payment_refund_note', actorId: user.id, subject: `payment:${p.id}`, data: { dossier: p.dossier_id, note: text } }, this.auditKey));
  }
}
