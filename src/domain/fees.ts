// Fees and payment requests (docs/domain.md "Payments"): what a dossier owes from its procedure's
// fee rules and its form answers, at which stage it is due, what an unpaid stage blocks, the
// payment statuses, references and the amount in Vietnamese words for the e-receipt. No I/O.
import { randomInt } from 'node:crypto';

/** lệ phí (fee, a state charge for a public service) or phí (charge, for a service's cost). */
export const purposes = ['fee', 'charge'] as const;
export type Purpose = (typeof purposes)[number];

/**
 * When a payment is due. `before_intake`: a fee collected "before" (the catalogue's `collect`)
 * is due when the dossier is filed and the desk accepts only once it is paid. `before_result`: a
 * fee collected "after" is due before the result is handed over. `before_processing`: an amount an
 * officer asks for during processing (a financial obligation, request_financial_obligation); paying
 * it fulfils the obligation and processing resumes.
 */
export const stages = ['before_intake', 'before_processing', 'before_result'] as const;
export type Stage = (typeof stages)[number];

/** `cancelled`: the dossier ended (refused, withdrawn) before the request was paid; nothing is owed. */
export const paymentStatuses = ['due', 'pending', 'paid', 'failed', 'refunded', 'cancelled'] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];
export const paymentMethods = ['vnpay', 'vietqr', 'cash'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

/** Statuses in which the money is still owed (a failed try may be tried again). */
export const openStatuses: ReadonlySet<string> = new Set(['due', 'pending', 'failed']);

/** A reduced amount or an exemption (0) for a fee category answered on the form. */
export type FeeExemption = {
  /** The value of the form's fee-category answer. */
  category: string;
  /** What this category pays instead; 0: exempt. */
  amountVnd: number;
  /** The legal text that grants it. */
  source: string;
  /** True when the source could not be checked against the published text. */
  unconfirmed?: boolean;
};

/**
 * One line of a procedure's fees (VersionContent.fees). The first four fields are the catalogue's
 * own; the rest are optional refinements (data/reference/catalog/fee-rules.json).
 */
export type FeeRule = {
  kind: 'fixed' | 'free' | 'set_by_council' | 'per_copy';
  /** fixed: the amount; per_copy: the amount per copy (or per page, see `pages`); null when set by the council. */
  amountVnd: number | null;
  collect: 'before' | 'after';
  note: string | null;
  purpose?: Purpose;
  /** A short name of the line for the receipt ("Lệ phí chứng thực bản sao"). */
  label?: { vi: string; en: string };
  /** per_copy: the form answer holding the number of copies (1 when absent or unanswered). */
  copiesField?: string;
  /** per_copy: copies covered by another line (e.g. the first two certificates), not charged here. */
  includedCopies?: number;
  /** Priced by page: the first `firstPages` pages at `firstVnd` each, the next at `nextVnd`, at most `maxVnd` per copy. */
  pages?: { field: string; firstPages: number; firstVnd: number; nextVnd: number; maxVnd: number };
  /** The form answer naming the payer's fee category, and what each category pays. */
  categoryField?: string;
  exemptions?: FeeExemption[];
  /** The legal text of the amount. */
  source?: string;
  unconfirmed?: boolean;
};

/** One amount a dossier owes, before it becomes a payment request. */
export type FeeLine = {
  purpose: Purpose;
  stage: Stage;
  amountVnd: number;
  label: { vi: string; en: string } | null;
  /** How it was worked out, kept on the request (copies, pages, the exemption applied). */
  basis: { kind: FeeRule['kind']; copies?: number; pages?: number; category?: string; exemption?: string; source?: string };
};

const whole = (v: unknown, fallback: number): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : fallback;
};

/** The amount of one copy priced by page (chứng thực bản sao: Thông tư 226/2016/TT-BTC). */
export function perPageAmount(pages: number, p: NonNullable<FeeRule['pages']>): number {
  const first = Math.min(pages, p.firstPages) * p.firstVnd;
  const next = Math.max(0, pages - p.firstPages) * p.nextVnd;
  return Math.min(first + next, p.maxVnd);
}

/**
 * What a dossier owes under its procedure's fee rules and its form answers (keys as stored, e.g.
 * `copies`, `fee_category`). Free lines and amounts set by the council (no amount in the catalogue:
 * the desk states it) owe nothing here; a zero amount after an exemption owes nothing either.
 */
export function computeFees(rules: readonly FeeRule[], answers: Record<string, unknown>): FeeLine[] {
  const lines: FeeLine[] = [];
  for (const rule of rules) {
    if (rule.kind === 'free' || rule.kind === 'set_by_council' || rule.amountVnd === null) continue;
    const basis: FeeLine['basis'] = { kind: rule.kind, ...(rule.source ? { source: rule.source } : {}) };
    let amount = rule.amountVnd;
    if (rule.kind === 'per_copy') {
      const copies = Math.max(0, whole(rule.copiesField ? answers[rule.copiesField] : undefined, 1) - (rule.includedCopies ?? 0));
      basis.copies = copies;
      let each = rule.amountVnd;
      if (rule.pages) {
        const pages = Math.max(1, whole(answers[rule.pages.field], 1));
        basis.pages = pages;
        each = perPageAmount(pages, rule.pages);
      }
      amount = each * copies;
    }
    const category = rule.categoryField ? answers[rule.categoryField] : undefined;
    const exemption = typeof category === 'string' ? rule.exemptions?.find((e) => e.category === category) : undefined;
    if (exemption) {
      basis.category = exemption.category;
      basis.exemption = exemption.source;
      amount = Math.min(amount, exemption.amountVnd);
    }
    if (amount <= 0) continue;
    lines.push({ purpose: rule.purpose ?? 'fee', stage: rule.collect === 'after' ? 'before_result' : 'before_intake', amountVnd: amount, label: rule.label ?? null, basis });
  }
  return lines;
}

/** A request still owed at a stage, as the blocking rules need it. */
export type Owed = { stage: string; status: string };

/**
 * What an unpaid stage blocks (the service enforces it with 409 `payment_due`): acceptance while
 * a before-intake request is owed, unless the dossier is taken in at the counter in the same step
 * (the officer collects the money there: cash at the counter); handing back the result while a
 * before-result request is owed. A before-processing request blocks nothing: the dossier waits in
 * `financial_obligation` until it is paid.
 */
export function paymentBlocks(action: string, owed: readonly Owed[], opts: { sameStepIntake?: boolean } = {}): Stage | null {
  const open = (stage: Stage) => owed.some((p) => p.stage === stage && openStatuses.has(p.status));
  if (action === 'accept' && !opts.sameStepIntake && open('before_intake')) return 'before_intake';
  if (action === 'return_result' && open('before_result')) return 'before_result';
  return null;
}

/** Statuses a dossier ends in without its service: money paid in advance is then owed back. */
export const refundStatuses: ReadonlySet<string> = new Set(['refused', 'withdrawn']);

const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A payment's reference: 'MC' and 10 letters or digits, without look-alikes (0/O, 1/I), safe to type in a transfer's description. */
export function newReference(): string {
  let s = 'MC';
  for (let i = 0; i < 10; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

export function isReference(v: unknown): v is string {
  return typeof v === 'string' && /^MC[A-Z0-9]{10}$/.test(v);
}

/** The receipt's series for a collecting unit and year ("BL25-…"); numbers run from 1 within it. */
export function receiptSeries(unitCode: string, year: number): string {
  return `BL${String(year % 100).padStart(2, '0')}-${unitCode.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 12) || 'MC'}`;
}

export function receiptNumber(n: number): string {
  return String(n).padStart(7, '0');
}

const digits = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];

/** Three digits in words; `full` reads leading zeros ("không trăm linh năm") inside a longer number. */
function triple(n: number, full: boolean): string {
  const h = Math.floor(n / 100), t = Math.floor((n % 100) / 10), u = n % 10;
  const out: string[] = [];
  if (h || full) out.push(`${digits[h]} trăm`);
  if (t === 0) {
    if (u && (h || full)) out.push('linh');
  } else if (t === 1) out.push('mười');
  else out.push(`${digits[t]} mươi`);
  if (u) {
    if (u === 1 && t > 1) out.push('mốt');
    else if (u === 5 && t > 0) out.push('lăm');
    else if (u === 4 && t > 1) out.push('tư');
    else out.push(digits[u]!);
  }
  return out.join(' ');
}

/** An amount in Vietnamese words, capitalised, with "đồng" ("Hai trăm nghìn đồng"), as a receipt writes it. */
export function vndInWords(amount: number): string {
  if (!Number.isSafeInteger(amount) || amount < 0 || amount >= 1e12) throw new Error('amount out of range');
  if (amount === 0) return 'Không đồng';
  const units = ['', ' nghìn', ' triệu', ' tỷ'];
  const groups: number[] = [];
  for (let n = amount; n > 0; n = Math.floor(n / 1000)) groups.push(n % 1000);
  const parts: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!;
    if (!g) continue;
    parts.push(triple(g, i < groups.length - 1) + units[i]!);
  }
  const text = `${parts.join(' ')} đồng`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
