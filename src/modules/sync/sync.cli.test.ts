// `motcua sync status|resend` as an operator runs them: real processes on a real database of the
// dialect under test, reporting to the real stand-in receiver over HTTP.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../db/connection.ts';
import { systemClock } from '../../domain/time.ts';
import { createTestContext, freshDatabaseUrl, type TestContext } from '../../testing/context.ts';
import { counterDossier, deskAt, must, type Desk } from '../../testing/office.ts';
import { SyncStandIn } from './sync.standin.ts';
import { SyncWorker } from './sync.worker.ts';
import type { SyncEvent } from './sync.service.ts';

const bin = fileURLToPath(new URL('../../../bin/motcua.js', import.meta.url));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-sync-cli-'));
const key = 'cli-test-key-0123456789abcdef';
let pgDb: Awaited<ReturnType<typeof freshDatabaseUrl>>;
let base: Record<string, string>;
let env: Record<string, string>;
let standIn: SyncStandIn;
let ctx: TestContext;
let desk: Desk;

function motcua(args: string[], environment = env) {
  const r = spawnSync(process.execPath, [bin, ...args], { env: environment, encoding: 'utf8', timeout: 120_000 });
  assert.ok(!`${r.stdout}${r.stderr}`.includes(key), 'the key is never printed');
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(async () => {
  standIn = await SyncStandIn.start({ key });
  pgDb = await freshDatabaseUrl();
  const { DATABASE_URL: _ignored, ...rest } = process.env as Record<string, string>;
  base = { ...rest, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...(pgDb ? { DATABASE_URL: pgDb.url } : {}) };
  env = { ...base, NATIONAL_SYNC_URL: standIn.url, NATIONAL_SYNC_KEY: key };
  // The portal ran without the sync: its dossiers have no events yet.
  ctx = await createTestContext({ handle: openDatabase({ databaseUrl: pgDb?.url ?? null, sqliteFile: path.join(dataDir, 'motcua.db') }) });
  desk = await deskAt(ctx);
});
after(async () => {
  await ctx.close();
  await pgDb?.drop();
  await standIn.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const worker = () => new SyncWorker({ db: ctx.handle.db, clock: systemClock, settings: { url: standIn.url, key, timeoutMs: 5_000 } });
const events = (id: string) => ctx.handle.db.selectFrom('sync_events').selectAll().where('dossier_id', '=', id).orderBy('seq').execute();

test('sync resend records one event of a dossier changed before the sync was on; sync status shows it waiting; once sent, a resend puts it back and the stand-in counts a repeat', { timeout: 300_000 }, async () => {
  const d = await counterDossier(ctx, desk.reception);
  await must(ctx, desk.reception, d.id, { action: 'transfer' });
  assert.deepEqual(await events(d.id), [], 'the sync was off');

  const empty = motcua(['sync', 'status']);
  assert.equal(empty.code, 0, empty.stderr);
  assert.match(empty.stdout, new RegExp(`National sync: on, to ${standIn.url.replace(/\./g, '\\.')}`));
  assert.match(empty.stdout, /^Pending events: 0$/m);

  const first = motcua(['sync', 'resend', d.code]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /had no events: one event of its current state was recorded/);
  const [snapshot] = await events(d.id);
  const event = JSON.parse(snapshot!.payload) as SyncEvent;
  const revision = (await ctx.handle.db.selectFrom('dossiers').select('revision').where('id', '=', d.id).executeTakeFirstOrThrow()).revision;
  assert.deepEqual([event.code, event.seq, event.status, event.statusCode, event.action.name, event.action.actorRole], [d.code, revision, 'in_process', 4, 'snapshot', 'system']);
  assert.match(motcua(['sync', 'status']).stdout, /^Pending events: 1 \(oldest written \d+ min ago/m);

  // A failure shows in the status, with the dossier's code and the error; then it goes.
  standIn.failNext(1);
  assert.equal((await worker().runOnce()).retried, 1);
  const failing = motcua(['sync', 'status']);
  assert.match(failing.stdout, /^Failing events: 1$/m);
  assert.match(failing.stdout, new RegExp(`^  ${d.code} #${revision}: 1 attempts, next at .*; last error: HTTP 500`, 'm'));
  assert.equal(motcua(['sync', 'resend', d.code]).code, 0, 'a resend makes the waiting event due now');
  assert.equal((await worker().runOnce()).sent, 1);
  assert.deepEqual(standIn.eventsOf(d.code).map((r) => r.event.action?.name), ['snapshot']);
  assert.match(motcua(['sync', 'status']).stdout, /^Sent events: 1; last delivery: 20/m);

  // Changes now write events; a resend sends every event of the dossier again, in order.
  const again = motcua(['sync', 'resend', d.code]);
  assert.match(again.stdout, /1 events put back to pending/);
  const repeats = standIn.repeats;
  assert.equal((await worker().runOnce()).sent, 1);
  assert.equal(standIn.repeats, repeats + 1, 'the receiver saw the same Idempotency-Key again');
  assert.equal(standIn.eventsOf(d.code).length, 1, 'and recorded it once');
});

test('sync mistakes get one clear line: an unknown code, no code, the sync off, an unknown subcommand', { timeout: 300_000 }, async () => {
  const unknown = motcua(['sync', 'resend', 'KHONG-CO-261201-0001']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^motcua: sync resend: no dossier with the code KHONG-CO-261201-0001/);
  const bare = motcua(['sync', 'resend']);
  assert.equal(bare.code, 1);
  assert.match(bare.stderr, /usage: motcua sync resend CODE/);
  const d = await counterDossier(ctx, desk.reception);
  const off = motcua(['sync', 'resend', d.code], base);
  assert.equal(off.code, 1);
  assert.match(off.stderr, /the national sync is off/);
  assert.match(motcua(['sync', 'status'], base).stdout, /^National sync: off/m);
  const bogus = motcua(['sync', 'push']);
  assert.equal(bogus.code, 1);
  assert.match(bogus.stderr, /the subcommands are status and resend/);
  assert.match(motcua(['help']).stdout, /sync resend CODE/);
});
