// `motcua user disable|enable|revoke|require-totp|totp reset` as an operator runs them: real
// processes on a real database of the dialect under test.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type DbHandle } from '../../db/connection.ts';
import { freshDatabaseUrl } from '../../testing/context.ts';

const bin = fileURLToPath(new URL('../../../bin/motcua.js', import.meta.url));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-user-cli-'));
let pgDb: Awaited<ReturnType<typeof freshDatabaseUrl>>;
let env: Record<string, string>;
let handle: DbHandle;

function motcua(args: string[], input = '') {
  const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 120_000, input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(async () => {
  pgDb = await freshDatabaseUrl();
  const { DATABASE_URL: _ignored, ...rest } = process.env as Record<string, string>;
  env = { ...rest, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...(pgDb ? { DATABASE_URL: pgDb.url } : {}) };
  handle = openDatabase({ databaseUrl: pgDb?.url ?? null, sqliteFile: path.join(dataDir, 'motcua.db') });
  const created = motcua(['user', 'add', '--username', '0987654321', '--name', 'Lê Văn Cường', '--role', 'citizen'], 'mat-khau-dai\n');
  assert.equal(created.code, 0, created.stderr);
});
after(async () => {
  await handle.close();
  await pgDb?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const user = () => handle.db.selectFrom('users').select(['id', 'disabled_at']).where('username', '=', '+84987654321').executeTakeFirstOrThrow();

test('user disable ends the account’s sessions and marks it disabled; user enable undoes it; both are audited', async () => {
  const { id } = await user();
  await handle.db.insertInto('sessions').values({ token_hash: 'x'.repeat(64), user_id: id, kind: 'bearer', created_at: '2026-12-01T00:00:00.000Z', expires_at: '2099-01-01T00:00:00.000Z', last_seen_at: '2026-12-01T00:00:00.000Z', idle_seconds: 0 }).execute();
  const off = motcua(['user', 'disable', '+84987654321']);
  assert.equal(off.code, 0, off.stderr);
  assert.match(off.stdout, /Account disabled: \+84987654321 \(1 sessions ended\)/);
  assert.ok((await user()).disabled_at);
  assert.equal((await handle.db.selectFrom('sessions').select('user_id').where('user_id', '=', id).execute()).length, 0);
  const on = motcua(['user', 'enable', '+84987654321']);
  assert.equal(on.code, 0, on.stderr);
  assert.equal((await user()).disabled_at, null);
  const kinds = (await handle.db.selectFrom('audit_log').select('kind').where('subject', '=', `user:${id}`).execute()).map((r) => r.kind);
  assert.ok(kinds.includes('user_disabled') && kinds.includes('user_enabled'), kinds.join(','));
});

test('user revoke removes a role; require-totp sets a role policy; totp reset clears the second factor; mistakes get one clear line', async () => {
  const { id } = await user();
  const revoked = motcua(['user', 'revoke', '+84987654321', 'citizen']);
  assert.equal(revoked.code, 0, revoked.stderr);
  assert.match(revoked.stdout, /Role revoked: citizen of \+84987654321 \(1 removed\)/);
  assert.equal((await handle.db.selectFrom('user_roles').select('role').where('user_id', '=', id).execute()).length, 0);
  const again = motcua(['user', 'revoke', '+84987654321', 'citizen']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /^motcua: user revoke: no such account, or it does not hold that role/);
  const required = motcua(['user', 'require-totp', 'approver', 'on']);
  assert.equal(required.code, 0, required.stderr);
  assert.deepEqual(await handle.db.selectFrom('role_policies').select(['role', 'require_totp']).execute(), [{ role: 'approver', require_totp: 1 }]);
  const badRole = motcua(['user', 'require-totp', 'citizen', 'on']);
  assert.equal(badRole.code, 1);
  assert.match(badRole.stderr, /unknown role/);
  const badState = motcua(['user', 'require-totp', 'approver', 'yes']);
  assert.equal(badState.code, 1);
  assert.match(badState.stderr, /usage: motcua user require-totp ROLE on\|off/);
  await handle.db.updateTable('users').set({ totp_secret: 'v1.a.b.c', totp_enabled_at: '2026-12-01T00:00:00.000Z' }).where('id', '=', id).execute();
  const reset = motcua(['user', 'totp', 'reset', '+84987654321']);
  assert.equal(reset.code, 0, reset.stderr);
  const after = await handle.db.selectFrom('users').select(['totp_secret', 'totp_enabled_at']).where('id', '=', id).executeTakeFirstOrThrow();
  assert.deepEqual(after, { totp_secret: null, totp_enabled_at: null });
  const unknown = motcua(['user', 'disable', 'nobody@example.vn']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no such account/);
});
