// VNPay 2.1.0 as a payment method (src/domain/vnpay.ts has the protocol): the signed redirect for
// an attempt, the IPN that alone marks a payment paid (through PaymentsService.settle), and what
// the browser's return may show (it never pays).
//
// TxnRef per attempt: the payment's reference, 'A' and the attempt's number (MCXXXXXXXXXXA1). A
// second try after a failure or a timeout gets a new TxnRef (VNPay refuses a reused one); two
// starts at once make one attempt: the second reads the first's (the payment row's revision
// decides) and gets the same URL.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import {
  ipnCodes, orderInfoText, outcomeOf, paymentUrl, vnpVerify, type IpnAnswer, type VnpTerminal,
} from '../../domain/vnpay.ts';
import type { Clock } from '../../domain/time.ts';
import { fail } from '../../errors.ts';
import type { Lang } from '../../i18n/index.ts';
import * as q from './payments.queries.ts';
import type { PaymentMethod, PaymentsService, StartAnswer } from './payments.service.ts';

/** VNPAY_TMN_CODE, VNPAY_HASH_SECRET, VNPAY_URL; `sandbox` when the gateway is Một Cửa's own. */
export type VnpaySettings = VnpTerminal & { sandbox: boolean; expireMinutes?: number };

/** What the return page may say: the signature, and the payment's state as the IPN left it. */
export type ReturnView = { verified: boolean; gatewaySays: 'success' | 'failure' | null; payment: q.PaymentRecord | null; status: q.PaymentRecord['status'] | null };

export class VnpayMethod implements PaymentMethod {
  readonly name = 'vnpay' as const;

  constructor(
    private readonly payments: PaymentsService,
    private readonly settings: VnpaySettings,
    private readonly clock: Clock,
    private readonly publicUrl: string,
  ) {}

  get returnUrl(): string {
    return `${this.publicUrl}/thanh-toan/vnpay/ket-qua`;
  }

  private url(a: q.AttemptRecord, dossierCode: string | null): string {
    return paymentUrl(this.settings, {
      txnRef: a.txn_ref, amountVnd: a.amount_vnd, orderInfo: orderInfoText(`Thanh toan ho so ${dossierCode ?? ''} ${a.txn_ref}`),
      locale: a.lang === 'en' ? 'en' : 'vn', returnUrl: this.returnUrl, ipAddr: a.ip,
      createdAt: new Date(a.created_at), expiresAt: new Date(a.expires_at),
    });
  }

  async start(ctx: { tx: Db; payment: q.PaymentRecord; dossier: { id: string; code: string | null }; lang: Lang; ip: string; now: Date }): Promise<StartAnswer> {
    const { tx, now } = ctx;
    for (let round = 0; round < 3; round++) {
      const p = round === 0 ? ctx.payment : await q.findPayment(tx, ctx.payment.id);
      if (!p) fail('payment_not_found');
      if (p.status === 'paid' || p.status === 'refunded') fail('payment_already_paid');
      if (p.status === 'cancelled') fail('payment_not_due');
      const attempts = await q.attemptsOf(tx, p.id);
      const live = attempts.find((a) => a.status === 'pending' && a.method === 'vnpay' && a.expires_at > now.toISOString());
      if (live) return { redirectUrl: this.url(live, ctx.dossier.code) };
      if (!(await this.payments.markPending(tx, p, 'vnpay', now))) continue;
      const attempt: q.AttemptRecord = {
        id: randomUUID(), payment_id: p.id, method: 'vnpay', txn_ref: `${p.reference}A${attempts.length + 1}`, amount_vnd: p.amount_vnd,
        status: 'pending', lang: ctx.lang, ip: ipForVnpay(ctx.ip), created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + (this.settings.expireMinutes ?? 15) * 60_000).toISOString(),
        finished_at: null, response_code: null, gateway_ref: null,
      };
      await q.insertAttempt(tx, attempt);
      return { redirectUrl: this.url(attempt, ctx.dossier.code) };
    }
    fail('conflict');
  }

  /**
   * GET /api/v1/payments/vnpay/ipn: 97 for a bad signature (nothing read or changed), 01 for an
   * unknown TxnRef, 04 for another amount, 02 when the attempt was already confirmed (a replay),
   * 00 once recorded (paid, the attempt failed, or a second payment of a request paid meanwhile
   * another way: kept with its refund flagged), 99 for anything else.
   */
  async ipn(query: Record<string, unknown>): Promise<IpnAnswer> {
    try {
      if (!vnpVerify(query, this.settings.hashSecret)) return ipnCodes.invalidSignature;
      const o = outcomeOf(query);
      if (query.vnp_TmnCode !== this.settings.tmnCode) return ipnCodes.notFound;
      const attempt = o.txnRef.length <= 40 ? await this.payments.attemptByRef(o.txnRef) : undefined;
      if (!attempt) return ipnCodes.notFound;
      if (o.amountVnd !== attempt.amount_vnd) return ipnCodes.invalidAmount;
      const now = this.clock.now();
      return await this.payments.database.transaction().execute(async (tx): Promise<IpnAnswer> => {
        const current = await q.findAttemptByRef(tx, o.txnRef);
        const payment = await q.findPayment(tx, attempt.payment_id);
        if (!current || !payment) return ipnCodes.notFound;
        // An attempt that ended (succeeded, failed) was confirmed before; an expired one may still
        // be paid late by the gateway: the money came, so it is taken.
        if (current.status === 'succeeded' || current.status === 'failed') return ipnCodes.alreadyConfirmed;
        if (!o.success) {
          await q.finishAttempt(tx, current.id, { status: 'failed', at: now.toISOString(), response_code: o.responseCode || o.transactionStatus, gateway_ref: o.transactionNo });
          await this.payments.failIfLatest(tx, payment.id, now);
          return ipnCodes.confirmed;
        }
        const r = await this.payments.settle({ paymentId: payment.id, method: 'vnpay', amountVnd: o.amountVnd!, gatewayRef: o.transactionNo, by: null, at: now }, tx);
        // Paid meanwhile another way (another attempt, cash, a bank line) while this attempt was
        // open: the money came twice, so it is recorded and its refund flagged (00). An attempt
        // already ended by a concurrent confirmation of the same IPN answers 02.
        if (r === 'already_paid') {
          const recorded = await this.payments.recordDuplicate(tx, payment, current, { gatewayRef: o.transactionNo, responseCode: o.responseCode, at: now });
          return recorded ? ipnCodes.confirmed : ipnCodes.alreadyConfirmed;
        }
        if (r === 'amount_mismatch') return ipnCodes.invalidAmount;
        if (r === 'not_found') return ipnCodes.notFound;
        await q.succeedAttempt(tx, current.id, { at: now.toISOString(), response_code: o.responseCode, gateway_ref: o.transactionNo });
        return ipnCodes.confirmed;
      });
    } catch {
      return ipnCodes.other;
    }
  }

  /** The browser's return: checks the signature to choose the message, and shows the stored state. Changes nothing. */
  async returned(query: Record<string, unknown>): Promise<ReturnView> {
    const verified = vnpVerify(query, this.settings.hashSecret);
    if (!verified) return { verified, gatewaySays: null, payment: null, status: null };
    const o = outcomeOf(query);
    const attempt = o.txnRef.length <= 40 ? await this.payments.attemptByRef(o.txnRef) : undefined;
    const payment = attempt ? (await this.payments.payment(attempt.payment_id)) ?? null : null;
    return { verified, gatewaySays: o.success ? 'success' : 'failure', payment, status: payment?.status ?? null };
  }
}

/** vnp_IpAddr: the client's IPv4 or IPv6 address as seen (an IPv4-mapped IPv6 address unwrapped). */
function ipForVnpay(ip: string): string {
  const v = ip.replace(/^::ffff:/, '');
  return /^[0-9a-fA-F:.]{2,45}$/.test(v) ? v : '127.0.0.1';
}
