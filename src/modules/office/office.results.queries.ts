// The result records as verification reads them (by their id {code}-KQ{n}, or by a file's SHA-256),
// and the demo signing certificate kept in `meta`. Results are written by the dossier engine
// (DossiersService.addResult), in the transaction of their attach_result action.
import type { Db } from '../../db/connection.ts';
import type { DossierResultTable } from '../../db/schema.ts';

export type ResultRecord = DossierResultTable & { procedure_id: string; dossier_code: string | null };

function withDossier(db: Db) {
  return db.selectFrom('dossier_results as r').innerJoin('dossiers as d', 'd.id', 'r.dossier_id')
    .selectAll('r').select(['d.procedure_id', 'd.code as dossier_code']);
}

/** A result by its own id ({code}-KQ{n}). */
export async function resultByCode(db: Db, code: string): Promise<ResultRecord | undefined> {
  return withDossier(db).where('r.code', '=', code).executeTakeFirst();
}

/** The results whose stored file has this SHA-256 (the signed file, for a signed PDF). */
export async function resultsBySha256(db: Db, sha256: string): Promise<ResultRecord[]> {
  return withDossier(db).where('r.sha256', '=', sha256).orderBy('r.created_at').execute();
}

export async function readMeta(db: Db, key: string): Promise<string | undefined> {
  return (await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

/** Writes a value unless the key is there already (the first writer wins). */
export async function insertMetaOnce(db: Db, key: string, value: string): Promise<void> {
  await db.insertInto('meta').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute();
}

export async function updateMeta(db: Db, key: string, value: string): Promise<void> {
  await db.updateTable('meta').set({ value }).where('key', '=', key).execute();
}
