// The back office's pages as a browser without JavaScript uses them: the queue, counter intake, a
// dossier offering exactly the actions its viewer may take, and who may see what.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { communeUnit } from '../../testing/fixtures.ts';
import { counterDossier, deskAt, onlineDossier } from '../../testing/office.ts';
import { PageBrowser } from '../../testing/page-browser.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

let n = 0;
/** Someone signed in through the sign-in page, holding a role (at a unit, for staff). */
async function signedIn(role: string, unitId = communeUnit) {
  n++;
  const username = `trang.${role}.${n}`;
  const { id } = await ctx.services.accounts.addUser({ username, password: 'mat-khau-dai', name: `Cán bộ ${role} ${n}`, role, unitId });
  const b = new PageBrowser(ctx.app);
  await b.get('/dang-nhap');
  const res = await b.post('/dang-nhap', { username, password: 'mat-khau-dai', next: '/' });
  assert.equal(res.statusCode, 303, res.body);
  return Object.assign(b, { userId: id });
}

const offered = (body: string) => [...body.matchAll(/<input type="hidden" name="action" value="([a-z_]+)">/g)].map((m) => m[1]);
const tabCount = (body: string, label: string) => new RegExp(`>${label} <span class="tab-count">(\\d+)</span>`).exec(body)?.[1];

test('the queue lists a new online dossier under "waiting for intake", with the count of each tab, and tags late dossiers in words', async () => {
  const reception = await signedIn('reception');
  const waiting = await onlineDossier(ctx);
  const res = await reception.get('/can-bo/ho-so');
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /<title>Hồ sơ cần xử lý: Đang giải quyết – /);
  assert.match(res.body, /<a href="\/can-bo\/ho-so">Hồ sơ cần xử lý<\/a>/, 'the header links staff to the queue');
  assert.match(res.body, new RegExp(`<a href="/can-bo/ho-so/${waiting.id}">${waiting.code}</a>`));
  assert.match(res.body, /<a href="\/can-bo\/ho-so\?tab=open" aria-current="page">Đang giải quyết/);
  assert.equal(tabCount(res.body, 'Đang giải quyết'), '1');
  assert.equal(tabCount(res.body, 'Chờ tiếp nhận'), '1');
  assert.equal(tabCount(res.body, 'Đang xử lý'), '0');
  assert.match(res.body, /<td data-label="Người nộp">Nguyễn Thị Lan<\/td>/);
  const intake = await reception.get('/can-bo/ho-so?tab=intake');
  assert.match(intake.body, /href="\/can-bo\/ho-so\?tab=intake" aria-current="page"/);
  assert.match(intake.body, new RegExp(waiting.code));
  assert.match((await reception.get('/can-bo/ho-so?tab=closed')).body, /Không có hồ sơ nào\./);
  assert.doesNotMatch((await reception.get('/can-bo/ho-so?procedureId=xac-nhan-tinh-trang-hon-nhan')).body, new RegExp(waiting.code), 'filtered by procedure');

  // Accepted on Sunday 29 Nov for 3 working days: due Thu 3 Dec at 17:00.
  const desk = await deskAt(ctx);
  const counter = await counterDossier(ctx, desk.reception);
  try {
    ctx.clock.set('2026-12-02T02:00:00.000Z');
    assert.match((await reception.get('/can-bo/ho-so?tab=processing')).body, new RegExp(`${counter.code}[\\s\\S]*<strong class="tag tag-due-soon">Sắp đến hạn</strong>`));
    ctx.clock.set('2026-12-04T02:00:00.000Z');
    const late = await reception.get('/can-bo/ho-so?tab=overdue');
    assert.match(late.body, new RegExp(`${counter.code}[\\s\\S]*<strong class="tag tag-overdue">Quá hạn</strong>`));
    assert.equal(tabCount(late.body, 'Quá hạn'), '1');
  } finally {
    ctx.clock.set('2026-11-29T03:00:00.000Z');
  }
});

test('the back office is for staff: strangers are sent to sign in, citizens and outreach get the 403 page', async () => {
  const anonymous = new PageBrowser(ctx.app);
  const res = await anonymous.get('/can-bo/ho-so?tab=intake');
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/dang-nhap?next=%2Fcan-bo%2Fho-so%3Ftab%3Dintake');
  assert.equal((await anonymous.get('/can-bo/tiep-nhan')).statusCode, 303);
  const { id } = await onlineDossier(ctx);
  for (const who of [await signedIn('citizen'), await signedIn('outreach')]) {
    for (const url of ['/can-bo/ho-so', '/can-bo/tiep-nhan', `/can-bo/ho-so/${id}`]) {
      const page = await who.get(url);
      assert.equal(page.statusCode, 403, url);
      assert.match(page.body, /Bạn không có quyền thực hiện việc này\./);
      assert.doesNotMatch(page.body, /href="\/can-bo\/ho-so"/, 'no office link for them');
    }
  }
  const auditor = await signedIn('auditor');
  assert.equal((await auditor.get('/can-bo/ho-so')).statusCode, 200, 'an auditor reads the queue');
  assert.equal((await auditor.get('/can-bo/tiep-nhan')).statusCode, 403, 'but takes nothing in');
});

test('counter intake: choose the procedure, fill its form; a mistake comes back in the summary with everything kept; then the code in large type', async () => {
  const reception = await signedIn('reception');
  const choose = await reception.get('/can-bo/tiep-nhan');
  assert.equal(choose.statusCode, 200);
  assert.match(choose.body, /<option value="xac-nhan-tinh-trang-hon-nhan">Cấp Giấy xác nhận tình trạng hôn nhân<\/option>/);
  const none = await reception.get('/can-bo/tiep-nhan?thu-tuc=');
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /<a href="#thu-tuc">Vui lòng nhập thông tin này.<\/a>/);
  // A procedure another unit decides: the desk takes it in for that unit (Decree 118/2025, docs/domain.md §3.7).
  const elsewhere = await reception.get('/can-bo/tiep-nhan?thu-tuc=dang-ky-ho-kinh-doanh');
  assert.equal(elsewhere.statusCode, 200, 'receiving is not bound to the administrative boundary');
  assert.match(elsewhere.body, /Cơ quan giải quyết/);
  assert.equal((await reception.get('/can-bo/tiep-nhan?thu-tuc=khong-co-thu-tuc-nay')).statusCode, 400, 'a procedure that does not exist');
  const form = await reception.get('/can-bo/tiep-nhan?thu-tuc=xac-nhan-tinh-trang-hon-nhan');
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /<label class="label" for="applicant.fullName">/);
  assert.match(form.body, /<input class="radios-input" type="radio" id="channel" name="channel" value="counter" checked>/);

  const answers = {
    procedureId: 'xac-nhan-tinh-trang-hon-nhan', unitId: communeUnit, channel: 'counter',
    'applicant.fullName': 'Lê Văn Tám', 'applicant.birthDate': '1990-05-01', 'applicant.idNumber': '1234', 'applicant.phone': '0912345678',
    'applicant.address.line': 'Số 3 đường Lê Lợi', 'applicant.address.areaCode': '28249', request_details: 'Xác nhận để đăng ký kết hôn',
  };
  const wrong = await reception.post('/can-bo/tiep-nhan', answers);
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /<title>Lỗi: /);
  assert.match(wrong.body, /<a href="#applicant.idNumber">Nhập số định danh cá nhân gồm 12 chữ số/);
  assert.match(wrong.body, /<a href="#delivery.method">Vui lòng nhập thông tin này.<\/a>/);
  assert.match(wrong.body, /value="Lê Văn Tám"/);
  assert.match(wrong.body, />Xác nhận để đăng ký kết hôn<\/textarea>/);
  assert.match(wrong.body, /<option value="28249" selected>/);

  const done = await reception.post('/can-bo/tiep-nhan', { ...answers, 'applicant.idNumber': '082090000123', 'delivery.method': 'counter' });
  assert.equal(done.statusCode, 303, done.body);
  const confirmation = await reception.get(done.headers.location as string);
  assert.equal(confirmation.statusCode, 200);
  const code = /<strong class="dossier-code">([^<]+)<\/strong>/.exec(confirmation.body)?.[1];
  assert.match(code ?? '', /^000\.01\.22\.H58-261129-\d{4}$/);
  assert.match(confirmation.body, /Hẹn trả kết quả: 17:00 ngày 03\/12\/2026/);
  const id = (done.headers.location as string).split('/').pop();
  assert.match(confirmation.body, new RegExp(`<a href="/api/v1/dossiers/${id}/receipt.pdf">`));
  assert.match(confirmation.body, new RegExp(`<a href="/can-bo/ho-so/${id}">Mở hồ sơ</a>`));
  const receipt = await reception.get(`/api/v1/dossiers/${id}/receipt.pdf`);
  assert.equal(receipt.headers['content-type'], 'application/pdf');
  const view = await reception.get(`/can-bo/ho-so/${id}`);
  assert.match(view.body, /Lê Văn Tám/);
  assert.match(view.body, /Trực tiếp tại bộ phận một cửa/);
});

test('a dossier offers exactly the actions its viewer may take now: reception on a submitted one may accept, ask for a supplement or refuse; an auditor, nothing', async () => {
  const w = await onlineDossier(ctx);
  const reception = await signedIn('reception');
  const view = await reception.get(`/can-bo/ho-so/${w.id}`);
  assert.equal(view.statusCode, 200);
  assert.deepEqual(offered(view.body), ['accept', 'request_supplement', 'refuse']);
  assert.doesNotMatch(view.body, /enctype="multipart\/form-data"/, 'no result to attach yet');
  assert.match(view.body, /Trần Minh Khang/, 'the form answers');
  assert.match(view.body, /Phường Đạo Thạnh, Tỉnh Đồng Tháp \(trước đây: Phường 5, Thành phố Mỹ Tho\)/, 'an address in both forms');
  assert.match(view.body, new RegExp(`<a href="/api/v1/dossiers/${w.id}/attachments/[^"]+">anh-chup.png</a>`));
  assert.match(view.body, /PNG, 1 KB/);
  assert.doesNotMatch(view.body, /Giấy tiếp nhận hồ sơ và hẹn trả kết quả \(Mẫu 01, PDF\)/, 'Form 01 comes at acceptance (Circular 03/2025/TT-VPCP)');
  assert.doesNotMatch(view.body, /Mẫu 06/, 'the process-control sheet once accepted');

  const auditor = await signedIn('auditor');
  const read = await auditor.get(`/can-bo/ho-so/${w.id}`);
  assert.equal(read.statusCode, 200);
  assert.deepEqual(offered(read.body), []);
  assert.match(read.body, /Lúc này bạn không có thao tác nào với hồ sơ này\./);
});

test('actions: no form token is 403; an empty supplement list and a wrong person come back with the summary and what was typed; success shows a banner', async () => {
  const w = await onlineDossier(ctx);
  const reception = await signedIn('reception');
  await reception.get(`/can-bo/ho-so/${w.id}`);
  const forged = await reception.post(`/can-bo/ho-so/${w.id}/thao-tac`, { action: 'accept' }, false);
  assert.equal(forged.statusCode, 403);
  assert.equal((await ctx.services.views.get((await ctx.services.accounts.userForToken(w.citizen.token))!, w.id)).status, 'submitted');

  const empty = await reception.post(`/can-bo/ho-so/${w.id}/thao-tac`, { action: 'request_supplement', missing: ' \r\n \r\n' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /<title>Lỗi: Hồ sơ /);
  assert.match(empty.body, /<a href="#request_supplement-missing">Ghi rõ từng giấy tờ còn thiếu hoặc cần sửa, mỗi dòng một mục.<\/a>/);
  assert.match(empty.body, /id="request_supplement-missing-error"/);

  const accepted = await reception.post(`/can-bo/ho-so/${w.id}/thao-tac`, { action: 'accept' });
  assert.equal(accepted.statusCode, 303);
  assert.equal(accepted.headers.location, `/can-bo/ho-so/${w.id}?xong=accept`);
  const after = await reception.get(accepted.headers.location as string);
  assert.match(after.body, /<div class="notice notice-success" role="status"><p>Đã thực hiện: Tiếp nhận hồ sơ.<\/p><\/div>/);
  assert.match(after.body, /Mẫu 06, PDF/);
  assert.deepEqual(offered(after.body), ['transfer', 'assign', 'apologize']);

  const wrongPerson = await reception.post(`/can-bo/ho-so/${w.id}/thao-tac`, { action: 'transfer', toUserId: w.citizen.user.id, note: 'Chuyển anh Bình thẩm định' });
  assert.equal(wrongPerson.statusCode, 400);
  assert.match(wrongPerson.body, /<a href="#transfer-toUserId">Người này không giữ vai trò phù hợp/);
  assert.match(wrongPerson.body, />Chuyển anh Bình thẩm định<\/textarea>/);
});

test('another commune’s officer never learns the dossier exists: the 404 page, for reading and for acting', async () => {
  const w = await onlineDossier(ctx);
  const elsewhere = await signedIn('reception', 'my-tho-phuong-4');
  const res = await elsewhere.get(`/can-bo/ho-so/${w.id}`);
  assert.equal(res.statusCode, 404);
  assert.match(res.body, /Không tìm thấy trang/);
  assert.equal((await elsewhere.post(`/can-bo/ho-so/${w.id}/thao-tac`, { action: 'accept' })).statusCode, 404);
  assert.doesNotMatch((await elsewhere.get('/can-bo/ho-so')).body, new RegExp(w.code));
});

test('a supplement deadline on the pages: set on the request form (a bad date comes back with its message), shown on the dossier and in the queue, tagged once passed, and then the desk may return the dossier', async () => {
  ctx.clock.set('2026-11-30T02:32:00.000Z');
  const w = await onlineDossier(ctx);
  const reception = await signedIn('reception');
  const view = await reception.get(`/can-bo/ho-so/${w.id}`);
  assert.match(view.body, /<label class="label" for="request_supplement-supplementDueAt">Hạn bổ sung \(không bắt buộc\)<\/label>/);
  assert.match(view.body, /<input class="input input-medium" id="request_supplement-supplementDueAt" name="supplementDueAt" type="date"/);
  const past = await reception.post(`/can-bo/ho-so/${w.id}/thao-tac`, { action: 'request_supplement', missing: 'Bản chính giấy chứng sinh', supplementDueAt: '2026-11-01' });
  assert.equal(past.statusCode, 400);
  assert.match(past.body, /<a href="#request_supplement-supplementDueAt">Hạn bổ sung phải là một ngày sau thời điểm hiện tại.<\/a>/);
  assert.match(past.body, /value="2026-11-01"/, 'what was typed comes back');
  const asked = await reception.post(`/can-bo/ho-so/${w.id}/thao-tac`, { action: 'request_supplement', missing: 'Bản chính giấy chứng sinh', supplementDueAt: '2026-12-01' });
  assert.equal(asked.statusCode, 303);
  const open = await reception.get(`/can-bo/ho-so/${w.id}`);
  assert.match(open.body, /<dt>Hạn bổ sung<\/dt><dd>17:00 ngày 01\/12\/2026<\/dd>/);
  assert.doesNotMatch(open.body, /Quá hạn bổ sung/);
  assert.ok(!offered(open.body).includes('return_unsupplemented'), 'not offered before the deadline');
  try {
    ctx.clock.set('2026-12-02T02:00:00.000Z');
    const late = await reception.get(`/can-bo/ho-so/${w.id}`);
    assert.match(late.body, /<strong class="tag tag-overdue">Quá hạn bổ sung<\/strong>/);
    assert.ok(offered(late.body).includes('return_unsupplemented'));
    assert.match(late.body, /<button class="button button-warning" type="submit">Trả hồ sơ do quá hạn bổ sung<\/button>/);
    const queue = await reception.get('/can-bo/ho-so?tab=paused');
    assert.match(queue.body, new RegExp(`${w.code}[\\s\\S]*Hạn bổ sung: 17:00 ngày 01/12/2026 <strong class="tag tag-overdue">Quá hạn bổ sung</strong>`));
    const noReason = await reception.post(`/can-bo/ho-so/${w.id}/thao-tac`, { action: 'return_unsupplemented', note: '' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /<a href="#return_unsupplemented-note">Ghi rõ lý do.<\/a>/);
    const returned = await reception.post(`/can-bo/ho-so/${w.id}/thao-tac`, { action: 'return_unsupplemented', note: 'Quá hạn bổ sung' });
    assert.equal(returned.statusCode, 303);
    const done = await reception.get(returned.headers.location as string);
    assert.match(done.body, /Đã thực hiện: Trả hồ sơ do quá hạn bổ sung\./);
    assert.match(done.body, /Không được tiếp nhận/);
    assert.match(done.body, /Mẫu 03, PDF/);
  } finally {
    ctx.clock.set('2026-11-30T02:32:00.000Z');
  }
});

test('a stopped dossier: the leader’s form says it ends the dossier; afterwards Form 05 is listed and no action is offered', async () => {
  const desk = await deskAt(ctx);
  const d = await counterDossier(ctx, desk.reception);
  const approver = await signedIn('approver');
  const reception = await signedIn('reception');
  await reception.get(`/can-bo/ho-so/${d.id}`);
  assert.equal((await reception.post(`/can-bo/ho-so/${d.id}/thao-tac`, { action: 'transfer' })).statusCode, 303);
  const view = await approver.get(`/can-bo/ho-so/${d.id}`);
  assert.match(view.body, /Dừng xử lý là kết thúc hồ sơ, kèm Thông báo dừng giải quyết hồ sơ \(Mẫu 05\)/);
  assert.equal((await approver.post(`/can-bo/ho-so/${d.id}/thao-tac`, { action: 'suspend', note: 'Người nộp đề nghị dừng giải quyết' })).statusCode, 303);
  const stopped = await approver.get(`/can-bo/ho-so/${d.id}`);
  assert.match(stopped.body, new RegExp(`<a href="/api/v1/dossiers/${d.id}/documents/05.pdf">Thông báo dừng giải quyết hồ sơ \\(Mẫu 05, PDF\\)</a>`));
  assert.deepEqual(offered(stopped.body), []);
  const resumed = await approver.post(`/can-bo/ho-so/${d.id}/thao-tac`, { action: 'resume' });
  assert.equal(resumed.statusCode, 409);
  assert.match((await reception.get('/can-bo/ho-so?tab=closed')).body, new RegExp(d.code));
});
