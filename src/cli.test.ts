// The motcua command as an administrator runs it: real processes, a real database on the dialect under test.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type DbHandle } from './db/connection.ts';
import { planSplit } from './domain/catalog.ts';
import { replay, type Action, type Actor } from './domain/dossier-status.ts';
import { freshDatabaseUrl } from './testing/context.ts';
import { appendAudit } from './modules/audit/audit.service.ts';
import { verify } from '@node-rs/argon2';

const bin = fileURLToPath(new URL('../bin/motcua.js', import.meta.url));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-cli-'));
let pgDb: Awaited<ReturnType<typeof freshDatabaseUrl>>;
let env: Record<string, string>;
let handle: DbHandle;

before(async () => {
  pgDb = await freshDatabaseUrl();
  const { DATABASE_URL: _ignored, ...rest } = process.env as Record<string, string>;
  env = { ...rest, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...(pgDb ? { DATABASE_URL: pgDb.url } : {}) };
  handle = openDatabase({ databaseUrl: pgDb?.url ?? null, sqliteFile: path.join(dataDir, 'motcua.db') });
});
after(async () => {
  await handle.close();
  await pgDb?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Runs motcua; `input` is its standard input (the password for user add), none when absent. */
function motcua(args: string[], extraEnv: Record<string, string> = {}, input = '') {
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 120_000, input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('migrate applies the migrations once, then reports the database is up to date', () => {
  const first = motcua(['migrate']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /Applied: 0001_foundation/);
  const again = motcua(['migrate']);
  assert.match(again.stdout, /up to date/);
});

test('seed --demo loads the organisation, areas and catalogue, and does not load them twice', async () => {
  const r = motcua(['seed', '--demo']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /units: 214/);
  assert.match(r.stdout, /procedures: 90/);
  const again = motcua(['seed', '--demo']);
  assert.match(again.stdout, /already loaded/);
  const areas = await handle.db.selectFrom('admin_areas').select((eb) => eb.fn.countAll<number>().as('n')).where('scheme', '=', '2026-07').where('level', '=', 'commune').executeTakeFirstOrThrow();
  assert.equal(Number(areas.n), 3321, 'the two-tier list has 3,321 communes');
});

test('seed --synthetic --procedures N shows progress and brings the catalogue to N in the plan’s level split', async () => {
  const r = motcua(['seed', '--synthetic', '--procedures', '2408']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /procedures \[.*\] 2318\/2318/);
  assert.match(r.stdout, /2318 added; the catalogue holds 2408/);
  const rows = await handle.db.selectFrom('procedures').select(['online_level']).execute();
  assert.equal(rows.length, 2408);
  const counts = Object.fromEntries([2, 3, 4].map((l) => [l, rows.filter((p) => p.online_level === l).length]));
  assert.deepEqual(counts, { 2: 1500, 3: 795, 4: 113 });
  assert.deepEqual(planSplit(2408), { 2: 1500, 3: 795, 4: 113 });
  assert.match(motcua(['seed', '--synthetic', '--procedures', '2408']).stdout, /0 added/);
});

test('seed --synthetic --dossiers N adds dossiers at every stage, each with a log that replays to its stored state and a unique code', async () => {
  // Over two months, so that a few thousand dossiers still include some that arrived in the last days.
  const r = motcua(['seed', '--synthetic', '--dossiers', '3000', '--days', '60']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /dossiers \[.*\] 3000\/3000/);
  assert.match(r.stdout, /Synthetic dossiers: 3000 added/);
  const rows = await handle.db.selectFrom('dossiers').select(['id', 'code', 'status', 'state', 'channel']).execute();
  assert.equal(rows.length, 3000);
  assert.equal(new Set(rows.map((d) => d.code)).size, 3000, 'codes never repeat');
  assert.ok(rows.every((d) => /^\d{3}\.\d{2}\.\d{2}\.H58-\d{6}-\d{4,}$/.test(d.code!)), 'each code starts with its unit’s agency identifier');
  for (const status of ['submitted', 'in_process', 'resolved', 'returned', 'refused', 'withdrawn']) assert.ok(rows.some((d) => d.status === status), status);
  for (const channel of ['online', 'counter', 'postal', 'national_portal']) assert.ok(rows.some((d) => d.channel === channel), channel);
  const sample = rows.slice(0, 50);
  for (const d of sample) {
    const log = await handle.db.selectFrom('dossier_actions').select(['action', 'actor_role']).where('dossier_id', '=', d.id).orderBy('seq').execute();
    assert.deepEqual(replay(log.map((a) => ({ action: a.action as Action, actor: a.actor_role as Actor }))), JSON.parse(d.state));
  }
  assert.equal(motcua(['seed', '--synthetic']).code, 1, 'says what it needs');
  // The seed left daily statistics; a rebuild from the log gives the same.
  const daily = async () => handle.db.selectFrom('stats_daily').selectAll().where('n', '!=', 0).orderBy(['day', 'unit_id', 'procedure_id', 'channel', 'measure']).execute();
  const seeded = await daily();
  const accepted = await handle.db.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n')).where('accepted_at', 'is not', null).executeTakeFirstOrThrow();
  assert.equal(seeded.filter((r) => r.measure === 'received').reduce((n, r) => n + Number(r.n), 0), Number(accepted.n), 'every accepted dossier is received once');
  const rebuilt = motcua(['stats', 'rebuild']);
  assert.equal(rebuilt.code, 0, rebuilt.stderr);
  assert.match(rebuilt.stdout, /Statistics rebuilt from the action log: \d+ received dossiers/);
  assert.deepEqual(await daily(), seeded);
});

test('unit identifier sets a unit’s agency identifier (and refuses a malformed one or an unknown unit); unit missing-identifiers lists those without', async () => {
  await handle.db.updateTable('units').set({ identifier: null }).where('id', '=', 'my-tho-phuong-6').execute();
  const missing = motcua(['unit', 'missing-identifiers']);
  assert.equal(missing.code, 0, missing.stderr);
  assert.match(missing.stdout, /^my-tho-phuong-6\tPhường 6$/m);
  const bad = motcua(['unit', 'identifier', 'my-tho-phuong-6', '12.H58']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /not an agency identifier: "12\.H58" \(format NNN\.NN\.NN\.XNN/);
  const unknown = motcua(['unit', 'identifier', 'khong-co', '000.08.22.H58']);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /no unit with id "khong-co"/);
  const p5 = await handle.db.selectFrom('units').select('identifier').where('id', '=', 'my-tho-phuong-5').executeTakeFirstOrThrow();
  const taken = motcua(['unit', 'identifier', 'my-tho-phuong-6', p5.identifier!]);
  assert.notEqual(taken.code, 0);
  assert.match(taken.stderr, /belongs to another unit/);
  const set = motcua(['unit', 'identifier', 'my-tho-phuong-6', '000.08.22.H58']);
  assert.equal(set.code, 0, set.stderr);
  const row = await handle.db.selectFrom('units').select('identifier').where('id', '=', 'my-tho-phuong-6').executeTakeFirstOrThrow();
  assert.equal(row.identifier, '000.08.22.H58');
  assert.match(motcua(['unit', 'missing-identifiers']).stdout, /^Every unit valid today has an identifier\.$/m);
});

test('user add creates staff at a unit and citizens without one; the password is stored as an argon2 hash', async () => {
  const staff = motcua(['user', 'add', '--username', 'tiepnhan@myTho.gov.vn', '--name', 'Nguyễn Văn An', '--role', 'reception', '--unit', 'my-tho'], {}, 'mat-khau-dai\nmat-khau-dai\n');
  assert.equal(staff.code, 0, staff.stderr);
  assert.match(staff.stdout, /Account created: tiepnhan@mytho.gov.vn \(reception at my-tho\)/);
  const citizen = motcua(['user', 'add', '--username', '0912345678', '--name', 'Trần Thị Bình', '--role', 'citizen'], {}, 'mat-khau-dai\n');
  assert.equal(citizen.code, 0, citizen.stderr);
  const row = await handle.db.selectFrom('users').innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select(['users.name', 'users.password_hash', 'user_roles.role', 'user_roles.unit_id']).where('username', '=', 'tiepnhan@mytho.gov.vn').executeTakeFirstOrThrow();
  assert.equal(row.name, 'Nguyễn Văn An');
  assert.equal(row.role, 'reception');
  assert.equal(row.unit_id, 'my-tho');
  assert.match(row.password_hash, /^\$argon2id\$/);
});

test('user add refuses, with one clear line, what it cannot create', () => {
  const cases: Array<[string[], RegExp, string?]> = [
    [['--username', 'a@b.vn', '--name', 'A', '--role', 'approver'], /--unit is required for the approver role/],
    [['--username', 'a@b.vn', '--name', 'A', '--role', 'approver', '--unit', 'khong-co'], /--unit khong-co: no such unit/],
    [['--username', 'a@b.vn', '--name', 'A', '--role', 'king', '--unit', 'my-tho'], /--role must be one of/],
    [['--username', 'a@b.vn', '--name', 'A', '--role', 'citizen'], /at least 8 characters/, 'ngan\n'],
    [['--username', '0912345678', '--name', 'A', '--role', 'citizen'], /already exists/],
    [['--name', 'A', '--role', 'citizen'], /needs --username/],
  ];
  for (const [args, message, input = 'mat-khau-dai\n'] of cases) {
    const r = motcua(['user', 'add', ...args], {}, input);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('user add never takes a password on the command line: it reads standard input, and two lines must agree', async () => {
  const onCommandLine = motcua(['user', 'add', '--username', 'cli.pw@example.vn', '--password', 'mat-khau-dai', '--name', 'A', '--role', 'citizen'], {}, 'mat-khau-dai\n');
  assert.equal(onCommandLine.code, 1);
  assert.match(onCommandLine.stderr, /takes no --password/);
  const none = motcua(['user', 'add', '--username', 'cli.pw@example.vn', '--name', 'A', '--role', 'citizen']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /reads the password from standard input/);
  const differ = motcua(['user', 'add', '--username', 'cli.pw@example.vn', '--name', 'A', '--role', 'citizen'], {}, 'mat-khau-dai\nmat-khau-khac\n');
  assert.equal(differ.code, 1);
  assert.match(differ.stderr, /differ/);
  const users = () => handle.db.selectFrom('users').select('password_hash').where('username', '=', 'cli.pw@example.vn').execute();
  assert.equal((await users()).length, 0, 'nothing created by a refused command');
  const ok = motcua(['user', 'add', '--username', 'cli.pw@example.vn', '--name', 'A', '--role', 'citizen'], {}, 'mat khau co dau cach\r\nmat khau co dau cach\r\n');
  assert.equal(ok.code, 0, ok.stderr);
  assert.doesNotMatch(ok.stdout + ok.stderr, /mat khau/, 'the password is never echoed');
  const [row] = await users();
  assert.ok(await verify(row!.password_hash, 'mat khau co dau cach'), 'the whole first line is the password, spaces kept, CRLF dropped');
});

test('audit verify exits 0 while the chain is intact, and 1 naming an entry changed behind its back', async () => {
  const intact = motcua(['audit', 'verify']);
  assert.equal(intact.code, 0, intact.stderr);
  assert.match(intact.stdout, /^audit chain intact: \d+ entr(y|ies), head [0-9a-f]{64}$/m);
  // The command ran under the key generated beside the database (keys.json); the test appends under it too.
  const auditKey = Buffer.from((JSON.parse(fs.readFileSync(path.join(dataDir, 'keys.json'), 'utf8')) as { AUDIT_KEY: string }).AUDIT_KEY, 'base64');
  const entry = await handle.db.transaction().execute((tx) =>
    appendAudit(tx, { at: '2026-11-29T03:00:00.000Z', kind: 'role_granted', actorId: null, subject: 'user:cli-test', data: { role: 'auditor', unitId: 'my-tho' } }, auditKey),
  );
  assert.equal(motcua(['audit', 'verify']).code, 0);
  await handle.db.updateTable('audit_log').set({ data: '{"role":"province_admin","unitId":"my-tho"}' }).where('seq', '=', entry.seq).execute();
  const broken = motcua(['audit', 'verify']);
  assert.equal(broken.stdout.trim(), `audit chain broken at entry ${entry.seq}: changed (its hash does not match its contents)`, broken.stderr);
  assert.equal(broken.code, 1);
  await handle.db.updateTable('audit_log').set({ data: entry.data }).where('seq', '=', entry.seq).execute();
  assert.equal(motcua(['audit', 'verify']).code, 0, 'put back, the chain is intact again');
  const wrong = motcua(['audit', 'check']);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /audit: the only subcommand is "verify"/);
});

test('files sweep reports what it removed', () => {
  const r = motcua(['files', 'sweep', '--days', '30']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Removed \d+ abandoned drafts and \d+ orphan files\.$/m);
});

test('motcua purge applies the retention rules and says what each removed', () => {
  const r = motcua(['purge']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Retention rules applied: \d+ drafts and \d+ orphan files removed, \d+ expired sessions and \d+ sign-in counters deleted, \d+ sent and \d+ failed messages deleted, \d+ feedback contacts cleared, \d+ sent national sync events deleted\.$/m);
  assert.equal(motcua(['purge', '--days', '3']).code, 1, 'the periods come from the environment, not flags');
});

test('a bad setting stops the server with one line naming the variable', () => {
  const r = motcua(['serve'], { PORT: 'ba-nghin' });
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim(), 'motcua: configuration error: PORT: expected a whole number, got "ba-nghin"');
});

test('serve answers /healthz, and SIGTERM lets it finish and exit cleanly', async () => {
  const child = spawn(process.execPath, [bin, 'serve', '--demo'], { env: { ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' } });
  let log = '';
  child.stdout.on('data', (c) => (log += c));
  child.stderr.on('data', (c) => (log += c));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start: ${log}`)), 60_000);
    child.stdout.on('data', () => {
      const m = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  assert.deepEqual(await health.json(), { status: 'ok' });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  assert.equal(await exit, 0);
  assert.match(log, /shutting down/);
  assert.match(log, /"msg":"stopped"/);
});
