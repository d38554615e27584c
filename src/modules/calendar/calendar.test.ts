import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readReference } from '../../reference.ts';
import { workingHours, type HolidaysJson } from '../../domain/calendar.ts';
import { buildApp, type App } from '../../app.ts';
import { AppError } from '../../errors.ts';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { calendarRoutes } from './calendar.routes.ts';
import { CalendarService, holidaysFile } from './calendar.service.ts';

let ctx: TestContext;
let calendar: CalendarService;
let app: App;
/** Set when this test mounted the routes itself (http/app.ts does not register them yet). */
let ownApp: App | null = null;

before(async () => {
  ctx = await createTestContext();
  const wired = (ctx.services as { calendar?: CalendarService }).calendar;
  calendar = wired ?? new CalendarService(ctx.handle.db);
  await calendar.seedFromJson(readReference<HolidaysJson>(holidaysFile));
  if (wired) {
    app = ctx.app;
  } else {
    ownApp = await buildApp({ services: ctx.services, logger: false, publicUrl: 'http://localhost:3000' });
    await ownApp.register(calendarRoutes({ units: ctx.services.units, calendar }));
    await ownApp.ready();
    app = ownApp;
  }
});
after(async () => {
  await ownApp?.close();
  await ctx.close();
});

const vn = (local: string) => new Date(`${local.replace(' ', 'T')}:00+07:00`);
const local = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

async function get(url: string, lang?: string) {
  const res = await app.inject({ url, headers: lang ? { 'accept-language': lang } : {} });
  return { status: res.statusCode, body: res.json() };
}

test('the announced schedules of holidays.json load once: 2025 and 2026 are official, reloading changes nothing', async () => {
  const again = await calendar.seedFromJson(readReference<HolidaysJson>(holidaysFile));
  assert.deepEqual(again, { loaded: [], skipped: [2025, 2026] });
  const replaced = await calendar.seedFromJson(readReference<HolidaysJson>(holidaysFile), { replace: true });
  assert.deepEqual(replaced.loaded, [2025, 2026]);
  const rows = await ctx.handle.db.selectFrom('calendar_days').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  // 2025: 1 + 9 + 1 + 5 + 4 days off and 1 working Saturday; 2026: 4 (1–4/1, Official Letter
  // 12729/VPCP-KGVX) + 9 + 2 + 4 + 5 and 2 (Saturdays 10/1 and 22/8).
  assert.equal(Number(rows.n), 21 + 26);
  const y2026 = await calendar.holidays(2026);
  assert.equal(y2026.source, 'official');
  assert.deepEqual(y2026.days.filter((d) => d.name.startsWith('Tết Nguyên Đán')).map((d) => d.date.slice(5)), ['02-14', '02-15', '02-16', '02-17', '02-18', '02-19', '02-20', '02-21', '02-22']);
  assert.deepEqual(y2026.days.filter((d) => d.kind === 'work').map((d) => d.date), ['2026-01-10', '2026-08-22']);
});

test('a real receipt under the default calendar (Civil Code art. 147): accepted Fri 27 Oct 2023 09:32 for 5 working days, due Fri 3 Nov 17:00', async () => {
  const due = await calendar.dueAt(null, vn('2023-10-27 09:32'), 5);
  assert.equal(due.toISOString(), '2023-11-03T10:00:00.000Z');
});

test('Tết 2026 from the loaded schedule: accepted Thu 12 Feb 2026 for 5 working days, due Thu 26 Feb', async () => {
  assert.equal(local(await calendar.dueAt(null, vn('2026-02-12 08:15'), 5)), '2026-02-26 17:00');
});

test('a year with no announced schedule is computed from the Labour Code: 2031 is statutory, Giỗ Tổ on lunar 10/3 = 1 Apr', async () => {
  const y2031 = await calendar.holidays(2031);
  assert.equal(y2031.source, 'statutory');
  assert.ok(y2031.days.some((d) => d.date === '2031-04-01' && d.name === 'Giỗ Tổ Hùng Vương'));
  assert.equal(local(await calendar.dueAt(null, vn('2031-03-31 09:00'), 1)), '2031-04-02 17:00');
});

test('an admin moves the day next to 2/9/2027 from 1/9 to 3/9: the year becomes a table of its statutory days, edited', async () => {
  assert.equal(local(await calendar.dueAt(null, vn('2027-08-31 09:00'), 1)), '2027-09-03 17:00', 'statutory: 1 and 2 Sep off');
  assert.equal(await calendar.removeDay('2027-09-01'), true);
  await calendar.setDay({ date: '2027-09-03', kind: 'off', name: 'Quốc khánh', nameEn: 'National Day' });
  const y2027 = await calendar.holidays(2027);
  assert.equal(y2027.source, 'statutory');
  assert.ok(!y2027.days.some((d) => d.date === '2027-09-01'));
  assert.ok(y2027.days.some((d) => d.date === '2027-09-03'));
  assert.ok(y2027.days.some((d) => d.date === '2027-02-06' && d.name === 'Tết Nguyên Đán'), 'the other statutory days stay');
  assert.equal(local(await calendar.dueAt(null, vn('2027-08-31 09:00'), 1)), '2027-09-01 17:00', 'the cache follows the edit');
  assert.equal(local(await calendar.dueAt(null, vn('2027-08-31 09:00'), 2)), '2027-09-06 17:00');
  await calendar.markOfficial(2027);
  assert.equal((await calendar.holidays(2027)).source, 'official');
  // Loading the announced schedules again leaves the admin's year alone.
  assert.deepEqual((await calendar.seedFromJson(readReference<HolidaysJson>(holidaysFile))).loaded, []);
});

test('a reload of the announced schedules keeps the days an admin set', async () => {
  await calendar.setDay({ date: '2026-12-31', kind: 'off', name: 'Nghỉ cuối năm' });
  await calendar.seedFromJson(readReference<HolidaysJson>(holidaysFile), { replace: true });
  const y2026 = await calendar.holidays(2026);
  assert.equal(y2026.source, 'official');
  assert.ok(y2026.days.some((d) => d.date === '2026-12-31' && d.name === 'Nghỉ cuối năm'));
  assert.equal(await calendar.removeDay('2026-12-31'), true);
  assert.equal(await calendar.removeDay('2026-12-31'), false);
});

test("a unit's own calendar: Saturday mornings and a local day off apply to that unit only", async () => {
  await calendar.setWorkingHours('my-tho', workingHours({ saturdayMorning: true }));
  await calendar.setDay({ date: '2023-10-30', kind: 'off', name: 'Nghỉ lễ địa phương' }, 'my-tho');
  try {
    assert.equal(local(await calendar.dueAt('my-tho', vn('2023-10-27 09:32'), 1)), '2023-10-28 11:30');
    assert.equal(local(await calendar.dueAt('my-tho', vn('2023-10-27 09:32'), 2)), '2023-10-31 17:00', 'Mon 30 Oct is off for this unit');
    assert.equal(local(await calendar.dueAt(null, vn('2023-10-27 09:32'), 1)), '2023-10-30 17:00');
    assert.equal(local(await calendar.dueAt('cai-be', vn('2023-10-27 09:32'), 1)), '2023-10-30 17:00');
  } finally {
    await calendar.setWorkingHours('my-tho', null);
    await calendar.removeDay('2023-10-30', 'my-tho');
  }
  assert.equal(local(await calendar.dueAt('my-tho', vn('2023-10-27 09:32'), 1)), '2023-10-30 17:00');
});

test('another instance sees an edit: the stored revision empties the cache', async () => {
  const other = new CalendarService(ctx.handle.db);
  assert.equal(local(await other.dueAt(null, vn('2026-12-30 09:00'), 1)), '2026-12-31 17:00');
  await calendar.setDay({ date: '2026-12-31', kind: 'off', name: 'Nghỉ cuối năm' });
  try {
    assert.equal(local(await other.dueAt(null, vn('2026-12-30 09:00'), 1)), '2027-01-04 17:00');
  } finally {
    await calendar.removeDay('2026-12-31');
  }
});

test('bad admin input is refused with the field named', async () => {
  const refused = async (p: Promise<unknown>, field: string) => {
    await assert.rejects(p, (e: unknown) => e instanceof AppError && e.status === 400 && !!e.fields?.[field]);
  };
  await refused(calendar.setDay({ date: '2026-02-30', kind: 'off', name: 'x' }), 'date');
  await refused(calendar.setDay({ date: '2026-03-02', kind: 'holiday' as 'off', name: 'x' }), 'kind');
  await refused(calendar.setDay({ date: '2026-03-02', kind: 'off', name: ' ' }), 'name');
  await refused(calendar.removeDay('1899-12-31'), 'date');
  await assert.rejects(calendar.setWorkingHours('my-tho', { mon: [{ from: '17:00', to: '07:00' }] } as never), RangeError);
});

// ---- The HTTP API ---------------------------------------------------------------------------------

test('GET /api/v1/calendar/due answers the deadline instant and day, for the default calendar or a unit', async () => {
  const from = encodeURIComponent('2023-10-27T09:32:00+07:00');
  const res = await get(`/api/v1/calendar/due?from=${from}&days=5`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { dueAt: '2023-11-03T10:00:00.000Z', dueDate: '2023-11-03' });
  assert.deepEqual((await get('/api/v1/calendar/due?from=2023-10-27T02:32:00Z&days=5&unitId=my-tho')).body, res.body);
  // A + left unencoded arrives as a space, and is read as +.
  assert.equal((await get('/api/v1/calendar/due?from=2023-10-27T17:30:00+07:00&days=5')).body.dueDate, '2023-11-06');
});

test('GET /api/v1/calendar/due refuses a bad instant, a missing or negative day count, an unknown unit (400, field named)', async () => {
  for (const [query, field] of [
    ['from=2023-10-27&days=5', 'from'],
    ['from=2023-10-27T09:32:00&days=5', 'from'],
    ['from=2023-02-30T09:32:00Z&days=5', 'from'],
    ['from=1899-12-31T09:00:00Z&days=5', 'from'],
    ['from=2023-10-27T09:32:00Z', 'days'],
    ['from=2023-10-27T09:32:00Z&days=-1', 'days'],
    ['from=2023-10-27T09:32:00Z&days=many', 'days'],
    ['from=2023-10-27T09:32:00Z&days=400', 'days'],
    ['from=2023-10-27T09:32:00Z&days=5&unitId=nowhere', 'unitId'],
  ] as const) {
    const res = await get(`/api/v1/calendar/due?${query}`);
    assert.equal(res.status, 400, query);
    assert.equal(res.body.error.code, 'validation', query);
    assert.ok(res.body.error.fields?.[field], `${query} names ${field}: ${JSON.stringify(res.body)}`);
  }
  const en = await get('/api/v1/calendar/due?from=2023-10-27T09:32:00Z&days=5&unitId=nowhere', 'en');
  assert.equal(en.body.error.fields.unitId, 'There is no such unit.');
});

test('GET /api/v1/calendar/holidays lists a year\'s days with their source: official 2026, statutory 2031', async () => {
  const y2026 = await get('/api/v1/calendar/holidays?year=2026');
  assert.equal(y2026.status, 200);
  assert.equal(y2026.body.year, 2026);
  assert.equal(y2026.body.source, 'official');
  assert.deepEqual(y2026.body.days.find((d: { date: string }) => d.date === '2026-08-22'), {
    date: '2026-08-22', kind: 'work', name: 'Làm bù cho thứ Hai 31/8/2026', nameEn: 'Working day (swapped)',
  });
  assert.ok(y2026.body.days.some((d: { date: string; kind: string }) => d.date === '2026-04-27' && d.kind === 'off'));
  const y2031 = await get('/api/v1/calendar/holidays?year=2031');
  assert.equal(y2031.body.source, 'statutory');
  assert.ok(y2031.body.days.some((d: { date: string; name: string }) => d.date === '2031-01-23' && d.name === 'Tết Nguyên Đán'));
  for (const year of ['', 'abc', '1899', '2200', '2026.5']) {
    const res = await get(`/api/v1/calendar/holidays?year=${year}`);
    assert.equal(res.status, 400, year);
    assert.ok(res.body.error.fields.year, year);
  }
});

test('GET /api/v1/calendar/lunar answers the Vietnamese lunar date (UTC+7): 17 Feb 2007 is Tết, not 18 Feb', async () => {
  assert.deepEqual((await get('/api/v1/calendar/lunar?date=2007-02-17')).body, { day: 1, month: 1, year: 2007, leap: false });
  assert.deepEqual((await get('/api/v1/calendar/lunar?date=2007-02-18')).body, { day: 2, month: 1, year: 2007, leap: false });
  assert.deepEqual((await get('/api/v1/calendar/lunar?date=2023-03-22')).body, { day: 1, month: 2, year: 2023, leap: true });
  for (const date of ['', '2026-02-30', '17/02/2007', '1899-12-31', '2200-01-01']) {
    const res = await get(`/api/v1/calendar/lunar?date=${date}`);
    assert.equal(res.status, 400, date);
    assert.ok(res.body.error.fields.date, date);
  }
  assert.equal((await get('/api/v1/calendar/lunar?date=1899-12-31', 'vi')).body.error.fields.date, 'Ngày phải từ ngày 1900-01-01 trở đi.');
});

test('the calendar routes are public: no sign-in needed', async () => {
  for (const url of ['/api/v1/calendar/lunar?date=2026-02-17', '/api/v1/calendar/holidays?year=2026', '/api/v1/calendar/due?from=2026-02-12T08:00:00Z&days=1']) {
    assert.equal((await get(url)).status, 200, url);
  }
});

test('dossiers see the calendar in working hours: 40 h from Fri 27 Oct 2023 09:32 is due Fri 3 Nov 17:00, and a pause extends it', async () => {
  const forDossiers = calendar.forDossiers();
  const due = await forDossiers.dueAt('my-tho', vn('2023-10-27 09:32'), 40);
  assert.equal(local(due), '2023-11-03 17:00');
  assert.equal(await forDossiers.workingHoursBetween('my-tho', vn('2023-10-31 15:00'), vn('2023-11-02 09:00')), 12);
  assert.equal(local(await forDossiers.extend('my-tho', due, vn('2023-10-31 15:00'), vn('2023-11-02 09:00'))), '2023-11-07 11:00');
  assert.equal(local(await forDossiers.dueAt('my-tho', vn('2023-10-27 09:32'), 4)), '2023-10-27 15:32', 'half a day: 4 hours from the instant');
});

test('the calendar routes are documented in /openapi.json', async () => {
  const doc = (await app.inject({ url: '/openapi.json' })).json();
  for (const path of ['/api/v1/calendar/due', '/api/v1/calendar/holidays', '/api/v1/calendar/lunar']) assert.ok(doc.paths[path]?.get, path);
});
