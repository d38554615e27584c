// Issue 11 item 6, deadlines (docs/domain.md §4): a procedure's processing time says whether it counts
// working days or calendar days; a unit keeps a same-day cut-off and its reception hours beside its
// working hours. A database created before this keeps 'working' for every procedure until the
// catalogue is loaded again.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('procedures').addColumn('processing_day_kind', 'text', (c) => c.notNull().defaultTo('working')).execute();
  await db.schema
    .createTable('unit_calendar_settings')
    // '' is the default calendar, as in unit_working_hours; no foreign key for the same reason.
    .addColumn('unit_id', 'text', (c) => c.primaryKey())
    // HH:MM; null: the default calendar's, else 15:00.
    .addColumn('same_day_cutoff', 'text')
    // JSON working hours of the desk; null: the default calendar's, else the working hours.
    .addColumn('reception_hours', 'text')
    .execute();

  // The corrected 2026 New Year break (holidays.json; Official Letter 12729/VPCP-KGVX of 25/12/2025):
  // 1–4/1/2026 off, Saturday 10/1 worked. A database that already holds 2026 as the announced schedule
  // keeps it at every start (admin edits win), so the four new days are added here; a day an admin
  // has set on those dates is left alone.
  const year = await db.selectFrom('calendar_years').select('source').where('year', '=', 2026).executeTakeFirst();
  if (year?.source === 'official') {
    const name = 'Tết Dương lịch (nghỉ thứ Sáu 2/1, làm bù thứ Bảy 10/1 theo văn bản 12729/VPCP-KGVX ngày 25/12/2025)';
    const rows = [
      ...['2026-01-02', '2026-01-03', '2026-01-04'].map((date) => ({ date, unit_id: '', kind: 'off', name, name_en: "New Year's Day", source: 'official' })),
      { date: '2026-01-10', unit_id: '', kind: 'work', name: 'Làm bù cho thứ Sáu 02/01/2026', name_en: 'Working day (swapped)', source: 'official' },
    ];
    await db.insertInto('calendar_days').values(rows).onConflict((oc) => oc.columns(['date', 'unit_id']).doNothing()).execute();
    await db.insertInto('meta').values({ key: 'calendar_revision', value: 'migration-0016' })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: 'migration-0016' })).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('unit_calendar_settings').ifExists().execute();
  await db.schema.alterTable('procedures').dropColumn('processing_day_kind').execute();
}
