// Applies the migrations in src/db/migrations, in name order, on either dialect.
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './connection.ts';
import * as m0001 from './migrations/0001_foundation.ts';
import * as m0002 from './migrations/0002_accounts_outbox.ts';
import * as m0003 from './migrations/0003_dossiers.ts';
import * as m0004 from './migrations/0004_calendar.ts';
import * as m0005 from './migrations/0005_audit.ts';
import * as m0006 from './migrations/0006_identities.ts';
import * as m0007 from './migrations/0007_workflow.ts';
import * as m0008 from './migrations/0008_stats.ts';
import * as m0009 from './migrations/0009_feedback.ts';

const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_accounts_outbox': m0002,
  '0003_dossiers': m0003,
  '0004_calendar': m0004,
  '0005_audit': m0005,
  '0006_identities': m0006,
  '0007_workflow': m0007,
  '0008_stats': m0008,
  '0009_feedback': m0009,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
