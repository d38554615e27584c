// The province's report table (docs/domain.md §5, form II.06a) as arithmetic on daily counts.
//
// Each received dossier adds to a few daily measures (all days are Vietnam calendar days):
//   received         on the day it was accepted;
//   settled_early    on the day it was settled (resolved, or withdrawn after acceptance), before its due day;
//   settled_on_time  … on its due day, no later than the due time;
//   settled_late     … after the due time;
//   due              on its due day (moved when a pause pushes the due time back);
//   due_kept         on its due day, once it was settled early or on time.
// From these, for a period [from, to]:
//   carried over = received before `from` − settled before `from`;
//   pending at the end = received up to `to` − settled up to `to`;
//   of which over the deadline = due up to `to` − due_kept up to `to` − settled_late up to `to`
//   (a pending dossier is over when its due day is in or before the period, and the dossiers due
//   by then that are no longer pending were either kept to time, counted by their due day, or
//   settled late, all of them by `to`).
// "Original due date": an apology's new date never enters these figures; a pause's extension does
// (the law moves the deadline itself). Statuses 0, 1 and 3 were never received and count nowhere.
import { onlineChannels } from './channels.ts';
import { vietnamDay } from './time.ts';

export const measures = ['received', 'settled_early', 'settled_on_time', 'settled_late', 'due', 'due_kept'] as const;
/** Satisfaction: a rating of 1–5 counts on the day it was given, as `rating_<score>`. */
export const ratingMeasures = ['rating_1', 'rating_2', 'rating_3', 'rating_4', 'rating_5'] as const;
export type Measure = (typeof measures)[number] | (typeof ratingMeasures)[number];

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

export type StatDelta = { day: string; measure: Measure; delta: number };

/** What the figures need to know of a dossier at a moment. */
export type StatFacts = { acceptedAt: string | null; dueAt: string | null; settledAt: string | null };

const day = (iso: string) => vietnamDay(new Date(iso));

/** The measures a dossier adds to, as it stands. */
export function contributions(f: StatFacts): StatDelta[] {
  if (!f.acceptedAt) return [];
  const out: StatDelta[] = [{ day: day(f.acceptedAt), measure: 'received', delta: 1 }];
  if (f.dueAt) out.push({ day: day(f.dueAt), measure: 'due', delta: 1 });
  if (f.settledAt) {
    const s = f.dueAt ? settlement(f.settledAt, f.dueAt) : 'on_time';
    out.push({ day: day(f.settledAt), measure: `settled_${s}`, delta: 1 });
    if (s !== 'late' && f.dueAt) out.push({ day: day(f.dueAt), measure: 'due_kept', delta: 1 });
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
      d.delta += sign;
    }
  }
  return [...sum.values()].filter((d) => d.delta !== 0);
}

/** Sums of a measure (by channel group for `received`) before a period, within it, and up to its end. */
export type MeasureSums = Record<(typeof measures)[number], { before: number; within: number }> & {
  receivedWithin: Record<'online' | 'direct' | 'postal', number>;
};

export type Summary = {
  received: { online: number; direct: number; postal: number; carriedOver: number; total: number };
  settled: { early: number; onTime: number; late: number; total: number };
  pending: { withinDeadline: number; overdue: number; total: number };
  onlineShare: number;
  onTimeRate: number;
};

/** The report table from the sums (api-v1.md, GET /stats/summary). */
export function summarise(s: MeasureSums): Summary {
  const upTo = (m: (typeof measures)[number]) => s[m].before + s[m].within;
  const settledBefore = s.settled_early.before + s.settled_on_time.before + s.settled_late.before;
  const settledUpTo = upTo('settled_early') + upTo('settled_on_time') + upTo('settled_late');
  const received = { ...s.receivedWithin, carriedOver: s.received.before - settledBefore, total: s.received.within };
  const settled = { early: s.settled_early.within, onTime: s.settled_on_time.within, late: s.settled_late.within, total: 0 };
  settled.total = settled.early + settled.onTime + settled.late;
  const pendingTotal = upTo('received') - settledUpTo;
  const overdue = upTo('due') - upTo('due_kept') - upTo('settled_late');
  return {
    received,
    settled,
    pending: { withinDeadline: pendingTotal - overdue, overdue, total: pendingTotal },
    onlineShare: received.total ? received.online / received.total : 0,
    onTimeRate: settled.total ? (settled.early + settled.onTime) / settled.total : 0,
  };
}
