// `motcua keys rotate` as an administrator runs it: a real process, a real database on the
// dialect under test, the keys in the environment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from './db/connection.ts';
import { keyId } from './domain/sealed.ts';
import { testKeys } from './keys.ts';
import { createTestContext, freshDatabaseUrl } from './testing/context.ts';
import { fileMarriage } from './testing/personal-data.ts';

const bin = fileURLToPath(new URL('../bin/motcua.js', import.meta.url));

test('keys rotate re-seals every dossier under the new DATA_KEY with the old one in PREVIOUS_DATA_KEYS, printing progress; then runs without it and changes nothing; an unknown key is named', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-keys-'));
  const fresh = await freshDatabaseUrl();
  const opened = openDatabase({ databaseUrl: fresh?.url ?? null, sqliteFile: path.join(dataDir, 'motcua.db') });
  const ctx = await createTestContext({ handle: { ...opened, close: async () => { await opened.close(); await fresh?.drop(); } } });
  t.after(async () => {
    await ctx.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  // Two dossiers sealed under the test suite's key (the "old" key here).
  await fileMarriage(ctx);
  await fileMarriage(ctx);

  const { DATABASE_URL: _ignored, ...rest } = process.env as Record<string, string>;
  const oldKey = testKeys().data.toString('base64');
  const newKey = Buffer.alloc(32, 77);
  const env = { ...rest, DATA_DIR: dataDir, LOG_LEVEL: 'warn', AUDIT_KEY: testKeys().audit.toString('base64'), DATA_KEY: newKey.toString('base64'), ...(fresh ? { DATABASE_URL: fresh.url } : {}) };
  const motcua = (extra: Record<string, string>) => {
    const r = spawnSync(process.execPath, [bin, 'keys', 'rotate'], { env: { ...env, ...extra }, encoding: 'utf8', timeout: 120_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  const first = motcua({ PREVIOUS_DATA_KEYS: oldKey });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /keys rotate: 2 dossiers read, 2 re-sealed/);
  assert.match(first.stdout, /2 of 2 dossiers changed/);
  const rows = await ctx.handle.db.selectFrom('dossiers').select(['applicant', 'form', 'delivery']).execute();
  for (const r of rows) for (const v of [r.applicant, r.form, r.delivery]) assert.ok(v.startsWith(`v1:${keyId(newKey)}:`));

  const again = motcua({});
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /0 of 2 dossiers changed/, 'idempotent, and the new key alone opens everything');

  const wrong = motcua({ DATA_KEY: Buffer.alloc(32, 78).toString('base64') });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, new RegExp(`sealed under key ${keyId(newKey)}, which is neither DATA_KEY nor in PREVIOUS_DATA_KEYS`));
});
