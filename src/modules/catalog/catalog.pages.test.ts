import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../testing/context.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

async function page(url: string, headers: Record<string, string> = {}) {
  const res = await ctx.app.inject({ url, headers });
  return { status: res.statusCode, html: res.body, headers: res.headers, bytes: res.rawPayload.length };
}

test('the home page has a labelled search box and the most used procedures, in Vietnamese', async () => {
  const { status, html, headers } = await page('/');
  assert.equal(status, 200);
  assert.match(headers['content-type'] as string, /text\/html; charset=utf-8/);
  assert.match(html, /<html lang="vi">/);
  assert.match(html, /<label class="label" for="q">Bạn cần làm thủ tục gì\?<\/label>/);
  assert.match(html, /<form class="search-form" action="\/thu-tuc" method="get"/);
  assert.match(html, /href="\/thu-tuc\/dang-ky-khai-sinh">Đăng ký khai sinh</);
});

test('?lang=en switches to English and remembers it in a cookie', async () => {
  const en = await page('/?lang=en');
  assert.match(en.html, /<html lang="en">/);
  assert.match(en.html, /What do you need to do\?/);
  assert.match(String(en.headers['set-cookie']), /lang=en/);
  const kept = await page('/thu-tuc', { cookie: 'lang=en' });
  assert.match(kept.html, /Catalogue of administrative procedures/);
});

test('the results page ranks by relevance and keeps the query in the box', async () => {
  const { status, html } = await page('/thu-tuc?q=dang+ky+ket+hon');
  assert.equal(status, 200);
  assert.match(html, /value="dang ky ket hon"/);
  const first = /class="result-title"><a href="\/thu-tuc\/([^"]+)"/.exec(html)?.[1];
  assert.equal(first, 'dang-ky-ket-hon');
});

test('filters work as a plain GET form: field, level, online class, audience, unit', async () => {
  const { html } = await page('/thu-tuc?level=province&onlineClass=full');
  const ids = [...html.matchAll(/class="result-title"><a href="\/thu-tuc\/([^"]+)"/g)].map((m) => m[1]);
  assert.ok(ids.length > 0);
  const all = ctx.services.catalog.search({ level: 'province', onlineClass: 'full', limit: 20, offset: 0 });
  assert.deepEqual(ids, all.items.map((p) => p.id));
  assert.match(html, /<option value="province" selected>Cấp tỉnh<\/option>/);
  assert.match(html, /<details class="filters" open>/);
});

test('results are paged 20 at a time with previous and next links', async () => {
  const first = await page('/thu-tuc');
  assert.match(first.html, /Trang 1 \/ 5/);
  assert.match(first.html, /rel="next" href="\/thu-tuc\?trang=2"/);
  const last = await page('/thu-tuc?trang=5');
  assert.match(last.html, /rel="prev"/);
  assert.equal([...last.html.matchAll(/class="result-title"/g)].length, 10);
});

test('a query over 200 characters shows an error summary, keeps what was typed, and says "Lỗi:" in the title', async () => {
  const typed = 'đ'.repeat(201);
  const { status, html } = await page(`/thu-tuc?q=${encodeURIComponent(typed)}`);
  assert.equal(status, 400);
  assert.match(html, /<title>Lỗi: /);
  assert.match(html, /class="error-summary"/);
  assert.match(html, /<a href="#q">Tối đa 200 ký tự.<\/a>/);
  assert.ok(html.includes(`value="${typed}"`), 'the typed text is kept');
  assert.match(html, /aria-describedby="q-hint q-error"/);
});

test('no match says so and suggests what to try', async () => {
  const { status, html } = await page('/thu-tuc?q=flycam+drone');
  assert.equal(status, 200);
  assert.match(html, /Không tìm thấy thủ tục nào cho “flycam drone”/);
});

test('the procedure page shows purpose, who, documents with templates, fees, time, legal basis, where, and the filing button', async () => {
  const { status, html } = await page('/thu-tuc/dang-ky-khai-sinh');
  assert.equal(status, 200);
  for (const text of ['<h1>Đăng ký khai sinh</h1>', 'Trực tuyến toàn trình', 'Giấy tờ cần nộp', 'Tờ khai đăng ký khai sinh', 'Tải mẫu (PDF)',
    'Miễn phí', 'Trong ngày làm việc', 'Căn cứ pháp lý', 'Luật Hộ tịch 2014', 'Nơi nộp hồ sơ', 'Ủy ban nhân dân xã, phường, thị trấn nơi cư trú',
    'Kết quả nhận được', 'Ai được nộp', 'Công dân', 'href="/thu-tuc/dang-ky-khai-sinh/nop-ho-so"', 'Nộp hồ sơ trực tuyến', 'Dịch vụ bưu chính công ích']) {
    assert.ok(html.includes(text), `has ${text}`);
  }
});

test('an information-only procedure sends people to the counter instead of the online button', async () => {
  const none = ctx.services.catalog.search({ onlineClass: 'none', limit: 1, offset: 0 }).items[0]!;
  const { html } = await page(`/thu-tuc/${none.id}`);
  assert.ok(!html.includes('/nop-ho-so"'));
  assert.match(html, /chưa nhận hồ sơ trực tuyến/);
});

test('the filing button asks a visitor to sign in first, then brings them back', async () => {
  const res = await ctx.app.inject({ url: '/thu-tuc/dang-ky-khai-sinh/nop-ho-so' });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/dang-nhap?next=%2Fthu-tuc%2Fdang-ky-khai-sinh%2Fnop-ho-so');
  assert.equal((await ctx.app.inject({ url: '/thu-tuc/khong-co/nop-ho-so' })).statusCode, 404);
});

test('a declaration template downloads as a PDF with an embedded Vietnamese font', async () => {
  const detail = await ctx.services.catalog.get('dang-ky-khai-sinh');
  const url = detail.documents.find((d) => d.templateUrl)!.templateUrl!;
  const res = await ctx.app.inject({ url });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/pdf');
  const pdf = res.rawPayload;
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.ok(pdf.includes('BeVietnamPro'), 'Be Vietnam Pro is embedded');
  assert.ok(!pdf.includes('Helvetica'), 'no built-in font that would garble tone marks');
  assert.equal((await ctx.app.inject({ url: '/thu-tuc/dang-ky-khai-sinh/mau/khong-co.pdf' })).statusCode, 404);
});

test('an unknown procedure or page is a friendly Vietnamese 404 page, not JSON', async () => {
  for (const url of ['/thu-tuc/khong-co-thu-tuc-nay', '/khong-co-trang-nay']) {
    const { status, html } = await page(url);
    assert.equal(status, 404, url);
    assert.match(html, /<h1>Không tìm thấy trang<\/h1>/);
    assert.match(html, /<input class="input" id="q" name="q"/, 'offers the search box');
  }
  const api = await ctx.app.inject({ url: '/api/v1/khong-co' });
  assert.equal(api.statusCode, 404);
  assert.equal(api.json().error.code, 'route_not_found');
});

test('every page stays under 60 KB', async () => {
  for (const url of ['/', '/thu-tuc', '/thu-tuc?q=chung+thuc', '/thu-tuc/dang-ky-khai-sinh', '/thu-tuc/doi-giay-phep-lai-xe', '/khong-co', '/static/app.css']) {
    const { bytes } = await page(url);
    assert.ok(bytes < 60 * 1024, `${url}: ${bytes} bytes`);
  }
});

test('security headers: a strict content security policy with no inline scripts', async () => {
  const { headers } = await page('/');
  assert.match(String(headers['content-security-policy']), /script-src 'self'/);
  assert.equal(headers['x-content-type-options'], 'nosniff');
});
