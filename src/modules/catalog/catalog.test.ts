import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createTestContext, type TestContext } from '../../testing/context.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await ctx.app.inject({ url, headers });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

test('the catalogue lists the 90 real procedures, 20 to a page by default, with the summary fields of api-v1.md', async () => {
  const { status, body } = await get('/api/v1/procedures');
  assert.equal(status, 200);
  assert.equal(body.total, 90);
  assert.equal(body.items.length, 20);
  const item = body.items[0];
  for (const key of ['id', 'code', 'name', 'nameEn', 'field', 'level', 'onlineClass', 'onlineLevel', 'processingDays', 'feeVnd', 'unitIds']) {
    assert.ok(key in item, `summary has ${key}`);
  }
  assert.equal(item.id, 'dang-ky-khai-sinh', 'the most used procedure comes first without a query');
  const page5 = await get('/api/v1/procedures?limit=20&offset=80');
  assert.equal(page5.body.items.length, 10);
});

test('dataset ids are the API ids, and commune procedures are handled by every commune', async () => {
  const { body } = await get('/api/v1/procedures/dang-ky-khai-sinh');
  assert.equal(body.id, 'dang-ky-khai-sinh');
  assert.equal(body.level, 'commune');
  assert.equal(body.onlineClass, 'full');
  assert.equal(body.onlineLevel, 4);
  assert.equal(body.unitIds.length, 173);
  assert.equal(body.feeVnd, 0);
});

test('filters: level, online class and level, field (key or name), audience and unit', async () => {
  const count = async (q: string) => (await get(`/api/v1/procedures?${q}`)).body.total;
  assert.equal(await count('level=commune'), 34);
  assert.equal(await count('level=district'), 25);
  assert.equal(await count('level=province'), 31);
  assert.equal(await count('onlineClass=full'), 25);
  assert.equal(await count('onlineLevel=3'), 52);
  assert.equal(await count('field=ho-tich'), 19);
  assert.equal(await count(`field=${encodeURIComponent('Hộ tịch')}`), 19);
  assert.equal(await count('audience=business'), 38, 'business and both');
  assert.equal(await count('unitId=so-y-te'), 4);
  assert.equal(await count('unitId=my-tho-phuong-5'), 34, 'a commune handles the commune procedures');
  assert.equal(await count('level=commune&onlineClass=full&field=ho-tich'), 4);
  assert.equal(await count('q=khai+sinh&level=province'), 0);
});

test('a procedure shows documents, form, fees, legal basis, result, postal rules and its version', async () => {
  const { status, body } = await get('/api/v1/procedures/dang-ky-khai-sinh');
  assert.equal(status, 200);
  assert.equal(body.documents.length, 4);
  const declaration = body.documents[0];
  assert.equal(declaration.name, 'Tờ khai đăng ký khai sinh');
  assert.match(declaration.templateUrl, /^\/thu-tuc\/dang-ky-khai-sinh\/mau\/.+\.pdf$/);
  assert.equal(body.documents[2].required, false, '"(nếu có)" marks an optional document');
  const keys = body.form.fields.map((f: { key: string }) => f.key);
  assert.ok(keys.includes('applicant.fullName') && keys.includes('applicant.idNumber'), 'the shared applicant fields');
  assert.ok(keys.includes('child_full_name'), 'procedure-specific fields');
  const conditional = body.form.fields.find((f: { showIf?: unknown }) => f.showIf);
  assert.ok(conditional, 'at least one conditional field');
  assert.deepEqual(body.fees, [{ kind: 'free', amountVnd: 0, collect: 'before', note: body.fees[0].note }]);
  assert.ok(body.legalBasis.includes('Luật Hộ tịch 2014 (Luật số 60/2014/QH13)'));
  assert.match(body.result, /Giấy khai sinh/);
  assert.deepEqual(body.postal, { submit: true, return: true });
  assert.equal(body.version.number, 1);
});

test('each of the ten most used procedures has its own form; the others ask at least for the applicant', async () => {
  const top = ['dang-ky-khai-sinh', 'dang-ky-ket-hon', 'dang-ky-khai-tu', 'cap-phieu-ly-lich-tu-phap', 'dang-ky-ho-kinh-doanh',
    'thanh-lap-cong-ty-tnhh-mot-thanh-vien', 'giay-phep-xay-dung-nha-o-rieng-le', 'chung-thuc-ban-sao-tu-ban-chinh', 'doi-giay-phep-lai-xe', 'cap-ho-chieu-pho-thong'];
  for (const id of top) {
    const { body } = await get(`/api/v1/procedures/${id}`);
    const own = body.form.fields.filter((f: { section: string }) => f.section !== 'applicant');
    assert.ok(own.length >= 8, `${id} has ${own.length} procedure-specific fields`);
    assert.ok(body.form.legalForm, `${id} names its legal form`);
  }
  const { body } = await get('/api/v1/procedures/giay-phep-ban-le-ruou');
  const sections = new Set(body.form.fields.map((f: { section: string }) => f.section));
  assert.deepEqual([...sections], ['applicant', 'request']);
  assert.ok(body.form.fields.some((f: { key: string }) => f.key === 'applicant.organisationName'), 'business procedures ask who the organisation is');
});

test('the list and the detail agree on every procedure', async () => {
  const { body } = await get('/api/v1/procedures?limit=100');
  for (const item of body.items) {
    const detail = (await get(`/api/v1/procedures/${item.id}`)).body;
    for (const k of Object.keys(item)) assert.deepEqual(detail[k], item[k], `${item.id}.${k}`);
    assert.ok(detail.documents.length > 0, `${item.id} lists documents`);
  }
});

test('an unknown procedure id answers 404 with the error body', async () => {
  const { status, body } = await get('/api/v1/procedures/khong-co-thu-tuc-nay');
  assert.equal(status, 404);
  assert.equal(body.error.code, 'procedure_not_found');
  assert.equal(body.error.message, 'Không tìm thấy thủ tục này.');
  const en = await get('/api/v1/procedures/nope', { 'accept-language': 'en' });
  assert.equal(en.body.error.message, 'This procedure does not exist.');
});

test('bad input answers 400 with the field named: long q, big limit, unknown filter values', async () => {
  const cases: Array<[string, string]> = [
    [`q=${'a'.repeat(201)}`, 'q'],
    ['limit=101', 'limit'],
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['level=village', 'level'],
    ['onlineClass=half', 'onlineClass'],
    ['onlineLevel=5', 'onlineLevel'],
    ['audience=aliens', 'audience'],
    ['field=khong-co-linh-vuc', 'field'],
    ['unitId=khong-co-don-vi', 'unitId'],
  ];
  for (const [query, field] of cases) {
    const { status, body } = await get(`/api/v1/procedures?${query}`);
    assert.equal(status, 400, query);
    assert.equal(body.error.code, 'validation', query);
    assert.equal(typeof body.error.fields[field], 'string', `${query} names ${field}`);
    assert.ok(!JSON.stringify(body).includes('at '), 'no stack trace');
  }
  const { body } = await get(`/api/v1/procedures?q=${'a'.repeat(201)}`);
  assert.equal(body.error.fields.q, 'Tối đa 200 ký tự.');
  assert.equal(body.error.message, 'Thông tin gửi lên không hợp lệ.');
  const q200 = await get(`/api/v1/procedures?q=${'a'.repeat(200)}`);
  assert.equal(q200.status, 200, '200 characters is allowed');
});

test('broken UTF-8 in the query or the path answers a clean 400, never a 500', async () => {
  for (const url of ['/api/v1/procedures?q=%E0%A4%A', '/api/v1/procedures?q=%FF%FE', '/api/v1/procedures/%E0%A4%A', '/thu-tuc?q=%C3']) {
    const res = await ctx.app.inject({ url });
    assert.equal(res.statusCode, 400, url);
    if (url.startsWith('/api/')) assert.equal(res.json().error.code, 'bad_encoding', url);
    else assert.match(res.headers['content-type'] as string, /text\/html/);
  }
});

test('a huge query string gets a clean 400 over a real socket', async () => {
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = ctx.app.server.address() as AddressInfo;
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: `/api/v1/procedures?q=${'x'.repeat(100_000)}` }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
  assert.equal(answer.status, 400);
  assert.equal(JSON.parse(answer.body).error.code, 'request_too_long');
  const ok = await fetch(`http://127.0.0.1:${port}/api/v1/procedures?q=${'x'.repeat(5000)}`);
  assert.equal(ok.status, 400, 'a long but parseable query is refused by the schema');
  assert.equal(((await ok.json()) as { error: { fields: Record<string, string> } }).error.fields.q, 'Tối đa 200 ký tự.');
});

test('fields list every lĩnh vực with its count', async () => {
  const { body } = await get('/api/v1/fields');
  assert.equal(body.items.reduce((n: number, f: { count: number }) => n + f.count, 0), 90);
  assert.ok(body.items.some((f: { key: string; name: string }) => f.key === 'ho-tich' && f.name === 'Hộ tịch'));
});

test('/healthz answers ok once the database answers, and /openapi.json documents the routes', async () => {
  assert.deepEqual((await get('/healthz')).body, { status: 'ok' });
  const { body } = await get('/openapi.json');
  assert.equal(body.openapi, '3.1.0');
  for (const p of ['/api/v1/procedures', '/api/v1/procedures/{id}', '/api/v1/units', '/api/v1/fields', '/healthz']) assert.ok(body.paths[p], p);
  const q = body.paths['/api/v1/procedures'].get.parameters.find((p: { name: string }) => p.name === 'q');
  assert.equal(q.schema.maxLength, 200);
  assert.ok(!Object.keys(body.paths).some((p) => p.startsWith('/thu-tuc')), 'pages stay out of the API document');
  const refs = new Set<string>();
  JSON.stringify(body, (k, v) => (k === '$ref' && refs.add(v), v));
  assert.ok(refs.has('#/components/schemas/ProcedureSummary'));
  for (const ref of refs) assert.ok(body.components.schemas[ref.split('/').pop()!], `${ref} resolves`);
});

test('the whole /openapi.json is a valid OpenAPI 3.1 document for openapi-spec-validator, a tool we did not write', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-openapi-'));
  try {
    const file = path.join(dir, 'openapi.json');
    fs.writeFileSync(file, JSON.stringify((await get('/openapi.json')).body));
    const out = execFileSync('openapi-spec-validator', [file], { encoding: 'utf8' });
    assert.match(out, /OK/, out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
