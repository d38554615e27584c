// The postal pages without JavaScript (issue 12): choosing to receive the result by post while
// filing (province → commune from the current list, the fee shown, the address kept), the refusal
// of a commune merged away, and postal staff recording a tracking number and the handover. Both dialects.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, testDialect, type TestContext } from '../../testing/context.ts';
import { communeUnit, signedInCitizen } from '../../testing/fixtures.ts';
import { PageBrowser } from '../../testing/page-browser.ts';
import { counterIntakeBody, deskAt, type Desk } from '../../testing/office.ts';

let ctx: TestContext;
let desk: Desk;
before(async () => {
  ctx = await createTestContext();
  desk = await deskAt(ctx);
});
after(() => ctx.close());

async function browserFor(who: { token: string }): Promise<PageBrowser> {
  const b = new PageBrowser(ctx.app);
  b.cookies.set('motcua_session', who.token);
  await b.get('/');
  return b;
}

test(`filing: the result by post, the province's communes shown without JavaScript, the fee shown, the address kept (${testDialect})`, async () => {
  const citizen = await signedInCitizen(ctx);
  const draft = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: citizen.auth, payload: { procedureId: 'xac-nhan-tinh-trang-hon-nhan', unitId: communeUnit } });
  assert.equal(draft.statusCode, 201, draft.body);
  const id = draft.json().id as string;
  const b = await browserFor(citizen);
  const page = await b.get(`/ho-so/${id}/khai`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Cước chuyển phát kết quả: 22\.000/, 'the fee from the tariff');
  assert.match(page.body, /chưa được xác nhận/, 'marked illustrative');
  assert.match(page.body, /<option value="28249"[^>]*>Phường Đạo Thạnh/, 'the desk’s province’s communes by default');

  const shown = await b.post(`/ho-so/${id}/khai`, { 'delivery.method': 'postal', 'delivery.address.province': '79', 'delivery.address.line': 'Số 1 Lê Duẩn', show: 'communes' });
  assert.equal(shown.statusCode, 200);
  assert.match(shown.body, /<option value="79" selected/);
  assert.match(shown.body, /Phường Sài Gòn/, 'the chosen province’s communes');
  assert.match(shown.body, /value="Số 1 Lê Duẩn"/, 'what was typed is kept');

  const saved = await b.post(`/ho-so/${id}/khai`, { 'delivery.method': 'postal', 'delivery.address.line': 'Số 12 đường Hùng Vương', 'delivery.address.areaCode': '28249', request_details: 'Xác nhận tình trạng hôn nhân' });
  assert.equal(saved.statusCode, 303, saved.body.slice(0, 300));
  const view = (await ctx.app.inject({ url: `/api/v1/dossiers/${id}`, headers: citizen.auth })).json();
  assert.deepEqual(view.delivery, { method: 'postal', address: { line: 'Số 12 đường Hùng Vương', areaCode: '28249' } });
});

test(`postal staff record the tracking number and the handover of a dossier on their page (${testDialect})`, async () => {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/office/dossiers', headers: desk.postal.auth, payload: counterIntakeBody({ channel: 'postal' }) });
  assert.equal(res.statusCode, 201, res.body);
  const shipment = (await ctx.app.inject({ url: `/api/v1/dossiers/${res.json().id}/shipments`, headers: desk.postal.auth })).json().items[0];
  const b = await browserFor(desk.postal);
  const bad = await b.post(`/can-bo/buu-chinh/${shipment.id}`, { trackingNumber: 'số hiệu sai!' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Số hiệu bưu gửi chỉ gồm/);
  assert.match(bad.body, /value="số hiệu sai!"/, 'what was typed is kept');
  const ok = await b.post(`/can-bo/buu-chinh/${shipment.id}`, { trackingNumber: 'EI555000111VN', status: 'picked_up' });
  assert.equal(ok.statusCode, 303);
  const after = (await ctx.app.inject({ url: `/api/v1/dossiers/${res.json().id}/shipments`, headers: desk.reception.auth })).json().items[0];
  assert.deepEqual([after.status, after.trackingNumber, after.events[0].source], ['picked_up', 'EI555000111VN', 'staff']);
  const officer = await browserFor(desk.reception);
  const page = await officer.get(`/can-bo/ho-so/${res.json().id}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /EI555000111VN/, 'the office’s dossier page lists its shipments');
  // Cái Bè's postal staff work for the provincial post office only, not Mỹ Tho's, which carries this dossier.
  const elsewhere = await deskAt(ctx, 'cai-be');
  const stranger = await browserFor(elsewhere.postal);
  assert.equal((await stranger.post(`/can-bo/buu-chinh/${shipment.id}`, { trackingNumber: 'X1' })).statusCode, 404, 'a shipment of another post office');
});
