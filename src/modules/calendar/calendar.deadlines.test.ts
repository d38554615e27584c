// Issue 11 item 6, deadlines through the calendar's API and admin page: the same-day cut-off on
// GET /api/v1/calendar/due (days=0), calendar days (kind=calendar), and a unit's reception hours and
// cut-off on /quan-tri/lich (docs/domain.md §4, api-v1.md "Working calendar").
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { PageBrowser } from '../../testing/page-browser.ts';
import { receptionHours } from '../../domain/calendar.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

async function due(query: string): Promise<{ status: number; body: { dueAt?: string; dueDate?: string; error?: { fields?: Record<string, string> } } }> {
  const res = await ctx.app.inject({ url: `/api/v1/calendar/due?${query}` });
  return { status: res.statusCode, body: res.json() };
}
const at = (local: string) => encodeURIComponent(`${local}:00+07:00`);

test('GET /calendar/due with days=0: received at 15:01 on Friday 13/11/2026, due at 17:00 on Monday 16/11/2026; at 14:59, at 17:00 the same day', async () => {
  assert.deepEqual((await due(`from=${at('2026-11-13T15:01')}&days=0`)).body, { dueAt: '2026-11-16T10:00:00.000Z', dueDate: '2026-11-16' });
  assert.deepEqual((await due(`from=${at('2026-11-13T14:59')}&days=0`)).body, { dueAt: '2026-11-13T10:00:00.000Z', dueDate: '2026-11-13' });
});

test('GET /calendar/due with kind=calendar: 15 calendar days from Monday 2/11/2026 end Tuesday 17/11; 12 end on Saturday 14/11, so Monday 16/11; a fraction is refused', async () => {
  assert.equal((await due(`from=${at('2026-11-02T09:00')}&days=15&kind=calendar`)).body.dueDate, '2026-11-17');
  assert.equal((await due(`from=${at('2026-11-02T09:00')}&days=12&kind=calendar`)).body.dueDate, '2026-11-16');
  assert.equal((await due(`from=${at('2026-11-02T09:00')}&days=12`)).body.dueDate, '2026-11-18', 'working days by default');
  const fraction = await due(`from=${at('2026-11-02T09:00')}&days=1.5&kind=calendar`);
  assert.equal(fraction.status, 400);
  assert.ok(fraction.body.error?.fields?.days);
  assert.equal((await due(`from=${at('2026-11-02T09:00')}&days=1&kind=lunar`)).status, 400);
});

test('GET /calendar/due on the corrected 2026 table: accepted Wednesday 31/12/2025 for 1 working day, due Monday 5/1/2026', async () => {
  assert.equal((await due(`from=${at('2025-12-31T09:00')}&days=1`)).body.dueDate, '2026-01-05');
});

test("a unit admin sets the unit's reception hours (Saturday mornings) and a 16:00 cut-off: shown beside its hours, audited, Saturday still not a working day", async () => {
  const username = 'lich.unit-admin.deadlines';
  const { id } = await ctx.services.accounts.addUser({ username, password: 'mat-khau-dai', name: 'Quản trị đơn vị', role: 'unit_admin', unitId: 'my-tho' });
  const b = new PageBrowser(ctx.app);
  await b.get('/dang-nhap');
  assert.equal((await b.post('/dang-nhap', { username, password: 'mat-khau-dai', next: '/' })).statusCode, 303);
  const empty = { mon: '', tue: '', wed: '', thu: '', fri: '', sat: '', sun: '' };

  const shown = await b.get('/quan-tri/lich?nam=2026&don-vi=my-tho');
  assert.match(shown.body, /Giờ tiếp nhận hồ sơ của /);
  assert.match(shown.body, /hồ sơ nhận sau 15:00 được trả kết quả trong ngày làm việc tiếp theo/);
  assert.match(shown.body, /Tiếp nhận hồ sơ trong giờ làm việc\./);

  const bad = await b.post('/quan-tri/lich/tiep-nhan/don-vi', { nam: '2026', unitId: 'my-tho', cutoff: '25:00', ...empty, sat: '07:00-' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /href="#reception-sat"/);
  assert.match(bad.body, /href="#cutoff"/);
  assert.equal((await b.post('/quan-tri/lich/tiep-nhan/don-vi', { nam: '2026', unitId: 'cai-be', cutoff: '', ...empty })).statusCode, 403);

  const saved = await b.post('/quan-tri/lich/tiep-nhan/don-vi', { nam: '2026', unitId: 'my-tho', cutoff: '16:00', ...empty, sat: '07:00-11:30' });
  assert.equal(saved.statusCode, 303, saved.body);
  try {
    const after = await b.get(saved.headers.location as string);
    assert.match(after.body, /Đã lưu giờ tiếp nhận và giờ chốt hồ sơ của /);
    assert.match(after.body, /hồ sơ nhận sau 16:00/);
    assert.match(after.body, /id="reception-sat" name="sat" type="text" value="07:00-11:30"/);
    const entry = (await ctx.services.audit.list({ subject: 'calendar:my-tho', limit: 1 })).items[0]!;
    assert.equal(entry.actorId, id);
    // Received on Saturday 14/11/2026 at the desk: 1 working day counts from Monday, due Tuesday.
    assert.equal((await due(`from=${at('2026-11-14T09:00')}&days=1&unitId=my-tho`)).body.dueDate, '2026-11-17');
    assert.equal((await due(`from=${at('2026-11-13T15:30')}&days=0&unitId=my-tho`)).body.dueDate, '2026-11-13', 'its own cut-off, 16:00');
    assert.equal((await due(`from=${at('2026-11-13T15:30')}&days=0&unitId=cai-be`)).body.dueDate, '2026-11-16', 'another unit keeps 15:00');
  } finally {
    assert.equal((await b.post('/quan-tri/lich/tiep-nhan/don-vi', { nam: '2026', unitId: 'my-tho', cutoff: '', ...empty })).statusCode, 303);
  }
  assert.equal((await due(`from=${at('2026-11-13T15:30')}&days=0&unitId=my-tho`)).body.dueDate, '2026-11-16');
  assert.equal((await ctx.services.audit.verify()).ok, true);
});

test('the procedure page states calendar days, and under "where to file" each unit\'s reception hours, kept apart from working hours', async () => {
  const before = await ctx.app.inject({ url: '/thu-tuc/cap-phieu-ly-lich-tu-phap' });
  assert.equal(before.statusCode, 200);
  assert.match(before.body, /10 ngày \(tính cả ngày nghỉ/);
  assert.match(before.body, /Giờ tiếp nhận: Thứ Hai 07:00–11:30, 13:30–17:00;/);
  assert.doesNotMatch(before.body, /Thứ Bảy 07:00–11:30/);
  const reception = receptionHours({ saturdayMorning: true });
  await ctx.services.calendar.setDeadlineSettings('so-tu-phap', { sameDayCutoff: null, reception }, { id: 'test' });
  try {
    const page = await ctx.app.inject({ url: '/thu-tuc/cap-phieu-ly-lich-tu-phap' });
    assert.match(page.body, /Thứ Bảy 07:00–11:30\. Hồ sơ nhận ngoài giờ làm việc được tính từ sáng ngày làm việc tiếp theo\./);
  } finally {
    await ctx.services.calendar.setDeadlineSettings('so-tu-phap', { sameDayCutoff: null, reception: null }, { id: 'test' });
  }
});
