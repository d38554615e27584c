// Issue 11 item 6, deadlines: the same-day cut-off, processing times in calendar days, reception hours
// apart from the legal calendar, and the corrected 2026 table (docs/domain.md §4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  afterSameDayCutoff, dueAt, dueAtCalendarDays, isWorkingDay, makeCalendar, officialCalendar, processingDayKindOf, receptionHours,
  type HolidaysJson,
} from './calendar.ts';

const holidays = JSON.parse(
  fs.readFileSync(new URL('../../data/reference/calendar/holidays.json', import.meta.url), 'utf8'),
) as HolidaysJson;
const cal = officialCalendar(holidays);
const vn = (local: string) => new Date(`${local.replace(' ', 'T')}:00+07:00`);
const local = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

test('a same-day procedure received at 15:01 on Friday 13/11/2026 is due at 17:00 on Monday 16/11/2026', () => {
  assert.equal(local(dueAt(cal, vn('2026-11-13 15:01'), 0)), '2026-11-16 17:00');
});

test('a same-day procedure received at 14:59 (or at 15:00 sharp) on Friday 13/11/2026 is due at 17:00 the same day', () => {
  assert.equal(local(dueAt(cal, vn('2026-11-13 14:59'), 0)), '2026-11-13 17:00');
  assert.equal(local(dueAt(cal, vn('2026-11-13 15:00'), 0)), '2026-11-13 17:00', '15:00 itself is not after 15:00');
  assert.equal(local(dueAt(cal, new Date(vn('2026-11-13 15:00').getTime() + 1000), 0)), '2026-11-16 17:00', '15:00:01 is');
});

test('a same-day procedure received after closing or at a weekend counts from the next working morning, before the cut-off: due that day at 17:00', () => {
  assert.equal(local(dueAt(cal, vn('2026-11-13 17:30'), 0)), '2026-11-16 17:00');
  assert.equal(local(dueAt(cal, vn('2026-11-14 16:00'), 0)), '2026-11-16 17:00');
  assert.equal(afterSameDayCutoff(cal, vn('2026-11-14 16:00')), false);
});

test("the cut-off is the unit's own: with 16:00, a same-day dossier received at 15:30 is due the same day, at 16:01 the next working day", () => {
  const unit = makeCalendar({ ...cal, exceptions: Object.values(cal.exceptions), sameDayCutoff: '16:00' });
  assert.equal(local(dueAt(unit, vn('2026-11-13 15:30'), 0)), '2026-11-13 17:00');
  assert.equal(local(dueAt(unit, vn('2026-11-13 16:01'), 0)), '2026-11-16 17:00');
  assert.throws(() => makeCalendar({ sameDayCutoff: '3pm' }), RangeError);
});

test('the cut-off applies only to same-day procedures: 1 working day received at 15:30 on Friday 13/11/2026 is due Monday 16/11 at 17:00', () => {
  assert.equal(local(dueAt(cal, vn('2026-11-13 15:30'), 1)), '2026-11-16 17:00');
});

test('2026 table (Official Letter 12729/VPCP-KGVX): a dossier accepted on Wednesday 31/12/2025 for 1 working day is due on Monday 5/1/2026 at 17:00 (1–4/1/2026 off)', () => {
  for (const d of ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04']) assert.equal(isWorkingDay(cal, d), false, d);
  assert.equal(local(dueAt(cal, vn('2025-12-31 09:00'), 1)), '2026-01-05 17:00');
});

test('2026 table: Saturday 10/1/2026 is a working day (in exchange for Friday 2/1): accepted Friday 9/1 for 1 working day, due Saturday 10/1 at 17:00', () => {
  assert.equal(isWorkingDay(cal, '2026-01-10'), true);
  assert.equal(local(dueAt(cal, vn('2026-01-09 10:00'), 1)), '2026-01-10 17:00');
  assert.equal(local(dueAt(cal, vn('2026-01-08 10:00'), 2)), '2026-01-10 17:00');
});

test('a processing time says its unit: "N ngày làm việc" is working days, a bare "N ngày" is calendar days, otherwise working days', () => {
  assert.equal(processingDayKindOf(3, '03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ'), 'working');
  assert.equal(processingDayKindOf(15, '15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ'), 'calendar');
  assert.equal(processingDayKindOf(30, 'Không quá 30 ngày kể từ ngày thụ lý; vụ việc phức tạp không quá 45 ngày'), 'calendar');
  assert.equal(processingDayKindOf(2, 'Không quá 02 ngày làm việc; không tính thời gian niêm yết 15 ngày theo quy định'), 'working');
  assert.equal(processingDayKindOf(15, 'Thời hạn ước lượng; cần đối chiếu bộ thủ tục hiện hành'), 'working');
  assert.equal(processingDayKindOf(0, 'Trong ngày; yêu cầu nhận sau 15 giờ trả trong ngày làm việc tiếp theo'), 'working');
});

test('calendar days (Civil Code art. 147–148): 15 days from Monday 2/11/2026 end Tuesday 17/11 at 17:00; 12 days end on Saturday 14/11, so Monday 16/11', () => {
  assert.equal(local(dueAtCalendarDays(cal, vn('2026-11-02 09:00'), 15)), '2026-11-17 17:00');
  assert.equal(local(dueAtCalendarDays(cal, vn('2026-11-02 09:00'), 12)), '2026-11-16 17:00');
  // Across Tết 2026 (14–22/2): 10 days from Thursday 5/2 end on Sunday 15/2, a day off; the next working day is Monday 23/2.
  assert.equal(local(dueAtCalendarDays(cal, vn('2026-02-05 09:00'), 10)), '2026-02-23 17:00');
});

test('reception hours are not working time: a desk open on Saturday mornings receives, but a dossier received Saturday 14/11/2026 at 09:00 counts from Monday', () => {
  const unit = makeCalendar({ ...cal, exceptions: Object.values(cal.exceptions), reception: receptionHours({ saturdayMorning: true }) });
  assert.deepEqual(unit.reception?.sat, [{ from: '07:00', to: '11:30' }]);
  assert.equal(isWorkingDay(unit, '2026-11-14'), false);
  assert.equal(local(dueAt(unit, vn('2026-11-14 09:00'), 1)), '2026-11-17 17:00');
  assert.equal(local(dueAt(unit, vn('2026-11-14 09:00'), 0)), '2026-11-16 17:00', 'same-day: deemed received Monday 07:00, before the cut-off');
  assert.equal(local(dueAt(unit, vn('2026-11-13 10:00'), 1)), '2026-11-16 17:00', 'Saturday is not the first working day');
});
