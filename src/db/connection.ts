// Opens the database: embedded SQLite (WAL) by default, PostgreSQL when DATABASE_URL is set.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { Database } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';

export type Db = Kysely<Database>;

export type DbHandle = {
  db: Db;
  dialect: Dialect;
  /** Where the data lives, without credentials, for logs. */
  location: string;
  close(): Promise<void>;
};

export type DbOptions = { databaseUrl: string | null; sqliteFile: string; poolSize?: number; /** SQLite only: start from this serialized database (in memory), e.g. the tests' migrated and seeded template. */ sqliteImage?: Buffer };

export function openDatabase(opts: DbOptions): DbHandle {
  if (opts.databaseUrl) {
    // Counts come back as bigint strings by default; every count here fits in a JS number.
    pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    // An idle connection that dies (a PostgreSQL restart, a dropped test database) must not take the process with it;
    // the pool replaces it, and the next query reports any lasting problem.
    pool.on('error', (err) => console.error(`postgres: idle connection failed: ${err.message}`));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const url = new URL(opts.databaseUrl);
    return {
      db,
      dialect: 'postgres',
      location: `postgres://${url.host}${url.pathname}`,
      close: () => db.destroy(),
    };
  }
  if (opts.sqliteFile !== ':memory:' && !opts.sqliteImage) fs.mkdirSync(path.dirname(opts.sqliteFile), { recursive: true });
  const sqlite = opts.sqliteImage ? new SQLite(opts.sqliteImage) : new SQLite(opts.sqliteFile);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // Deleted rows are overwritten with zeros, not left in free pages: a purged outbox message or a
  // deleted draft leaves no recipient or ID number in the file (Decree 13/2023; issue 10).
  sqlite.pragma('secure_delete = ON');
  // 64 MB of page cache (the default is 2 MB): the queue's and the statistics' indexes stay in memory.
  sqlite.pragma('cache_size = -65536');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: 'sqlite', location: opts.sqliteImage ? ':memory:' : opts.sqliteFile, close: () => db.destroy() };
}

/**
 * Kysely prepares every query anew; better-sqlite3 statements can be reused, and preparing was a
 * sixth of the server's time in the submission benchmark. Queries are built from a few hundred
 * shapes, so a bounded map of statements by SQL text keeps them.
 */
function withStatementCache(sqlite: SQLite.Database, size = 500): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = (sqlText: string) => {
    let stmt = cache.get(sqlText);
    if (!stmt) {
      stmt = sqlite.prepare(sqlText);
      cache.set(sqlText, stmt);
      if (cache.size > size) cache.delete(cache.keys().next().value!);
    }
    return stmt;
  };
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop === 'prepare') return prepare;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * Runs `work` under a savepoint of the caller's transaction (SQLite and PostgreSQL alike): when it
 * throws, what it wrote is undone, the transaction stays usable and the error is rethrown.
 */
export async function underSavepoint<T>(tx: Db, name: 'postal_return', work: () => Promise<T>): Promise<T> {
  await sql.raw(`savepoint ${name}`).execute(tx);
  try {
    const value = await work();
    await sql.raw(`release savepoint ${name}`).execute(tx);
    return value;
  } catch (err) {
    await sql.raw(`rollback to savepoint ${name}`).execute(tx);
    await sql.raw(`release savepoint ${name}`).execute(tx);
    throw err;
  }
}
