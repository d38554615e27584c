// VietQR (NAPAS 247): an EMVCo merchant-presented QR payload for a transfer to a bank account
// (docs/domain.md §8.2). Pure: encode and decode, the CRC checked.
//
// The layout, each data object `ID (2 digits) + length (2 digits) + value`:
//   00 "01"                   payload format indicator
//   01 "12" | "11"            point of initiation: dynamic (with an amount), static
//   38 …                      merchant account information, VietQR:
//        00 "A000000727"      the NAPAS GUID
//        01 00 BIN 01 account the beneficiary's bank (its 6-digit BIN) and account number
//        02 "QRIBFTTA"        the service: inter-bank fund transfer to an account
//   53 "704"                  currency (VND)
//   54 amount                 in whole đồng
//   58 "VN"                   country
//   62 08 purpose             additional data: the purpose of the transfer (here the payment's reference)
//   63 CRC                    CRC-16/CCITT-FALSE over everything before it, "6304" included, 4 upper-case hex digits

export const napasGuid = 'A000000727';
export const transferToAccount = 'QRIBFTTA';

/** The account VietQR transfers go to (VIETQR_BANK_BIN, VIETQR_ACCOUNT_NO, VIETQR_ACCOUNT_NAME); `illustrative`: the demo's made-up payee. */
export type VietQrPayee = { bankBin: string; accountNo: string; accountName: string; illustrative?: boolean };

/** The demo's payee when none is configured: made up, shown as such, never to receive money. */
export const illustrativePayee: VietQrPayee = { bankBin: '970415', accountNo: '0000000000000', accountName: 'MOT CUA DEMO - MINH HOA', illustrative: true };

export type VietQr = {
  bankBin: string;
  accountNo: string;
  /** Whole đồng; absent on a static code. */
  amountVnd?: number;
  /** What the payer's bank app fills in as the transfer's description (tag 62, sub-tag 08). */
  purpose?: string;
};

export type DecodedVietQr = VietQr & { initiation: 'static' | 'dynamic'; serviceCode: string; currency: string; country: string };

/** CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR. */
export function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

function tlv(id: string, value: string): string {
  if (value.length > 99) throw new RangeError(`VietQR: tag ${id} is longer than 99 characters`);
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

/** Printable ASCII only: what the EMVCo "ans" format allows in the purpose. */
const ans = /^[\x20-\x7e]*$/;

/** Why a payee or an amount cannot be encoded, or null. */
export function vietQrProblem(q: VietQr): string | null {
  if (!/^\d{6}$/.test(q.bankBin)) return 'bankBin: six digits';
  if (!/^[0-9A-Za-z]{1,19}$/.test(q.accountNo)) return 'accountNo: 1 to 19 letters or digits';
  if (q.amountVnd !== undefined && (!Number.isSafeInteger(q.amountVnd) || q.amountVnd <= 0 || String(q.amountVnd).length > 13)) return 'amountVnd: a whole number of đồng, more than 0, at most 13 digits';
  if (q.purpose !== undefined && (q.purpose.length > 25 || !ans.test(q.purpose))) return 'purpose: at most 25 printable ASCII characters';
  return null;
}

/** The payload to put in the QR code. Throws a RangeError when `vietQrProblem` names a problem. */
export function encodeVietQr(q: VietQr): string {
  const problem = vietQrProblem(q);
  if (problem) throw new RangeError(`VietQR: ${problem}`);
  const beneficiary = tlv('00', q.bankBin) + tlv('01', q.accountNo);
  let out = tlv('00', '01') + tlv('01', q.amountVnd !== undefined ? '12' : '11');
  out += tlv('38', tlv('00', napasGuid) + tlv('01', beneficiary) + tlv('02', transferToAccount));
  out += tlv('53', '704');
  if (q.amountVnd !== undefined) out += tlv('54', String(q.amountVnd));
  out += tlv('58', 'VN');
  if (q.purpose) out += tlv('62', tlv('08', q.purpose));
  out += '6304';
  return out + crc16(out);
}

/** The data objects of one level, in order; null when the text does not split into them exactly. */
export function parseTlv(text: string): Array<{ id: string; value: string }> | null {
  const out: Array<{ id: string; value: string }> = [];
  let i = 0;
  while (i < text.length) {
    const head = text.slice(i, i + 4);
    if (!/^\d{4}$/.test(head)) return null;
    const len = Number(head.slice(2));
    const value = text.slice(i + 4, i + 4 + len);
    if (value.length !== len) return null;
    out.push({ id: head.slice(0, 2), value });
    i += 4 + len;
  }
  return out;
}

export type DecodeResult = { ok: true; qr: DecodedVietQr } | { ok: false; error: 'format' | 'crc' | 'not_vietqr' };

/** Reads a VietQR payload: its CRC must match, and tag 38 must carry the NAPAS GUID, a BIN and an account. */
export function decodeVietQr(payload: string): DecodeResult {
  const objects = parseTlv(payload);
  if (!objects || objects[0]?.id !== '00' || objects.at(-1)?.id !== '63' || objects.at(-1)!.value.length !== 4) return { ok: false, error: 'format' };
  if (crc16(payload.slice(0, -4)) !== payload.slice(-4).toUpperCase()) return { ok: false, error: 'crc' };
  const root = new Map(objects.map((o) => [o.id, o.value]));
  const account = parseTlv(root.get('38') ?? '');
  const acc = new Map((account ?? []).map((o) => [o.id, o.value]));
  const bene = new Map((parseTlv(acc.get('01') ?? '') ?? []).map((o) => [o.id, o.value]));
  if (acc.get('00') !== napasGuid || !bene.get('00') || !bene.get('01')) return { ok: false, error: 'not_vietqr' };
  const extra = new Map((parseTlv(root.get('62') ?? '') ?? []).map((o) => [o.id, o.value]));
  const amount = root.get('54');
  if (amount !== undefined && !/^\d+(\.\d+)?$/.test(amount)) return { ok: false, error: 'format' };
  return {
    ok: true,
    qr: {
      bankBin: bene.get('00')!,
      accountNo: bene.get('01')!,
      ...(amount !== undefined && { amountVnd: Number(amount) }),
      ...(extra.has('08') && { purpose: extra.get('08')! }),
      initiation: root.get('01') === '12' ? 'dynamic' : 'static',
      serviceCode: acc.get('02') ?? '',
      currency: root.get('53') ?? '',
      country: root.get('58') ?? '',
    },
  };
}
