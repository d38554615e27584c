// Result records and their verification (docs/domain.md §7.3, api-v1.md "Results"): the fields an
// officer must give and their errors in both languages (API and page, what was typed kept), who may
// download a result, the first online download as the return, and verification by id (the public
// page, with no applicant data) and by upload (API and page), where one changed byte is not authentic.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { TestContext } from '../../testing/context.ts';
import { birthRegistration, communeUnit, signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { attachResult, dossierAt, multipartFields, must, openDesk, resultFields, type Desk } from '../../testing/office.ts';
import { PageBrowser } from '../../testing/page-browser.ts';
import { attachRequiredDocuments, tinyPdf, tinyPng } from '../../testing/uploads.ts';
import { checkPdfSignature } from './office.signing.cms.ts';

let ctx: TestContext;
let desk: Desk;
before(async () => ({ ctx, desk } = await openDesk()));
after(() => ctx.close());

const file = (id: string, auth: Record<string, string>, n = 1) => ctx.app.inject({ url: `/api/v1/dossiers/${id}/results/${n}`, headers: auth });
const dossier = async (id: string) => (await ctx.app.inject({ url: `/api/v1/dossiers/${id}`, headers: desk.approver.auth })).json();

async function verify(bytes: Buffer) {
  const { body, contentType } = multipartFields({}, { name: 'ban-sao.pdf', type: 'application/pdf', bytes });
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/results/verify', headers: { 'content-type': contentType }, payload: body });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

test('a result needs its type and number (and a symbol for a decision); a date in the future is refused; errors in Vietnamese or English, nothing kept', async () => {
  const d = await dossierAt(ctx, desk, 'in_process');
  const none = await attachResult(ctx, desk.approver, d.id, tinyPdf, 'ket-qua.pdf', {});
  assert.equal(none.status, 400);
  assert.deepEqual(Object.keys(none.body.error.fields).sort(), ['number', 'type']);
  assert.equal(none.body.error.fields.number, 'Vui lòng nhập thông tin này.');
  const decision = await attachResult(ctx, desk.approver, d.id, tinyPdf, 'ket-qua.pdf', { type: 'decision', number: '15' });
  assert.deepEqual(Object.keys(decision.body.error.fields), ['symbol']);
  const bad = await attachResult(ctx, desk.approver, d.id, tinyPdf, 'ket-qua.pdf', { type: 'giay-to', number: 'số mười lăm', symbol: 'qđ ubnd', issuedOn: '2099-01-01' });
  assert.deepEqual(Object.keys(bad.body.error.fields).sort(), ['issuedOn', 'number', 'symbol', 'type']);
  assert.match(bad.body.error.fields.issuedOn, /Ngày ban hành phải là hôm nay hoặc một ngày đã qua/);
  const en = await ctx.app.inject({
    method: 'POST', url: `/api/v1/dossiers/${d.id}/results`,
    headers: { ...desk.approver.auth, 'accept-language': 'en', 'content-type': multipartFields({ type: 'decision', number: 'x' }, { name: 'a.pdf', type: 'application/pdf', bytes: tinyPdf }).contentType },
    payload: multipartFields({ type: 'decision', number: 'x' }, { name: 'a.pdf', type: 'application/pdf', bytes: tinyPdf }).body,
  });
  assert.equal(en.statusCode, 400);
  assert.match(en.json().error.fields.number, /Enter the document’s number in digits/);
  assert.equal((await dossier(d.id)).results.length, 0, 'no result was recorded');
  // A licence may go without a symbol; the date defaults to today (Vietnam).
  const licence = await attachResult(ctx, desk.approver, d.id, tinyPdf, 'giay-phep.pdf', { type: 'licence', number: 'GP-0123' });
  assert.equal(licence.status, 201, JSON.stringify(licence.body));
  assert.equal(licence.body.symbol, null);
  assert.equal(licence.body.issuedOn, '2026-11-29');
  assert.equal(licence.body.issuingUnit, 'Ủy ban nhân dân Phường 5');
});

test('the office page keeps what was typed and puts each message beside its field when a result is turned down', async () => {
  const d = await dossierAt(ctx, desk, 'in_process');
  const { id } = await ctx.services.accounts.addUser({ username: 'trang.approver.kq', password: 'mat-khau-dai', name: 'Cán bộ phê duyệt', role: 'approver', unitId: communeUnit });
  assert.ok(id);
  const b = new PageBrowser(ctx.app);
  await b.get('/dang-nhap');
  assert.equal((await b.post('/dang-nhap', { username: 'trang.approver.kq', password: 'mat-khau-dai', next: '/' })).statusCode, 303);
  const page = await b.get(`/can-bo/ho-so/${d.id}`);
  assert.match(page.body, /<select class="select" id="attach_result-type" name="type"/);
  const form = multipartFields({ _csrf: b.cookies.get('motcua_csrf')!, type: 'decision', number: '27', symbol: '' }, { name: 'qd.pdf', type: 'application/pdf', bytes: tinyPdf });
  const res = await ctx.app.inject({ method: 'POST', url: `/can-bo/ho-so/${d.id}/ket-qua`, headers: { cookie: b.cookieHeader, 'content-type': form.contentType }, payload: form.body });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /<a href="#attach_result-symbol">Vui lòng nhập thông tin này\.<\/a>/);
  assert.match(res.body, /id="attach_result-number" name="number" type="text" value="27"/);
  assert.match(res.body, /<option value="decision" selected>Quyết định<\/option>/);
  const ok = multipartFields({ _csrf: b.cookies.get('motcua_csrf')!, type: 'decision', number: '27', symbol: 'qđ-ubnd' }, { name: 'qd.pdf', type: 'application/pdf', bytes: tinyPdf });
  const done = await ctx.app.inject({ method: 'POST', url: `/can-bo/ho-so/${d.id}/ket-qua`, headers: { cookie: b.cookieHeader, 'content-type': ok.contentType }, payload: ok.body });
  assert.equal(done.statusCode, 303, done.body);
  const [r] = (await ctx.handle.db.selectFrom('dossier_results').selectAll().where('dossier_id', '=', d.id).execute());
  assert.equal(r?.symbol, 'QĐ-UBND');
  assert.ok(r?.signed_at);
});

test('who may download a result: the owner once resolved, staff in scope; another citizen and staff elsewhere 404, anonymous 401', async () => {
  const d = await dossierAt(ctx, desk, 'in_process');
  assert.equal((await attachResult(ctx, desk.approver, d.id, tinyPdf)).status, 201);
  assert.equal((await file(d.id, d.citizen.auth)).statusCode, 404, 'not before it is resolved');
  const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/actions`, headers: desk.approver.auth, payload: { action: 'resolve' } });
  assert.equal(res.statusCode, 200);
  const other = await signedInCitizen(ctx, 'Trần Văn Bình');
  const elsewhere = await signedInStaff(ctx, 'approver', 'my-tho-phuong-1');
  assert.equal((await file(d.id, other.auth)).statusCode, 404);
  assert.equal((await file(d.id, elsewhere.auth)).statusCode, 404);
  assert.equal((await file(d.id, {})).statusCode, 401);
  for (const who of [desk.reception, desk.specialist, desk.approver, desk.clerk]) assert.equal((await file(d.id, who.auth)).statusCode, 200);
  assert.equal((await dossier(d.id)).status, 'resolved', 'staff downloads return nothing');
  const own = await file(d.id, d.citizen.auth);
  assert.equal(own.statusCode, 200);
  assert.equal(own.headers['content-type'], 'application/pdf');
  assert.equal(own.headers['cache-control'], 'no-store');
});

test('the owner’s first download of a signed result returns the dossier when the result goes back online; later downloads change nothing', async () => {
  const d = await dossierAt(ctx, desk, 'resolved');
  assert.equal((await file(d.id, d.citizen.auth)).statusCode, 200);
  const after1 = await dossier(d.id);
  assert.equal(after1.status, 'returned');
  const last = after1.history.at(-1);
  assert.equal(last.action, 'return_result');
  assert.equal(last.actorRole, 'citizen');
  assert.equal((await file(d.id, d.citizen.auth)).statusCode, 200);
  assert.equal((await dossier(d.id)).history.filter((h: { action: string }) => h.action === 'return_result').length, 1);

  // A result delivered at the counter is handed over there, whatever the applicant downloads.
  const owner = await signedInCitizen(ctx);
  const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: owner.auth, payload: birthRegistration({ delivery: { method: 'counter' } }) });
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().id as string;
  await attachRequiredDocuments(ctx, owner.auth, id);
  assert.equal((await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/submit`, headers: owner.auth })).statusCode, 200);
  await must(ctx, desk.reception, id, { action: 'accept' });
  await must(ctx, desk.reception, id, { action: 'transfer' });
  assert.equal((await attachResult(ctx, desk.approver, id, tinyPdf)).status, 201);
  await must(ctx, desk.approver, id, { action: 'resolve' });
  assert.equal((await file(id, owner.auth)).statusCode, 200);
  assert.equal((await dossier(id)).status, 'resolved');
});

test('the verification page shows the result, its signer and SHA-256, and no applicant data; an unknown id is 404', async () => {
  const d = await dossierAt(ctx, desk, 'resolved');
  const [r] = (await dossier(d.id)).results;
  const page = await ctx.app.inject({ url: `/xac-thuc/${r.code}` });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Văn bản xác thực/);
  assert.match(page.body, new RegExp(r.sha256));
  assert.match(page.body, /15\/QĐ-UBND/);
  assert.match(page.body, /Quyết định/);
  assert.match(page.body, /Ủy ban nhân dân tỉnh Tiền Giang \(chứng thư thử nghiệm\)/);
  assert.match(page.body, /Đăng ký khai sinh/, 'the result’s title: its procedure');
  for (const personal of ['Nguyễn Thị Lan', '082', 'ket-qua.pdf', d.trackingKey]) assert.ok(!page.body.includes(personal), `no ${personal}`);
  const en = await ctx.app.inject({ url: `/xac-thuc/${r.code}?lang=en` });
  assert.match(en.body, /Authentic document/);
  const unknown = await ctx.app.inject({ url: '/xac-thuc/000.00.00.H00-260101-0001-KQ9' });
  assert.equal(unknown.statusCode, 404);
  assert.match(unknown.body, /Không có kết quả với mã này/);
});

test('verification by upload: the signed file is valid, one changed byte or a photo is not (API and page, without JavaScript)', async () => {
  const d = await dossierAt(ctx, desk, 'resolved');
  const signed = (await file(d.id, desk.approver.auth)).rawPayload;
  const [r] = (await dossier(d.id)).results;
  const ok = await verify(signed);
  assert.deepEqual(ok, { valid: true, resultId: r.code, code: d.code, signer: 'Ủy ban nhân dân tỉnh Tiền Giang (chứng thư thử nghiệm)', signedAt: '2026-11-29T03:00:00.000Z' });
  const changed = Buffer.from(signed);
  const at = changed.indexOf('/MediaBox') + 2;
  changed[at] = changed[at]! ^ 0x20;
  assert.deepEqual(await verify(changed), { valid: false });
  assert.deepEqual(await verify(tinyPdf), { valid: false });
  assert.deepEqual(await verify(tinyPng), { valid: false });
  const empty = await ctx.app.inject({ method: 'POST', url: '/api/v1/results/verify', headers: { 'content-type': multipartFields({}).contentType }, payload: multipartFields({}).body });
  assert.equal(empty.statusCode, 400);

  const b = new PageBrowser(ctx.app);
  await b.get(`/xac-thuc/${r.code}`);
  const post = async (bytes: Buffer) => {
    const form = multipartFields({ _csrf: b.cookies.get('motcua_csrf')! }, { name: 'ban-sao.pdf', type: 'application/pdf', bytes });
    return ctx.app.inject({ method: 'POST', url: '/xac-thuc', headers: { cookie: b.cookieHeader, 'content-type': form.contentType }, payload: form.body });
  };
  const good = await post(signed);
  assert.equal(good.statusCode, 200);
  assert.match(good.body, new RegExp(`Bản sao xác thực: đúng từng byte với kết quả ${r.code}`));
  const badPage = await post(changed);
  assert.equal(badPage.statusCode, 200);
  assert.match(badPage.body, /Không xác thực được/);
  assert.match(badPage.body, /Bản sao không xác thực/);
  assert.doesNotMatch(badPage.body, /Văn bản xác thực/);
});

test('the verification page checks the stored file against its recorded SHA-256: one changed byte the signature does not cover is not authentic', async () => {
  const d = await dossierAt(ctx, desk, 'resolved');
  const [r] = (await dossier(d.id)).results;
  assert.match((await ctx.app.inject({ url: `/xac-thuc/${r.code}` })).body, /Văn bản xác thực/);
  const { storage_key: key } = await ctx.handle.db.selectFrom('dossier_results').select('storage_key').where('code', '=', r.code).executeTakeFirstOrThrow();
  const stored = path.join(ctx.filesDir, ...key.split('/'));
  const bytes = fs.readFileSync(stored);
  // A byte of the signature's zero padding inside /Contents: outside the signed ranges, so the signature still holds.
  const at = bytes.indexOf('0000>', bytes.indexOf('/Contents <'));
  assert.ok(at > 0);
  bytes[at] = '1'.charCodeAt(0);
  assert.equal(checkPdfSignature(bytes).valid, true, 'the signature alone does not see this change');
  fs.writeFileSync(stored, bytes);
  const page = await ctx.app.inject({ url: `/xac-thuc/${r.code}` });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Không xác thực được/);
  assert.doesNotMatch(page.body, /Văn bản xác thực/);
});

test('the OpenAPI document lists the verification route and the result fields', async () => {
  const spec = (await ctx.app.inject({ url: '/openapi.json' })).json();
  assert.ok(spec.paths['/api/v1/results/verify'].post);
  assert.match(JSON.stringify(spec.paths['/api/v1/dossiers/{id}/results'].post), /symbol/);
  assert.deepEqual(resultFields, { type: 'decision', number: '15', symbol: 'QĐ-UBND' });
});
