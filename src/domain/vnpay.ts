// The VNPay payment protocol, version 2.1.0 (docs/domain.md "Payments"): the signed payment URL,
// the check of a signed answer (IPN or browser return), the IPN's answer codes. No I/O.
//
// Signing: every vnp_* parameter but vnp_SecureHash and vnp_SecureHashType, with a value, sorted by
// name, each `name=value` form-URL-encoded (application/x-www-form-urlencoded: spaces as '+',
// everything but A-Z a-z 0-9 * - . _ percent-encoded, as Java's URLEncoder and VNPay's own samples
// do) and joined with '&'; vnp_SecureHash is the HMAC-SHA512 of that text under the hash secret, in
// lowercase hex. The query string sent is that same text plus vnp_SecureHash.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const vnpVersion = '2.1.0';

/** Form-URL-encodes one name or value as VNPay signs it (spaces become '+'). */
export function vnpEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The text that is signed: the vnp_* parameters with a value, sorted by name, encoded, joined by '&'. */
export function signedText(params: Readonly<Record<string, string | undefined>>): string {
  return Object.keys(params)
    .filter((k) => k.startsWith('vnp_') && k !== 'vnp_SecureHash' && k !== 'vnp_SecureHashType')
    .filter((k) => params[k] !== undefined && params[k] !== '')
    .sort()
    .map((k) => `${vnpEncode(k)}=${vnpEncode(params[k]!)}`)
    .join('&');
}

export function vnpSign(params: Readonly<Record<string, string | undefined>>, secret: string): string {
  return createHmac('sha512', secret).update(Buffer.from(signedText(params), 'utf8')).digest('hex');
}

/** Whether a signed answer (the IPN's or the return's query) carries the right vnp_SecureHash. */
export function vnpVerify(query: Readonly<Record<string, unknown>>, secret: string): boolean {
  const given = query.vnp_SecureHash;
  if (typeof given !== 'string' || !/^[0-9a-fA-F]{128}$/.test(given)) return false;
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    // A repeated parameter (an array) is never signed by VNPay: refuse it.
    if (typeof v !== 'string') {
      if (k.startsWith('vnp_')) return false;
      continue;
    }
    params[k] = v;
  }
  const expected = Buffer.from(vnpSign(params, secret), 'hex');
  return timingSafeEqual(expected, Buffer.from(given.toLowerCase(), 'hex'));
}

/** yyyyMMddHHmmss in Vietnam time (GMT+7), as vnp_CreateDate and vnp_ExpireDate are written. */
export function vnpDate(at: Date): string {
  const t = new Date(at.getTime() + 7 * 3600_000).toISOString();
  return t.slice(0, 19).replace(/[-T:]/g, '');
}

/** The instant of a yyyyMMddHHmmss Vietnam time; null when malformed. */
export function parseVnpDate(v: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(v);
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+07:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** What one payment URL carries beside the terminal's settings. */
export type VnpOrder = {
  txnRef: string;
  amountVnd: number;
  /** Plain ASCII without marks (VNPay asks for Vietnamese without tone marks). */
  orderInfo: string;
  orderType?: string;
  locale: 'vn' | 'en';
  returnUrl: string;
  ipAddr: string;
  createdAt: Date;
  expiresAt: Date;
};

export type VnpTerminal = { tmnCode: string; hashSecret: string; gatewayUrl: string };

/** The parameters of a payment request, unsigned. */
export function paymentParams(t: Pick<VnpTerminal, 'tmnCode'>, o: VnpOrder): Record<string, string> {
  if (!Number.isSafeInteger(o.amountVnd) || o.amountVnd <= 0) throw new Error('amount must be a positive whole number of VND');
  return {
    vnp_Version: vnpVersion,
    vnp_Command: 'pay',
    vnp_TmnCode: t.tmnCode,
    vnp_Amount: String(o.amountVnd * 100),
    vnp_CurrCode: 'VND',
    vnp_TxnRef: o.txnRef,
    vnp_OrderInfo: o.orderInfo,
    // 'other' (Khác) in VNPay's list of order types; public fees have no type of their own there.
    vnp_OrderType: o.orderType ?? 'other',
    vnp_Locale: o.locale,
    vnp_ReturnUrl: o.returnUrl,
    vnp_IpAddr: o.ipAddr,
    vnp_CreateDate: vnpDate(o.createdAt),
    vnp_ExpireDate: vnpDate(o.expiresAt),
  };
}

/** The signed query string of a set of parameters (the signed text plus vnp_SecureHash). */
export function signedQuery(params: Readonly<Record<string, string>>, secret: string): string {
  return `${signedText(params)}&vnp_SecureHash=${vnpSign(params, secret)}`;
}

/** The URL the browser is sent to: the gateway with the signed parameters. */
export function paymentUrl(t: VnpTerminal, o: VnpOrder): string {
  const base = t.gatewayUrl.split('?')[0]!;
  return `${base}?${signedQuery(paymentParams(t, o), t.hashSecret)}`;
}

/** The IPN's answer codes (VNPay's merchant guide). */
export const ipnCodes = {
  confirmed: { RspCode: '00', Message: 'Confirm Success' },
  notFound: { RspCode: '01', Message: 'Order not found' },
  alreadyConfirmed: { RspCode: '02', Message: 'Order already confirmed' },
  invalidAmount: { RspCode: '04', Message: 'Invalid amount' },
  invalidSignature: { RspCode: '97', Message: 'Invalid signature' },
  other: { RspCode: '99', Message: 'Unknown error' },
} as const;
export type IpnAnswer = (typeof ipnCodes)[keyof typeof ipnCodes];

/** What a verified IPN or return says about a transaction. */
export type VnpOutcome = {
  txnRef: string;
  /** null when vnp_Amount is not a whole number of VND × 100. */
  amountVnd: number | null;
  responseCode: string;
  transactionStatus: string;
  transactionNo: string | null;
  /** Paid: vnp_ResponseCode and vnp_TransactionStatus are both 00. */
  success: boolean;
};

export function outcomeOf(query: Readonly<Record<string, unknown>>): VnpOutcome {
  const s = (k: string) => (typeof query[k] === 'string' ? (query[k] as string) : '');
  const raw = s('vnp_Amount');
  const amount = /^\d{1,15}$/.test(raw) && Number(raw) % 100 === 0 ? Number(raw) / 100 : null;
  const responseCode = s('vnp_ResponseCode');
  const transactionStatus = s('vnp_TransactionStatus');
  return {
    txnRef: s('vnp_TxnRef'), amountVnd: amount, responseCode, transactionStatus,
    transactionNo: s('vnp_TransactionNo') || null,
    success: responseCode === '00' && transactionStatus === '00',
  };
}

/** Plain ASCII for vnp_OrderInfo: tone marks and đ folded, anything else but letters, digits and spaces dropped. */
export function orderInfoText(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9 ]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 255);
}
