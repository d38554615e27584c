// SQL for the procedure catalogue and its search data.
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { VersionContent } from '../../domain/catalog.ts';

export type ProcedureRow = {
  id: string; code: string; name: string; name_en: string; field_key: string; level: string; online_class: string;
  online_level: number; audience: string; processing_hours: number; processing_day_kind: string; fee_vnd: number | null; unit_scope: string;
  current_version: number; popularity: number;
};

export async function allProcedures(db: Db): Promise<ProcedureRow[]> {
  return db
    .selectFrom('procedures')
    .select(['id', 'code', 'name', 'name_en', 'field_key', 'level', 'online_class', 'online_level', 'audience',
      'processing_hours', 'processing_day_kind', 'fee_vnd', 'unit_scope', 'current_version', 'popularity'])
    .orderBy('id')
    .execute();
}

export async function allProcedureUnits(db: Db): Promise<Array<{ procedure_id: string; unit_id: string }>> {
  return db.selectFrom('procedure_units').select(['procedure_id', 'unit_id']).orderBy('procedure_id').orderBy('unit_id').execute();
}

export async function allAliases(db: Db): Promise<Array<{ procedure_id: string; alias: string }>> {
  return db.selectFrom('procedure_aliases').select(['procedure_id', 'alias']).execute();
}

export async function allSynonyms(db: Db): Promise<Array<{ terms: string[]; means: string }>> {
  const rows = await db.selectFrom('search_synonyms').select(['terms', 'means']).execute();
  return rows.map((r) => ({ terms: JSON.parse(r.terms) as string[], means: r.means }));
}

export async function allFields(db: Db): Promise<Array<{ key: string; name: string; name_en: string }>> {
  return db.selectFrom('fields').select(['key', 'name', 'name_en']).execute();
}

/** A published version of a procedure, its JSON content read. */
export async function findVersion(db: Db, procedureId: string, version: number): Promise<{ published_at: string; content: VersionContent } | undefined> {
  const row = await db
    .selectFrom('procedure_versions')
    .select(['published_at', 'content'])
    .where('procedure_id', '=', procedureId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row && { published_at: row.published_at, content: JSON.parse(row.content) as VersionContent };
}

/** A counter that any change to the catalogue bumps, so every instance knows to reload. */
export async function catalogRevision(db: Db): Promise<string> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', 'catalog_revision').executeTakeFirst();
  return row?.value ?? '0';
}

export async function bumpCatalogRevision(db: Db, revision: string): Promise<void> {
  await db
    .insertInto('meta')
    .values({ key: 'catalog_revision', value: revision })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: revision }))
    .execute();
}

/** Counts a search that found nothing, by its folded text (no personal data is kept). */
export async function recordMiss(db: Db, query: string, at: string): Promise<void> {
  await db
    .insertInto('search_misses')
    .values({ query, count: 1, last_at: at })
    .onConflict((oc) => oc.column('query').doUpdateSet({ count: sql`search_misses.count + 1`, last_at: at }))
    .execute();
}

export async function topMisses(db: Db, limit: number): Promise<Array<{ query: string; count: number; last_at: string }>> {
  return db.selectFrom('search_misses').select(['query', 'count', 'last_at']).orderBy('count', 'desc').orderBy('query').limit(limit).execute();
}
