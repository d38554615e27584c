// The working calendar as the rest of the system uses it (docs/domain.md §4): deadlines under a unit's
// calendar, the holidays of a year, lunar dates, and an admin's edits. The arithmetic is in
// src/domain/calendar.ts; this loads the tables into it and keeps the result in memory. Every
// admin edit is recorded in the audit chain (calendar_changed), in the transaction of the edit.
import type { DueCalendar } from '../dossiers/dossiers.service.ts';
import type { Db } from '../../db/connection.ts';
import {
  dayException, dueAt, dueAtCalendarDays, extendForPause, isClock, makeCalendar, officialDays, officialYears, parseWorkingHours,
  statutoryDays, workingHoursBetween, yearDays,
  type Calendar, type DayException, type DayKind, type HolidaysJson, type ProcessingDayKind, type WorkingHours, type YearSource,
} from '../../domain/calendar.ts';
import type { JsonObject } from '../../domain/audit-chain.ts';
import { systemClock, vietnamDay, type Clock } from '../../domain/time.ts';
import { lunarMaxYear, lunarMinYear, solarToLunar, type LunarDate } from '../../domain/lunar.ts';
import { invalid } from '../../errors.ts';
import { appendAudit } from '../audit/audit.service.ts';
import {
  bumpCalendarRevision, calendarDays, calendarRevision, calendarSettings, calendarYears, defaultUnit, deleteDay, deleteWorkingHours, deleteYearDays,
  findWorkingHours, findYear, insertDaysKeepingExisting, saveCalendarSettings, saveDay, saveWorkingHours, saveYear, type CalendarDayRow,
} from './calendar.queries.ts';

/** Where the announced schedules are kept, under data/reference/. */
export const holidaysFile = 'calendar/holidays.json';

/** The lunar computation holds for 1900–2199. */
export const minDate = `${lunarMinYear}-01-01`;
export const maxDate = `${lunarMaxYear}-12-31`;
/** The latest intake a deadline is computed for: a year of working days must still end before 2200. */
export const maxIntakeDate = `${lunarMaxYear - 2}-12-31`;

export type Holidays = { year: number; source: YearSource; days: DayException[] };

/** Where a listed day comes from: the announced schedule, the Labour Code's defaults, or an admin's edit. */
export type DaySource = 'official' | 'statutory' | 'admin';
export type HolidayTable = { year: number; source: YearSource; days: Array<DayException & { source: DaySource }> };

/** Who edits the calendar, for the audit chain; null for the system (a seed, a script). */
export type CalendarActor = { id: string } | null;

/** The audit subject of a calendar: `calendar:default`, or `calendar:<unit id>`. */
export const calendarSubject = (unitId: string | null) => `calendar:${unitId ?? 'default'}`;

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const isRealDate = (date: string) => datePattern.test(date) && !Number.isNaN(Date.parse(`${date}T00:00:00Z`)) && new Date(`${date}T00:00:00Z`).toISOString().startsWith(date);
const yearOf = (date: string) => Number(date.slice(0, 4));

function toException(r: CalendarDayRow): DayException {
  return { date: r.date, kind: r.kind as DayKind, name: r.name, ...(r.name_en ? { nameEn: r.name_en } : {}) };
}

function toRow(d: DayException, unitId: string, source: string): CalendarDayRow {
  return { date: d.date, unit_id: unitId, kind: d.kind, name: d.name, name_en: d.nameEn ?? null, source };
}

export class CalendarService {
  /** Loaded calendars by unit id ('' for the default), valid while the stored revision stays the same. */
  private readonly cache = new Map<string, Promise<Calendar>>();
  private revision: string | null = null;

  /** `clock` stamps the audit entries of admin edits. */
  /** `auditKey`: AUDIT_KEY, which signs the audit chain's head; an audited edit without it is refused (seeds edit nothing audited). */
  constructor(private readonly db: Db, private readonly clock: Clock = systemClock, private readonly auditKey: Buffer | null = null) {}

  /**
   * The calendar of a unit (its working hours and own days over the default calendar), or the
   * default one. Inside a transaction pass it as `db`: on SQLite the transaction holds the only
   * connection, and reading through another would wait for it forever.
   */
  async calendar(unitId: string | null = null, db: Db = this.db): Promise<Calendar> {
    // Another instance may have edited the calendar: a changed revision empties the cache.
    const revision = await calendarRevision(db);
    if (revision !== this.revision) {
      this.cache.clear();
      this.revision = revision;
    }
    const key = unitId ?? defaultUnit;
    let cal = this.cache.get(key);
    if (!cal) {
      cal = this.load(key, db);
      this.cache.set(key, cal);
      cal.catch(() => this.cache.delete(key));
    }
    return cal;
  }

  private async load(unitId: string, db: Db): Promise<Calendar> {
    const [rows, years, hours, settings] = await Promise.all([calendarDays(db, unitId), calendarYears(db), findWorkingHours(db, unitId), calendarSettings(db, unitId)]);
    // A unit's own day wins over the default calendar's day; so do its own cut-off and reception hours.
    const ordered = [...rows.filter((r) => r.unit_id === defaultUnit), ...rows.filter((r) => r.unit_id !== defaultUnit)];
    const own = settings.find((s) => s.unit_id === unitId);
    const base = settings.find((s) => s.unit_id === defaultUnit);
    const reception = own?.reception_hours ?? base?.reception_hours ?? null;
    return makeCalendar({
      sameDayCutoff: own?.same_day_cutoff ?? base?.same_day_cutoff ?? undefined,
      reception: reception === null ? null : parseWorkingHours(JSON.parse(reception)),
      hours: hours ? parseWorkingHours(hours) : undefined,
      exceptions: ordered.map(toException),
      years: Object.fromEntries(years.map((y) => [y.year, y.source as YearSource])),
    });
  }

  private async changed(): Promise<void> {
    await bumpCalendarRevision(this.db);
    this.forget();
  }

  private forget(): void {
    this.cache.clear();
    this.revision = null;
  }

  /**
   * Runs an admin's edit in one transaction: the change, then the new revision (so every instance
   * reloads), then the audit entry, last, as appendAudit requires. `record` returns the entry's data,
   * or null when nothing changed (nothing is then recorded).
   */
  private async edit<T>(actor: CalendarActor, unitId: string | null, change: (tx: Db) => Promise<{ result: T; record: JsonObject | null }>): Promise<T> {
    try {
      return await this.db.transaction().execute(async (tx) => {
        const { result, record } = await change(tx);
        await bumpCalendarRevision(tx);
        if (record) {
          if (!this.auditKey) throw new Error('CalendarService: an audited edit needs the audit key (services.keys.audit)');
          await appendAudit(tx, { at: this.clock.now().toISOString(), kind: 'calendar_changed', actorId: actor?.id ?? null, subject: calendarSubject(unitId), data: record }, this.auditKey);
        }
        return result;
      });
    } finally {
      // Also after a rollback: a calendar loaded inside the transaction may hold its writes.
      this.forget();
    }
  }

  /** The day in force on a date before an edit, as the audit entry records it. */
  private async dayBefore(tx: Db, unitId: string | null, date: string): Promise<JsonObject | null> {
    const d = dayException(await this.calendar(unitId, tx), date);
    return d ? { kind: d.kind, name: d.name, nameEn: d.nameEn ?? null } : null;
  }

  /**
   * The deadline of a dossier accepted at `from` with `days` to process, under the unit's calendar:
   * working days (0 applies the unit's same-day cut-off), or whole calendar days (Civil Code art. 148).
   */
  async dueAt(unitId: string | null, from: Date, days: number, db: Db = this.db, kind: ProcessingDayKind = 'working'): Promise<Date> {
    if (Number.isNaN(from.getTime())) throw invalid({ from: { key: 'invalid' } });
    const day = vietnamDay(from);
    if (day < minDate) throw invalid({ from: { key: 'dateTooEarly', params: { min: minDate } } });
    if (day > maxIntakeDate) throw invalid({ from: { key: 'dateTooLate', params: { max: maxIntakeDate } } });
    if (!Number.isFinite(days) || days < 0) throw invalid({ days: { key: 'tooSmall', params: { min: 0 } } });
    const cal = await this.calendar(unitId, db);
    // A fractional amount is working hours whatever the unit of the whole days.
    return kind === 'calendar' && Number.isInteger(days) ? dueAtCalendarDays(cal, from, days) : dueAt(cal, from, days);
  }

  /** A unit's same-day cut-off and reception hours (null: receives during working hours), and whether they are its own. */
  async deadlineSettingsOf(unitId: string | null): Promise<{ sameDayCutoff: string; reception: WorkingHours | null; own: boolean }> {
    const { sameDayCutoff, reception } = await this.calendar(unitId);
    const own = unitId !== null && (await calendarSettings(this.db, unitId)).some((s) => s.unit_id === unitId);
    return { sameDayCutoff, reception, own };
  }

  /**
   * Sets a unit's (or, with null, the default calendar's) same-day cut-off and reception hours; null
   * for either falls back on the default calendar's (for the default: 15:00, the working hours).
   */
  async setDeadlineSettings(unitId: string | null, settings: { sameDayCutoff: string | null; reception: WorkingHours | null }, actor: CalendarActor = null): Promise<void> {
    if (settings.sameDayCutoff !== null && !isClock(settings.sameDayCutoff)) throw invalid({ sameDayCutoff: { key: 'invalid' } });
    const reception = settings.reception === null ? null : parseWorkingHours(settings.reception);
    await this.edit(actor, unitId, async (tx) => {
      const stored = (await calendarSettings(tx, unitId ?? defaultUnit)).find((s) => s.unit_id === (unitId ?? defaultUnit));
      const before = { sameDayCutoff: stored?.same_day_cutoff ?? null, reception: stored?.reception_hours ? (JSON.parse(stored.reception_hours) as JsonObject) : null };
      await saveCalendarSettings(tx, unitId ?? defaultUnit, settings.sameDayCutoff, reception);
      return { result: undefined, record: { change: 'deadline_settings', before, after: { sameDayCutoff: settings.sameDayCutoff, reception } } };
    });
  }

  /** A paused dossier's new deadline: moved on by the working time the pause lasted. */
  async extendForPause(unitId: string | null, due: Date, pausedFrom: Date, pausedTo: Date, db: Db = this.db): Promise<Date> {
    return extendForPause(await this.calendar(unitId, db), due, pausedFrom, pausedTo);
  }

  /** The working time, in hours, between two instants under the unit's calendar (0 when `to` is not later). */
  async workingHoursBetween(unitId: string | null, from: Date, to: Date, db: Db = this.db): Promise<number> {
    return workingHoursBetween(await this.calendar(unitId, db), from, to);
  }

  /**
   * The calendar as dossiers use it, with processing times stored in working hours (1 day = 8 h):
   * whole days follow the day rule of dueAt (in working days, or in calendar days when the procedure
   * says so), other amounts count as working hours from the instant.
   */
  forDossiers(): DueCalendar {
    return {
      dueAt: (unitId, from, hours, db, kind) => this.dueAt(unitId, from, hours / 8, db, kind),
      extend: (unitId, due, from, to, db) => this.extendForPause(unitId, due, from, to, db),
      workingHoursBetween: (unitId, from, to, db) => this.workingHoursBetween(unitId, from, to, db),
    };
  }

  /** A year's days off and swapped working days in the default calendar. */
  async holidays(year: number): Promise<Holidays> {
    this.checkYear(year);
    return yearDays(await this.calendar(), year);
  }

  /** A year's days in the default calendar, each with where it comes from (for the admin's page). */
  async holidayTable(year: number): Promise<HolidayTable> {
    const { source, days } = await this.holidays(year);
    const rows = new Map((await calendarDays(this.db, defaultUnit)).filter((r) => yearOf(r.date) === year).map((r) => [r.date, r.source]));
    return {
      year, source,
      days: days.map((d) => {
        const from = rows.get(d.date);
        return { ...d, source: from === 'official' || from === 'admin' ? from : 'statutory' };
      }),
    };
  }

  /** The working hours in force for a unit, and whether they are its own or the default calendar's. */
  async workingHoursOf(unitId: string | null): Promise<{ hours: WorkingHours; own: boolean }> {
    const hours = (await this.calendar(unitId)).hours;
    if (unitId === null) return { hours, own: true };
    // A unit whose own hours equal the default's is shown as following the default.
    return { hours, own: JSON.stringify(hours) !== JSON.stringify((await this.calendar()).hours) };
  }

  /** The Vietnamese lunar date of a day (UTC+7). */
  lunar(date: string): LunarDate {
    if (!isRealDate(date)) throw invalid({ date: { key: 'badDate' } });
    if (date < minDate) throw invalid({ date: { key: 'dateTooEarly', params: { min: minDate } } });
    if (date > maxDate) throw invalid({ date: { key: 'dateTooLate', params: { max: maxDate } } });
    return solarToLunar(date);
  }

  /**
   * Loads the announced schedules of holidays.json. A year already loaded as official is left as it
   * is (an admin may have edited it) unless `replace` is set; replacing keeps the admin's own days.
   * A year an admin had started from the statutory defaults takes the announced schedule.
   */
  async seedFromJson(holidays: HolidaysJson, opts: { replace?: boolean } = {}): Promise<{ loaded: number[]; skipped: number[] }> {
    const loaded: number[] = [];
    const skipped: number[] = [];
    for (const year of officialYears(holidays)) {
      const days = officialDays(holidays, year) ?? [];
      const done = await this.db.transaction().execute(async (tx) => {
        const current = await findYear(tx, year);
        if (current?.source === 'official' && !opts.replace) return false;
        await deleteYearDays(tx, year, ['official', 'statutory']);
        await insertDaysKeepingExisting(tx, days.map((d) => toRow(d, defaultUnit, 'official')));
        await saveYear(tx, year, 'official');
        return true;
      });
      (done ? loaded : skipped).push(year);
    }
    if (loaded.length) await this.changed();
    return { loaded, skipped };
  }

  /**
   * An admin sets a day off or a working day, for the default calendar or one unit. Editing the
   * default calendar in a year with no table yet first copies that year's statutory days, so that
   * the year becomes a table the admin shapes (moving 1/9 to 3/9, say).
   */
  async setDay(day: DayException, unitId: string | null = null, actor: CalendarActor = null): Promise<void> {
    this.checkDay(day.date);
    if (day.kind !== 'off' && day.kind !== 'work') throw invalid({ kind: { key: 'notAllowed', params: { allowed: 'off, work' } } });
    if (!day.name.trim()) throw invalid({ name: { key: 'required' } });
    const nameEn = day.nameEn?.trim() || undefined;
    const saved: DayException = { date: day.date, kind: day.kind, name: day.name.trim(), ...(nameEn ? { nameEn } : {}) };
    await this.edit(actor, unitId, async (tx) => {
      const before = await this.dayBefore(tx, unitId, day.date);
      if (unitId === null) await this.keepYearAsTable(tx, yearOf(day.date));
      await saveDay(tx, toRow(saved, unitId ?? defaultUnit, 'admin'));
      const after = { kind: saved.kind, name: saved.name, nameEn: saved.nameEn ?? null };
      return { result: undefined, record: { change: 'set_day', date: day.date, kind: saved.kind, name: saved.name, nameEn: saved.nameEn ?? null, before, after } };
    });
  }

  /** An admin removes a dated day (a statutory one too, in the default calendar). True when there was one. */
  async removeDay(date: string, unitId: string | null = null, actor: CalendarActor = null): Promise<boolean> {
    this.checkDay(date);
    return this.edit(actor, unitId, async (tx) => {
      const before = await this.dayBefore(tx, unitId, date);
      if (unitId === null) await this.keepYearAsTable(tx, yearOf(date));
      const removed = await deleteDay(tx, date, unitId ?? defaultUnit);
      const after = removed ? await this.dayAfterRemoval(tx, unitId, date) : null;
      return {
        result: removed,
        record: removed ? { change: 'remove_day', date, kind: (before?.kind as string | undefined) ?? null, name: (before?.name as string | undefined) ?? null, before, after } : null,
      };
    });
  }

  /** Declares a year's table to be the announced schedule (after an admin has entered it). */
  async markOfficial(year: number, actor: CalendarActor = null): Promise<void> {
    this.checkYear(year);
    await this.edit(actor, null, async (tx) => {
      const before = (await findYear(tx, year))?.source ?? null;
      await this.keepYearAsTable(tx, year);
      await saveYear(tx, year, 'official');
      return { result: undefined, record: before === 'official' ? null : { change: 'mark_official', year, before, after: 'official' } };
    });
  }

  /**
   * A unit's own working hours, or the default calendar's when unitId is null; null restores the
   * standard week (for a unit: the default calendar's hours). Hours that do not parse throw RangeError.
   */
  async setWorkingHours(unitId: string | null, hours: WorkingHours | null, actor: CalendarActor = null): Promise<void> {
    const key = unitId ?? defaultUnit;
    const after = hours === null ? null : parseWorkingHours(hours);
    await this.edit(actor, unitId, async (tx) => {
      const stored = await findWorkingHours(tx, key);
      // For a unit, findWorkingHours falls back on the default's: the hours in force before the change.
      const before = stored ?? null;
      if (after === null) await deleteWorkingHours(tx, key);
      else await saveWorkingHours(tx, key, after);
      return { result: undefined, record: { change: 'working_hours', before, after } };
    });
  }

  private checkYear(year: number): void {
    if (!Number.isInteger(year)) throw invalid({ year: { key: 'notInteger' } });
    if (year < lunarMinYear) throw invalid({ year: { key: 'tooSmall', params: { min: lunarMinYear } } });
    if (year > lunarMaxYear) throw invalid({ year: { key: 'tooBig', params: { max: lunarMaxYear } } });
  }

  /** The day in force on a date once a dated day is removed (a unit's date falls back on the default calendar). */
  private async dayAfterRemoval(tx: Db, unitId: string | null, date: string): Promise<JsonObject | null> {
    if (unitId === null) return null;
    return this.dayBefore(tx, null, date);
  }

  private checkDay(date: string): void {
    if (!isRealDate(date)) throw invalid({ date: { key: 'badDate' } });
    if (date < minDate) throw invalid({ date: { key: 'dateTooEarly', params: { min: minDate } } });
    if (date > maxDate) throw invalid({ date: { key: 'dateTooLate', params: { max: maxDate } } });
  }

  private async keepYearAsTable(tx: Db, year: number): Promise<void> {
    if (await findYear(tx, year)) return;
    await insertDaysKeepingExisting(tx, statutoryDays(year).map((d) => toRow(d, defaultUnit, 'statutory')));
    await saveYear(tx, year, 'statutory');
  }
}
