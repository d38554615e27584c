// The audit chain on the dialect under test: entries commit with their change, concurrent appends
// queue on the head, and verify names the entry someone changed, removed or moved with plain SQL.
import { test, type TestContext as NodeTestContext } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { openDatabase, type Db, type DbHandle } from '../../db/connection.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import type { Database } from '../../db/schema.ts';
import { entryHash, genesisHash, headSignature } from '../../domain/audit-chain.ts';
import { freshDatabaseUrl, testDialect } from '../../testing/context.ts';
import { auditVerifyCommand } from './audit.cli.ts';
import { appendAudit, AuditService, type AuditInput } from './audit.service.ts';
import { testKeys } from '../../keys.ts';

const key = testKeys().audit;

/**
 * A fresh database of the dialect under test, migrated, dropped after the test. On PostgreSQL the
 * pool is opened here rather than by openDatabase so it can listen for errors: pg's pool.end()
 * returns before its connections finish closing, the forced drop then ends them, and an idle
 * connection's error with nobody listening would crash the test process.
 */
async function world(t: NodeTestContext) {
  const fresh = await freshDatabaseUrl();
  let handle: DbHandle;
  if (!fresh) handle = openDatabase({ databaseUrl: null, sqliteFile: ':memory:' });
  else {
    const pool = new pg.Pool({ connectionString: fresh.url, max: 10 });
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const close = async () => {
      await db.destroy();
      await fresh.drop();
    };
    handle = { db, dialect: 'postgres', location: new URL(fresh.url).pathname, close };
  }
  t.after(() => handle.close());
  await migrateToLatest(handle.db);
  return { handle, db: handle.db, audit: new AuditService(handle.db, key) };
}

/** The n-th dossier action by a reception officer, at 03:00:n UTC on 29 Nov 2026. */
const action = (n: number, over: Partial<AuditInput> = {}): AuditInput => ({
  at: new Date(Date.UTC(2026, 10, 29, 3, 0, n)).toISOString(),
  kind: 'dossier_action',
  actorId: 'u-tiep-nhan',
  subject: `dossier:d-${n % 3}`,
  data: { action: 'accept', note: 'Đã tiếp nhận hồ sơ', n },
  ...over,
});

/** n entries, each in its own committed transaction. */
async function appendMany(db: Db, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) await db.transaction().execute((tx) => appendAudit(tx, action(i), key));
}

test(`an entry appended in a transaction that rolls back leaves no entry and no gap (${testDialect})`, async (t) => {
  const { db, audit } = await world(t);
  await appendMany(db, 2);
  await assert.rejects(
    db.transaction().execute(async (tx) => {
      await appendAudit(tx, action(3), key);
      throw new Error('the dossier could not be saved');
    }),
    /could not be saved/,
  );
  const head = await db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
  assert.equal(head.seq, 2);
  const next = await db.transaction().execute((tx) => appendAudit(tx, action(4), key));
  assert.equal(next.seq, 3, 'the next entry takes the number the rolled-back one would have had');
  const rows = await db.selectFrom('audit_log').select(['seq']).orderBy('seq').execute();
  assert.deepEqual(rows.map((r) => r.seq), [1, 2, 3]);
  assert.deepEqual(await audit.verify(), { ok: true, count: 3, headHash: next.hash });
});

test(`50 audited changes committing at once form one gapless chain that verifies (${testDialect})`, async (t) => {
  const { db, audit } = await world(t);
  const appended = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      db.transaction().execute(async (tx) => {
        // A read of the head before appending, as a stale reader would: the append must not trust it.
        await tx.selectFrom('audit_head').selectAll().executeTakeFirst();
        const entry = await appendAudit(tx, action(i + 1), key);
        await sleep(Math.random() * 5);
        return entry;
      }),
    ),
  );
  assert.deepEqual(appended.map((e) => e.seq).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i + 1));
  const rows = await db.selectFrom('audit_log').select(['seq', 'prev_hash', 'hash']).orderBy('seq').execute();
  assert.equal(rows.length, 50);
  assert.equal(rows[0]!.prev_hash, genesisHash);
  for (let i = 1; i < rows.length; i++) assert.equal(rows[i]!.prev_hash, rows[i - 1]!.hash, `entry ${i + 1} points to entry ${i}`);
  const verdict = await audit.verify();
  assert.deepEqual(verdict, { ok: true, count: 50, headHash: rows[49]!.hash });
});

test('an intact chain verifies across page boundaries, and motcua audit verify prints its size and head', async (t) => {
  const { db, audit } = await world(t);
  const lines: string[] = [];
  assert.equal(await auditVerifyCommand(audit, (line) => lines.push(line)), 0);
  await appendMany(db, 23);
  for (const pageSize of [1, 7, 23, 5000]) {
    const r = await new AuditService(db, key, { pageSize }).verify();
    assert.deepEqual(r.ok && r.count, 23, `page size ${pageSize}`);
  }
  assert.equal(await auditVerifyCommand(audit, (line) => lines.push(line)), 0);
  const head = await db.selectFrom('audit_head').select('hash').executeTakeFirstOrThrow();
  assert.deepEqual(lines, [`audit chain intact: 0 entries, head ${genesisHash}`, `audit chain intact: 23 entries, head ${head.hash}`]);
});

test('appendAudit refuses to run outside a transaction, or with a timestamp that is not ISO UTC', async (t) => {
  const { db } = await world(t);
  await appendMany(db, 23);
  await assert.rejects(appendAudit(db, action(24), key), /inside the transaction/);
  await assert.rejects(db.transaction().execute((tx) => appendAudit(tx, action(24, { at: '29/11/2026 10:00' }), key)), /ISO 8601 UTC/);
  assert.equal((await db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq, 23);
});

test('verify names an entry whose data was changed with SQL, and motcua audit verify says so in one line', async (t) => {
  const { db, audit } = await world(t);
  await appendMany(db, 30);
  await db.updateTable('audit_log').set({ data: '{"action":"reject","n":17}' }).where('seq', '=', 17).execute();
  assert.deepEqual(await new AuditService(db, key, { pageSize: 7 }).verify(), { ok: false, seq: 17, reason: 'changed', message: 'its hash does not match its contents' });
  const lines: string[] = [];
  assert.equal(await auditVerifyCommand(audit, (line) => lines.push(line)), 1);
  assert.deepEqual(lines, ['audit chain broken at entry 17: changed (its hash does not match its contents)']);
  assert.equal((await audit.verify()).ok, false);
});

test('verify names a removed middle entry', async (t) => {
  const { db, audit } = await world(t);
  await appendMany(db, 30);
  await db.deleteFrom('audit_log').where('seq', '=', 17).execute();
  assert.deepEqual(await audit.verify(), { ok: false, seq: 17, reason: 'removed', message: 'entry 17 is missing; the next entry is 18' });
});

test('verify names a removed last entry: the chain head still records it', async (t) => {
  const { db, audit } = await world(t);
  await appendMany(db, 30);
  await db.deleteFrom('audit_log').where('seq', '=', 30).execute();
  assert.deepEqual(await audit.verify(), { ok: false, seq: 30, reason: 'removed', message: 'entry 30 is missing from the end (the chain head records 30 entries)' });
});

test('verify names a reordered pair whose seq values were swapped through a temporary one', async (t) => {
  const { db, audit } = await world(t);
  await appendMany(db, 30);
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('audit_log').set({ seq: -1 }).where('seq', '=', 11).execute();
    await tx.updateTable('audit_log').set({ seq: 11 }).where('seq', '=', 12).execute();
    await tx.updateTable('audit_log').set({ seq: 12 }).where('seq', '=', -1).execute();
  });
  assert.deepEqual(await audit.verify(), { ok: false, seq: 11, reason: 'reordered', message: 'it was written as entry 12' });
});

test('verify names an entry slipped in after the head, and a chain whose head row was deleted', async (t) => {
  const { db, audit } = await world(t);
  await appendMany(db, 5);
  const last = await db.selectFrom('audit_log').selectAll().where('seq', '=', 5).executeTakeFirstOrThrow();
  await db.insertInto('audit_log').values({ ...last, seq: 6, prev_hash: last.hash }).execute();
  assert.deepEqual(await audit.verify(), { ok: false, seq: 6, reason: 'changed', message: 'it was added after the chain head, not through it' });
  await db.deleteFrom('audit_head').execute();
  const r = await audit.verify();
  assert.deepEqual(r.ok ? null : [r.reason, r.message], ['removed', 'the chain head (audit_head, id 1) is missing']);
  await assert.rejects(db.transaction().execute((tx) => appendAudit(tx, action(7), key)), /head .* is missing/);
});

test('the auditor’s list shows entries newest first, with their data, filtered by subject', async (t) => {
  const { db, audit } = await world(t);
  await appendMany(db, 7);
  await db.transaction().execute((tx) => appendAudit(tx, { at: '2026-11-29T04:00:00.000Z', kind: 'role_granted', actorId: 'u-admin', subject: 'user:u-42', data: { role: 'approver', unitId: 'my-tho' } }, key));
  const all = await audit.list({ limit: 3 });
  assert.equal(all.total, 8);
  assert.deepEqual(all.items.map((e) => e.seq), [8, 7, 6]);
  assert.deepEqual(all.items[0], {
    seq: 8, at: '2026-11-29T04:00:00.000Z', kind: 'role_granted', actorId: 'u-admin', subject: 'user:u-42',
    data: { role: 'approver', unitId: 'my-tho' }, hash: all.items[0]!.hash,
  });
  const one = await audit.list({ subject: 'dossier:d-1', limit: 10, offset: 1 });
  assert.equal(one.total, 3);
  assert.deepEqual(one.items.map((e) => e.seq), [4, 1]);
  const stored = await db.selectFrom('audit_log').select('data').where('seq', '=', 1).executeTakeFirstOrThrow();
  assert.equal(stored.data, '{"action":"accept","n":1,"note":"Đã tiếp nhận hồ sơ"}', 'data is stored as canonical JSON');
});

test(`each append signs the head under AUDIT_KEY in its transaction, and a chain recomputed with SQL fails verify naming the anchor (${testDialect})`, async (t) => {
  const { db, audit } = await world(t);
  await appendMany(db, 12);
  const signed = await db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
  assert.equal(signed.signature, headSignature(key, { seq: 12, hash: signed.hash }));

  // Someone who can write to the database, not holding AUDIT_KEY, changes entry 5 and recomputes
  // every hash after it and the head, so the chain itself is consistent again.
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  let prev = genesisHash;
  for (const r of rows) {
    const data = r.seq === 5 ? '{"action":"reject","n":5}' : r.data;
    const hash = entryHash(prev, { seq: r.seq, at: r.at, kind: r.kind, actorId: r.actor_id, subject: r.subject, data });
    await db.updateTable('audit_log').set({ data, prev_hash: prev, hash }).where('seq', '=', r.seq).execute();
    prev = hash;
  }
  await db.updateTable('audit_head').set({ hash: prev, signature: headSignature(Buffer.alloc(32, 1), { seq: 12, hash: prev }) }).execute();
  assert.deepEqual(await audit.verify(), {
    ok: false, seq: 12, reason: 'anchor',
    message: 'the chain head’s signature does not match under AUDIT_KEY: the chain was recomputed or the key is wrong',
  });
  const lines: string[] = [];
  assert.equal(await auditVerifyCommand(audit, (line) => lines.push(line)), 1);
  assert.match(lines[0]!, /^audit chain broken at entry 12: anchor \(the chain head’s signature does not match/);

  // Without the key's signature at all (the column emptied), verify says the head is unsigned.
  await db.updateTable('audit_head').set({ signature: null }).execute();
  const unsigned = await audit.verify();
  assert.deepEqual(unsigned.ok ? null : [unsigned.reason, unsigned.message], ['anchor', 'the chain head is not signed (AUDIT_KEY)']);

  // The same chain is intact under a verifier holding another key only if it was signed with that key.
  const otherKey = Buffer.alloc(32, 3);
  const r = await new AuditService(db, otherKey).verify();
  assert.equal(r.ok, false);
  // The next real append signs the head again, and the chain verifies from there.
  await db.transaction().execute((tx) => appendAudit(tx, action(13), key));
  assert.deepEqual((await audit.verify()).ok, true);
});

test('an empty chain needs no anchor: a fresh database verifies with no signature', async (t) => {
  const { db, audit } = await world(t);
  assert.equal((await db.selectFrom('audit_head').select('signature').executeTakeFirstOrThrow()).signature, null);
  assert.deepEqual(await audit.verify(), { ok: true, count: 0, headHash: genesisHash });
});
