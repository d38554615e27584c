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
import * as m0010 from './migrations/0010_signin_security.ts';
import * as m0011 from './migrations/0011_staff_security.ts';
import * as m0012 from './migrations/0012_retention.ts';
import * as m0013 from './migrations/0013_encryption.ts';
import * as m0014 from './migrations/0014_audit_anchor.ts';
import * as m0015 from './migrations/0015_privacy.ts';
import * as m0016 from './migrations/0016_deadlines.ts';
import * as m0017 from './migrations/0017_national.ts';
import * as m0018 from './migrations/0018_signed_results.ts';
import * as m0019 from './migrations/0019_payments.ts';
import * as m0020 from './migrations/0020_postal.ts';
import * as m0021 from './migrations/0021_statements.ts';
import * as m0022 from './migrations/0022_outreach.ts';

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
  '0010_signin_security': m0010,
  '0011_staff_security': m0011,
  '0012_retention': m0012,
  '0013_encryption': m0013,
  '0014_audit_anchor': m0014,
  '0015_privacy': m0015,
  '0016_deadlines': m0016,
  '0017_national': m0017,
  '0018_signed_results': m0018,
  '0019_payments': m0019,
  '0020_postal': m0020,
  '0021_statements': m0021,
  '0022_outreach': m0022,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
