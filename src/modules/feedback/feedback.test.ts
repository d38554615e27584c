// Satisfaction and feedback: rating a returned dossier (once, by its applicant, on the national
// three-level scale, counted in the daily statistics and in a rebuild), and public feedback that
// reaches the unit, is answered and published without the sender's name or contact.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestContext } from '../../testing/context.ts';
import { signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { attachResult, must, onlineDossier, type Desk, openDesk } from '../../testing/office.ts';
import { PageBrowser } from '../../testing/page-browser.ts';
import { tinyPdf } from '../../testing/uploads.ts';
import { vietnamDay } from '../../domain/time.ts';

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

test('the applicant rates a returned dossier once on the three-level scale (the older score still taken, mapped); it counts in the statistics, and a rebuild counts it the same', async () => {
  const d = await returnedDossier();
  const res = await rate(d.citizen.auth, d.id, { satisfaction: 'very_satisfied', comment: 'Cán bộ hướng dẫn tận tình.' });
  assert.equal(res.statusCode, 201, res.body);
  assert.deepEqual(res.json(), { dossierId: d.id, satisfaction: 'very_satisfied', score: null, comment: 'Cán bộ hướng dẫn tận tình.' });
  assert.equal((await rate(d.citizen.auth, d.id, { satisfaction: 'satisfied' })).statusCode, 409, 'once');
  // The older five-level score: 3–4 is satisfied, 1–2 dissatisfied; with both, they must agree.
  const older = await returnedDossier();
  assert.equal((await rate(older.citizen.auth, older.id, { score: 4, satisfaction: 'very_satisfied' })).statusCode, 400, 'a score of 4 is not very satisfied');
  const byScore = await rate(older.citizen.auth, older.id, { score: 4 });
  assert.equal(byScore.statusCode, 201, byScore.body);
  assert.deepEqual(byScore.json(), { dossierId: older.id, satisfaction: 'satisfied', score: 4, comment: null });
  const third = await returnedDossier();
  assert.equal((await rate(third.citizen.auth, third.id, { score: 2, satisfaction: 'dissatisfied' })).statusCode, 201);
  const rows = await ctx.handle.db.selectFrom('ratings').select(['dossier_id', 'score', 'satisfaction']).where('dossier_id', 'in', [d.id, older.id, third.id]).execute();
  assert.deepEqual(Object.fromEntries(rows.map((r) => [r.dossier_id, [r.score, r.satisfaction]])), { [d.id]: [0, 'very_satisfied'], [older.id]: [4, 'satisfied'], [third.id]: [2, 'dissatisfied'] }, 'no score given: 0');
  const day = (await ctx.services.stats.daily()).filter((r) => r.measure.startsWith('satisfaction_') || r.measure.startsWith('rating_'));
  assert.deepEqual(day.map((r) => [r.measure, Number(r.n)]).sort(), [['satisfaction_dissatisfied', 1], ['satisfaction_satisfied', 1], ['satisfaction_very_satisfied', 1]]);
  const today = vietnamDay(ctx.clock.now());
  const s = await ctx.services.stats.summary({ from: today, to: today });
  assert.deepEqual(s.satisfaction, { verySatisfied: 1, satisfied: 1, dissatisfied: 1, total: 3, satisfiedShare: 2 / 3 });
  const before = await ctx.services.stats.daily();
  await ctx.services.stats.rebuild();
  assert.deepEqual(await ctx.services.stats.daily(), before);
});

test('rating refuses the wrong moment and the wrong people: not yet returned (409), staff (403), another citizen (404), a bad or missing level (400)', async () => {
  const open = await onlineDossier(ctx);
  assert.equal((await rate(open.citizen.auth, open.id, { satisfaction: 'very_satisfied' })).statusCode, 409);
  const d = await returnedDossier();
  assert.equal((await rate(desk.reception.auth, d.id, { satisfaction: 'very_satisfied' })).statusCode, 403);
  assert.equal((await rate((await signedInCitizen(ctx, 'Người Khác')).auth, d.id, { satisfaction: 'very_satisfied' })).statusCode, 404);
  assert.equal((await rate(d.citizen.auth, d.id, { score: 6 })).statusCode, 400);
  assert.equal((await rate(d.citizen.auth, d.id, { satisfaction: 'neutral' })).statusCode, 400);
  const none = await rate(d.citizen.auth, d.id, { comment: 'Không chọn mức' });
  assert.equal(none.statusCode, 400);
  assert.equal(none.json().error.fields.satisfaction, 'Chọn mức độ hài lòng: rất hài lòng, hài lòng hoặc không hài lòng.');
  const mismatch = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/rating`, headers: { ...d.citizen.auth, 'accept-language': 'en' }, payload: { score: 1, satisfaction: 'satisfied' } });
  assert.equal(mismatch.statusCode, 400);
  assert.match(mismatch.json().error.fields.satisfaction, /does not match the score/);
  assert.equal((await rate({}, d.id, { satisfaction: 'very_satisfied' })).statusCode, 401);
  const spec = (await ctx.app.inject({ url: '/openapi.json' })).json();
  const body = spec.paths['/api/v1/dossiers/{id}/rating'].post.requestBody.content['application/json'].schema;
  assert.deepEqual(body.properties.satisfaction.enum, ['very_satisfied', 'satisfied', 'dissatisfied']);
});

test('the rating page without JavaScript: three radios on the national scale, an error summary when none is chosen, then thanks', async () => {
  const d = await returnedDossier();
  const b = new PageBrowser(ctx.app);
  b.cookies.set('motcua_session', d.citizen.token);
  const form = await b.get(`/ho-so/${d.id}/danh-gia`);
  assert.equal(form.statusCode, 200);
  const radios = [...form.body.matchAll(/<input class="radios-input"[^>]*name="satisfaction"[^>]*value="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(radios, ['very_satisfied', 'satisfied', 'dissatisfied']);
  for (const label of ['Rất hài lòng', 'Hài lòng', 'Không hài lòng']) assert.ok(form.body.includes(`>${label}</label>`), label);
  assert.ok(!form.body.includes('Bình thường'), 'no five-level choices');
  const none = await b.post(`/ho-so/${d.id}/danh-gia`, { comment: 'Nhanh gọn' });
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /class="error-summary"/);
  assert.match(none.body, /<a href="#satisfaction">Chọn mức độ hài lòng/);
  assert.match(none.body, />Nhanh gọn<\/textarea>/, 'what was typed is kept');
  const sent = await b.post(`/ho-so/${d.id}/danh-gia`, { satisfaction: 'satisfied', comment: 'Nhanh gọn' });
  assert.equal(sent.statusCode, 303);
  const thanks = (await b.get(sent.headers.location as string)).body;
  assert.match(thanks, /Cảm ơn bạn đã đánh giá/);
  assert.match(thanks, /Bạn đã đánh giá hồ sơ này: <strong>Hài lòng<\/strong>/);
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
