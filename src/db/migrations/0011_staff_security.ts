// Issue 10, staff security: accounts that can be disabled, a second factor (TOTP) per account,
// a per-role policy requiring it, a pending sign-in between the password and the code, and an
// idle limit per session (staff 30 minutes, citizens 7 days: src/domain/accounts.ts).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // SQLite adds one column per ALTER TABLE.
  await db.schema.alterTable('users').addColumn('disabled_at', 'text').execute();
  /** The TOTP secret, sealed with AES-256-GCM under DATA_KEY; null until set up. */
  await db.schema.alterTable('users').addColumn('totp_secret', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_enabled_at', 'text').execute();
  /** The last 30-second step whose code was accepted: a code is never taken twice. */
  await db.schema.alterTable('users').addColumn('totp_last_step', 'integer').execute();
  /** Wrong codes in a row, counted before each check; the second factor locks at 10 until reset. */
  await db.schema.alterTable('users').addColumn('totp_failures', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('sessions').addColumn('idle_seconds', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('role_policies')
    .addColumn('role', 'text', (c) => c.primaryKey())
    .addColumn('require_totp', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('pending_sign_ins')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pending_sign_ins_user').on('pending_sign_ins').column('user_id').execute();
}
