import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { lunarToSolar, solarToLunar } from './lunar.ts';

type HolidaysFile = {
  lunar_new_year_vietnam: Record<string, string>;
  official: Record<string, { off: Array<{ from: string; to: string; name: string }> }>;
};
const holidays = JSON.parse(
  fs.readFileSync(new URL('../../data/reference/calendar/holidays.json', import.meta.url), 'utf8'),
) as HolidaysFile;

const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

test('Tết 1985 is 21 Jan 1985 at UTC+7; at China\'s UTC+8 it is 20 Feb, a month later', () => {
  assert.equal(lunarToSolar(1, 1, 1985), '1985-01-21');
  assert.deepEqual(solarToLunar('1985-01-21'), { day: 1, month: 1, year: 1985, leap: false });
  assert.equal(lunarToSolar(1, 1, 1985, false, 8), '1985-02-20');
});

test('Tết 2007 is 17 Feb in Vietnam and 18 Feb in China: the new moon fell between midnight at UTC+7 and UTC+8', () => {
  assert.equal(lunarToSolar(1, 1, 2007), '2007-02-17');
  assert.equal(lunarToSolar(1, 1, 2007, false, 8), '2007-02-18');
  assert.deepEqual(solarToLunar('2007-02-18'), { day: 2, month: 1, year: 2007, leap: false });
});

test('Tết 2030 is 2 Feb in Vietnam and 3 Feb in China', () => {
  assert.equal(lunarToSolar(1, 1, 2030), '2030-02-02');
  assert.equal(lunarToSolar(1, 1, 2030, false, 8), '2030-02-03');
  assert.deepEqual(solarToLunar('2030-02-01'), { day: 29, month: 12, year: 2029, leap: false });
});

test('every Vietnamese Tết listed in holidays.json is lunar 1/1, both ways', () => {
  const years = Object.entries(holidays.lunar_new_year_vietnam).filter(([year]) => /^\d{4}$/.test(year));
  assert.ok(years.length >= 10);
  for (const [year, date] of years) {
    assert.equal(lunarToSolar(1, 1, Number(year)), date, `Tết ${year}`);
    assert.deepEqual(solarToLunar(date), { day: 1, month: 1, year: Number(year), leap: false }, date);
    // The day before is the last day of the old year's 12th month (the 29th or the 30th).
    const eve = solarToLunar(dayBefore(date));
    assert.equal(eve.month, 12, `eve of Tết ${year}`);
    assert.equal(eve.year, Number(year) - 1);
    assert.ok(eve.day === 29 || eve.day === 30);
  }
});

test('each announced Tết break in holidays.json contains lunar 1/1 and the last day of the old year', () => {
  for (const [year, schedule] of Object.entries(holidays.official)) {
    const tet = schedule.off.find((o) => o.name.startsWith('Tết Nguyên Đán'));
    assert.ok(tet, `Tết break announced for ${year}`);
    const newYear = lunarToSolar(1, 1, Number(year));
    assert.equal(newYear, holidays.lunar_new_year_vietnam[year], `Tết ${year} agrees with the list of lunar new years`);
    assert.ok(tet.from <= dayBefore(newYear) && newYear <= tet.to, `${year}: ${newYear} within ${tet.from}–${tet.to}`);
  }
});

test('each announced Giỗ Tổ day off in holidays.json starts on lunar 10/3 (2025: Mon 7 Apr; 2026: Sun 26 Apr)', () => {
  for (const [year, schedule] of Object.entries(holidays.official)) {
    const gioTo = schedule.off.find((o) => o.name.startsWith('Giỗ Tổ Hùng Vương'));
    assert.ok(gioTo, `Giỗ Tổ announced for ${year}`);
    assert.equal(lunarToSolar(10, 3, Number(year)), gioTo.from, `Giỗ Tổ ${year}`);
    assert.deepEqual(solarToLunar(gioTo.from), { day: 10, month: 3, year: Number(year), leap: false });
  }
});

test('a leap month: 2023 repeats month 2 (leap 2/2023 starts 22 Mar), and 2025 repeats month 6 (from 25 Jul)', () => {
  assert.equal(lunarToSolar(1, 2, 2023, true), '2023-03-22');
  assert.deepEqual(solarToLunar('2023-03-22'), { day: 1, month: 2, year: 2023, leap: true });
  assert.deepEqual(solarToLunar('2023-03-21'), { day: 30, month: 2, year: 2023, leap: false });
  assert.equal(lunarToSolar(1, 3, 2023), '2023-04-20');
  assert.equal(lunarToSolar(1, 6, 2025, true), '2025-07-25');
  assert.deepEqual(solarToLunar('2025-07-24'), { day: 30, month: 6, year: 2025, leap: false });
});

test('Giỗ Tổ falls in the regular 3rd month when the year repeats month 3 (2031: 1 Apr, leap month 3 from 21 Apr)', () => {
  assert.equal(lunarToSolar(10, 3, 2031), '2031-04-01');
  assert.equal(lunarToSolar(1, 3, 2031, true), '2031-04-21');
  assert.deepEqual(solarToLunar('2031-04-30'), { day: 10, month: 3, year: 2031, leap: true });
});

test('lunar dates round-trip for every day of 2020–2032', () => {
  for (let t = Date.UTC(2020, 0, 1); t <= Date.UTC(2032, 11, 31); t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    const l = solarToLunar(date);
    assert.equal(lunarToSolar(l.day, l.month, l.year, l.leap), date);
  }
});

test('a lunar date that does not exist is refused: no leap month that year, day 30 of a short month, a bad solar date', () => {
  assert.throws(() => lunarToSolar(1, 5, 2024, true), RangeError);
  assert.throws(() => lunarToSolar(1, 3, 2023, true), RangeError);
  assert.throws(() => lunarToSolar(30, 12, 2025), RangeError); // the 12th month of Ất Tỵ has 29 days
  assert.throws(() => lunarToSolar(0, 1, 2026), RangeError);
  assert.throws(() => solarToLunar('2026-02-30'), RangeError);
  assert.throws(() => solarToLunar('26-02-17'), RangeError);
  assert.throws(() => solarToLunar('1899-12-31'), RangeError);
});

test('every day of 1900–2199 converts to a lunar day in 1–30 and back to the same date, and lunar days run on one by one (7/5/2054 and 9/4/2062 are day 30, not day 0)', () => {
  assert.deepEqual(solarToLunar('2054-05-07'), { day: 30, month: 3, year: 2054, leap: false });
  assert.deepEqual(solarToLunar('2062-04-09'), { day: 30, month: 2, year: 2062, leap: false });
  let previous: ReturnType<typeof solarToLunar> | undefined;
  let days = 0;
  for (let t = Date.UTC(1900, 0, 1); t <= Date.UTC(2199, 11, 31); t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    const l = solarToLunar(date);
    if (l.day < 1 || l.day > 30) assert.fail(`${date} is lunar day ${l.day}`);
    if (previous) {
      // The next day is the next lunar day, or day 1 after a 29th or a 30th.
      const next = l.day === previous.day + 1 || (l.day === 1 && previous.day >= 29);
      if (!next) assert.fail(`${date} is lunar ${l.day}/${l.month} after ${previous.day}/${previous.month}`);
      if (l.day !== 1 && (l.month !== previous.month || l.year !== previous.year || l.leap !== previous.leap)) assert.fail(`${date} changes month mid-month`);
    }
    previous = l;
    // January 1900 before Tết is in lunar year 1899, outside the range lunarToSolar accepts.
    if (l.year < 1900) continue;
    if (lunarToSolar(l.day, l.month, l.year, l.leap) !== date) assert.fail(`${date} → ${l.day}/${l.month}/${l.year}${l.leap ? ' leap' : ''} does not convert back`);
    days++;
  }
  assert.ok(days > 109_000, `${days} days checked`);
});
