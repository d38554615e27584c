// SQL for the working calendar: dated days, the years kept as tables, units' working hours.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import type { JsonObject } from '../../domain/audit-chain.ts';
import type { WorkingHours } from '../../domain/calendar.ts';
import type { CalendarDayTable } from '../../db/schema.ts';

export type CalendarDayRow = CalendarDayTable;

/** The default calendar's unit_id. */
export const defaultUnit = '';

const yearRange = (year: number) => [`${year}-01-01`, `${year}-12-31`] as const;

/** The default calendar's days and, for a unit, its own. */
export async function calendarDays(db: Db, unitId: string): Promise<CalendarDayRow[]> {
  return db
    .selectFrom('calendar_days')
    .select(['date', 'unit_id', 'kind', 'name', 'name_en', 'source'])
    .where('unit_id', 'in', [...new Set([defaultUnit, unitId])])
    .orderBy('date')
    .execute();
}

export async function calendarYears(db: Db): Promise<Array<{ year: number; source: string }>> {
  return db.selectFrom('calendar_years').select(['year', 'source']).orderBy('year').execute();
}

export async function findYear(db: Db, year: number): Promise<{ year: number; source: string } | undefined> {
  return db.selectFrom('calendar_years').select(['year', 'source']).where('year', '=', year).executeTakeFirst();
}

export async function saveYear(db: Db, year: number, source: string): Promise<void> {
  await db
    .insertInto('calendar_years')
    .values({ year, source })
    .onConflict((oc) => oc.column('year').doUpdateSet({ source }))
    .execute();
}

/** Inserts the year's days for the default calendar, leaving alone any day already there (an admin's edit). */
export async function insertDaysKeepingExisting(db: Db, rows: CalendarDayRow[]): Promise<void> {
  if (!rows.length) return;
  await db.insertInto('calendar_days').values(rows).onConflict((oc) => oc.columns(['date', 'unit_id']).doNothing()).execute();
}

/** Removes the default calendar's days of a year that came from the given sources (not the admin's). */
export async function deleteYearDays(db: Db, year: number, sources: string[]): Promise<void> {
  const [from, to] = yearRange(year);
  await db
    .deleteFrom('calendar_days')
    .where('unit_id', '=', defaultUnit)
    .where('date', '>=', from)
    .where('date', '<=', to)
    .where('source', 'in', sources)
    .execute();
}

export async function saveDay(db: Db, row: CalendarDayRow): Promise<void> {
  await db
    .insertInto('calendar_days')
    .values(row)
    .onConflict((oc) => oc.columns(['date', 'unit_id']).doUpdateSet({ kind: row.kind, name: row.name, name_en: row.name_en, source: row.source }))
    .execute();
}

export async function deleteDay(db: Db, date: string, unitId: string): Promise<boolean> {
  const result = await db.deleteFrom('calendar_days').where('date', '=', date).where('unit_id', '=', unitId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** A unit's working hours (their JSON read, not yet checked), falling back on the default calendar's ('' row). */
export async function findWorkingHours(db: Db, unitId: string): Promise<JsonObject | undefined> {
  const rows = await db
    .selectFrom('unit_working_hours')
    .select(['unit_id', 'hours'])
    .where('unit_id', 'in', [...new Set([defaultUnit, unitId])])
    .execute();
  const hours = (rows.find((r) => r.unit_id === unitId) ?? rows.find((r) => r.unit_id === defaultUnit))?.hours;
  return hours === undefined ? undefined : (JSON.parse(hours) as JsonObject);
}

export async function saveWorkingHours(db: Db, unitId: string, workingHours: WorkingHours): Promise<void> {
  const hours = JSON.stringify(workingHours);
  await db
    .insertInto('unit_working_hours')
    .values({ unit_id: unitId, hours })
    .onConflict((oc) => oc.column('unit_id').doUpdateSet({ hours }))
    .execute();
}

export async function deleteWorkingHours(db: Db, unitId: string): Promise<void> {
  await db.deleteFrom('unit_working_hours').where('unit_id', '=', unitId).execute();
}

/** A value that every change to the calendar replaces, so every instance knows to reload. */
export async function calendarRevision(db: Db): Promise<string> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', 'calendar_revision').executeTakeFirst();
  return row?.value ?? '0';
}

export async function bumpCalendarRevision(db: Db): Promise<void> {
  const value = randomUUID();
  await db
    .insertInto('meta')
    .values({ key: 'calendar_revision', value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

export type CalendarSettingsRow = { unit_id: string; same_day_cutoff: string | null; reception_hours: string | null };

/** The default calendar's settings ('' row) and, for a unit, its own. */
export async function calendarSettings(db: Db, unitId: string): Promise<CalendarSettingsRow[]> {
  return db
    .selectFrom('unit_calendar_settings')
    .select(['unit_id', 'same_day_cutoff', 'reception_hours'])
    .where('unit_id', 'in', [...new Set([defaultUnit, unitId])])
    .execute();
}

/** Sets a unit's same-day cut-off and reception hours (null: the default calendar's); both null removes the row. */
export async function saveCalendarSettings(db: Db, unitId: string, cutoff: string | null, reception: WorkingHours | null): Promise<void> {
  const reception_hours = reception === null ? null : JSON.stringify(reception);
  if (cutoff === null && reception_hours === null) {
    await db.deleteFrom('unit_calendar_settings').where('unit_id', '=', unitId).execute();
    return;
  }
  await db
    .insertInto('unit_calendar_settings')
    .values({ unit_id: unitId, same_day_cutoff: cutoff, reception_hours })
    .onConflict((oc) => oc.column('unit_id').doUpdateSet({ same_day_cutoff: cutoff, reception_hours }))
    .execute();
}
