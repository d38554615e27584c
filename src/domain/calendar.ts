// The working calendar and deadline arithmetic (docs/domain.md §4). Pure: the calendar and the instants
// are passed in. All clock times are Vietnam time (UTC+7 all year, no daylight saving).
//
// The rules, and where they come from:
// - Working time is a unit's weekly periods (default Mon–Fri 07:00–11:30 and 13:30–17:00, 8 h), minus
//   dated days off, plus dated working days (a swapped Saturday works a full regular day: Monday's hours).
//   1 working day = 8 working hours (docs/domain.md §4). Reception hours (a Saturday-morning desk) are
//   kept apart (`reception`): the desk receives then, but the legal calendar does not count them.
// - Intake after closing time, during a day off, on a weekend or in reception-only hours is deemed to
//   happen at the next working morning; during the lunch break or before opening it stays on the same day.
// - The same-day cut-off (`sameDayCutoff`, a unit's own value, default 15:00): a procedure to be settled
//   "within the day" (0 days) whose intake is deemed made after the cut-off is due at the close of
//   the next working day, before it at the close of the same day. Source: the rule is written for
//   certification of copies in Decree 23/2015/NĐ-CP art. 21 ("trong ngày làm việc tiếp theo, nếu tiếp
//   nhận yêu cầu sau 15 giờ"; seen in secondary copies of the text) and in the published processing
//   times of same-day procedures (data/reference/catalog: "hồ sơ nhận sau 15 giờ … trả kết quả trong
//   ngày làm việc tiếp theo"). A general 15:00 rule in Decree 61/2018 (art. 20: dossiers received after
//   15:00 go to the competent body at the start of the next working day) or in Decree 118/2025 is
//   unconfirmed: not checked against the decrees' text.
// - A processing time is in working days unless its wording says calendar days (processingDayKindOf).
// - Civil Code art. 147(2): a period in days does not count its start day. So a dossier accepted on
//   a working day with N working days due is due at the END (closing time) of the Nth working day after
//   the (deemed) intake day; N = 0 ("within the day") is due at the close of the intake day itself.
// - Civil Code art. 147(1): a period in hours runs from the instant, over working time only. A
//   fractional number of working days (0.5) is counted as that many working hours (× 8).
// - Civil Code art. 148: a period in calendar days that ends on a non-working day ends at the close
//   of the next working day.
// - A pause (supplement request, financial obligation) extends the due instant by the working time
//   that elapsed while paused, counted on from the old due instant.
// - Public holidays (Labour Code 2019 art. 112): an announced schedule (holidays.json `official`, or a
//   year an admin keeps as a table) is the authority for its year. Other years use statutoryDays:
//   1/1; Tết = the last day of the lunar year + lunar 1/1–1/4; Giỗ Tổ lunar 10/3; 30/4; 1/5; 2/9 + 1/9.
//   A holiday on a Saturday or Sunday gives a compensatory day off on the next working day not already
//   off (Labour Code art. 111(3); holidays.json `compensation_rule`).
import { lunarToSolar } from './lunar.ts';

export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';
/** In the order of Date.getUTCDay(). */
export const weekdays: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** A stretch of working time in a day, Vietnam time, `HH:MM`, start included and end excluded. */
export type Period = { from: string; to: string };
export type WorkingHours = Record<Weekday, Period[]>;

/** The administrative working day (Decision 188/1999/QĐ-TTg, 40 h a week): 8 h. */
export const officeDay: readonly Period[] = [{ from: '07:00', to: '11:30' }, { from: '13:30', to: '17:00' }];
const saturdayMorning: readonly Period[] = [{ from: '07:00', to: '11:30' }];

/** Monday to Friday office days; with `saturdayMorning`, also Saturdays 07:00–11:30. */
export function workingHours(opts: { saturdayMorning?: boolean } = {}): WorkingHours {
  const day = () => officeDay.map((p) => ({ ...p }));
  return {
    sun: [], mon: day(), tue: day(), wed: day(), thu: day(), fri: day(),
    sat: opts.saturdayMorning ? saturdayMorning.map((p) => ({ ...p })) : [],
  };
}

export const defaultWorkingHours: WorkingHours = workingHours();

/** A unit's default same-day cut-off (see sameDayCutoff at the top of this file). */
export const defaultSameDayCutoff = '15:00';

/** Reception hours of a desk open in the working week and, with `saturdayMorning`, on Saturdays 07:00–11:30. */
export function receptionHours(opts: { saturdayMorning?: boolean } = {}): WorkingHours {
  return workingHours(opts);
}

/** Checks a cut-off read from storage or an admin: HH:MM. */
export function isClock(value: unknown): value is string {
  return typeof value === 'string' && clockPattern.test(value);
}

/** Whether a processing time counts working days (the default) or calendar days. */
export type ProcessingDayKind = 'working' | 'calendar';
export const processingDayKinds: readonly ProcessingDayKind[] = ['working', 'calendar'];

/**
 * The unit of a procedure's processing time, read from its published wording: "N ngày làm việc" is
 * working days, a bare "N ngày" (the same N as the processing time) is calendar days. Wording that
 * does not state N, or states it for another period (a 15-day posting), leaves the default, working.
 */
export function processingDayKindOf(days: number, note: string | null | undefined): ProcessingDayKind {
  if (!note || days <= 0) return 'working';
  for (const m of note.matchAll(/(\d+)\s*ngày(\s+làm\s+việc)?/giu)) {
    if (Number(m[1]) !== days) continue;
    return m[2] ? 'working' : 'calendar';
  }
  return 'working';
}

const clockPattern = /^([01]\d|2[0-3]):([0-5]\d)$/;
const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/** Checks working hours read from storage or an admin: every weekday, ordered non-overlapping periods. */
export function parseWorkingHours(value: unknown): WorkingHours {
  if (typeof value !== 'object' || value === null) throw new RangeError('working hours must be an object of weekdays');
  const input = value as Record<string, unknown>;
  const hours = {} as WorkingHours;
  for (const day of weekdays) {
    const periods = input[day] ?? [];
    if (!Array.isArray(periods)) throw new RangeError(`working hours of ${day} must be a list`);
    let lastEnd = -1;
    hours[day] = periods.map((p: unknown) => {
      const { from, to } = (p ?? {}) as Record<string, unknown>;
      if (typeof from !== 'string' || typeof to !== 'string' || !clockPattern.test(from) || !clockPattern.test(to)) {
        throw new RangeError(`working hours of ${day}: periods are { from: "HH:MM", to: "HH:MM" }`);
      }
      if (minutesOf(from) >= minutesOf(to) || minutesOf(from) < lastEnd) throw new RangeError(`working hours of ${day}: periods must be in order and not overlap`);
      lastEnd = minutesOf(to);
      return { from, to };
    });
  }
  for (const key of Object.keys(input)) if (!weekdays.includes(key as Weekday)) throw new RangeError(`not a weekday: ${key}`);
  return hours;
}

export type DayKind = 'off' | 'work';
/** A dated exception to the week: a day off on a weekday, or a working day on a weekend. */
export type DayException = { date: string; kind: DayKind; name: string; nameEn?: string };
/** Where a year's days come from: an announced schedule, or the Labour Code's defaults. */
export type YearSource = 'official' | 'statutory';

export type Calendar = {
  /** The legal working hours: the only time deadlines count. */
  hours: WorkingHours;
  /**
   * When the desk receives dossiers, if that differs from `hours` (a Saturday-morning desk, say).
   * Reception hours never count for deadlines: a dossier received in reception-only hours counts from
   * the next working morning. Null: the desk receives during the working hours.
   */
  reception: WorkingHours | null;
  /** HH:MM: a same-day (0-day) dossier received after this time (15:00:01 on) is due at the next working day's close. */
  sameDayCutoff: string;
  /** Dated exceptions by date (a unit's own override the default calendar's). */
  exceptions: Readonly<Record<string, DayException>>;
  /**
   * Years kept as a table: only `exceptions` count for them. A year not listed gets its holidays
   * from statutoryDays, with `exceptions` on top.
   */
  years: Readonly<Record<number, YearSource>>;
};

export function makeCalendar(opts: {
  hours?: WorkingHours; exceptions?: DayException[]; years?: Record<number, YearSource>; reception?: WorkingHours | null; sameDayCutoff?: string;
} = {}): Calendar {
  const sameDayCutoff = opts.sameDayCutoff ?? defaultSameDayCutoff;
  if (!clockPattern.test(sameDayCutoff)) throw new RangeError(`the same-day cut-off is HH:MM, not ${sameDayCutoff}`);
  return {
    hours: opts.hours ?? defaultWorkingHours,
    reception: opts.reception ?? null,
    sameDayCutoff,
    exceptions: Object.fromEntries((opts.exceptions ?? []).map((e) => [e.date, e])),
    years: opts.years ?? {},
  };
}

// ---- Dates (YYYY-MM-DD) and instants in Vietnam time --------------------------------------------

const minuteMs = 60_000;
const hourMs = 3_600_000;
const dayMs = 86_400_000;
const vietnamOffsetMs = 7 * hourMs;

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

function checkDate(date: string): void {
  if (!datePattern.test(date) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
}

/** The instant of local midnight opening a Vietnamese calendar day. */
const midnightOf = (date: string) => Date.parse(`${date}T00:00:00Z`) - vietnamOffsetMs;
const dateAt = (ms: number) => new Date(ms + vietnamOffsetMs).toISOString().slice(0, 10);
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * dayMs).toISOString().slice(0, 10);
const weekdayOf = (date: string) => weekdays[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
const isWeekend = (date: string) => { const d = weekdayOf(date); return d === 'sat' || d === 'sun'; };

// ---- Holidays -----------------------------------------------------------------------------------

const statutoryNames = {
  newYear: { name: 'Tết Dương lịch', nameEn: "New Year's Day" },
  tet: { name: 'Tết Nguyên Đán', nameEn: 'Lunar New Year' },
  hungKings: { name: 'Giỗ Tổ Hùng Vương', nameEn: 'Hung Kings Commemoration' },
  reunification: { name: 'Ngày Chiến thắng', nameEn: 'Reunification Day' },
  labour: { name: 'Ngày Quốc tế Lao động', nameEn: 'International Labour Day' },
  national: { name: 'Quốc khánh', nameEn: 'National Day' },
} as const;

const statutoryCache = new Map<number, ReadonlyMap<string, DayException>>();

function statutoryByDate(year: number): ReadonlyMap<string, DayException> {
  let days = statutoryCache.get(year);
  if (days) return days;
  const pad = (n: number) => String(n).padStart(2, '0');
  const solar = (month: number, day: number) => `${year}-${pad(month)}-${pad(day)}`;
  const tet = lunarToSolar(1, 1, year);
  const off = (date: string, names: { name: string; nameEn: string }): DayException => ({ date, kind: 'off', ...names });
  const holidays: DayException[] = [
    off(solar(1, 1), statutoryNames.newYear),
    // Default when no break is announced: the last day of the old year, then lunar 1/1 to 1/4.
    ...[-1, 0, 1, 2, 3].map((n) => off(addDays(tet, n), statutoryNames.tet)),
    off(lunarToSolar(10, 3, year), statutoryNames.hungKings),
    off(solar(4, 30), statutoryNames.reunification),
    off(solar(5, 1), statutoryNames.labour),
    // The day adjacent to 2/9 is fixed each year by the Prime Minister; 1/9 by default (holidays.json).
    off(solar(9, 1), statutoryNames.national),
    off(solar(9, 2), statutoryNames.national),
  ].sort((a, b) => a.date.localeCompare(b.date));
  const byDate = new Map(holidays.map((h) => [h.date, h]));
  // Labour Code art. 111(3): a holiday on the weekly day off is compensated on the next working day.
  for (const h of holidays) {
    if (!isWeekend(h.date)) continue;
    let d = addDays(h.date, 1);
    while (isWeekend(d) || byDate.has(d)) d = addDays(d, 1);
    byDate.set(d, { date: d, kind: 'off', name: `Nghỉ bù ${h.name}`, nameEn: `${h.nameEn} (compensatory day off)` });
  }
  days = new Map([...byDate.entries()].sort(([a], [b]) => a.localeCompare(b)));
  statutoryCache.set(year, days);
  return days;
}

/** The days off the Labour Code gives in a year with no announced schedule, compensatory days included. */
export function statutoryDays(year: number): DayException[] {
  return [...statutoryByDate(year).values()].map((d) => ({ ...d }));
}

/** The shape of data/reference/calendar/holidays.json (the parts read here). */
export type HolidaysJson = {
  official?: Record<string, {
    source?: string;
    off?: Array<{ from: string; to: string; name: string; nameEn?: string }>;
    work?: Array<{ date: string; name: string; nameEn?: string }>;
  }>;
};

/** An English name for an announced day, from the statutory holidays its Vietnamese name mentions. */
function englishName(name: string, kind: DayKind): string {
  const found = Object.values(statutoryNames).filter((s) => name.includes(s.name.replace(/^Ngày /, ''))).map((s) => s.nameEn);
  if (found.length) return [...new Set(found)].join(' and ');
  return kind === 'work' ? 'Working day (swapped)' : 'Day off';
}

/**
 * The announced schedule for a year: its days off (every day of each announced break, weekends
 * included) and its swapped working days. Null when no schedule is announced for that year.
 */
export function officialDays(holidays: HolidaysJson, year: number): DayException[] | null {
  const schedule = holidays.official?.[String(year)];
  if (!schedule) return null;
  const days = new Map<string, DayException>();
  const add = (d: DayException) => {
    checkDate(d.date);
    if (!d.date.startsWith(`${year}-`)) throw new RangeError(`the ${year} schedule lists a day of another year: ${d.date}`);
    days.set(d.date, d);
  };
  for (const off of schedule.off ?? []) {
    checkDate(off.from);
    checkDate(off.to);
    if (off.to < off.from) throw new RangeError(`the ${year} schedule has a break that ends before it starts: ${off.from}–${off.to}`);
    for (let d = off.from; d <= off.to; d = addDays(d, 1)) add({ date: d, kind: 'off', name: off.name, nameEn: off.nameEn ?? englishName(off.name, 'off') });
  }
  for (const work of schedule.work ?? []) add({ date: work.date, kind: 'work', name: work.name, nameEn: work.nameEn ?? englishName(work.name, 'work') });
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** The years with an announced schedule in holidays.json. */
export function officialYears(holidays: HolidaysJson): number[] {
  return Object.keys(holidays.official ?? {}).map(Number).filter(Number.isInteger).sort((a, b) => a - b);
}

/** A calendar of the announced schedules in holidays.json (statutory for the other years). */
export function officialCalendar(holidays: HolidaysJson, hours: WorkingHours = defaultWorkingHours): Calendar {
  const years = officialYears(holidays);
  return makeCalendar({
    hours,
    exceptions: years.flatMap((y) => officialDays(holidays, y) ?? []),
    years: Object.fromEntries(years.map((y) => [y, 'official' as const])),
  });
}

/** The exception in force on a day, if any: the calendar's own, else (in a year without a table) the statutory one. */
export function dayException(cal: Calendar, date: string): DayException | undefined {
  const own = cal.exceptions[date];
  if (own) return own;
  if (cal.years[Number(date.slice(0, 4))]) return undefined;
  return statutoryByDate(Number(date.slice(0, 4))).get(date);
}

/** A year's days off and swapped working days, and where they come from. */
export function yearDays(cal: Calendar, year: number): { year: number; source: YearSource; days: DayException[] } {
  const own = Object.values(cal.exceptions).filter((e) => e.date.startsWith(`${year}-`));
  const source = cal.years[year];
  const days = new Map<string, DayException>(source ? [] : statutoryDays(year).map((d) => [d.date, d]));
  for (const e of own) days.set(e.date, { ...e });
  return { year, source: source ?? 'statutory', days: [...days.values()].sort((a, b) => a.date.localeCompare(b.date)) };
}

// ---- Working time -------------------------------------------------------------------------------

/**
 * The periods worked on a day. A working-day exception keeps a weekday's own hours; on a weekend (a
 * swapped Saturday) it works Monday's hours, a full regular day even where Saturdays are half days.
 */
function periodsOn(cal: Calendar, date: string): readonly Period[] {
  const exception = dayException(cal, date);
  if (exception?.kind === 'off') return [];
  const regular = cal.hours[weekdayOf(date)];
  if (exception?.kind === 'work') return regular.length && !isWeekend(date) ? regular : cal.hours.mon.length ? cal.hours.mon : officeDay;
  return regular;
}

export function isWorkingDay(cal: Calendar, date: string): boolean {
  checkDate(date);
  return periodsOn(cal, date).length > 0;
}

/** Ten years without a working minute means the calendar is broken, not that the deadline is far. */
const maxIdleDays = 3660;

/** The working periods that end after `from`, as [start, end) instants, the first one clipped to `from`. */
function* workingPeriodsFrom(cal: Calendar, from: number): Generator<[number, number]> {
  let date = dateAt(from);
  let idle = 0;
  for (;;) {
    const midnight = midnightOf(date);
    let worked = false;
    for (const p of periodsOn(cal, date)) {
      worked = true;
      const start = midnight + minutesOf(p.from) * minuteMs;
      const end = midnight + minutesOf(p.to) * minuteMs;
      if (end > from) yield [Math.max(start, from), end];
    }
    idle = worked ? 0 : idle + 1;
    if (idle > maxIdleDays) throw new RangeError('the working calendar has no working time');
    date = addDays(date, 1);
  }
}

/** The close of a working day: the end of its last period. */
function closingOf(cal: Calendar, date: string): Date {
  const periods = periodsOn(cal, date);
  const last = periods[periods.length - 1];
  if (!last) throw new RangeError(`${date} is not a working day`);
  return new Date(midnightOf(date) + minutesOf(last.to) * minuteMs);
}

/** The day intake counts as made on: the same day if it is a working day before closing, else the next working day. */
function intakeDay(cal: Calendar, acceptedAt: Date): string {
  const first = workingPeriodsFrom(cal, acceptedAt.getTime()).next();
  if (first.done) throw new RangeError('the working calendar has no working time');
  return dateAt(first.value[0]);
}

/**
 * Whether an intake falls after the unit's same-day cut-off, judged at the instant it is deemed
 * made (an intake out of working hours is deemed made at the next opening, which is before it).
 */
export function afterSameDayCutoff(cal: Calendar, acceptedAt: Date): boolean {
  const first = workingPeriodsFrom(cal, acceptedAt.getTime()).next();
  if (first.done) throw new RangeError('the working calendar has no working time');
  const deemed = first.value[0];
  return deemed - midnightOf(dateAt(deemed)) > minutesOf(cal.sameDayCutoff) * minuteMs;
}

function addWorkingMs(cal: Calendar, from: number, ms: number): number {
  if (ms <= 0) return from;
  let left = ms;
  for (const [start, end] of workingPeriodsFrom(cal, from)) {
    // A period that exactly uses up the time ends the count at its close, not at the next opening.
    if (left <= end - start) return start + left;
    left -= end - start;
  }
  throw new Error('unreachable');
}

function workingMsBetween(cal: Calendar, from: number, to: number): number {
  let total = 0;
  if (to <= from) return 0;
  for (const [start, end] of workingPeriodsFrom(cal, from)) {
    if (start >= to) break;
    total += Math.min(end, to) - start;
  }
  return total;
}

function checkAmount(n: number, what: string): void {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`${what} must be a number ≥ 0, not ${n}`);
}

/** The instant `hours` of working time after `from` (Civil Code art. 147(1): counted from the instant). */
export function addWorkingHours(cal: Calendar, from: Date, hours: number): Date {
  checkAmount(hours, 'hours');
  return new Date(addWorkingMs(cal, from.getTime(), Math.round(hours * hourMs)));
}

/** The working time, in hours, between two instants (0 when `to` is not after `from`). */
export function workingHoursBetween(cal: Calendar, from: Date, to: Date): number {
  return workingMsBetween(cal, from.getTime(), to.getTime()) / hourMs;
}

/**
 * The deadline of a dossier accepted at `acceptedAt` with `workingDays` working days to process:
 * the close of the Nth working day after the intake day (see the rules at the top of this file).
 */
export function dueAt(cal: Calendar, acceptedAt: Date, workingDays: number): Date {
  checkAmount(workingDays, 'working days');
  if (!Number.isInteger(workingDays)) return addWorkingHours(cal, acceptedAt, workingDays * 8);
  let day = intakeDay(cal, acceptedAt);
  // The same-day cut-off: a 0-day dossier deemed received after it is due a working day later.
  const days = workingDays === 0 && afterSameDayCutoff(cal, acceptedAt) ? 1 : workingDays;
  for (let left = days, idle = 0; left > 0;) {
    day = addDays(day, 1);
    if (isWorkingDay(cal, day)) {
      left--;
      idle = 0;
    } else if (++idle > maxIdleDays) {
      throw new RangeError('the working calendar has no working time');
    }
  }
  return closingOf(cal, day);
}

/**
 * The deadline of a period stated in calendar days: the start day does not count (art. 147), and an
 * end on a non-working day moves to the close of the next working day (art. 148).
 */
export function dueAtCalendarDays(cal: Calendar, acceptedAt: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`calendar days must be a whole number ≥ 0, not ${days}`);
  let day = addDays(intakeDay(cal, acceptedAt), days);
  for (let idle = 0; !isWorkingDay(cal, day); day = addDays(day, 1)) {
    if (++idle > maxIdleDays) throw new RangeError('the working calendar has no working time');
  }
  return closingOf(cal, day);
}

/** A pause (supplement, financial obligation) moves the deadline on by the working time it lasted. */
export function extendForPause(cal: Calendar, due: Date, pausedFrom: Date, pausedTo: Date): Date {
  return new Date(addWorkingMs(cal, due.getTime(), workingMsBetween(cal, pausedFrom.getTime(), pausedTo.getTime())));
}
