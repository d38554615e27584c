// The scans (issue 10, part 4): after a dossier is filed through the API, the database as it lies
// on disk (SQLite: the .db, -wal and -shm files after a checkpoint) or as a backup would carry it
// (PostgreSQL: pg_dump) holds none of its ID numbers, phone or email in clear, nor their bytes
// inside JSON. The outbox needs the recipient until the message is sent: it is delivered and the
// sent rows purged by the retention rules first, as a running portal does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { sql } from 'kysely';
import { openDatabase, type DbHandle } from '../../db/connection.ts';
import { createTestContext, freshDatabaseUrl, testDialect } from '../../testing/context.ts';
import { fileMarriage, leakedIn, secrets } from '../../testing/personal-data.ts';
import { TestTransport } from '../notifications/notifications.transports.ts';
import { NotificationWorker } from '../notifications/notifications.worker.ts';

/** A database the test can read the bytes of: a SQLite file in a temporary folder, or a fresh PostgreSQL database. */
async function scannableDatabase(): Promise<{ handle: DbHandle; bytes(): Promise<Buffer> }> {
  const fresh = await freshDatabaseUrl();
  if (fresh) {
    const handle = openDatabase({ databaseUrl: fresh.url, sqliteFile: '' });
    const name = new URL(fresh.url).pathname.slice(1);
    return {
      handle: { ...handle, close: async () => { await handle.close(); await fresh.drop(); } },
      bytes: async () => execFileSync('pg_dump', ['-h', '127.0.0.1', '-U', 'postgres', name], { maxBuffer: 256 << 20 }),
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-scan-'));
  const file = path.join(dir, 'motcua.db');
  const handle = openDatabase({ databaseUrl: null, sqliteFile: file });
  return {
    handle: { ...handle, close: async () => { await handle.close(); fs.rmSync(dir, { recursive: true, force: true }); } },
    bytes: async () => {
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(handle.db);
      const parts = [file, `${file}-wal`, `${file}-shm`].filter((f) => fs.existsSync(f));
      assert.ok(fs.statSync(file).size > 100_000, 'the database file holds the demo data');
      return Buffer.concat(parts.map((f) => fs.readFileSync(f)));
    },
  };
}

test(`after a dossier is filed and its messages sent and purged, the stored database (${testDialect === 'postgres' ? 'pg_dump' : 'SQLite .db, -wal, -shm'}) holds no ID number, phone or email in clear`, async (t) => {
  const db = await scannableDatabase();
  const ctx = await createTestContext({ handle: db.handle });
  t.after(() => ctx.close());

  const { id } = await fileMarriage(ctx);
  const dossier = (await ctx.handle.db.selectFrom('dossiers').select('code').where('id', '=', id).executeTakeFirstOrThrow());
  assert.ok(dossier.code, 'submitted');

  // Before delivery the outbox holds the recipient (it must, to send): that and only that.
  const waiting = await ctx.handle.db.selectFrom('outbox').selectAll().execute();
  assert.ok(waiting.some((m) => m.recipient === secrets.email), 'the receipt waits in the outbox for its recipient');
  assert.deepEqual(leakedIn(Buffer.from(JSON.stringify(waiting.map(({ recipient: _r, ...m }) => m)))), [], 'no ID number in a waiting message beside the recipient');

  const test = new TestTransport();
  const worker = new NotificationWorker({ email: test.email, sms: test.sms, db: ctx.handle.db, clock: ctx.clock, log: pino({ level: 'silent' }) });
  await worker.runOnce();
  assert.ok(test.messages.some((m) => m.to === secrets.email), 'the applicant was told');
  ctx.clock.set('2027-01-15T03:00:00.000Z');
  await ctx.services.retention.purge();

  const bytes = await db.bytes();
  assert.ok(bytes.includes(Buffer.from(dossier.code)), 'the scan reads the dossiers (its code is there)');
  assert.deepEqual(leakedIn(bytes), [], 'none of the applicant\'s or the partner\'s ID numbers, the phone or the email');
});
