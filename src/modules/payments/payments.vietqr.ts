// VietQR bank transfer as a payment method (docs/domain.md §8.2): starting it marks the payment
// pending with method `vietqr` and answers the EMVCo/VietQR payload (the configured payee, the
// amount, the payment's reference as the transfer's purpose) and the reference to type. Money that
// arrives is matched later from the bank statement (payments.statement.ts): nothing here pays.
import QRCode from 'qrcode';
import { encodeVietQr, type VietQrPayee } from '../../domain/vietqr.ts';
import { fail } from '../../errors.ts';
import type { Db } from '../../db/connection.ts';
import type { PaymentMethod, PaymentRecord, PaymentsService, StartAnswer } from './payments.service.ts';

/** What an applicant needs to transfer by hand if the QR code cannot be scanned. */
export type TransferDetails = { qrPayload: string; reference: string; amountVnd: number; payee: VietQrPayee };

export class VietQrMethod implements PaymentMethod {
  readonly name = 'vietqr' as const;

  constructor(
    private readonly payments: Pick<PaymentsService, 'markPending' | 'payment'>,
    readonly payee: VietQrPayee,
  ) {}

  /** The payload for a payment: the payee, its amount, its reference as the purpose (tag 62-08). */
  payload(p: Pick<PaymentRecord, 'amount_vnd' | 'reference'>): string {
    return encodeVietQr({ bankBin: this.payee.bankBin, accountNo: this.payee.accountNo, amountVnd: p.amount_vnd, purpose: p.reference });
  }

  /** Marks the payment pending by VietQR (the one of two starts at once that loses reads the winner's) and answers the payload. */
  async start(ctx: { tx: Db; payment: PaymentRecord; now: Date }): Promise<StartAnswer> {
    const p = ctx.payment;
    if (!(p.status === 'pending' && p.method === 'vietqr') && !(await this.payments.markPending(ctx.tx, p, 'vietqr', ctx.now))) {
      const now = await this.payments.payment(p.id, ctx.tx);
      if (!now || now.status !== 'pending' || now.method !== 'vietqr') fail('conflict');
    }
    return { qrPayload: this.payload(p), reference: p.reference };
  }

  /** The details shown beside the code (a started VietQR payment, or one still owed). */
  details(p: Pick<PaymentRecord, 'amount_vnd' | 'reference'>): TransferDetails {
    return { qrPayload: this.payload(p), reference: p.reference, amountVnd: p.amount_vnd, payee: this.payee };
  }
}

/** The QR code as an SVG (no script needed to show it), its quiet zone kept, error correction M. */
export function vietQrSvg(payload: string): Promise<string> {
  return QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}

/** The same code as a PNG (what a scanner reads: the tests decode it with zbarimg). */
export function vietQrPng(payload: string): Promise<Buffer> {
  return QRCode.toBuffer(payload, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 6 });
}
