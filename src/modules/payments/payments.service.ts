// Payments (docs/domain.md "Payments"): the requests of a dossier made from its procedure's fee
// rules when it is filed, what an unpaid stage blocks, settling a payment exactly once with its
// receipt number, refunds owed when a dossier paid in advance ends without its service, and the
// methods behind one interface (PaymentMethod): VNPay here (payments.vnpay.ts), VietQR and cash
// registered by their own files. Told of every dossier change through DossiersService.observe.
//
// CONTRACT (relied on by the VietQR, bank-statement, cash and back-office files): settle, byReference,
// forDossier, markRefunded, list, register. Extend, never change, these signatures.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import type { DossierRecord, DossiersService, SyncRecorder, SyncedChange } from '../dossiers/dossiers.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { SessionUser } from '../accounts/accounts.service.ts';
import { appendAudit } from '../audit/audit.service.ts';
import {
  computeFees, newReference, paymentBlocks, receiptNumber, receiptSeries, refundStatuses,
  type FeeRule, type PaymentMethod as MethodName, type PaymentStatus, type Purpose,
} from '../../domain/fees.ts';
import { vietnamDay, type Clock } from '../../domain/time.ts';
import { fail, invalid } from '../../errors.ts';
import type { Lang } from '../../i18n/index.ts';
import * as q from './payments.queries.ts';
import { renderPaymentReceipt } from './payments.receipt.ts';
import { localName } from '../../i18n/index.ts';

export type { PaymentRecord, AttemptRecord } from './payments.queries.ts';

export type SettleInput = { paymentId: string; method: MethodName; amountVnd: number; gatewayRef: string | null; by: string | null; at: Date };
export type SettleResult = 'paid' | 'already_paid' | 'amount_mismatch' | 'not_found';

/** What a method's start answers: a redirect to a gateway, or a QR payload to show with the reference. */
export type StartAnswer = { redirectUrl: string } | { qrPayload: string; reference: string };

/**
 * A way of paying online, started by the applicant (POST …/payments/{id}/start). VNPay is built in
 * (payments.vnpay.ts); VietQR registers itself from src/services.ts (`payments.register(...)`).
 * `start` runs inside a transaction in which the payment row was read; it may move the payment to
 * `pending` through the service's helpers.
 */
export interface PaymentMethod {
  readonly name: 'vnpay' | 'vietqr';
  start(ctx: { tx: Db; payment: q.PaymentRecord; dossier: { id: string; code: string | null }; lang: Lang; ip: string; now: Date }): Promise<StartAnswer>;
}

/** A payment as the API shows it (docs/api-v1.md). */
export type PaymentView = { id: string; purpose: Purpose; stage: q.PaymentRecord['stage']; amountVnd: number; status: PaymentStatus; method: MethodName | null; reference: string; receiptNo: string | null; paidAt: string | null; refundDue: boolean; receiptUrl?: string };

export class PaymentsService implements SyncRecorder {
  private readonly methods = new Map<string, PaymentMethod>();
  /** Dossiers submitted in a transaction still running: accepted in the same one, they were taken in at the counter. */
  private readonly submittedIn = new WeakMap<Db, Set<string>>();

  constructor(
    private readonly db: Db,
    private readonly dossiers: DossiersService,
    private readonly catalog: CatalogService,
    private readonly clock: Clock,
    /** AUDIT_KEY: each settlement and refund is an audit entry. */
    private readonly auditKey: Buffer,
  ) {}

  /** Told of each settlement inside its transaction (the statistics count payments in the same commit). */
  private readonly settledListeners: Array<(tx: Db, paymentId: string) => Promise<void>> = [];

  /** Adds a listener of settlements (wired once, in src/services.ts). */
  onSettled(listener: (tx: Db, paymentId: string) => Promise<void>): void {
    this.settledListeners.push(listener);
  }

  /** Adds a method (once per name, in src/services.ts). */
  register(method: PaymentMethod): void {
    this.methods.set(method.name, method);
  }

  /** The methods an applicant may choose now. */
  offered(): Array<'vnpay' | 'vietqr'> {
    return [...this.methods.keys()] as Array<'vnpay' | 'vietqr'>;
  }

  // ---- the contract -------------------------------------------------------------------------

  /**
   * Marks a payment paid exactly once: a conditional UPDATE (still owed), the receipt number from
   * its series' counter, an audit entry and what the stage unlocks (a settled before-processing
   * payment fulfils the dossier's financial obligation), in one transaction (the caller's when given).
   */
  async settle(input: SettleInput, tx?: Db): Promise<SettleResult> {
    if (tx) return this.settleIn(tx, input);
    return this.db.transaction().execute((t) => this.settleIn(t, input));
  }

  byReference(reference: string): Promise<q.PaymentRecord | null> {
    return typeof reference === 'string' && reference.length <= 40 ? q.findByReference(this.db, reference.trim().toUpperCase()).then((p) => p ?? null) : Promise.resolve(null);
  }

  /** A dossier's requests in order; gateway attempts past their expiry end first (a timeout: failed). */
  async forDossier(dossierId: string): Promise<q.PaymentRecord[]> {
    const list = await q.paymentsOf(this.db, dossierId);
    if (!list.some((p) => p.status === 'pending')) return list;
    await this.expire();
    return q.paymentsOf(this.db, dossierId);
  }

  /** Records that a refund owed was paid back (the back office); 409 when the payment is not paid. */
  async markRefunded(paymentId: string, by: string, at: Date): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const p = await q.findPayment(tx, paymentId);
      if (!p) fail('payment_not_found');
      if (!(await q.markRefunded(tx, paymentId, by, at.toISOString()))) fail('payment_not_due');
      await appendAudit(tx, { at: at.toISOString(), kind: 'payment_refunded', actorId: by, subject: `payment:${p.id}`, data: { dossier: p.dossier_id, amountVnd: p.amount_vnd, receiptNo: p.receipt_no } }, this.auditKey);
    });
  }

  /** Requests of the given units (the back office's scope), newest change first. */
  list(filter: { unitIds: string[]; status?: PaymentStatus; refundDue?: boolean; limit?: number; offset?: number }): Promise<q.PaymentRecord[]> {
    return q.listPayments(this.db, { ...filter, limit: Math.min(filter.limit ?? 100, 500), offset: filter.offset ?? 0 });
  }

  // ---- the dossier engine's observer -----------------------------------------------------------

  /** Told of every dossier change inside its transaction (wired in src/services.ts). */
  async record(tx: Db, before: DossierRecord, after: DossierRecord, change: SyncedChange): Promise<void> {
    if (after.practice) return;
    if (change.name === 'submit') {
      this.submittedIn.set(tx, (this.submittedIn.get(tx) ?? new Set()).add(after.id));
      return this.openRequests(tx, after, change.at);
    }
    if (change.name === 'accept' || change.name === 'return_result') {
      const owed = await q.paymentsOf(tx, after.id);
      // Taken in at the counter (submitted and accepted in one transaction): the money is collected there.
      const blocked = paymentBlocks(change.name, owed, { sameStepIntake: !!this.submittedIn.get(tx)?.has(after.id) });
      if (blocked) fail('payment_due', { params: { stage: blocked } });
    }
    if (refundStatuses.has(after.status) && !refundStatuses.has(before.status)) {
      const at = change.at.toISOString();
      for (const p of await q.paymentsOf(tx, after.id)) {
        if (p.status === 'paid') await q.setRefundDue(tx, p.id, at);
        else if (!(await q.moveStatus(tx, p.id, ['due', 'pending', 'failed'], { status: 'cancelled', at }))) {
          // Paid since it was read (a settlement racing the refusal): the money is owed back.
          if ((await q.findPayment(tx, p.id))?.status === 'paid') await q.setRefundDue(tx, p.id, at);
        }
      }
    }
  }

  /** The requests of a dossier just filed, from the fee rules of the version it was filed under and its answers. */
  private async openRequests(tx: Db, d: DossierRecord, at: Date): Promise<void> {
    const rules = await this.catalog.versionFees(d.procedure_id, d.procedure_version, tx);
    const lines = computeFees((rules ?? []) as FeeRule[], d.form);
    for (const line of lines) {
      await this.insertRequest(tx, d, { purpose: line.purpose, stage: line.stage, amountVnd: line.amountVnd, detail: { label: line.label, basis: line.basis } }, at);
    }
  }

  private async insertRequest(tx: Db, d: Pick<DossierRecord, 'id' | 'unit_id'>, r: { purpose: Purpose; stage: q.PaymentRecord['stage']; amountVnd: number; detail: Record<string, unknown> }, at: Date): Promise<string> {
    const id = randomUUID();
    const stamp = at.toISOString();
    await q.insertPayment(tx, {
      id, dossier_id: d.id, purpose: r.purpose, stage: r.stage, amount_vnd: r.amountVnd, status: 'due', method: null,
      reference: newReference(), detail: r.detail, unit_id: d.unit_id, created_at: stamp, updated_at: stamp,
      receipt_series: null, receipt_no: null, paid_at: null, paid_by: null, gateway_ref: null, refunded_at: null, refunded_by: null,
    });
    return id;
  }

  /**
   * A financial obligation asked by the officer during processing (request_financial_obligation):
   * the action and a before-processing request of the amount, in one transaction. Paying it
   * fulfils the obligation (settle). Only a role the rule table allows (the specialist).
   */
  async requestObligation(user: SessionUser, dossierId: string, input: { amountVnd?: unknown; purpose?: unknown; note?: unknown }): Promise<string> {
    const amount = input.amountVnd;
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0 || amount > 1e10) throw invalid({ amountVnd: { key: 'required' } });
    const purpose: Purpose = input.purpose === 'charge' ? 'charge' : 'fee';
    const row = await this.dossiers.visible(user, dossierId);
    const { actor, refusal } = this.dossiers.actorFor(user, row, 'request_financial_obligation');
    if (refusal) fail(refusal);
    const now = this.clock.now();
    return this.db.transaction().execute(async (tx) => {
      const note = typeof input.note === 'string' ? input.note.slice(0, 1000) : null;
      await this.dossiers.applyAction(tx, row, { action: 'request_financial_obligation', actor, userId: user.id, at: now, note, data: { amountVnd: amount } });
      return this.insertRequest(tx, row, { purpose, stage: 'before_processing', amountVnd: amount, detail: { basis: { kind: 'obligation' } } }, now);
    });
  }

  // ---- starting a payment ------------------------------------------------------------------------

  /** The applicant starts paying a request of their dossier: 404 for a dossier not theirs, 403 for staff. */
  async start(user: SessionUser, dossierId: string, paymentId: string, method: unknown, ctx: { lang: Lang; ip: string }): Promise<StartAnswer> {
    const dossier = await this.dossiers.own(user, dossierId);
    if (method !== 'vnpay' && method !== 'vietqr') throw invalid({ method: { key: 'notAllowed', params: { allowed: 'vnpay, vietqr' } } });
    const impl = this.methods.get(method);
    if (!impl) fail('payment_method_unavailable');
    await this.expire();
    return this.db.transaction().execute(async (tx) => {
      const p = typeof paymentId === 'string' && paymentId.length <= 64 ? await q.findPayment(tx, paymentId) : undefined;
      if (!p || p.dossier_id !== dossier.id) fail('payment_not_found');
      if (p.status === 'paid' || p.status === 'refunded') fail('payment_already_paid');
      if (p.status === 'cancelled') fail('payment_not_due');
      return impl.start({ tx, payment: p, dossier: { id: dossier.id, code: dossier.code }, lang: ctx.lang, ip: ctx.ip, now: this.clock.now() });
    });
  }

  /**
   * Moves a payment to `pending` through a method, if nobody moved it since it was read (its
   * revision): of two starts at once, one wins and the other reads the winner's attempt.
   */
  async markPending(tx: Db, p: q.PaymentRecord, method: MethodName, at: Date): Promise<boolean> {
    return q.moveStatus(tx, p.id, ['due', 'failed', 'pending'], { status: 'pending', method, at: at.toISOString() }, p.revision);
  }

  /** Gateway attempts past their expiry (no IPN came: the gateway's timeout) end, and their payments fail. */
  async expire(now: Date = this.clock.now()): Promise<number> {
    const stale = await q.expiredAttempts(this.db, now.toISOString());
    for (const a of stale) {
      await this.db.transaction().execute(async (tx) => {
        if (!(await q.finishAttempt(tx, a.id, { status: 'expired', at: now.toISOString() }))) return;
        await this.failIfLatest(tx, a.payment_id, now);
      });
    }
    return stale.length;
  }

  /**
   * A failed or expired VNPay attempt fails its payment, unless another attempt of it is still open
   * or the payment is now pending by another method (VietQR started after the attempt).
   */
  async failIfLatest(tx: Db, paymentId: string, now: Date): Promise<void> {
    const open = (await q.attemptsOf(tx, paymentId)).some((x) => x.status === 'pending');
    if (!open) await q.moveStatus(tx, paymentId, ['pending'], { status: 'failed', at: now.toISOString() }, undefined, 'vnpay');
  }

  /**
   * A gateway attempt that succeeded for a payment already paid another way (another attempt, cash,
   * a bank line): the money came twice. The attempt is marked succeeded, the payment's refund is
   * flagged and an audit entry `payment_duplicate` kept. False when the attempt had already ended
   * (a replay, or a concurrent confirmation of the same attempt): nothing is changed.
   */
  async recordDuplicate(tx: Db, p: q.PaymentRecord, a: q.AttemptRecord, g: { gatewayRef: string | null; responseCode: string | null; at: Date }): Promise<boolean> {
    const at = g.at.toISOString();
    if (!(await q.succeedAttempt(tx, a.id, { at, response_code: g.responseCode, gateway_ref: g.gatewayRef }))) return false;
    await q.setRefundDue(tx, p.id, at);
    await appendAudit(tx, {
      at, kind: 'payment_duplicate', actorId: null, subject: `payment:${p.id}`,
      data: { dossier: p.dossier_id, method: a.method, txnRef: a.txn_ref, gatewayRef: g.gatewayRef, amountVnd: a.amount_vnd },
    }, this.auditKey);
    return true;
  }

  // ---- settling ------------------------------------------------------------------------------------

  private async settleIn(tx: Db, input: SettleInput): Promise<SettleResult> {
    const p = typeof input.paymentId === 'string' ? await q.findPayment(tx, input.paymentId) : undefined;
    if (!p) return 'not_found';
    if (p.status === 'paid' || p.status === 'refunded') return 'already_paid';
    if (input.amountVnd !== p.amount_vnd) return 'amount_mismatch';
    const at = input.at.toISOString();
    const year = Number(vietnamDay(input.at).slice(0, 4));
    const series = receiptSeries(this.catalog.unit(p.unit_id)?.code ?? 'MC', year);
    // The number is taken only by the one caller whose conditional update changed the row; a
    // placeholder keeps the unique (series, number) pair free until then.
    const won = await q.markPaid(tx, p.id, {
      method: input.method, paid_at: at, paid_by: input.method === 'cash' ? input.by : null, gateway_ref: input.gatewayRef,
      receipt_series: series, receipt_no: `pending-${p.id}`,
    });
    if (!won) return 'already_paid';
    const receiptNo = receiptNumber(await q.nextReceiptNumber(tx, series, year));
    await q.setReceipt(tx, p.id, receiptNo);
    for (const listener of this.settledListeners) await listener(tx, p.id);
    await appendAudit(tx, {
      at, kind: 'payment_settled', actorId: input.by, subject: `payment:${p.id}`,
      data: { dossier: p.dossier_id, method: input.method, amountVnd: p.amount_vnd, stage: p.stage, receipt: `${series}/${receiptNo}`, gatewayRef: input.gatewayRef },
    }, this.auditKey);
    if (p.stage === 'before_processing') await this.fulfilObligation(tx, p.dossier_id, input.at);
    return 'paid';
  }

  /** Paying what an officer asked for ends the financial obligation, once nothing else of that stage is owed. */
  private async fulfilObligation(tx: Db, dossierId: string, at: Date): Promise<void> {
    const row = await this.dossiers.find(dossierId, tx);
    if (!row || row.status !== 'financial_obligation') return;
    const owed = (await q.paymentsOf(tx, dossierId)).some((x) => x.stage === 'before_processing' && ['due', 'pending', 'failed'].includes(x.status));
    if (owed) return;
    await this.dossiers.applyAction(tx, row, { action: 'fulfil_financial_obligation', actor: 'system', userId: null, at });
  }

  /** A payment as the API shows it; `receiptUrl` once paid. */
  view(p: q.PaymentRecord): PaymentView {
    const paid = p.status === 'paid' || p.status === 'refunded';
    return {
      id: p.id, purpose: p.purpose, stage: p.stage, amountVnd: p.amount_vnd, status: p.status, method: p.method, reference: p.reference,
      receiptNo: paid ? `${p.receipt_series}/${p.receipt_no}` : null, paidAt: p.paid_at, refundDue: !!p.refund_due,
      ...(paid ? { receiptUrl: `/api/v1/dossiers/${p.dossier_id}/payments/${p.id}/receipt.pdf` } : {}),
    };
  }

  /** The requests of a dossier the user may see (the applicant, staff in scope): 404 otherwise. */
  async visibleFor(user: SessionUser, dossierId: string): Promise<{ dossier: DossierRecord; payments: q.PaymentRecord[] }> {
    const dossier = await this.dossiers.visible(user, dossierId);
    return { dossier, payments: await this.forDossier(dossier.id) };
  }

  /** One paid payment of a visible dossier, for its receipt; 404 when absent, 409 before it is paid. */
  async paidFor(user: SessionUser, dossierId: string, paymentId: string): Promise<{ dossier: DossierRecord; payment: q.PaymentRecord }> {
    const dossier = await this.dossiers.visible(user, dossierId);
    const p = typeof paymentId === 'string' && paymentId.length <= 64 ? await q.findPayment(this.db, paymentId) : undefined;
    if (!p || p.dossier_id !== dossier.id) fail('payment_not_found');
    if (p.status !== 'paid' && p.status !== 'refunded') fail('payment_not_paid');
    return { dossier, payment: p };
  }

  /** The e-receipt PDF of a paid payment (the payer's name is personal data: callers answer no-store). */
  receipt(dossier: DossierRecord, p: q.PaymentRecord, lang: Lang): Promise<Buffer> {
    const unit = this.catalog.unit(p.unit_id);
    const procedure = this.catalog.find(dossier.procedure_id);
    const label = (p.detail.label ?? null) as { vi: string; en: string } | null;
    return renderPaymentReceipt(lang, {
      series: p.receipt_series ?? '', number: p.receipt_no ?? '', agencyName: unit?.agencyName ?? null, unitName: unit ? localName(lang, unit) : p.unit_id,
      payerName: String(dossier.applicant.organisationName ?? dossier.applicant.fullName ?? ''), dossierCode: dossier.code,
      procedureName: procedure ? localName(lang, procedure) : dossier.procedure_id, purpose: p.purpose, item: label ? label[lang] : null,
      amountVnd: p.amount_vnd, method: p.method ?? 'cash', paidAt: p.paid_at ?? '', gatewayRef: p.gateway_ref,
    });
  }

  /** Reads for the VNPay method and the return page (same module). */
  attemptByRef(txnRef: string) {
    return q.findAttemptByRef(this.db, txnRef);
  }

  payment(id: string, db: Db = this.db) {
    return q.findPayment(db, id);
  }

  get database(): Db {
    return this.db;
  }
}
