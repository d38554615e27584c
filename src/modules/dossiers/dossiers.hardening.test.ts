// The API and pages hardened (issue 10, OWASP ASVS level 2): CSRF on cookie-authenticated API
// writes, no-store on personal data, uploaded files served sandboxed, a 404 page that links only
// to this site, and staff reads and exports of personal data in the audit log.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createTestContext, testDialect, type TestContext } from '../../testing/context.ts';
import { birthRegistration, communeUnit, signedInCitizen } from '../../testing/fixtures.ts';
import { attachRequiredDocuments, multipartBody, tinyPng } from '../../testing/uploads.ts';
import { deskAt, dossierAt, type Desk } from '../../testing/office.ts';
import { PageBrowser } from '../../testing/page-browser.ts';
import { csrfCookie } from '../../http/csrf.ts';

let ctx: TestContext;
let desk: Desk;
before(async () => {
  ctx = await createTestContext();
  desk = await deskAt(ctx);
});
after(() => ctx.close());

let n = 0;
/** A citizen signed in through the sign-in page (a session cookie), with a Bearer token for set-up too. */
async function citizenInBrowser() {
  n++;
  const username = `0913${String(process.pid % 1000).padStart(3, '0')}${String(n).padStart(3, '0')}`;
  await ctx.services.accounts.addUser({ username, password: 'mat-khau-dai', name: 'Nguyễn Thị Lan', role: 'citizen' });
  const b = new PageBrowser(ctx.app);
  await b.get('/dang-nhap');
  const res = await b.post('/dang-nhap', { username, password: 'mat-khau-dai', next: '/' });
  assert.equal(res.statusCode, 303, res.body);
  const { token } = await ctx.services.accounts.signIn({ username, password: 'mat-khau-dai', ip: '127.0.0.1', kind: 'bearer' });
  return { b, auth: { authorization: `Bearer ${token}` } };
}

async function draftReadyToSubmit(auth: Record<string, string>) {
  const id = (await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: auth, payload: birthRegistration() })).json().id as string;
  await attachRequiredDocuments(ctx, auth, id);
  return id;
}

async function auditEntries(kind: string) {
  return ctx.handle.db.selectFrom('audit_log').selectAll().where('kind', '=', kind).orderBy('seq').execute();
}

test(`a cookie-authenticated API write from another origin without the CSRF header is refused 403 csrf; with the header, the same origin or Bearer it works (${testDialect})`, async () => {
  const { b, auth } = await citizenInBrowser();
  const id = await draftReadyToSubmit(auth);
  const submit = (headers: Record<string, string>) => ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/submit`, headers });

  const foreign = await submit({ cookie: b.cookieHeader, origin: 'https://evil.example' });
  assert.equal(foreign.statusCode, 403);
  assert.equal(foreign.json().error.code, 'csrf');
  const noOrigin = await submit({ cookie: b.cookieHeader });
  assert.equal(noOrigin.statusCode, 403, 'neither header nor origin: refused');
  const wrongToken = await submit({ cookie: b.cookieHeader, 'x-csrf-token': 'x'.repeat(32), origin: 'https://evil.example' });
  assert.equal(wrongToken.statusCode, 403);
  const foreignReferer = await submit({ cookie: b.cookieHeader, referer: 'http://localhost:3000.evil.example/ho-so' });
  assert.equal(foreignReferer.statusCode, 403, 'a referer whose origin only starts like ours is not ours');
  assert.equal((await ctx.services.views.get((await ctx.services.accounts.userForToken(auth.authorization.slice(7)))!, id)).status, 'draft', 'nothing was submitted');

  const token = b.cookies.get(csrfCookie);
  assert.ok(token, 'the pages gave the browser its CSRF cookie');
  const withHeader = await submit({ cookie: b.cookieHeader, 'x-csrf-token': token!, origin: 'https://evil.example' });
  assert.equal(withHeader.statusCode, 200, withHeader.body);

  const id2 = await draftReadyToSubmit(auth);
  const sameOrigin = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id2}/submit`, headers: { cookie: b.cookieHeader, origin: 'http://localhost:3000' } });
  assert.equal(sameOrigin.statusCode, 200, 'a request from the portal’s own origin passes');

  const id3 = await draftReadyToSubmit(auth);
  const bearer = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id3}/submit`, headers: { ...auth, origin: 'https://evil.example' } });
  assert.equal(bearer.statusCode, 200, 'Bearer needs neither header nor origin');

  const anonymous = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id3}/submit`, headers: { origin: 'https://evil.example' } });
  assert.equal(anonymous.statusCode, 401, 'no session: the CSRF check does not apply, authentication fails');
  const reads = await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${id}`, headers: { cookie: b.cookieHeader, origin: 'https://evil.example' } });
  assert.equal(reads.statusCode, 200, 'reads are not state-changing');
});

test('the multipart upload API checks CSRF for a cookie session before reading the file', async () => {
  const { b, auth } = await citizenInBrowser();
  const id = (await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: auth, payload: birthRegistration() })).json().id as string;
  const { body, contentType } = multipartBody('giay_chung_sinh', { name: 'anh.png', type: 'image/png', bytes: tinyPng });
  const foreign = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/attachments`, headers: { cookie: b.cookieHeader, origin: 'https://evil.example', 'content-type': contentType }, payload: body });
  assert.equal(foreign.statusCode, 403);
  assert.equal(foreign.json().error.code, 'csrf');
  const rows = await ctx.handle.db.selectFrom('attachments').select('id').where('dossier_id', '=', id).execute();
  assert.equal(rows.length, 0, 'no file was recorded');
  const own = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/attachments`, headers: { cookie: b.cookieHeader, 'x-csrf-token': b.cookies.get(csrfCookie)!, 'content-type': contentType }, payload: body });
  assert.notEqual(own.statusCode, 403, own.body);
});

test('answers with personal data carry Cache-Control: no-store; the public catalogue stays cacheable', async () => {
  const citizen = await signedInCitizen(ctx);
  const d = await dossierAt(ctx, desk, 'resolved', citizen);
  const { b } = await citizenInBrowser();
  const officer = new PageBrowser(ctx.app);
  await ctx.services.accounts.addUser({ username: 'trang.reception.cache', password: 'mat-khau-dai', name: 'Cán bộ', role: 'reception', unitId: communeUnit });
  await officer.get('/dang-nhap');
  assert.equal((await officer.post('/dang-nhap', { username: 'trang.reception.cache', password: 'mat-khau-dai', next: '/' })).statusCode, 303);
  const att = (await ctx.services.views.get(citizen.user!, d.id)).attachments[0]!;

  const personal: Array<[string, Promise<{ headers: Record<string, unknown>; statusCode: number }>]> = [
    ['dossier API', ctx.app.inject({ url: `/api/v1/dossiers/${d.id}`, headers: citizen.auth })],
    ['dossier list API', ctx.app.inject({ url: '/api/v1/me/dossiers', headers: citizen.auth })],
    ['attachment', ctx.app.inject({ url: `/api/v1/dossiers/${d.id}/attachments/${att.id}`, headers: citizen.auth })],
    ['result', ctx.app.inject({ url: `/api/v1/dossiers/${d.id}/results/1`, headers: citizen.auth })],
    ['receipt', ctx.app.inject({ url: `/api/v1/dossiers/${d.id}/receipt.pdf`, headers: citizen.auth })],
    ['printed form', ctx.app.inject({ url: `/api/v1/dossiers/${d.id}/documents/06.pdf`, headers: desk.reception.auth })],
    ['office queue API', ctx.app.inject({ url: '/api/v1/office/queue', headers: desk.reception.auth })],
    ['dossier list export', ctx.app.inject({ url: '/api/v1/stats/dossiers.csv?column=received_online&from=2026-11-01&to=2026-11-30', headers: desk.reception.auth })],
    ['applicant’s pages', b.get('/ho-so')],
    ['account page', b.get('/tai-khoan')],
    ['office queue page', officer.get('/can-bo/ho-so')],
    ['office dossier page', officer.get(`/can-bo/ho-so/${d.id}`)],
    ['an unauthenticated dossier request', ctx.app.inject({ url: `/api/v1/dossiers/${d.id}` })],
  ];
  for (const [what, pending] of personal) {
    const res = await pending;
    assert.ok(res.statusCode < 500, `${what}: ${res.statusCode}`);
    assert.match(String(res.headers['cache-control']), /no-store/, `${what} (${res.statusCode})`);
  }
  for (const url of ['/', '/thu-tuc', '/api/v1/procedures', '/static/app.css']) {
    const res = await ctx.app.inject({ url });
    assert.equal(res.statusCode, 200, url);
    assert.doesNotMatch(String(res.headers['cache-control'] ?? ''), /no-store/, `${url} stays cacheable for the public`);
  }
});

test('uploaded files (attachments and results) are served with Content-Security-Policy: sandbox and nosniff', async () => {
  const citizen = await signedInCitizen(ctx);
  const d = await dossierAt(ctx, desk, 'resolved', citizen);
  const att = (await ctx.services.views.get(citizen.user!, d.id)).attachments[0]!;
  for (const url of [`/api/v1/dossiers/${d.id}/attachments/${att.id}`, `/api/v1/dossiers/${d.id}/results/1`]) {
    const res = await ctx.app.inject({ url, headers: citizen.auth });
    assert.equal(res.statusCode, 200, url);
    assert.equal(res.headers['content-security-policy'], 'sandbox', url);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    assert.match(String(res.headers['content-disposition']), /^inline; /);
  }
});

test('the 404 page for //evil.example/x, /\\evil.example and encoded forms links nowhere off-site', async () => {
  // A real socket: app.inject would parse these paths as URLs first, and a browser's request line is sent as typed.
  const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = new URL(address);
  const raw = (path: string) => new Promise<{ statusCode: number; body: string }>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ statusCode: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
  for (const url of ['//evil.example/x', '/\\evil.example', '/\\/evil.example/x?a=1', '/%5Cevil.example', '/%2F%2Fevil.example/x', '/%2F/evil.example', '///evil.example?lang=vi', '/%09/evil.example']) {
    const res = await raw(url);
    assert.equal(res.statusCode, 404, url);
    const hrefs = [...res.body.matchAll(/\b(?:href|action|src)="([^"]*)"/g)].map((m) => m[1]!);
    assert.ok(hrefs.length > 5, url);
    for (const href of hrefs) {
      assert.match(href, /^(\/(?![/\\])|#)/, `${url}: ${href} stays on this site`);
      assert.doesNotMatch(href, /^[a-z][a-z0-9+.-]*:/i, `${url}: ${href} has no scheme`);
    }
    const lang = /<a class="lang-switch" href="([^"]*)"/.exec(res.body)?.[1];
    assert.ok(lang?.includes('lang=en'), `${url}: ${lang}`);
  }
});

test(`staff reads of a dossier, an attachment and a result, and an export with personal data, are in the audit log; the applicant's own reads are not (${testDialect})`, async () => {
  const citizen = await signedInCitizen(ctx);
  const d = await dossierAt(ctx, desk, 'resolved', citizen);
  const att = (await ctx.services.views.get(citizen.user!, d.id)).attachments[0]!;
  const before = (await auditEntries('personal_data_read')).length;
  for (const url of [`/api/v1/dossiers/${d.id}`, `/api/v1/dossiers/${d.id}/attachments/${att.id}`, `/api/v1/dossiers/${d.id}/results/1`]) {
    assert.equal((await ctx.app.inject({ url, headers: citizen.auth })).statusCode, 200, url);
  }
  assert.equal((await auditEntries('personal_data_read')).length, before, 'the applicant reading their own dossier is not recorded');

  for (const url of [`/api/v1/dossiers/${d.id}`, `/api/v1/dossiers/${d.id}/attachments/${att.id}`, `/api/v1/dossiers/${d.id}/results/1`]) {
    assert.equal((await ctx.app.inject({ url, headers: desk.specialist.auth })).statusCode, 200, url);
  }
  const reads = (await auditEntries('personal_data_read')).slice(before);
  assert.deepEqual(reads.map((r) => [r.actor_id, r.subject, JSON.parse(r.data).read]), [
    [desk.specialist.user!.id, `dossier:${d.id}`, 'dossier'],
    [desk.specialist.user!.id, `dossier:${d.id}`, 'attachment'],
    [desk.specialist.user!.id, `dossier:${d.id}`, 'result'],
  ]);
  for (const r of reads) assert.doesNotMatch(r.data, /Nguyễn|082195000123|0912345678|example\.vn/, 'who, what and when: never the content');

  const exportsBefore = (await auditEntries('personal_data_export')).length;
  const csv = await ctx.app.inject({ url: '/api/v1/stats/dossiers.csv?column=received_online&from=2026-11-01&to=2026-11-30', headers: desk.reception.auth });
  assert.equal(csv.statusCode, 200, csv.body);
  const exported = (await auditEntries('personal_data_export')).slice(exportsBefore);
  assert.equal(exported.length, 1);
  assert.equal(exported[0]!.actor_id, desk.reception.user!.id);
  assert.equal(exported[0]!.subject, 'export:dossiers.csv');
  assert.equal(JSON.parse(exported[0]!.data).column, 'received_online');
  assert.equal((await ctx.services.audit.verify()).ok, true, 'the chain with the read entries verifies, anchor included');
});
