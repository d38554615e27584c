import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.ts';

test('defaults: port 3000, SQLite under ./data, Vietnamese portal on localhost', () => {
  const c = loadConfig({});
  assert.equal(c.port, 3000);
  assert.equal(c.databaseUrl, null);
  assert.match(c.dataDir, /data$/);
  assert.equal(c.publicUrl, 'http://localhost:3000');
});

test('a bad value stops the start with a message that names the variable', () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
    [{ SMTP_URL: 'mail.example.vn' }, 'SMTP_URL'],
    [{ NOTIFY_MODE: 'live' }, 'SMTP_URL'],
    [{ NOTIFY_MODE: 'loud' }, 'NOTIFY_MODE'],
    [{ SMTP_URL: 'smtp://mail.example.vn:587' }, 'SMS_URL'],
    [{ SMTP_URL: 'smtp://mail.example.vn:587', SMS_URL: 'https://sms.example.vn/send' }, 'SMS_KEY'],
    [{ DRAFT_RETENTION_DAYS: '-1' }, 'DRAFT_RETENTION_DAYS'],
    [{ PORTAL_MODE: 'half' }, 'PORTAL_MODE'],
    [{ INBOUND_API_KEYS: 'dvcqg:short' }, 'INBOUND_API_KEYS'],
    [{ OIDC_ISSUER: 'https://sso.vneid.gov.vn' }, 'OIDC_CLIENT_ID'],
    [{ OIDC_ISSUER: 'http://idp.example.vn', OIDC_CLIENT_ID: 'a', OIDC_CLIENT_SECRET: 'b' }, 'OIDC_ISSUER'],
    [{ OIDC_ISSUER: 'https://idp.example.vn', OIDC_CLIENT_ID: 'a', OIDC_CLIENT_SECRET: 'b', OIDC_SCOPES: 'email' }, 'OIDC_SCOPES'],
    [{ S3_ENDPOINT: 'http://127.0.0.1:9000' }, 'S3_BUCKET'],
  ];
  for (const [env, variable] of cases) {
    assert.throws(() => loadConfig(env), (err: unknown) => err instanceof ConfigError && err.variable === variable && err.message.startsWith(variable));
  }
});

test('DATABASE_URL=postgres://… selects PostgreSQL', () => {
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/motcua' }).databaseUrl, 'postgres://postgres@127.0.0.1:5432/motcua');
});

test('messages are sent for real only with an SMTP server; without one, test mode sends nothing outside', () => {
  assert.equal(loadConfig({}).notifyMode, 'test');
  // Live mode also needs the SMS gateway (issue 10: there is no log-only SMS provider any more).
  assert.equal(loadConfig({ SMTP_URL: 'smtp://mail.example.vn:587', SMS_URL: 'https://sms.example.vn/send', SMS_KEY: 'sms-key' }).notifyMode, 'live');
  assert.equal(loadConfig({ SMTP_URL: 'smtp://mail.example.vn:587', NOTIFY_MODE: 'test' }).notifyMode, 'test');
});

test('back-office mode and the national portal’s inbound keys are read from the environment', () => {
  const c = loadConfig({ PORTAL_MODE: 'back_office', INBOUND_API_KEYS: 'dvcqg:0123456789abcdef0123, lgsp:fedcba9876543210fedc' });
  assert.equal(c.mode, 'back_office');
  assert.deepEqual(c.inboundKeys, { dvcqg: '0123456789abcdef0123', lgsp: 'fedcba9876543210fedc' });
  assert.equal(loadConfig({}).mode, 'full');
});

test('OpenID Connect sign-in is off by default, and on with an issuer, a client id and a secret', () => {
  assert.equal(loadConfig({}).oidc, null);
  const c = loadConfig({ OIDC_ISSUER: 'https://sso.example.vn', OIDC_CLIENT_ID: 'motcua', OIDC_CLIENT_SECRET: 's3cret' });
  assert.deepEqual(c.oidc, { issuer: 'https://sso.example.vn', clientId: 'motcua', clientSecret: 's3cret', name: 'VNeID', scopes: 'openid profile email phone' });
});

test('TRUST_PROXY is off by default, and takes true, a number of hops, or the proxies’ addresses; anything else names the variable', () => {
  assert.equal(loadConfig({}).trustProxy, false);
  assert.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true);
  assert.equal(loadConfig({ TRUST_PROXY: '0' }).trustProxy, false);
  assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
  assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16,::1' }).trustProxy, ['10.0.0.1', '10.1.0.0/16', '::1']);
  for (const bad of ['yes', '10.0.0.300', '10.0.0.0/33', '11']) {
    assert.throws(() => loadConfig({ TRUST_PROXY: bad }), (err) => err instanceof ConfigError && err.variable === 'TRUST_PROXY', bad);
  }
});

test('with NODE_ENV=production the keys are required; a demo generates them once, beside the database, and keeps them', async () => {
  const key = 'A'.repeat(43) + '=';
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }), (e: unknown) => e instanceof ConfigError && e.variable === 'DATA_KEY');
  assert.throws(() => loadConfig({ NODE_ENV: 'production', DATA_KEY: key }), (e: unknown) => e instanceof ConfigError && e.variable === 'AUDIT_KEY');
  assert.throws(() => loadConfig({ DATA_KEY: 'c2hvcnQ=' }), (e: unknown) => e instanceof ConfigError && e.variable === 'DATA_KEY' && /32 random bytes/.test(e.message));
  assert.equal(loadConfig({ NODE_ENV: 'production', DATA_KEY: key, AUDIT_KEY: key }).keys.production, true);

  const { loadKeys } = await import('./keys.ts');
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-keys-'));
  try {
    const first = loadKeys({ dataDir: dir, production: false });
    assert.deepEqual(first.generated, ['DATA_KEY', 'AUDIT_KEY']);
    assert.equal(fs.statSync(first.file).mode & 0o777, 0o600);
    const again = loadKeys({ dataDir: dir, production: false });
    assert.deepEqual(again.generated, []);
    assert.ok(again.keys.data.equals(first.keys.data) && again.keys.audit.equals(first.keys.audit), 'the same keys on the next start');
    assert.equal(first.keys.data.equals(first.keys.audit), false, "two different keys");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('VIETQR_*: all three or none; a bad BIN or account names its variable; unset means VietQR is not offered', () => {
  assert.equal(loadConfig({}).vietqr, null);
  assert.deepEqual(loadConfig({ VIETQR_BANK_BIN: '970415', VIETQR_ACCOUNT_NO: '113366668888', VIETQR_ACCOUNT_NAME: 'UBND TINH' }).vietqr, { bankBin: '970415', accountNo: '113366668888', accountName: 'UBND TINH' });
  const cases: Array<[Record<string, string>, string]> = [
    [{ VIETQR_BANK_BIN: '970415' }, 'VIETQR_ACCOUNT_NO'],
    [{ VIETQR_BANK_BIN: '97041', VIETQR_ACCOUNT_NO: '1', VIETQR_ACCOUNT_NAME: 'A' }, 'VIETQR_BANK_BIN'],
    [{ VIETQR_BANK_BIN: '970415', VIETQR_ACCOUNT_NO: '12-34', VIETQR_ACCOUNT_NAME: 'A' }, 'VIETQR_ACCOUNT_NO'],
  ];
  for (const [env, variable] of cases) assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && e.message.startsWith(`${variable}:`), variable);
});

test('POSTAL_OPERATOR_KEYS: one key per operator; the same key for two operators stops the start, naming the variable', () => {
  assert.deepEqual(loadConfig({ POSTAL_OPERATOR_KEYS: 'vnpost:vnpost-key-0123456789, viettelpost:viettel-key-0123456789' }).postalOperatorKeys,
    { vnpost: 'vnpost-key-0123456789', viettelpost: 'viettel-key-0123456789' });
  assert.throws(
    () => loadConfig({ POSTAL_OPERATOR_KEYS: 'vnpost:shared-key-0123456789,viettelpost:shared-key-0123456789' }),
    (e: unknown) => e instanceof ConfigError && e.variable === 'POSTAL_OPERATOR_KEYS' && /vnpost and viettelpost/.test(e.message),
  );
});
