// The province's report table (docs/domain.md §5, form II.06a) as arithmetic on daily counts.
//
// Each received dossier adds to a few daily measures (all days are Vietnam calendar days):
//   received         on the day it was accepted;
//   settled_early    on the day it was settled (resolved, or withdrawn after acceptance), before its due day;
//   settled_on_time  … on its due day, no later than the due time; a withdrawn dossier always counts here;
//   settled_late     … after the due time;
//   due              on its due day (moved when a pause pushes the due time back);
//   due_kept         on the later of its due day and its settlement day, once it was settled early or on time;
//   due_held         +1 on the first day it is both on hold (paused or stopped) and due, −1 on the day
//                    the hold ends: the days on which it would be over the deadline but is held.
// From these, for a period [from, to]:
//   carried over = received before `from` − settled before `from`;
//   pending at the end = received up to `to` − settled up to `to`;
//   of which over the deadline = due up to `to` − due_kept up to `to` − settled_late up to `to` − due_held up to `to`
//   (a pending dossier is over when its due day is in or before the period and it is not on hold at
//   the period's end; of the dossiers due by then, those no longer pending were kept to time or
//   settled late, and those still pending but on hold are counted within the deadline).
// "Original due date": an apology's new date never enters these figures; a pause's extension does
// (the law moves the deadline itself). Statuses 0, 1 and 3 were never received and count nowhere.
//
// Two more families of measures ride in the same table and are never part of the table's arithmetic:
// `desk_received`, counted under the receiving desk's unit (not the competent unit) on the day of
// acceptance; and the satisfaction ratings, `satisfaction_<level>` on the day a rating was given.
import { onlineChannels } from './channels.ts';
import { vietnamDay } from './time.ts';

export const measures = ['received', 'settled_early', 'settled_on_time', 'settled_late', 'due', 'due_kept', 'due_held'] as const;
export type TableMeasure = (typeof measures)[number];

/** A dossier counted under the desk that received it (dossiers.receiving_unit_id), on the day it was accepted. */
export const deskMeasure = 'desk_received';

/**
 * The national three-level satisfaction scale (Circular 32/2017/TT-BTTTT Art. 12 cl.1(c): "Rất hài
 * lòng, Hài lòng, Chưa hài lòng"; the wording of the third level is the project's, see docs/domain.md §5.5).
 */
export const satisfactionLevels = ['very_satisfied', 'satisfied', 'dissatisfied'] as const;
export type Satisfaction = (typeof satisfactionLevels)[number];
export const satisfactionMeasures = ['satisfaction_very_satisfied', 'satisfaction_satisfied', 'satisfaction_dissatisfied'] as const;
/** The five-level scores counted before the three-level scale (read, never written: `motcua stats rebuild` rewrites them). */
export const ratingMeasures = ['rating_1', 'rating_2', 'rating_3', 'rating_4', 'rating_5'] as const;
/**
 * Payments (docs/domain.md §5.3, the online-payment indicator): a dossier counts once in `paid_total`
 * on the Vietnam day its first payment was settled (any method), and once in `paid_online` on the day
 * its first payment was settled online (VNPay or VietQR). Refunds do not undo either.
 */
export const paymentMeasures = ['paid_total', 'paid_online'] as const;
export const onlinePaymentMethods: readonly string[] = ['vnpay', 'vietqr'];
/**
 * Results returned by post (docs/domain.md §5.2, §9): +1 on the Vietnam day of a `return_result`
 * taken by the `postal` actor (a delivered outbound shipment, or postal staff handing the result over).
 */
export const returnedPostalMeasure = 'returned_postal';
export type Measure = TableMeasure | typeof deskMeasure | (typeof satisfactionMeasures)[number] | (typeof ratingMeasures)[number] | (typeof paymentMeasures)[number] | typeof returnedPostalMeasure;

export function isSatisfaction(v: unknown): v is Satisfaction {
  return typeof v === 'string' && (satisfactionLevels as readonly string[]).includes(v);
}

/** A five-level score on the three-level scale: 5 very satisfied, 3–4 satisfied, 1–2 dissatisfied (as migration 0017 maps older ratings). */
export function satisfactionOfScore(score: number): Satisfaction {
  return score >= 5 ? 'very_satisfied' : score >= 3 ? 'satisfied' : 'dissatisfied';
}

/** The satisfaction level a daily measure counts, the older five-level ones mapped; null for any other measure. */
export function satisfactionOfMeasure(measure: string): Satisfaction | null {
  if (measure.startsWith('satisfaction_')) {
    const level = measure.slice('satisfaction_'.length);
    return isSatisfaction(level) ? level : null;
  }
  const i = (ratingMeasures as readonly string[]).indexOf(measure);
  return i >= 0 ? satisfactionOfScore(i + 1) : null;
}

export type Settlement = 'early' | 'on_time' | 'late';

/** Early: settled on a day before the due day; on time: on the due day, by the due time; late: after it. */
export function settlement(settledAt: string, dueAt: string): Settlement {
  if (settledAt > dueAt) return 'late';
  return vietnamDay(new Date(settledAt)) < vietnamDay(new Date(dueAt)) ? 'early' : 'on_time';
}

/** The channels of the report: online (with the national portal), at the counter, by post. */
export function channelGroup(channel: string): 'online' | 'direct' | 'postal' {
  if ((onlineChannels as readonly string[]).includes(channel)) return 'online';
  return channel === 'postal' ? 'postal' : 'direct';
}

/**
 * The statuses in which a pending dossier counts within the deadline whatever its due day: paused
 * (a supplement, a financial obligation) or stopped (`suspended`, dừng xử lý). A supplement asked at
 * intake comes before acceptance and so before any due day: it never changes a figure.
 */
export const holdStatuses: ReadonlySet<string> = new Set(['supplement_requested', 'financial_obligation', 'suspended']);

/** A time on hold: from the change into a hold status to the change out of it (null: still on hold). */
export type Hold = { from: string; to: string | null };

/** The holds of a dossier from its status changes, in the log's order. */
export function holdIntervals(log: ReadonlyArray<{ at: string; from: string | null; to: string }>): Hold[] {
  const out: Hold[] = [];
  let open: Hold | null = null;
  for (const e of log) {
    const held = holdStatuses.has(e.to);
    if (held && !open) out.push((open = { from: e.at, to: null }));
    else if (!held && open) {
      open.to = e.at;
      open = null;
    }
  }
  return out;
}

export type StatDelta = { day: string; measure: Measure; delta: number };

/** A dossier's payment as the figures see it: how and when it was settled (null: not settled). */
export type PaymentFact = { method: string | null; paidAt: string | null };

/** What a dossier's payments add: `paid_total` on the day of its first settled payment, `paid_online` on the day of its first one settled online. */
export function paymentContributions(payments: readonly PaymentFact[]): StatDelta[] {
  const paid = payments.filter((p) => p.paidAt).map((p) => ({ online: onlinePaymentMethods.includes(p.method ?? ''), day: vietnamDay(new Date(p.paidAt!)) }));
  const first = (xs: typeof paid) => xs.reduce<string | null>((m, p) => (m === null || p.day < m ? p.day : m), null);
  const out: StatDelta[] = [];
  const total = first(paid);
  if (total) out.push({ day: total, measure: 'paid_total', delta: 1 });
  const online = first(paid.filter((p) => p.online));
  if (online) out.push({ day: online, measure: 'paid_online', delta: 1 });
  return out;
}

/** The change to the payment measures when a dossier's payments go from one state to another. */
export function paymentStatChanges(before: readonly PaymentFact[], after: readonly PaymentFact[]): StatDelta[] {
  const sum = new Map<string, StatDelta>();
  for (const [sign, list] of [[-1, before], [1, after]] as const) {
    for (const c of paymentContributions(list)) {
      const key = `${c.day}|${c.measure}`;
      const d = sum.get(key) ?? sum.set(key, { ...c, delta: 0 }).get(key)!;
      d.delta += sign;
    }
  }
  return [...sum.values()].filter((d) => d.delta !== 0);
}

/**
 * What the figures need to know of a dossier at a moment: when it was accepted, its due time, when
 * it was settled and whether by a withdrawal, and its holds (only where they can change a figure:
 * a caller that knows them unchanged may leave them out on both sides of a change).
 */
export type StatFacts = { acceptedAt: string | null; dueAt: string | null; settledAt: string | null; withdrawn?: boolean; holds?: readonly Hold[] };

const day = (iso: string) => vietnamDay(new Date(iso));

/** How a settled dossier counts: a withdrawal after acceptance is on time; anything else against its due time. */
export function settlementOf(f: Pick<StatFacts, 'dueAt' | 'settledAt' | 'withdrawn'>): Settlement | null {
  if (!f.settledAt) return null;
  if (f.withdrawn || !f.dueAt) return 'on_time';
  return settlement(f.settledAt, f.dueAt);
}

/** Whether a dossier is on hold at the end of a Vietnam day. */
export function heldAt(holds: readonly Hold[] | undefined, endOfDay: string): boolean {
  return (holds ?? []).some((h) => day(h.from) <= endOfDay && (h.to === null || day(h.to) > endOfDay));
}

/** The measures a dossier adds to, as it stands. */
export function contributions(f: StatFacts): StatDelta[] {
  if (!f.acceptedAt) return [];
  const out: StatDelta[] = [{ day: day(f.acceptedAt), measure: 'received', delta: 1 }];
  if (f.dueAt) out.push({ day: day(f.dueAt), measure: 'due', delta: 1 });
  const s = settlementOf(f);
  if (s && f.settledAt) {
    out.push({ day: day(f.settledAt), measure: `settled_${s}`, delta: 1 });
    if (s !== 'late' && f.dueAt) {
      const dueDay = day(f.dueAt);
      const settledDay = day(f.settledAt);
      out.push({ day: settledDay > dueDay ? settledDay : dueDay, measure: 'due_kept', delta: 1 });
    }
  }
  if (f.dueAt) {
    const dueDay = day(f.dueAt);
    for (const h of f.holds ?? []) {
      const start = day(h.from) > dueDay ? day(h.from) : dueDay;
      if (h.to === null) out.push({ day: start, measure: 'due_held', delta: 1 });
      else if (start < day(h.to)) out.push({ day: start, measure: 'due_held', delta: 1 }, { day: day(h.to), measure: 'due_held', delta: -1 });
    }
  }
  return out;
}

/** The change to the daily measures when a dossier goes from one state of facts to another: what it adds now, less what it added before. */
export function statChanges(before: StatFacts, after: StatFacts): StatDelta[] {
  const sum = new Map<string, StatDelta>();
  for (const [sign, facts] of [[-1, before], [1, after]] as const) {
    for (const c of contributions(facts)) {
      const key = `${c.day}|${c.measure}`;
      const d = sum.get(key) ?? sum.set(key, { day: c.day, measure: c.measure, delta: 0 }).get(key)!;
      d.delta += sign * c.delta;
    }
  }
  return [...sum.values()].filter((d) => d.delta !== 0);
}

/** Sums of a measure (by channel group for `received`) before a period, within it, and up to its end; the ratings given within it. */
export type MeasureSums = Record<TableMeasure, { before: number; within: number }> & {
  receivedWithin: Record<'online' | 'direct' | 'postal', number>;
  satisfactionWithin: Record<Satisfaction, number>;
  paymentsWithin: Record<(typeof paymentMeasures)[number], number>;
  returnedPostalWithin: number;
};

export function emptySums(): MeasureSums {
  return {
    ...(Object.fromEntries(measures.map((m) => [m, { before: 0, within: 0 }])) as Record<TableMeasure, { before: number; within: number }>),
    receivedWithin: { online: 0, direct: 0, postal: 0 },
    satisfactionWithin: { very_satisfied: 0, satisfied: 0, dissatisfied: 0 },
    paymentsWithin: { paid_total: 0, paid_online: 0 },
    returnedPostalWithin: 0,
  };
}

/** Adds a grouped row of daily counts (a measure on a channel, before the period and within it); other measures are not the table's. */
export function addSums(s: MeasureSums, r: { measure: string; channel: string; before: number | string | null; within: number | string | null }): void {
  const within = Number(r.within ?? 0);
  const level = satisfactionOfMeasure(r.measure);
  if (level) {
    s.satisfactionWithin[level] += within;
    return;
  }
  if ((paymentMeasures as readonly string[]).includes(r.measure)) {
    s.paymentsWithin[r.measure as (typeof paymentMeasures)[number]] += within;
    return;
  }
  if (r.measure === returnedPostalMeasure) {
    s.returnedPostalWithin += within;
    return;
  }
  if (!(measures as readonly string[]).includes(r.measure)) return;
  const m = s[r.measure as TableMeasure];
  m.before += Number(r.before ?? 0);
  m.within += within;
  if (r.measure === 'received') s.receivedWithin[channelGroup(r.channel)] += within;
}

export type SatisfactionCounts = { verySatisfied: number; satisfied: number; dissatisfied: number; total: number; satisfiedShare: number };

export type Summary = {
  received: { online: number; direct: number; postal: number; carriedOver: number; total: number; grandTotal: number };
  settled: { early: number; onTime: number; late: number; total: number };
  pending: { withinDeadline: number; overdue: number; total: number };
  onlineShare: number;
  onTimeRate: number;
  satisfaction: SatisfactionCounts;
  /** Dossiers whose (first) payment was settled in the period, and online (docs/domain.md §5.3). Added in issue 12. */
  payments: PaymentCounts;
  /** Results returned by post in the period (the postal channel's other way). Added in issue 12. */
  returned: { postal: number };
};

export type PaymentCounts = { paidTotal: number; paidOnline: number; onlineShare: number };

/** Ratings per level, their total, and the share satisfied (very satisfied + satisfied), 0 without ratings. */
export function satisfactionCounts(n: Record<Satisfaction, number>): SatisfactionCounts {
  const total = n.very_satisfied + n.satisfied + n.dissatisfied;
  return { verySatisfied: n.very_satisfied, satisfied: n.satisfied, dissatisfied: n.dissatisfied, total, satisfiedShare: total ? (n.very_satisfied + n.satisfied) / total : 0 };
}

/** The report table from the sums (api-v1.md, GET /stats/summary). */
export function summarise(s: MeasureSums): Summary {
  const upTo = (m: TableMeasure) => s[m].before + s[m].within;
  const settledBefore = s.settled_early.before + s.settled_on_time.before + s.settled_late.before;
  const settledUpTo = upTo('settled_early') + upTo('settled_on_time') + upTo('settled_late');
  const carriedOver = s.received.before - settledBefore;
  const received = { ...s.receivedWithin, carriedOver, total: s.received.within, grandTotal: s.received.within + carriedOver };
  const settled = { early: s.settled_early.within, onTime: s.settled_on_time.within, late: s.settled_late.within, total: 0 };
  settled.total = settled.early + settled.onTime + settled.late;
  const pendingTotal = upTo('received') - settledUpTo;
  const overdue = upTo('due') - upTo('due_kept') - upTo('settled_late') - upTo('due_held');
  return {
    received,
    settled,
    pending: { withinDeadline: pendingTotal - overdue, overdue, total: pendingTotal },
    onlineShare: received.total ? received.online / received.total : 0,
    onTimeRate: settled.total ? (settled.early + settled.onTime) / settled.total : 0,
    satisfaction: satisfactionCounts(s.satisfactionWithin),
    payments: {
      paidTotal: s.paymentsWithin.paid_total,
      paidOnline: s.paymentsWithin.paid_online,
      onlineShare: s.paymentsWithin.paid_total ? Math.min(1, s.paymentsWithin.paid_online / s.paymentsWithin.paid_total) : 0,
    },
    returned: { postal: s.returnedPostalWithin },
  };
}
