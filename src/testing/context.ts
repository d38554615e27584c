// A test's world: a fresh database on the dialect under test (SQLite in memory, or a new
// PostgreSQL database when DATABASE_URL is set), migrated and loaded with the demo data, and the
// application built on it. Tests call the real HTTP layer through app.inject or a real port.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalDiskStorage } from '../modules/files/files.storage.ts';
import type { UploadLimits } from '../modules/dossiers/dossiers.service.ts';
import pg from 'pg';
import { sql } from 'kysely';
import { openDatabase, type DbHandle } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { seedDemo } from '../seed/demo.ts';
import type { Clock } from '../domain/time.ts';
import { buildApp, type App } from '../app.ts';
import { createServices, type Services, type Settings } from '../services.ts';
import { testKeys } from '../keys.ts';
import type { SessionLimits } from '../domain/accounts.ts';
import type { StandInView } from '../modules/sync/sync.service.ts';
import type { SigningSettings } from '../modules/office/office.signing.ts';

export const testDialect = process.env.DATABASE_URL ? 'postgres' : 'sqlite';

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * The migrated and seeded database every test file starts from, built once per `npm test` run by
 * scripts/test.ts (MOTCUA_TEST_TEMPLATE: a SQLite file, or a PostgreSQL database name): copying it
 * costs a fraction of migrating and loading the demo data again in each file. A file run on its own
 * has none and builds its database itself; either way the data is the same.
 */
const template = process.env.MOTCUA_TEST_TEMPLATE || null;
/** The clock's default start, at which the demo data (and so the template) is loaded. */
export const testEpoch = '2026-11-29T03:00:00.000Z';

/** Builds the template of `npm test` (see `template`): migrated and seeded at the test epoch. */
export async function buildTestTemplate(): Promise<{ value: string; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (base) {
    const name = `motcua_template_${process.pid}_${randomBytes(4).toString('hex')}`;
    await adminQuery(`create database ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    const handle = openDatabase({ databaseUrl: url.toString(), sqliteFile: '' });
    await migrateToLatest(handle.db);
    await seedDemo(handle.db, new Date(testEpoch));
    await handle.close();
    return { value: name, drop: () => adminQuery(`drop database if exists ${name} with (force)`) };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-template-'));
  const file = path.join(dir, 'template.db');
  const handle = openDatabase({ databaseUrl: null, sqliteFile: file });
  await migrateToLatest(handle.db);
  await seedDemo(handle.db, new Date(testEpoch));
  // An in-memory copy cannot use a write-ahead log: the image must say so in its header.
  await sql`pragma journal_mode = delete`.execute(handle.db);
  await handle.close();
  return { value: file, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A new PostgreSQL database named after this test process (a copy of the template when asked and there is one), or null on SQLite. */
export async function freshDatabaseUrl(fromTemplate = false): Promise<{ url: string; drop(): Promise<void> } | null> {
  const base = process.env.DATABASE_URL;
  if (!base) return null;
  const name = `motcua_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(fromTemplate && template ? `create database ${name} template ${template}` : `create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`drop database if exists ${name} with (force)`) };
}

/** The SQLite template's bytes, read once per process. */
let sqliteImage: Buffer | null = null;

/** A fresh database for one test file (empty, or the seeded template's copy when `seeded` and there is one); dropped again by the returned handle's close(). */
export async function freshDatabase(seeded = false): Promise<DbHandle> {
  const fresh = await freshDatabaseUrl(seeded);
  if (!fresh) {
    if (seeded && template) return openDatabase({ databaseUrl: null, sqliteFile: ':memory:', sqliteImage: (sqliteImage ??= fs.readFileSync(template)) });
    return openDatabase({ databaseUrl: null, sqliteFile: ':memory:' });
  }
  const handle = openDatabase({ databaseUrl: fresh.url, sqliteFile: '' });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await fresh.drop();
    },
  };
}

/**
 * Sessions for tests that move the clock by days while keeping one signed-in officer: 30 days from
 * sign-in and no idle limit, for staff and citizens alike. The real limits (src/domain/accounts.ts:
 * staff 30 idle minutes, 12 hours) are tested by passing `sessionLimits` from there.
 */
/** For property tests whose random histories run for months on one sign-in. */
export const longSessions: SessionLimits = {
  staff: { idleSeconds: 0, absoluteSeconds: 400 * 86400 },
  citizen: { idleSeconds: 0, absoluteSeconds: 400 * 86400 },
  touchSeconds: 60,
};

export const timeTravelSessions: SessionLimits = {
  staff: { idleSeconds: 0, absoluteSeconds: 30 * 86400 },
  citizen: { idleSeconds: 0, absoluteSeconds: 30 * 86400 },
  touchSeconds: 60,
};

export type TestContext = { handle: DbHandle; services: Services; app: App; clock: Clock & { set(iso: string): void }; filesDir: string; close(): Promise<void> };

export function fixedClock(iso = testEpoch): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (v: string) => void (now = new Date(v)) };
}

export async function createTestContext(opts: { demo?: boolean; uploads?: UploadLimits; settings?: Settings; /** A database the test opened itself (a file, to read its bytes); closed with the context. */ handle?: DbHandle; /** The public URL (https makes cookies Secure with __Host- names). */ publicUrl?: string; /** Session lifetimes; by default timeTravelSessions. */ sessionLimits?: SessionLimits; /** The national sync's stand-in receiver shown on its admin page (the sync itself is on only with `settings.nationalSync`). */ syncStandIn?: StandInView; /** The PKCS#12 certificate results are signed with; by default the demo certificate. */ signing?: SigningSettings } = {}): Promise<TestContext> {
  const publicUrl = opts.publicUrl ?? 'http://localhost:3000';
  const fromTemplate = !opts.handle && opts.demo !== false && template !== null;
  const handle = opts.handle ?? await freshDatabase(opts.demo !== false);
  await migrateToLatest(handle.db);
  const clock = fixedClock();
  if (opts.demo !== false && !fromTemplate) await seedDemo(handle.db, clock.now());
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-files-'));
  const storage = new LocalDiskStorage(filesDir);
  const services = createServices(handle, clock, { storage, uploads: opts.uploads ?? { maxFileBytes: 20 << 20, maxDossierBytes: 60 << 20 }, publicUrl, settings: opts.settings, keys: testKeys(), sessionLimits: opts.sessionLimits ?? timeTravelSessions, syncStandIn: opts.syncStandIn, signing: opts.signing });
  await services.catalog.load();
  const app = await buildApp({ services, logger: false, publicUrl });
  await app.ready();
  return {
    handle, services, app, clock,
    filesDir,
    close: async () => {
      await app.close();
      await handle.close();
      fs.rmSync(filesDir, { recursive: true, force: true });
    },
  };
}
