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
  assert.equal(loadConfig({ SMTP_URL: 'smtp://mail.example.vn:587' }).notifyMode, 'live');
  assert.equal(loadConfig({ SMTP_URL: 'smtp://mail.example.vn:587', NOTIFY_MODE: 'test' }).notifyMode, 'test');
});
