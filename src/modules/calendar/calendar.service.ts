// The working calendar as the rest of the system uses it (design.md §5): deadlines under a unit's
// calendar, the holidays of a year, lunar dates, and an admin's edits. The arithmetic is in
// src/domain/calendar.ts; this loads the tables into it and keeps the result in memory.
import type { DueCalendar } from '../dossiers/dossiers.service.ts';
import type { Db } from '../../db/connection.ts';
import {
  dueAt, extendForPause, makeCalendar, officialDays, officialYears, parseWorkingHours, statutoryDays, workingHoursBetween, yearDays,
  type Calendar, type DayException, type DayKind, type HolidaysJson, type WorkingHours, type YearSource,
} from '../../domain/calendar.ts';
import { vietnamDay } from '../../domain/time.ts';
import { lunarMaxYear, lunarMinYear, solarToLunar, type LunarDate } from '../../domain/lunar.ts';
import { invalid } from '../../http/errors.ts';
import {
  bumpCalendarRevision, calendarDays, calendarRevision, calendarYears, defaultUnit, deleteDay, deleteWorkingHours, deleteYearDays,
  findWorkingHours, findYear, insertDaysKeepingExisting, saveDay, saveWorkingHours, saveYear, type CalendarDayRow,
} from './calendar.queries.ts';

/** Where the announced schedules are kept, under data/reference/. */
export const holidaysFile = 'calendar/holidays.json';

/** The lunar computation holds for 1900–2199. */
export const minDate = `${lunarMinYear}-01-01`;
export const maxDate = `${lunarMaxYear}-12-31`;
/** The latest intake a deadline is computed for: a year of working days must still end before 2200. */
export const maxIntakeDate = `${lunarMaxYear - 2}-12-31`;

export type Holidays = { year: number; source: YearSource; days: DayException[] };

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

  constructor(private readonly db: Db) {}

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
    const [rows, years, hours] = await Promise.all([calendarDays(db, unitId), calendarYears(db), findWorkingHours(db, unitId)]);
    // A unit's own day wins over the default calendar's day.
    const ordered = [...rows.filter((r) => r.unit_id === defaultUnit), ...rows.filter((r) => r.unit_id !== defaultUnit)];
    return makeCalendar({
      hours: hours ? parseWorkingHours(JSON.parse(hours)) : undefined,
      exceptions: ordered.map(toException),
      years: Object.fromEntries(years.map((y) => [y.year, y.source as YearSource])),
    });
  }

  private async changed(): Promise<void> {
    await bumpCalendarRevision(this.db);
    this.cache.clear();
    this.revision = null;
  }

  /** The deadline of a dossier accepted at `from` with `workingDays` to process, under the unit's calendar. */
  async dueAt(unitId: string | null, from: Date, workingDays: number, db: Db = this.db): Promise<Date> {
    if (Number.isNaN(from.getTime())) throw invalid({ from: { key: 'invalid' } });
    const day = vietnamDay(from);
    if (day < minDate) throw invalid({ from: { key: 'dateTooEarly', params: { min: minDate } } });
    if (day > maxIntakeDate) throw invalid({ from: { key: 'dateTooLate', params: { max: maxIntakeDate } } });
    if (!Number.isFinite(workingDays) || workingDays < 0) throw invalid({ days: { key: 'tooSmall', params: { min: 0 } } });
    return dueAt(await this.calendar(unitId, db), from, workingDays);
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
   * whole days follow the day rule of dueAt, other amounts count as hours from the instant.
   */
  forDossiers(): DueCalendar {
    return {
      dueAt: (unitId, from, hours, db) => this.dueAt(unitId, from, hours / 8, db),
      extend: (unitId, due, from, to, db) => this.extendForPause(unitId, due, from, to, db),
      workingHoursBetween: (unitId, from, to, db) => this.workingHoursBetween(unitId, from, to, db),
    };
  }

  /** A year's days off and swapped working days in the default calendar. */
  async holidays(year: number): Promise<Holidays> {
    if (!Number.isInteger(year)) throw invalid({ year: { key: 'notInteger' } });
    if (year < lunarMinYear) throw invalid({ year: { key: 'tooSmall', params: { min: lunarMinYear } } });
    if (year > lunarMaxYear) throw invalid({ year: { key: 'tooBig', params: { max: lunarMaxYear } } });
    return yearDays(await this.calendar(), year);
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
  async setDay(day: DayException, unitId: string | null = null): Promise<void> {
    this.checkDay(day.date);
    if (day.kind !== 'off' && day.kind !== 'work') throw invalid({ kind: { key: 'notAllowed', params: { allowed: 'off, work' } } });
    if (!day.name.trim()) throw invalid({ name: { key: 'required' } });
    await this.db.transaction().execute(async (tx) => {
      if (unitId === null) await this.keepYearAsTable(tx, yearOf(day.date));
      await saveDay(tx, toRow({ ...day, name: day.name.trim() }, unitId ?? defaultUnit, 'admin'));
    });
    await this.changed();
  }

  /** An admin removes a dated day (a statutory one too, in the default calendar). True when there was one. */
  async removeDay(date: string, unitId: string | null = null): Promise<boolean> {
    this.checkDay(date);
    const removed = await this.db.transaction().execute(async (tx) => {
      if (unitId === null) await this.keepYearAsTable(tx, yearOf(date));
      return deleteDay(tx, date, unitId ?? defaultUnit);
    });
    await this.changed();
    return removed;
  }

  /** Declares a year's table to be the announced schedule (after an admin has entered it). */
  async markOfficial(year: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await this.keepYearAsTable(tx, year);
      await saveYear(tx, year, 'official');
    });
    await this.changed();
  }

  /** A unit's own working hours, or the default calendar's when unitId is null; null restores the standard week. */
  async setWorkingHours(unitId: string | null, hours: WorkingHours | null): Promise<void> {
    const key = unitId ?? defaultUnit;
    if (hours === null) await deleteWorkingHours(this.db, key);
    else await saveWorkingHours(this.db, key, JSON.stringify(parseWorkingHours(hours)));
    await this.changed();
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
