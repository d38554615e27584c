// Issue 10, personal data (Decree 13/2023/NĐ-CP): the consents people give to the privacy notice
// (at registration and at each filing), and the mark left on an account whose holder asked for
// deletion (the row stays, pseudonymised, because submitted dossiers still name it as their owner).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    // `registration` or `dossier`.
    .addColumn('purpose', 'text', (c) => c.notNull())
    // The dossier the consent was given for; null for registration.
    .addColumn('dossier_id', 'text')
    // The version (date) of the privacy notice the person was shown.
    .addColumn('notice_version', 'text', (c) => c.notNull())
    // `page` or `api`.
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('given_at', 'text', (c) => c.notNull())
    // Set when the person asked for deletion: the record of the consent is kept as proof.
    .addColumn('withdrawn_at', 'text')
    .execute();
  await db.schema.createIndex('consents_user').on('consents').columns(['user_id', 'given_at']).execute();

  await db.schema.alterTable('users').addColumn('deleted_at', 'text').execute();
}
