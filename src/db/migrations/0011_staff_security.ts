// Issue 10 (security and personal data): filled in by its part's change.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function up(db: Kysely<any>): Promise<void> {}
