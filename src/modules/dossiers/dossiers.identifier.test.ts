// A unit without an electronic agency identifier cannot issue dossier codes (docs/domain.md §7.1):
// online submission and counter intake, by the API and on the pages, fail with a message naming
// the unit, and nothing is created, numbered or lost.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { birthRegistration, communeUnit, signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { counterIntakeBody } from '../../testing/office.ts';
import { attachRequiredDocuments } from '../../testing/uploads.ts';
import { PageBrowser } from '../../testing/page-browser.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

type Headers = Record<string, string>;
async function call(method: 'GET' | 'POST', url: string, headers: Headers, payload?: unknown) {
  const res = await ctx.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.json() };
}

/** Runs `body` while Phường 5 (Mỹ Tho) has no identifier, as a unit an administrator has not set up yet. */
async function withoutIdentifier(body: () => Promise<void>) {
  const db = ctx.handle.db;
  const { identifier } = await db.selectFrom('units').select('identifier').where('id', '=', communeUnit).executeTakeFirstOrThrow();
  await db.updateTable('units').set({ identifier: null }).where('id', '=', communeUnit).execute();
  await ctx.services.catalog.load();
  try {
    await body();
  } finally {
    await db.updateTable('units').set({ identifier }).where('id', '=', communeUnit).execute();
    await ctx.services.catalog.load();
  }
}

const counters = async () => ctx.handle.db.selectFrom('dossier_counters').selectAll().where('unit_id', '=', communeUnit).execute();
const dossierCount = async () => Number((await ctx.handle.db.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

const viMessage = 'Đơn vị “Phường 5, Thành phố Mỹ Tho” chưa có mã định danh điện tử nên chưa cấp được mã hồ sơ. Vui lòng chọn đơn vị khác, hoặc báo quản trị viên cập nhật mã định danh cho đơn vị này.';
const enMessage = '“Ward 5, My Tho City” has no electronic agency identifier yet, so it cannot issue dossier codes. Choose another unit, or ask an administrator to set this unit’s identifier.';

test('online submission at a unit without an identifier: 409 unit_without_identifier naming the unit (vi, en); the draft stays a draft and no number is taken', async () => {
  const { auth } = await signedInCitizen(ctx);
  const draft = await call('POST', '/api/v1/dossiers', auth, birthRegistration());
  assert.equal(draft.status, 201);
  await attachRequiredDocuments(ctx, auth, draft.body.id);
  await withoutIdentifier(async () => {
    const vi = await call('POST', `/api/v1/dossiers/${draft.body.id}/submit`, auth);
    assert.equal(vi.status, 409);
    assert.equal(vi.body.error.code, 'unit_without_identifier');
    assert.equal(vi.body.error.message, viMessage);
    assert.equal(vi.body.error.fields.unitId, viMessage, 'the unit field carries it, for forms');
    const en = await call('POST', `/api/v1/dossiers/${draft.body.id}/submit`, { ...auth, 'accept-language': 'en' });
    assert.equal(en.status, 409);
    assert.equal(en.body.error.message, enMessage);
    const view = await call('GET', `/api/v1/dossiers/${draft.body.id}`, auth);
    assert.equal(view.body.status, 'draft');
    assert.equal(view.body.code, null);
    assert.deepEqual(await counters(), [], 'the day counter did not move');
  });
  const done = await call('POST', `/api/v1/dossiers/${draft.body.id}/submit`, auth);
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.match(done.body.code, /^000\.01\.22\.H58-261129-0001$/, 'once the identifier is back, the first number of the day');
});

test('the filing check page shows the error in its summary, with the consent still ticked, and submits nothing', async () => {
  const { auth, user } = await signedInCitizen(ctx, 'Phạm Thị Thu');
  const b = new PageBrowser(ctx.app);
  await b.get('/dang-nhap');
  assert.equal((await b.post('/dang-nhap', { username: user.username, password: 'mat-khau-dai', next: '/' })).statusCode, 303);
  const draft = await call('POST', '/api/v1/dossiers', auth, birthRegistration());
  await attachRequiredDocuments(ctx, auth, draft.body.id);
  await withoutIdentifier(async () => {
    const page = await b.post(`/ho-so/${draft.body.id}/nop`, { consent: 'yes' });
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /<div class="error-summary"/);
    assert.ok(page.body.includes(viMessage), 'the message names the unit');
    assert.match(page.body, /name="consent"[^>]*checked/);
    assert.equal((await call('GET', `/api/v1/dossiers/${draft.body.id}`, auth)).body.status, 'draft');
  });
});

test('counter intake at a unit without an identifier: 409 by the API, nothing created; the intake page shows the error and keeps every answer', async () => {
  const reception = await signedInStaff(ctx, 'reception', communeUnit);
  await withoutIdentifier(async () => {
    const before = await dossierCount();
    const numbered = await counters();
    const api = await call('POST', '/api/v1/office/dossiers', reception.auth, counterIntakeBody());
    assert.equal(api.status, 409);
    assert.equal(api.body.error.code, 'unit_without_identifier');
    assert.equal(api.body.error.message, viMessage);
    const en = await call('POST', '/api/v1/office/dossiers', { ...reception.auth, 'accept-language': 'en' }, counterIntakeBody());
    assert.equal(en.body.error.message, enMessage);
    assert.equal(await dossierCount(), before, 'nothing created');
    assert.deepEqual(await counters(), numbered, 'no number taken');

    const username = `tiep.nhan.dinh.danh.${process.pid}`;
    await ctx.services.accounts.addUser({ username, password: 'mat-khau-dai', name: 'Cán bộ tiếp nhận', role: 'reception', unitId: communeUnit });
    const b = new PageBrowser(ctx.app);
    await b.get('/dang-nhap');
    assert.equal((await b.post('/dang-nhap', { username, password: 'mat-khau-dai', next: '/' })).statusCode, 303);
    const page = await b.post('/can-bo/tiep-nhan', {
      procedureId: 'xac-nhan-tinh-trang-hon-nhan', unitId: communeUnit, channel: 'counter',
      'applicant.fullName': 'Lê Văn Tám', 'applicant.birthDate': '1990-05-01', 'applicant.idNumber': '082090000123', 'applicant.phone': '0912345678',
      'applicant.address.line': 'Số 3 đường Lê Lợi', 'applicant.address.areaCode': '28249', request_details: 'Xác nhận để đăng ký kết hôn', 'delivery.method': 'counter',
    });
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /<div class="error-summary"/);
    assert.ok(page.body.includes(viMessage), 'the message names the unit');
    assert.match(page.body, /value="Lê Văn Tám"/);
    assert.match(page.body, /value="082090000123"/);
    assert.match(page.body, />Xác nhận để đăng ký kết hôn<\/textarea>/);
    assert.equal(await dossierCount(), before, 'still nothing created');
  });
});

test('a unit with an identifier issues {identifier}-{YYMMDD}-{NNNN} at the counter too', async () => {
  const reception = await signedInStaff(ctx, 'reception', 'my-tho-phuong-4');
  const res = await call('POST', '/api/v1/office/dossiers', reception.auth, counterIntakeBody({ unitId: 'my-tho-phuong-4' }));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.code, '000.02.22.H58-261129-0001');
});
