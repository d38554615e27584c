// Two instances sharing one database (two workers, each on its own connection: a SQLite file, or
// PostgreSQL when DATABASE_URL is set) drain many dossiers' events while the receiver fails now and
// then: every event arrives, each dossier's in seq order, and no dossier is ever sent by both at once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type DbHandle } from '../../db/connection.ts';
import { defaultSettings } from '../../services.ts';
import { createTestContext, freshDatabaseUrl, type TestContext } from '../../testing/context.ts';
import { counterDossier, deskAt, must, type Desk } from '../../testing/office.ts';
import { SyncStandIn } from './sync.standin.ts';
import { SyncWorker, type SyncRunResult } from './sync.worker.ts';
import type { NationalSyncSettings } from './sync.service.ts';

const key = 'two-instances-key-0123456789';
let standIn: SyncStandIn;
let settings: NationalSyncSettings;
let ctx: TestContext;
let desk: Desk;
let second: DbHandle;
let dropDatabase: (() => Promise<void>) | null = null;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-sync-instances-'));

before(async () => {
  standIn = await SyncStandIn.start({ key });
  settings = { url: standIn.url, key, timeoutMs: 300 };
  const pg = await freshDatabaseUrl();
  dropDatabase = pg ? pg.drop : null;
  const open = () => openDatabase({ databaseUrl: pg?.url ?? null, sqliteFile: path.join(dataDir, 'motcua.db') });
  ctx = await createTestContext({ handle: open(), settings: { ...defaultSettings, nationalSync: settings } });
  second = open();
  desk = await deskAt(ctx);
});
after(async () => {
  await ctx.close();
  await second.close();
  await dropDatabase?.();
  await standIn.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('two workers on separate connections drain many dossiers’ events through injected failures and a timeout: none lost, each dossier’s in order, never two at once', { timeout: 300_000 }, async () => {
  ctx.clock.set('2026-11-30T02:32:00.000Z');
  const workers = [ctx.handle.db, second.db].map((db) => new SyncWorker({ db, clock: ctx.clock, settings, batchSize: 4, concurrency: 3, chainLimit: 3 }));
  const totals = workers.map(() => ({ sent: 0, retried: 0 }));
  const round = async () => {
    const results: SyncRunResult[] = await Promise.all(workers.map((w) => w.runOnce()));
    results.forEach((r, i) => {
      totals[i]!.sent += r.sent;
      totals[i]!.retried += r.retried;
    });
  };
  // Dossiers are filed and worked on while both workers deliver; the receiver fails now and then.
  const dossiers: Array<{ id: string; code: string }> = [];
  for (let i = 0; i < 16; i++) {
    const d = await counterDossier(ctx, desk.reception);
    dossiers.push(d);
    await must(ctx, desk.reception, d.id, { action: 'transfer', toUserId: desk.specialist.user.id });
    for (let k = 0; k < 3; k++) await must(ctx, desk.reception, d.id, { action: 'assign', toUserId: (k % 2 ? desk.specialist : desk.approver).user.id });
    if (i % 3 === 0) standIn.failNext(2);
    if (i === 7) standIn.hangNext(1);
    if (i % 2 === 1) await round();
  }
  // Then they drain the backlog, the clock moving on so that every backoff ends.
  for (let n = 0; n < 200; n++) {
    if (n % 5 === 0) standIn.failNext(3);
    await round();
    const left = await ctx.handle.db.selectFrom('sync_events').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();
    if (Number(left.n) === 0) break;
    ctx.clock.set(new Date(ctx.clock.now().getTime() + 3_600_000).toISOString());
  }

  const events = await ctx.handle.db.selectFrom('sync_events').select(['dossier_id', 'seq', 'status', 'id']).orderBy('dossier_id').orderBy('seq').execute();
  assert.equal(events.length, 16 * 6, 'submit, accept, transfer and three assignments each');
  assert.ok(events.every((e) => e.status === 'sent'), 'every event delivered');
  for (const d of dossiers) {
    const mine = events.filter((e) => e.dossier_id === d.id);
    assert.deepEqual(standIn.eventsOf(d.code).map((r) => r.event.seq), mine.map((e) => e.seq), `${d.code}: every event, in seq order`);
    assert.deepEqual(standIn.eventsOf(d.code).map((r) => r.idempotencyKey), mine.map((e) => e.id));
  }
  assert.equal(standIn.outOfOrder, 0, 'no event arrived after a later one of its dossier');
  assert.equal(standIn.overlaps, 0, 'no dossier had two requests in flight at once');
  assert.ok(totals.every((t) => t.sent > 0), `both instances delivered: ${JSON.stringify(totals)}`);
  assert.ok(totals[0]!.retried + totals[1]!.retried >= 10, 'the failures were retried');
  assert.ok(standIn.requests.some((r) => r.status === 'hung'), 'one attempt timed out');
});
