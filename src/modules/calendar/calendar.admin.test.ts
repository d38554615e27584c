// The working calendar's admin page as a browser without JavaScript uses it: who may open and edit
// it, adding, changing and removing days, marking a year official, working hours, and that each edit
// is in the audit chain and moves the deadlines the API answers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { PageBrowser } from '../../testing/page-browser.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

const page = '/quan-tri/lich';
let n = 0;

/** Someone signed in through the sign-in page, holding a role (at a unit, for staff). */
async function signedIn(role: string, unitId: string | undefined = 'tien-giang') {
  n++;
  const username = `lich.${role}.${n}`;
  const { id } = await ctx.services.accounts.addUser({ username, password: 'mat-khau-dai', name: `Cán bộ ${role} ${n}`, role, ...(role === 'citizen' ? {} : { unitId }) });
  const b = new PageBrowser(ctx.app);
  await b.get('/dang-nhap');
  const res = await b.post('/dang-nhap', { username, password: 'mat-khau-dai', next: '/' });
  assert.equal(res.statusCode, 303, res.body);
  return Object.assign(b, { userId: id });
}

async function due(from: string, days: number, unitId?: string): Promise<string> {
  const res = await ctx.app.inject({ url: `/api/v1/calendar/due?from=${encodeURIComponent(from)}&days=${days}${unitId ? `&unitId=${unitId}` : ''}` });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { dueDate: string }).dueDate;
}

const row = (body: string, date: string) => new RegExp(`<time datetime="${date}">[\\s\\S]*?</tr>`).exec(body)?.[0] ?? '';
const summaryLinks = (body: string) => [...body.matchAll(/<div class="error-summary"[\s\S]*?<\/div>/g)].flatMap((m) => [...m[0].matchAll(/<a href="#([^"]+)">([^<]+)<\/a>/g)].map((l) => [l[1], l[2]]));
const hours = (fields: Record<string, string>) => ({ mon: '', tue: '', wed: '', thu: '', fri: '', sat: '', sun: '', ...fields });
const week = { mon: '07:00-11:30, 13:30-17:00', tue: '07:00-11:30, 13:30-17:00', wed: '07:00-11:30, 13:30-17:00', thu: '07:00-11:30, 13:30-17:00', fri: '07:00-11:30, 13:30-17:00' };

test('strangers are sent to sign in; citizens and reception get the 403 page', async () => {
  const anonymous = new PageBrowser(ctx.app);
  const res = await anonymous.get(`${page}?nam=2026`);
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/dang-nhap?next=%2Fquan-tri%2Flich%3Fnam%3D2026');
  for (const who of [await signedIn('citizen'), await signedIn('reception', 'my-tho-phuong-5')]) {
    const forbidden = await who.get(page);
    assert.equal(forbidden.statusCode, 403);
    assert.match(forbidden.body, /Bạn không có quyền thực hiện việc này\./);
    const post = await who.post(`${page}/ngay`, { date: '2026-12-30', kind: 'off', name: 'Nghỉ' });
    assert.equal(post.statusCode, 403);
    assert.equal((await who.post(`${page}/gio-lam-viec/don-vi`, { unitId: 'my-tho', mode: 'default' })).statusCode, 403);
  }
  assert.equal((await ctx.handle.db.selectFrom('calendar_days').select('date').where('date', '=', '2026-12-30').execute()).length, 0);
});

test('a province admin sees 2026 as the announced schedule (Tết 14–22 Feb, Saturday 22 Aug worked) and 2031 as computed statutory days', async () => {
  const admin = await signedIn('province_admin');
  const res = await admin.get(`${page}?nam=2026`);
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /<title>Lịch làm việc và ngày nghỉ 2026 – /);
  assert.match(res.body, /Năm 2026 theo lịch nghỉ chính thức đã công bố\./);
  assert.match(row(res.body, '2026-02-14'), /Thứ Bảy[\s\S]*Tết Nguyên Đán[\s\S]*Ngày nghỉ[\s\S]*Lịch chính thức/);
  assert.match(row(res.body, '2026-08-22'), /Thứ Bảy[\s\S]*Ngày làm việc bù/);
  assert.match(res.body, /<a rel="prev" href="\/quan-tri\/lich\?nam=2025[^"]*">Năm 2025<\/a>/);
  assert.match(res.body, /<a rel="next" href="\/quan-tri\/lich\?nam=2027[^"]*">Năm 2027<\/a>/);
  assert.doesNotMatch(res.body, /action="\/quan-tri\/lich\/chinh-thuc"/, 'an official year is not marked again');

  const y2031 = await admin.get(`${page}?nam=2031`);
  assert.match(y2031.body, /Năm 2031 chưa có lịch nghỉ chính thức/);
  assert.match(row(y2031.body, '2031-04-01'), /Giỗ Tổ Hùng Vương[\s\S]*Theo Bộ luật Lao động/);
  assert.match(y2031.body, /action="\/quan-tri\/lich\/chinh-thuc"/);

  const english = await admin.get(`${page}?nam=2026&lang=en`);
  assert.match(english.body, /<h1>Working calendar and days off 2026<\/h1>/);
  assert.match(row(english.body, '2026-02-14'), /Saturday[\s\S]*Lunar New Year[\s\S]*Day off[\s\S]*Official schedule/);
  assert.equal((await admin.get(`${page}?nam=1800&lang=vi`)).statusCode, 400);
});

test('an admin adds a day off: it is listed, audited in the chain, and the deadline moves by a day', async () => {
  const admin = await signedIn('province_admin');
  // Tue 15 Oct 2030, 1 working day: due Wed 16 Oct; with 16 Oct off, Thu 17 Oct.
  assert.equal(await due('2030-10-15T09:00:00+07:00', 1), '2030-10-16');
  await admin.get(`${page}?nam=2030`);
  const res = await admin.post(`${page}/ngay`, { date: '2030-10-16', kind: 'off', name: 'Nghỉ lễ của tỉnh', nameEn: 'Province holiday' });
  assert.equal(res.statusCode, 303, res.body);
  assert.equal(res.headers.location, '/quan-tri/lich?nam=2030&xong=day&ngay=2030-10-16');
  const shown = await admin.get(res.headers.location as string);
  assert.match(shown.body, /<div class="notice notice-success" role="status"><p>Đã lưu ngày 16\/10\/2030\.<\/p><\/div>/);
  assert.match(row(shown.body, '2030-10-16'), /Thứ Tư[\s\S]*Nghỉ lễ của tỉnh[\s\S]*Ngày nghỉ[\s\S]*Quản trị viên nhập/);
  assert.match(row(shown.body, '2030-01-01'), /Theo Bộ luật Lao động/, 'the year became a table of its statutory days');
  assert.equal(await due('2030-10-15T09:00:00+07:00', 1), '2030-10-17');

  const { items } = await ctx.services.audit.list({ subject: 'calendar:default' });
  const entry = items.find((e) => (e.data as { date?: string }).date === '2030-10-16');
  assert.ok(entry, 'a calendar_changed entry');
  assert.equal(entry.kind, 'calendar_changed');
  assert.equal(entry.actorId, admin.userId);
  assert.deepEqual(entry.data, {
    change: 'set_day', date: '2030-10-16', kind: 'off', name: 'Nghỉ lễ của tỉnh', nameEn: 'Province holiday',
    before: null, after: { kind: 'off', name: 'Nghỉ lễ của tỉnh', nameEn: 'Province holiday' },
  });
  const chain = await ctx.services.audit.verify();
  assert.ok(chain.ok && chain.count === (await ctx.services.audit.list()).total, JSON.stringify(chain));

  // Changing it to a working day records what it was.
  assert.equal((await admin.post(`${page}/ngay`, { date: '2030-10-16', kind: 'work', name: 'Làm bù' })).statusCode, 303);
  const changed = (await ctx.services.audit.list({ subject: 'calendar:default', limit: 1 })).items[0]!;
  assert.deepEqual((changed.data as { before: unknown }).before, { kind: 'off', name: 'Nghỉ lễ của tỉnh', nameEn: 'Province holiday' });
  assert.equal(await due('2030-10-15T09:00:00+07:00', 1), '2030-10-16');
});

test('a bad date or a missing name comes back as 400 with the error summary and what was typed', async () => {
  const admin = await signedIn('province_admin');
  await admin.get(page);
  const res = await admin.post(`${page}/ngay`, { date: '2026-02-30', kind: 'off', name: '', nameEn: 'Typed in English' });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /<title>Lỗi: Lịch làm việc và ngày nghỉ 2026 – /);
  assert.deepEqual(summaryLinks(res.body), [['date', 'Ngày phải có dạng NNNN-TT-NN, ví dụ 2026-01-31.'], ['name', 'Vui lòng nhập thông tin này.']]);
  assert.match(res.body, /id="date" name="date" type="text" value="2026-02-30" aria-describedby="date-hint date-error"/);
  assert.match(res.body, /id="nameEn" name="nameEn" type="text" value="Typed in English"/);
  assert.match(res.body, /id="kind" name="kind" value="off" checked/);

  const early = await admin.post(`${page}/ngay`, { date: '1899-12-31', kind: 'work', name: 'Quá sớm' });
  assert.equal(early.statusCode, 400);
  assert.deepEqual(summaryLinks(early.body), [['date', 'Ngày phải từ ngày 1900-01-01 trở đi.']]);
  assert.match(early.body, /id="kind-2" name="kind" value="work" checked/);
  assert.match(early.body, /id="name" name="name" type="text" value="Quá sớm"/);

  const noKind = await admin.post(`${page}/ngay`, { date: '2026-12-30', name: 'Nghỉ' });
  assert.deepEqual(summaryLinks(noKind.body), [['kind', 'Chọn một mục.']]);
});

test('an admin removes a day: the announced 2 Sep 2026 goes, the removal is audited, and removing it again is refused', async () => {
  const admin = await signedIn('province_admin');
  await admin.get(`${page}?nam=2026`);
  // Fri 28 Aug 2026 for 1 working day: the break runs Sat 29 Aug – Wed 2 Sep, so due Thu 3 Sep.
  assert.equal(await due('2026-08-28T09:00:00+07:00', 1), '2026-09-03');
  const res = await admin.post(`${page}/ngay/xoa`, { date: '2026-09-02' });
  assert.equal(res.statusCode, 303, res.body);
  const shown = await admin.get(res.headers.location as string);
  assert.match(shown.body, /Đã xóa ngày 02\/09\/2026\./);
  assert.equal(row(shown.body, '2026-09-02'), '');
  assert.equal(await due('2026-08-28T09:00:00+07:00', 1), '2026-09-02');
  const entry = (await ctx.services.audit.list({ subject: 'calendar:default', limit: 1 })).items[0]!;
  assert.equal((entry.data as { change: string }).change, 'remove_day');
  assert.deepEqual((entry.data as { before: { kind: string } }).before.kind, 'off');

  const again = await admin.post(`${page}/ngay/xoa`, { date: '2026-09-02' });
  assert.equal(again.statusCode, 400);
  assert.deepEqual(summaryLinks(again.body), [['days', 'Ngày 02/09/2026 không có trong bảng.']]);

  // Put it back as it was.
  assert.equal((await admin.post(`${page}/ngay`, { date: '2026-09-02', kind: 'off', name: 'Quốc khánh', nameEn: 'National Day' })).statusCode, 303);
  assert.equal(await due('2026-08-28T09:00:00+07:00', 1), '2026-09-03');
  assert.equal((await ctx.services.audit.verify()).ok, true);
});

test('an admin marks 2032 as the official schedule once its days are entered', async () => {
  const admin = await signedIn('province_admin');
  await admin.get(`${page}?nam=2032`);
  const res = await admin.post(`${page}/chinh-thuc`, { nam: '2032' });
  assert.equal(res.statusCode, 303, res.body);
  const shown = await admin.get(res.headers.location as string);
  assert.match(shown.body, /Năm 2032 đã được đánh dấu là lịch nghỉ chính thức\./);
  assert.match(shown.body, /Năm 2032 theo lịch nghỉ chính thức đã công bố\./);
  assert.equal((await ctx.services.calendar.holidays(2032)).source, 'official');
  const entry = (await ctx.services.audit.list({ subject: 'calendar:default', limit: 1 })).items[0]!;
  assert.deepEqual(entry.data, { change: 'mark_official', year: 2032, before: null, after: 'official' });
  assert.equal((await admin.post(`${page}/chinh-thuc`, { nam: 'abc' })).statusCode, 400);
});

test('working hours: each bad day is named with what was typed kept; good hours move the deadlines', async () => {
  const admin = await signedIn('province_admin');
  await admin.get(page);
  const bad = await admin.post(`${page}/gio-lam-viec`, hours({ ...week, mon: '07:00-11:30; 25:00-17:00', tue: '11:30-07:00', sat: 'sáng' }));
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(summaryLinks(bad.body).map(([href]) => href), ['hours-mon', 'hours-tue', 'hours-sat']);
  assert.match(bad.body, /Mỗi buổi phải kết thúc sau khi bắt đầu/);
  assert.match(bad.body, /id="hours-sat" name="sat" type="text" value="sáng"/);
  assert.match(bad.body, /id="hours-mon" name="mon" type="text" value="07:00-11:30; 25:00-17:00"/);
  const overlap = await admin.post(`${page}/gio-lam-viec`, hours({ ...week, wed: '07:00-12:00, 11:00-17:00' }));
  assert.deepEqual(summaryLinks(overlap.body).map(([href]) => href), ['hours-wed']);
  const none = await admin.post(`${page}/gio-lam-viec`, hours({}));
  assert.deepEqual(summaryLinks(none.body), [['hours-mon', 'Cần ít nhất một buổi làm việc trong tuần.']]);

  // Saturday mornings for every unit: Fri 27 Oct 2023 09:32 for 1 working day is due Sat 28 Oct.
  assert.equal(await due('2023-10-27T09:32:00+07:00', 1), '2023-10-30');
  const saved = await admin.post(`${page}/gio-lam-viec`, hours({ ...week, sat: '7:00-11:30' }));
  assert.equal(saved.statusCode, 303, saved.body);
  try {
    assert.match((await admin.get(saved.headers.location as string)).body, /Đã lưu giờ làm việc mặc định\./);
    assert.equal(await due('2023-10-27T09:32:00+07:00', 1), '2023-10-28');
    const entry = (await ctx.services.audit.list({ subject: 'calendar:default', limit: 1 })).items[0]!;
    assert.deepEqual((entry.data as { after: { sat: unknown } }).after.sat, [{ from: '07:00', to: '11:30' }]);
  } finally {
    assert.equal((await admin.post(`${page}/gio-lam-viec`, hours(week))).statusCode, 303);
  }
  assert.equal(await due('2023-10-27T09:32:00+07:00', 1), '2023-10-30');
});

test("a unit admin opens the page and edits only their unit's hours", async () => {
  const unitAdmin = await signedIn('unit_admin', 'my-tho');
  const res = await unitAdmin.get(`${page}?nam=2026`);
  assert.equal(res.statusCode, 200);
  assert.doesNotMatch(res.body, /action="\/quan-tri\/lich\/ngay"/);
  assert.doesNotMatch(res.body, /action="\/quan-tri\/lich\/gio-lam-viec"/);
  assert.match(res.body, /Chỉ quản trị viên cấp tỉnh sửa được/);
  assert.match(res.body, /<input type="hidden" name="unitId" value="my-tho">/);
  assert.match(res.body, /id="unit-mode" name="mode" value="default" checked/);

  assert.equal((await unitAdmin.post(`${page}/ngay`, { date: '2026-12-30', kind: 'off', name: 'Nghỉ' })).statusCode, 403);
  assert.equal((await unitAdmin.post(`${page}/ngay/xoa`, { date: '2026-02-14' })).statusCode, 403);
  assert.equal((await unitAdmin.post(`${page}/chinh-thuc`, { nam: '2031' })).statusCode, 403);
  assert.equal((await unitAdmin.post(`${page}/gio-lam-viec`, hours(week))).statusCode, 403);
  assert.equal((await unitAdmin.post(`${page}/gio-lam-viec/don-vi`, { unitId: 'cai-be', mode: 'own', ...hours({ ...week, sat: '07:00-11:30' }) })).statusCode, 403);

  const missingMode = await unitAdmin.post(`${page}/gio-lam-viec/don-vi`, { unitId: 'my-tho', ...hours({ ...week, sat: '07:00-11:30' }) });
  assert.equal(missingMode.statusCode, 400);
  assert.deepEqual(summaryLinks(missingMode.body).map(([href]) => href), ['unit-mode']);
  assert.match(missingMode.body, /id="unit-sat" name="sat" type="text" value="07:00-11:30"/);
  const badHours = await unitAdmin.post(`${page}/gio-lam-viec/don-vi`, { unitId: 'my-tho', mode: 'own', ...hours({ ...week, sat: '07:00-' }) });
  assert.deepEqual(summaryLinks(badHours.body).map(([href]) => href), ['unit-sat']);

  const saved = await unitAdmin.post(`${page}/gio-lam-viec/don-vi`, { unitId: 'my-tho', mode: 'own', ...hours({ ...week, sat: '07:00-11:30' }) });
  assert.equal(saved.statusCode, 303, saved.body);
  try {
    const shown = await unitAdmin.get(saved.headers.location as string);
    assert.match(shown.body, /Đã lưu giờ làm việc của /);
    assert.match(shown.body, /id="unit-mode-2" name="mode" value="own" checked/);
    assert.equal(await due('2023-10-27T09:32:00+07:00', 1, 'my-tho'), '2023-10-28');
    assert.equal(await due('2023-10-27T09:32:00+07:00', 1, 'cai-be'), '2023-10-30');
    const entry = (await ctx.services.audit.list({ subject: 'calendar:my-tho', limit: 1 })).items[0]!;
    assert.equal(entry.actorId, unitAdmin.userId);
  } finally {
    assert.equal((await unitAdmin.post(`${page}/gio-lam-viec/don-vi`, { unitId: 'my-tho', mode: 'default' })).statusCode, 303);
  }
  assert.equal(await due('2023-10-27T09:32:00+07:00', 1, 'my-tho'), '2023-10-30');
  assert.equal((await ctx.services.audit.verify()).ok, true);
});

test('a province admin chooses any unit; an unknown unit is refused with the summary', async () => {
  const admin = await signedIn('province_admin');
  const res = await admin.get(`${page}?don-vi=cai-be`);
  assert.match(res.body, /<option value="cai-be" selected>/);
  assert.match(res.body, /<input type="hidden" name="unitId" value="cai-be">/);
  const unknown = await admin.post(`${page}/gio-lam-viec/don-vi`, { unitId: 'khong-co', mode: 'default' });
  assert.equal(unknown.statusCode, 400);
  assert.deepEqual(summaryLinks(unknown.body), [['don-vi', 'Không có đơn vị này.']]);
});

test('a form posted without its token is refused (403) and changes nothing', async () => {
  const admin = await signedIn('province_admin');
  await admin.get(page);
  const before = (await ctx.services.audit.list()).total;
  for (const [url, form] of [
    [`${page}/ngay`, { date: '2026-12-30', kind: 'off', name: 'Nghỉ' }],
    [`${page}/ngay/xoa`, { date: '2026-02-14' }],
    [`${page}/chinh-thuc`, { nam: '2033' }],
    [`${page}/gio-lam-viec`, hours(week)],
    [`${page}/gio-lam-viec/don-vi`, { unitId: 'my-tho', mode: 'default' }],
  ] as const) {
    const res = await admin.post(url, form, false);
    assert.equal(res.statusCode, 403, url);
    assert.match(res.body, /Biểu mẫu đã hết hạn/);
  }
  assert.equal((await ctx.services.audit.list()).total, before);
  assert.equal((await ctx.services.calendar.holidays(2026)).days.some((d) => d.date === '2026-12-30'), false);
});
