// What the server's log may hold (OWASP ASVS V7.1): no query strings, no credentials, no personal
// data. The logger is the one main.ts builds, writing to a stream the test reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from './app.ts';
import { createLogger } from './main.ts';
import { createTestContext } from './testing/context.ts';

function capture() {
  const lines: string[] = [];
  const log = createLogger({ logLevel: 'info' }, { write: (line: string) => void lines.push(line) });
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('a request URL with ?key= or ?code= is logged without its query string, and no header secret reaches the log', async (t) => {
  const ctx = await createTestContext();
  t.after(() => ctx.close());
  const { log, lines, parsed } = capture();
  const app = await buildApp({ services: ctx.services, logger: log, publicUrl: 'http://localhost:3000' });
  t.after(() => app.close());
  await app.ready();

  const urls = ['/tra-cuu/ABC?key=SECRETKEY123', '/dang-ky/xac-nhan?code=482913&username=anh%40example.vn', '/api/v1/procedures?q=khai+sinh&key=SECRETKEY123', '/khong-co?code=482913'];
  for (const url of urls) {
    await app.inject({ url, headers: { authorization: 'Bearer TOKEN-abc-123', cookie: 'sid=SESSION-xyz-789', 'x-api-key': 'INBOUND-KEY-456' } });
  }
  const logged = parsed().filter((l) => l.req);
  assert.deepEqual(logged.map((l) => (l.req as { url: string }).url), ['/tra-cuu/ABC', '/dang-ky/xac-nhan', '/api/v1/procedures', '/khong-co']);
  const all = lines.join('\n');
  for (const secret of ['?', 'SECRETKEY123', '482913', 'anh%40example.vn', 'khai+sinh', 'TOKEN-abc-123', 'SESSION-xyz-789', 'INBOUND-KEY-456']) {
    assert.ok(!all.includes(secret), `the log holds ${secret}`);
  }
  assert.ok(parsed().some((l) => l.msg === 'request completed'), 'requests are still logged');
});

test('a logged object with a password, token, key, code, ID number, phone or email shows [Redacted] in their place', () => {
  const { log, parsed } = capture();
  log.info({ password: 'hunter2-pass', token: 'tok-1', key: 'key-1', code: '482913', idNumber: '079203001234', phone: '+84912345678', email: 'anh@example.vn', user: 'u1' }, 'top level');
  log.info({ user: { id: 'u1', password: 'hunter2-pass', idNumber: '079203001234', phone: '+84912345678', email: 'anh@example.vn' }, input: { code: '482913', apiKey: 'k', clientSecret: 's' } }, 'nested');
  log.info({ req: { method: 'POST', url: '/dang-nhap?next=%2Fho-so', headers: { authorization: 'Bearer x', cookie: 'sid=y' } } }, 'a request');
  const [top, nested, headers] = parsed();
  assert.deepEqual(
    { ...top, level: undefined, time: undefined, service: undefined, pid: undefined, hostname: undefined },
    { password: '[Redacted]', token: '[Redacted]', key: '[Redacted]', code: '[Redacted]', idNumber: '[Redacted]', phone: '[Redacted]', email: '[Redacted]', user: 'u1', msg: 'top level', level: undefined, time: undefined, service: undefined, pid: undefined, hostname: undefined },
  );
  assert.deepEqual(nested!.user, { id: 'u1', password: '[Redacted]', idNumber: '[Redacted]', phone: '[Redacted]', email: '[Redacted]' });
  assert.deepEqual(nested!.input, { code: '[Redacted]', apiKey: '[Redacted]', clientSecret: '[Redacted]' });
  // A request is logged by method and path: no headers (so no cookie or Authorization), no query string.
  assert.deepEqual(headers!.req, { method: 'POST', url: '/dang-nhap' });
});
