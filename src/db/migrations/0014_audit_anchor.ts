// Issue 10, part 5: the audit chain's head is signed (HMAC-SHA-256 under AUDIT_KEY, which lives
// outside the database), so someone who can write to the database and recomputes every hash still
// cannot produce a head that `motcua audit verify` accepts.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Null until the first append under a key: an empty chain needs no anchor, and a chain written
  // before this migration is signed by its next append.
  await db.schema.alterTable('audit_head').addColumn('signature', 'text').execute();
}
