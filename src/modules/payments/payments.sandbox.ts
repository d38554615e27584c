// The sandbox gateway served by Một Cửa itself (docs/domain.md "Payments"): it speaks VNPay 2.1.0
// from the gateway's side with its own copy of the terminal code and secret. Its page checks the
// payment URL's signature and shows the order; "success" and "failure" send a signed IPN to the
// merchant's IPN address over real HTTP, then send the browser to vnp_ReturnUrl with signed
// parameters; "timeout" sends nothing (the attempt expires). Demo, tests and practice use it.
import { randomInt } from 'node:crypto';
import { outcomeOf, parseVnpDate, signedQuery, vnpDate, vnpVerify } from '../../domain/vnpay.ts';
import type { Clock } from '../../domain/time.ts';

/** The gateway page's path; VNPAY_URL points here when the sandbox is on. */
export const sandboxPath = '/sandbox/vnpay/paymentv2/vpcpay.html';
export const sandboxActionPath = '/sandbox/vnpay/ket-thuc';
export const sandboxOutcomes = ['success', 'failure', 'timeout'] as const;
export type SandboxOutcome = (typeof sandboxOutcomes)[number];

/** An order as the sandbox's page shows it. */
export type SandboxOrder = { params: Record<string, string>; txnRef: string; amountVnd: number; orderInfo: string; expiresAt: Date | null; returnUrl: string };

export type SandboxCheck = { ok: true; order: SandboxOrder } | { ok: false; reason: 'signature' | 'terminal' | 'expired' | 'malformed' };

export class VnpaySandbox {
  /** The last IPN answers, for the demo's page and the tests (txnRef → RspCode). */
  readonly ipnAnswers = new Map<string, string>();

  constructor(
    private readonly terminal: { tmnCode: string; hashSecret: string },
    private readonly clock: Clock,
    private readonly timeoutMs = 10_000,
  ) {}

  /** Checks a payment request as VNPay would: its signature, the terminal, the version, an amount, not expired. */
  check(query: Record<string, unknown>): SandboxCheck {
    if (!vnpVerify(query, this.terminal.hashSecret)) return { ok: false, reason: 'signature' };
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(query)) if (k.startsWith('vnp_') && typeof v === 'string') params[k] = v;
    if (params.vnp_TmnCode !== this.terminal.tmnCode) return { ok: false, reason: 'terminal' };
    const amount = /^\d{3,15}$/.test(params.vnp_Amount ?? '') ? Number(params.vnp_Amount) / 100 : NaN;
    if (params.vnp_Version !== '2.1.0' || params.vnp_Command !== 'pay' || !Number.isInteger(amount) || !params.vnp_TxnRef || !params.vnp_ReturnUrl) return { ok: false, reason: 'malformed' };
    const expiresAt = params.vnp_ExpireDate ? parseVnpDate(params.vnp_ExpireDate) : null;
    if (expiresAt && expiresAt < this.clock.now()) return { ok: false, reason: 'expired' };
    return { ok: true, order: { params, txnRef: params.vnp_TxnRef, amountVnd: amount, orderInfo: params.vnp_OrderInfo ?? '', expiresAt, returnUrl: params.vnp_ReturnUrl } };
  }

  /** The signed answer VNPay sends for an order (to the IPN and to the return URL alike). */
  answer(order: SandboxOrder, outcome: 'success' | 'failure'): string {
    const ok = outcome === 'success';
    const result: Record<string, string> = {
      vnp_Amount: order.params.vnp_Amount!,
      vnp_BankCode: 'NCB',
      vnp_CardType: 'ATM',
      vnp_OrderInfo: order.orderInfo,
      vnp_PayDate: vnpDate(this.clock.now()),
      // 24: the customer cancelled (VNPay's list); 02: the transaction was not completed.
      vnp_ResponseCode: ok ? '00' : '24',
      vnp_TmnCode: this.terminal.tmnCode,
      vnp_TransactionNo: ok ? String(randomInt(10_000_000, 99_999_999)) : '0',
      vnp_TransactionStatus: ok ? '00' : '02',
      vnp_TxnRef: order.txnRef,
    };
    if (ok) result.vnp_BankTranNo = `VNP${result.vnp_TransactionNo}`;
    return signedQuery(result, this.terminal.hashSecret);
  }

  /**
   * Ends an order: success or failure sends the IPN (GET `ipnUrl` over HTTP, as VNPay's servers do)
   * and answers where the browser goes next (vnp_ReturnUrl with the same signed parameters); a
   * timeout sends nothing and the browser is told the order ended.
   */
  async finish(order: SandboxOrder, outcome: SandboxOutcome, ipnUrl: string): Promise<{ returnTo: string | null; ipn: string | null }> {
    if (outcome === 'timeout') return { returnTo: null, ipn: null };
    const query = this.answer(order, outcome);
    let code: string | null;
    try {
      const res = await fetch(`${ipnUrl}?${query}`, { signal: AbortSignal.timeout(this.timeoutMs), redirect: 'manual' });
      const body = (await res.json()) as { RspCode?: unknown };
      code = typeof body.RspCode === 'string' ? body.RspCode : null;
    } catch {
      code = null;
    }
    this.ipnAnswers.set(order.txnRef, code ?? 'no answer');
    const sep = order.returnUrl.includes('?') ? '&' : '?';
    return { returnTo: `${order.returnUrl}${sep}${query}`, ipn: code };
  }

  /** What the sandbox's outcome says, as the return page reads it (for the demo's own check). */
  static outcome(query: Record<string, unknown>) {
    return outcomeOf(query);
  }
}
