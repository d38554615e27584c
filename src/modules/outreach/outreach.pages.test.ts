// Campaign plan pages without JavaScript: the public plan page with its warning and the computed
// budget table; the outreach role's form, which keeps what was typed and names the bad line; an
// activity carried out with an evidence upload; the report page; who may open what.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { signedInStaff } from '../../testing/fixtures.ts';
import { multipartFields } from '../../testing/office.ts';
import { PageBrowser } from '../../testing/page-browser.ts';
import { tinyPng } from '../../testing/uploads.ts';
import { demoPlanId } from './outreach.seed.ts';

let ctx: TestContext;
before(async () => (ctx = await createTestContext()));
after(() => ctx.close());

async function browserAs(role: string | null) {
  const b = new PageBrowser(ctx.app);
  if (role) b.cookies.set('motcua_session', (await signedInStaff(ctx, role, 'so-thong-tin-va-truyen-thong')).token);
  await b.get('/truyen-thong');
  return b;
}

const form = {
  number: '05/KH-STTTT', date: '2026-10-01', issuer: 'Sở Thông tin và Truyền thông', title: 'Tuyên truyền tại trường học', periodFrom: '2026-10-01', periodTo: '2026-12-31',
  objectives: 'Sinh viên biết dịch vụ công trực tuyến\nThử nộp hồ sơ trên điện thoại', themes: 'Lợi ích của dịch vụ công', 'channel-schools': 'yes', otherChannels: 'Loa phát thanh xã',
  'unit-0-role': 'responsible', 'unit-0-unitId': 'so-thong-tin-va-truyen-thong', 'unit-0-name': '', 'unit-0-tasks': 'Chủ trì; Báo cáo',
  'line-0-section': 'A', 'line-0-sectionName': 'Buổi tuyên truyền', 'line-0-no': '1', 'line-0-item': 'Hội trường', 'line-0-quantity': '6', 'line-0-unitPrice': '3.000.000',
  'line-0-amount': '18000000', 'line-0-state': '18000000', 'line-0-social': '0',
  'line-1-section': 'A', 'line-1-sectionName': 'Buổi tuyên truyền', 'line-1-no': '2', 'line-1-item': 'Nước uống', 'line-1-quantity': '1200', 'line-1-unitPrice': '6000',
  'line-1-amount': '7200000', 'line-1-state': '7000000', 'line-1-social': '0',
};

test('the public plan page: the number mismatch as a warning, the budget with its computed totals, downloads; no edit link for visitors', async () => {
  const res = await (await browserAs(null)).get(`/truyen-thong/${demoPlanId}`);
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /Số kế hoạch không thống nhất: phần đầu ghi “088\/KH-UBND”, phụ lục dự toán ghi “18\/KH-UBND”/);
  assert.match(res.body, /Tổng cộng<\/th><td>213\.000\.000<\/td><td>163\.000\.000<\/td><td>50\.000\.000<\/td>/);
  assert.match(res.body, /href="\/api\/v1\/outreach\/plans\/plan-088-2017\/budget\.xlsx"/);
  assert.doesNotMatch(res.body, /\/sua"/);
  const en = await (await browserAs(null)).get(`/truyen-thong/${demoPlanId}?lang=en`);
  assert.match(en.body, /The plan&#39;s number is not consistent|The plan's number is not consistent/);
});

test('who may open the outreach pages: visitors sign in first, other roles 403, outreach 200', async () => {
  assert.equal((await (await browserAs(null)).get('/truyen-thong/moi')).statusCode, 303);
  for (const role of ['reception', 'province_admin', 'auditor']) {
    const b = await browserAs(role);
    assert.equal((await b.get('/truyen-thong/moi')).statusCode, 403, role);
    assert.equal((await b.get(`/truyen-thong/${demoPlanId}/bao-cao`)).statusCode, 403, role);
    assert.equal((await b.post('/truyen-thong/moi', form)).statusCode, 403, role);
  }
  const b = await browserAs('outreach');
  assert.equal((await b.get('/truyen-thong/moi')).statusCode, 200);
  const edit = await b.get(`/truyen-thong/${demoPlanId}/sua`);
  assert.equal(edit.statusCode, 200);
  assert.match(edit.body, /name="line-8-item" type="text" value="Phụ cấp làm thêm giờ"/);
});

test('a bad budget line on the form: 400, the line named in the summary and beside its field, everything typed kept; corrected, the plan is saved', async () => {
  const b = await browserAs('outreach');
  const bad = await b.post('/truyen-thong/moi', form);
  assert.equal(bad.statusCode, 400);
  const message = 'Dòng A.2 Nước uống: ngân sách nhà nước + xã hội hóa = 7.000.000 đồng, phải bằng thành tiền 7.200.000 đồng.';
  assert.ok(bad.body.includes(`<a href="#line-1-state">${message}</a>`), 'in the error summary, linking to the field');
  assert.ok(bad.body.includes(`id="line-1-state-error"`));
  assert.match(bad.body, /name="line-0-unitPrice" type="text" value="3\.000\.000"/, 'what was typed stays as typed');
  assert.match(bad.body, /name="line-1-state" type="text" value="7000000"/);
  assert.match(bad.body, /Sinh viên biết dịch vụ công trực tuyến\nThử nộp hồ sơ trên điện thoại<\/textarea>/);
  assert.match(bad.body, /id="channel-schools" name="channel-schools" type="checkbox" value="yes" checked/);
  const ok = await b.post('/truyen-thong/moi', { ...form, 'line-1-state': '7200000' });
  assert.equal(ok.statusCode, 303, ok.body);
  const plan = await b.get(String(ok.headers.location));
  assert.match(plan.body, /Đã lưu kế hoạch\./);
  assert.match(plan.body, /Tổng cộng<\/th><td>25\.200\.000<\/td><td>25\.200\.000<\/td><td>0<\/td>/);
  assert.match(plan.body, /Loa phát thanh xã/);
});

test('carrying out an activity on its page: added, marked done with its spending, an evidence photo uploaded; the report page counts it', async () => {
  const b = await browserAs('outreach');
  const added = await b.post(`/truyen-thong/${demoPlanId}/hoat-dong`, { title: 'Buổi 1 tại Trường Đại học Tiền Giang', channelId: `${demoPlanId}-channel-5`, plannedFrom: '2017-10-02', plannedTo: '' });
  assert.equal(added.statusCode, 400, 'the planned end is required');
  assert.match(added.body, /value="Buổi 1 tại Trường Đại học Tiền Giang"/);
  assert.equal((await b.post(`/truyen-thong/${demoPlanId}/hoat-dong`, { title: 'Buổi 1 tại Trường Đại học Tiền Giang', channelId: `${demoPlanId}-channel-5`, plannedFrom: '2017-10-02', plannedTo: '2017-10-02' })).statusCode, 303);
  const plan = (await ctx.app.inject({ url: `/api/v1/outreach/plans/${demoPlanId}` })).json();
  const a = plan.activities.at(-1);
  const page = `/truyen-thong/${demoPlanId}/hoat-dong/${a.id}`;
  const wrong = await b.post(page, { title: a.title, channelId: a.channelId, plannedFrom: a.plannedFrom, plannedTo: a.plannedTo, status: 'done', actualFrom: '2017-10-02', actualTo: '2017-10-02', actualSpending: 'tám triệu', note: '' });
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /value="tám triệu"/);
  const done = await b.post(page, { title: a.title, channelId: a.channelId, plannedFrom: a.plannedFrom, plannedTo: a.plannedTo, status: 'done', actualFrom: '2017-10-02', actualTo: '2017-10-02', actualSpending: '8.000.000', note: '' });
  assert.equal(done.statusCode, 303, done.body);
  const { body, contentType } = multipartFields({ _csrf: b.cookies.get('motcua_csrf') ?? '' }, { name: 'anh.png', type: 'image/png', bytes: tinyPng });
  const up = await ctx.app.inject({ method: 'POST', url: `${page}/minh-chung`, payload: body, headers: { cookie: b.cookieHeader, 'content-type': contentType } });
  assert.equal(up.statusCode, 303, up.body);
  const shown = await b.get(String(up.headers.location));
  assert.match(shown.body, /Đã tải lên tệp minh chứng\./);
  assert.match(shown.body, /anh\.png/);
  const report = await b.get(`/truyen-thong/${demoPlanId}/bao-cao`);
  assert.equal(report.statusCode, 200);
  assert.match(report.body, /<dt>Đã hoàn thành<\/dt><dd>1<\/dd>/);
  assert.match(report.body, /<dt>Đã chi<\/dt><dd>8\.000\.000<\/dd>/);
  assert.match(report.body, /Cùng kỳ năm trước \(18\/08\/2016 – 31\/12\/2016\)/);
});
