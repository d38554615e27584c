// Satisfaction and feedback: rating a returned dossier (once, by its applicant, counted in the
// daily statistics and in a rebuild), and public feedback that reaches the unit, is answered and
// published without the sender's name or contact.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestContext } from '../../testing/context.ts';
import { signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { attachResult, must, onlineDossier, type Desk, openDesk } from '../../testing/office.ts';
import { PageBrowser } from '../../testing/page-browser.ts';
import { tinyPdf } from '../../testing/uploads.ts';

let ctx: TestContext;
let desk: Desk;
before(async () => ({ ctx, desk } = await openDesk()));
after(() => ctx.close());

async function returnedDossier() {
  const d = await onlineDossier(ctx);
  await must(ctx, desk.reception, d.id, { action: 'accept' });
  await must(ctx, desk.reception, d.id, { action: 'transfer' });
  assert.equal((await attachResult(ctx, desk.specialist, d.id, tinyPdf)).status, 201);
  await must(ctx, desk.approver, d.id, { action: 'resolve' });
  await must(ctx, desk.reception, d.id, { action: 'return_result', receivedBy: 'Nguyễn Thị Lan' });
  return d;
}

const rate = (auth: Record<string, string>, id: string, payload: object) => ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/rating`, headers: auth, payload });

test('the applicant rates a returned dossier once; it counts in the statistics, and a rebuild counts it the same', async () => {
  const d = await returnedDossier();
  const res = await rate(d.citizen.auth, d.id, { score: 4, comment: 'Cán bộ hướng dẫn tận tình.' });
  assert.equal(res.statusCode, 201, res.body);
  assert.deepEqual(res.json(), { dossierId: d.id, score: 4, comment: 'Cán bộ hướng dẫn tận tình.' });
  assert.equal((await rate(d.citizen.auth, d.id, { score: 5 })).statusCode, 409, 'once');
  const day = (await ctx.services.stats.daily()).filter((r) => r.measure.startsWith('rating_'));
  assert.deepEqual(day.map((r) => [r.measure, Number(r.n)]), [['rating_4', 1]]);
  const before = await ctx.services.stats.daily();
  await ctx.services.stats.rebuild();
  assert.deepEqual(await ctx.services.stats.daily(), before);
});

test('rating refuses the wrong moment and the wrong people: not yet returned (409), staff (403), another citizen (404), a bad score (400)', async () => {
  const open = await onlineDossier(ctx);
  assert.equal((await rate(open.citizen.auth, open.id, { score: 5 })).statusCode, 409);
  const d = await returnedDossier();
  assert.equal((await rate(desk.reception.auth, d.id, { score: 5 })).statusCode, 403);
  assert.equal((await rate((await signedInCitizen(ctx, 'Người Khác')).auth, d.id, { score: 5 })).statusCode, 404);
  assert.equal((await rate(d.citizen.auth, d.id, { score: 6 })).statusCode, 400);
  assert.equal((await rate({}, d.id, { score: 5 })).statusCode, 401);
});

test('the rating page without JavaScript: five levels, an error summary when none is chosen, then thanks', async () => {
  const d = await returnedDossier();
  const b = new PageBrowser(ctx.app);
  b.cookies.set('motcua_session', d.citizen.token);
  const form = await b.get(`/ho-so/${d.id}/danh-gia`);
  assert.equal(form.statusCode, 200);
  for (const label of ['Rất hài lòng', 'Hài lòng', 'Bình thường', 'Không hài lòng', 'Rất không hài lòng']) assert.ok(form.body.includes(`>${label}</label>`), label);
  const none = await b.post(`/ho-so/${d.id}/danh-gia`, { comment: 'Nhanh gọn' });
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /class="error-summary"/);
  assert.match(none.body, />Nhanh gọn<\/textarea>/, 'what was typed is kept');
  const sent = await b.post(`/ho-so/${d.id}/danh-gia`, { score: '5', comment: 'Nhanh gọn' });
  assert.equal(sent.statusCode, 303);
  assert.match((await b.get(sent.headers.location as string)).body, /Cảm ơn bạn đã đánh giá/);
  assert.match((await b.get('/ho-so')).body, new RegExp(`/ho-so/${d.id}/danh-gia`), 'my dossiers links to it');
});

test('feedback reaches the unit’s desk, which answers and publishes it; the public page shows it without name or contact', async () => {
  const sent = await ctx.app.inject({
    method: 'POST', url: '/api/v1/feedback',
    payload: { unitId: 'my-tho-phuong-5', name: 'Trần Văn Nam', contact: 'nam.tran@example.vn', subject: 'Thời gian chờ ở bộ phận một cửa', body: 'Sáng thứ Hai tôi phải chờ hơn một giờ.' },
  });
  assert.equal(sent.statusCode, 201, sent.body);
  const { id } = sent.json();
  // Another commune's desk does not see it; an auditor answers nothing.
  assert.equal((await ctx.app.inject({ url: '/api/v1/office/feedback', headers: (await signedInStaff(ctx, 'reception', 'my-tho-phuong-4')).auth })).json().total, 0);
  assert.equal((await ctx.app.inject({ url: '/api/v1/office/feedback', headers: (await signedInStaff(ctx, 'auditor', 'my-tho-phuong-5')).auth })).statusCode, 403);
  const queue = (await ctx.app.inject({ url: '/api/v1/office/feedback', headers: desk.reception.auth })).json();
  assert.deepEqual(queue.items.map((i: { id: string; status: string }) => [i.id, i.status]), [[id, 'new']]);
  assert.equal((await ctx.app.inject({ url: '/api/v1/feedback' })).json().total, 0, 'nothing public before the answer');

  // Answering: only the unit's desk or administrators; another commune never learns of it.
  const answerAs = async (headers: Record<string, string>) =>
    (await ctx.app.inject({ method: 'POST', url: `/api/v1/office/feedback/${id}/answer`, headers, payload: { answer: 'Không phải người trả lời' } })).statusCode;
  assert.equal(await answerAs({}), 401);
  assert.equal(await answerAs((await signedInCitizen(ctx, 'Người Khác')).auth), 403);
  assert.equal(await answerAs((await signedInStaff(ctx, 'specialist', 'my-tho-phuong-5')).auth), 403);
  assert.equal(await answerAs((await signedInStaff(ctx, 'reception', 'my-tho-phuong-4')).auth), 404);
  const answer = await ctx.app.inject({ method: 'POST', url: `/api/v1/office/feedback/${id}/answer`, headers: desk.reception.auth, payload: { answer: 'Từ tháng 12, bộ phận một cửa mở thêm một quầy vào sáng thứ Hai.', publish: true } });
  assert.equal(answer.statusCode, 200, answer.body);
  const message = await ctx.handle.db.selectFrom('outbox').select(['recipient', 'params']).where('template', '=', 'feedback_answered').executeTakeFirstOrThrow();
  assert.equal(message.recipient, 'nam.tran@example.vn');
  const published = (await ctx.app.inject({ url: '/api/v1/feedback' })).json();
  assert.equal(published.total, 1);
  const body = JSON.stringify(published);
  assert.ok(!body.includes('Trần Văn Nam') && !body.includes('nam.tran@example.vn'), 'no name, no contact');
  assert.match((await ctx.app.inject({ url: '/phan-anh' })).body, /mở thêm một quầy/);
});

test('the feedback form without JavaScript: missing answers come back in the error summary with what was typed', async () => {
  const b = new PageBrowser(ctx.app);
  await b.get('/phan-anh/gui');
  const bad = await b.post('/phan-anh/gui', { unitId: 'my-tho-phuong-5', subject: 'Hỏi về lệ phí', body: '', name: 'Lê Thị Mai', contact: 'khong-phai-email' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /class="error-summary"/);
  assert.match(bad.body, /href="#body"/);
  assert.match(bad.body, /href="#contact"/);
  assert.match(bad.body, /value="Hỏi về lệ phí"/);
  const ok = await b.post('/phan-anh/gui', { unitId: 'my-tho-phuong-5', subject: 'Hỏi về lệ phí', body: 'Lệ phí đăng ký khai sinh là bao nhiêu?', name: 'Lê Thị Mai', contact: '0912345678' });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/phan-anh/da-gui');
});
