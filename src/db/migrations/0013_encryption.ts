// Issue 10, part 4: a dossier's personal data sealed at rest (src/domain/sealed.ts). The applicant,
// form and delivery columns stay text (a sealed value is text); rows written before stay readable
// and `motcua keys rotate` seals them. Staff still find a dossier by an applicant's ID number,
// phone or email through keyed look-up hashes (HMAC-SHA-256 of the normalised value).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['applicant_id_hash', 'applicant_phone_hash', 'applicant_email_hash']) {
    await db.schema.alterTable('dossiers').addColumn(column, 'text').execute();
    await db.schema.createIndex(`dossiers_${column}`).on('dossiers').column(column).execute();
  }
}
