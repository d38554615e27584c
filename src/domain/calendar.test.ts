import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  addWorkingHours, dueAt, dueAtCalendarDays, extendForPause, isWorkingDay, makeCalendar, officialCalendar, officialDays,
  parseWorkingHours, statutoryDays, workingHours, workingHoursBetween, yearDays, type HolidaysJson,
} from './calendar.ts';
import { lunarToSolar } from './lunar.ts';

const holidays = JSON.parse(
  fs.readFileSync(new URL('../../data/reference/calendar/holidays.json', import.meta.url), 'utf8'),
) as HolidaysJson & { statutory: Array<{ name: string; nameEn: string }> };

/** The calendar as seeded: announced schedules for 2025 and 2026, statutory days for other years. */
const cal = officialCalendar(holidays);

/** An instant given in Vietnam time, `YYYY-MM-DD HH:MM`. */
const vn = (local: string) => new Date(`${local.replace(' ', 'T')}:00+07:00`);
/** An instant shown in Vietnam time, `YYYY-MM-DD HH:MM`. */
const local = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const days = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) out.push(d);
  return out;
};

test('Tết 2026 (official schedule, Thông báo 9441/TB-BNV): 14–22 Feb are days off; Fri 13 and Mon 23 Feb are working days', () => {
  for (const d of days('2026-02-14', '2026-02-22')) assert.equal(isWorkingDay(cal, d), false, d);
  assert.equal(isWorkingDay(cal, '2026-02-13'), true);
  assert.equal(isWorkingDay(cal, '2026-02-23'), true);
});

test('Giỗ Tổ 2026 falls on Sunday 26 Apr (lunar 10/3): Monday 27 Apr is the compensatory day off, in the official schedule and by statute', () => {
  assert.equal(lunarToSolar(10, 3, 2026), '2026-04-26');
  assert.equal(isWorkingDay(cal, '2026-04-27'), false);
  assert.equal(isWorkingDay(cal, '2026-04-28'), true);
  const statutory = statutoryDays(2026).find((d) => d.date === '2026-04-27');
  assert.equal(statutory?.name, 'Nghỉ bù Giỗ Tổ Hùng Vương');
});

test('30/4 and 1/5 2026 fall on Thursday and Friday: 30 Apr–3 May are off, Mon 4 May is a working day', () => {
  for (const d of days('2026-04-30', '2026-05-03')) assert.equal(isWorkingDay(cal, d), false, d);
  assert.equal(isWorkingDay(cal, '2026-04-29'), true);
  assert.equal(isWorkingDay(cal, '2026-05-04'), true);
});

test('a swapped working day: Saturday 22 Aug 2026 is worked (a full day) so that Monday 31 Aug is off', () => {
  assert.equal(isWorkingDay(cal, '2026-08-22'), true);
  assert.equal(isWorkingDay(cal, '2026-08-31'), false);
  assert.equal(local(dueAt(cal, vn('2026-08-21 10:00'), 1)), '2026-08-22 17:00');
  // Even where Saturdays are half days, the swapped Saturday is a full day.
  const saturdays = makeCalendar({ hours: workingHours({ saturdayMorning: true }), exceptions: officialDays(holidays, 2026)!, years: { 2026: 'official' } });
  assert.equal(local(dueAt(saturdays, vn('2026-08-21 10:00'), 1)), '2026-08-22 17:00');
});

test('a real receipt (Civil Code art. 147, the intake day does not count): accepted Fri 27 Oct 2023 09:32 for 5 working days, due Fri 3 Nov 2023 at 17:00', () => {
  const due = dueAt(cal, vn('2023-10-27 09:32'), 5);
  assert.equal(local(due), '2023-11-03 17:00');
  assert.equal(due.toISOString(), '2023-11-03T10:00:00.000Z');
});

test('Tết counts for nothing: accepted on Thursday 12 Feb 2026 for 5 working days, due Thursday 26 Feb (Tết 14–22 Feb)', () => {
  assert.equal(local(dueAt(cal, vn('2026-02-12 08:15'), 5)), '2026-02-26 17:00');
});

test('intake after closing time counts from the next working morning: Fri 27 Oct 2023 17:30 for 5 days is due Mon 6 Nov 17:00', () => {
  assert.equal(local(dueAt(cal, vn('2023-10-27 17:30'), 5)), '2023-11-06 17:00');
  assert.equal(local(dueAt(cal, vn('2023-10-27 17:00'), 5)), '2023-11-06 17:00', 'closing time itself is after hours');
  assert.equal(local(dueAt(cal, vn('2023-10-28 10:00'), 5)), '2023-11-06 17:00', 'a Saturday intake counts from Monday');
  assert.equal(local(dueAt(cal, vn('2026-02-15 10:00'), 1)), '2026-02-24 17:00', 'an intake during Tết counts from the first day back');
});

test('intake before opening or in the lunch break counts on the same day', () => {
  assert.equal(local(dueAt(cal, vn('2023-10-27 06:15'), 5)), '2023-11-03 17:00');
  assert.equal(local(dueAt(cal, vn('2023-10-27 12:00'), 5)), '2023-11-03 17:00');
  assert.equal(local(dueAt(cal, vn('2023-10-27 16:59'), 5)), '2023-11-03 17:00');
});

test('a procedure settled "within the day" (0 working days) is due at the close of the intake day', () => {
  assert.equal(local(dueAt(cal, vn('2023-10-27 09:32'), 0)), '2023-10-27 17:00');
  assert.equal(local(dueAt(cal, vn('2023-10-27 18:00'), 0)), '2023-10-30 17:00');
});

test('half a working day is 4 working hours from the instant (Civil Code art. 147(1)), skipping the lunch break', () => {
  assert.equal(local(dueAt(cal, vn('2023-10-27 09:32'), 0.5)), '2023-10-27 15:32');
  assert.equal(local(addWorkingHours(cal, vn('2023-10-27 15:00'), 8)), '2023-10-30 15:00');
});

test('a deadline that lands on a non-working day moves to the next working day (Civil Code art. 148)', () => {
  // 10 calendar days from Wed 4 Feb 2026 end on Sat 14 Feb, the first day of Tết: the deadline is Mon 23 Feb.
  assert.equal(local(dueAtCalendarDays(cal, vn('2026-02-04 09:00'), 10)), '2026-02-23 17:00');
  assert.equal(local(dueAtCalendarDays(cal, vn('2026-02-04 09:00'), 8)), '2026-02-12 17:00');
  // Working hours left at Friday's close run on after the break.
  assert.equal(local(addWorkingHours(cal, vn('2026-02-13 16:00'), 2)), '2026-02-23 08:00');
});

test('a pause for a supplement extends the deadline by the working time paused (docs/domain.md §4)', () => {
  const due = dueAt(cal, vn('2023-10-27 09:32'), 5); // Fri 3 Nov 17:00
  // Paused Tue 31 Oct 15:00 → Thu 2 Nov 09:00: 2 h + 8 h + 2 h = 12 working hours.
  assert.equal(workingHoursBetween(cal, vn('2023-10-31 15:00'), vn('2023-11-02 09:00')), 12);
  assert.equal(local(extendForPause(cal, due, vn('2023-10-31 15:00'), vn('2023-11-02 09:00'))), '2023-11-07 11:00');
  // A pause over a weekend, or over Tết, costs no working time.
  assert.equal(extendForPause(cal, due, vn('2023-10-27 17:00'), vn('2023-10-30 07:00')).getTime(), due.getTime());
  assert.equal(workingHoursBetween(cal, vn('2026-02-13 17:00'), vn('2026-02-23 07:00')), 0);
  assert.equal(workingHoursBetween(cal, vn('2023-10-30 11:00'), vn('2023-10-30 14:00')), 1);
});

test('statutory holidays for 2031 (no announced schedule) follow the lunar computation: Tết 23 Jan, Giỗ Tổ 1 Apr', () => {
  assert.equal(lunarToSolar(1, 1, 2031), '2031-01-23');
  const off = new Map(statutoryDays(2031).map((d) => [d.date, d.name]));
  for (const d of days('2031-01-22', '2031-01-26')) assert.equal(off.get(d), 'Tết Nguyên Đán', d);
  // Sat 25 and Sun 26 Jan are compensated on Mon 27 and Tue 28 Jan (Labour Code art. 111(3)).
  assert.equal(off.get('2031-01-27'), 'Nghỉ bù Tết Nguyên Đán');
  assert.equal(off.get('2031-01-28'), 'Nghỉ bù Tết Nguyên Đán');
  assert.equal(off.get(lunarToSolar(10, 3, 2031)), 'Giỗ Tổ Hùng Vương');
  assert.equal(off.get('2031-04-01'), 'Giỗ Tổ Hùng Vương');
  for (const d of ['2031-01-01', '2031-04-30', '2031-05-01', '2031-09-01', '2031-09-02']) assert.ok(off.has(d), d);
  assert.equal(off.size, 13, '11 statutory days and 2 compensatory ones');
  // The seeded calendar falls back on them for 2031.
  assert.equal(isWorkingDay(cal, '2031-04-01'), false);
  assert.equal(isWorkingDay(cal, '2031-01-28'), false);
  assert.equal(isWorkingDay(cal, '2031-01-29'), true);
  assert.equal(yearDays(cal, 2031).source, 'statutory');
  assert.equal(yearDays(cal, 2026).source, 'official');
});

test('a statutory holiday on a weekend is compensated on the next working day not already off (2028: 1/1 Sat, 30/4 Sun, 2/9 Sat)', () => {
  const off = new Map(statutoryDays(2028).map((d) => [d.date, d.name]));
  assert.equal(off.get('2028-01-03'), 'Nghỉ bù Tết Dương lịch');
  assert.equal(off.get('2028-05-01'), 'Ngày Quốc tế Lao động');
  assert.equal(off.get('2028-05-02'), 'Nghỉ bù Ngày Chiến thắng', '1 May is already off, so 30 Apr is made up on 2 May');
  assert.equal(off.get('2028-09-01'), 'Quốc khánh');
  assert.equal(off.get('2028-09-04'), 'Nghỉ bù Quốc khánh');
  // 2023: Giỗ Tổ on Sat 29 Apr and 30/4 on Sunday, compensated on Tue 2 and Wed 3 May: five days in a row.
  const off2023 = new Map(statutoryDays(2023).map((d) => [d.date, d.name]));
  assert.deepEqual(days('2023-04-29', '2023-05-03').map((d) => off2023.get(d)), [
    'Giỗ Tổ Hùng Vương', 'Ngày Chiến thắng', 'Ngày Quốc tế Lao động', 'Nghỉ bù Giỗ Tổ Hùng Vương', 'Nghỉ bù Ngày Chiến thắng',
  ]);
});

test('statutory holiday names are those of holidays.json (Labour Code 2019 art. 112)', () => {
  const names = new Set(statutoryDays(2027).map((d) => d.name));
  for (const s of holidays.statutory) assert.ok(names.has(s.name), s.name);
  const en = new Set(statutoryDays(2027).map((d) => d.nameEn));
  for (const s of holidays.statutory) assert.ok(en.has(s.nameEn), s.nameEn);
});

test('the 2025 official schedule: off 30 Apr–4 May with Saturday 26 Apr worked in exchange; no schedule for 2027', () => {
  const d2025 = officialDays(holidays, 2025)!;
  const byDate = new Map(d2025.map((d) => [d.date, d]));
  assert.equal(byDate.get('2025-04-26')?.kind, 'work');
  for (const d of days('2025-04-30', '2025-05-04')) assert.equal(byDate.get(d)?.kind, 'off', d);
  assert.equal(byDate.get('2025-05-02')?.nameEn, 'Reunification Day and International Labour Day');
  assert.equal(officialDays(holidays, 2027), null);
});

test('a unit open on Saturday mornings counts Saturday as a working day that closes at 11:30', () => {
  const saturdays = makeCalendar({ hours: workingHours({ saturdayMorning: true }) });
  assert.equal(local(dueAt(saturdays, vn('2023-10-27 09:32'), 1)), '2023-10-28 11:30');
  assert.equal(local(dueAt(saturdays, vn('2023-10-27 09:32'), 5)), '2023-11-02 17:00');
  assert.equal(workingHoursBetween(saturdays, vn('2023-10-28 00:00'), vn('2023-10-29 00:00')), 4.5);
});

test('working hours are checked: HH:MM periods, in order, on known weekdays', () => {
  assert.deepEqual(parseWorkingHours(JSON.parse(JSON.stringify(workingHours()))), workingHours());
  assert.deepEqual(parseWorkingHours({ mon: [{ from: '08:00', to: '12:00' }] }).tue, []);
  assert.throws(() => parseWorkingHours({ mon: [{ from: '13:00', to: '12:00' }] }), RangeError);
  assert.throws(() => parseWorkingHours({ mon: [{ from: '07:00', to: '11:30' }, { from: '11:00', to: '17:00' }] }), RangeError);
  assert.throws(() => parseWorkingHours({ mon: [{ from: '7:00', to: '11:30' }] }), RangeError);
  assert.throws(() => parseWorkingHours({ monday: [] }), RangeError);
  assert.throws(() => dueAt(makeCalendar({ hours: parseWorkingHours({}) }), vn('2026-01-05 09:00'), 1), RangeError);
  assert.throws(() => dueAt(cal, vn('2026-01-05 09:00'), -1), RangeError);
});

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('property: for any intake instant (2023–2032) and 1–30 working days, dueAt is the close of a working day, later for more days, and N × 8 working hours after the intake day closes', () => {
  const next = random(20261129);
  const start = Date.parse('2023-01-01T00:00:00+07:00');
  const span = Date.parse('2032-12-01T00:00:00+07:00') - start;
  for (let i = 0; i < 150; i++) {
    const acceptedAt = new Date(start + Math.floor(next() * span));
    // The close of the (deemed) intake day: 0 days with no same-day cut-off before closing time.
    const counted = dueAt({ ...cal, sameDayCutoff: '23:59' }, acceptedAt, 0);
    let previous = counted;
    for (let n = 1; n <= 30; n++) {
      const due = dueAt(cal, acceptedAt, n);
      const [date, time] = local(due).split(' ');
      assert.ok(isWorkingDay(cal, date!), `${acceptedAt.toISOString()} + ${n}: ${local(due)} is a working day`);
      assert.equal(time, '17:00');
      assert.ok(due > previous, `${acceptedAt.toISOString()}: ${n} days is later than ${n - 1}`);
      assert.equal(workingHoursBetween(cal, counted, due), 8 * n);
      previous = due;
    }
  }
});
