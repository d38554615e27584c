// Issue 12, signed e-results (docs/domain.md, "Signed e-results"): each result records its number
// and symbol (số, ký hiệu, Decree 30/2020/NĐ-CP), type, date of issue, issuing unit and, when it is a
// signed PDF, who signed it and when, the signing certificate's SHA-256 fingerprint and whether that
// certificate is the demo one. `sha256` (the stored file's, the signed one for a PDF) gets an index:
// an uploaded copy is verified by it. Results attached before this migration keep nulls: unsigned.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['number', 'symbol', 'type', 'issued_on', 'issuing_unit_id', 'issuing_unit', 'signer', 'signed_at', 'cert_sha256', 'original_sha256']) {
    await db.schema.alterTable('dossier_results').addColumn(column, 'text').execute();
  }
  // 1: signed with the self-signed demo certificate (no legal weight); 0: the configured one, or unsigned.
  await db.schema.alterTable('dossier_results').addColumn('demo_cert', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('dossier_results_sha256').on('dossier_results').column('sha256').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('dossier_results_sha256').ifExists().execute();
  for (const column of ['number', 'symbol', 'type', 'issued_on', 'issuing_unit_id', 'issuing_unit', 'signer', 'signed_at', 'cert_sha256', 'original_sha256', 'demo_cert']) {
    await db.schema.alterTable('dossier_results').dropColumn(column).execute();
  }
}
