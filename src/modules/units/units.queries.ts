// SQL for the organisation tree.
import type { Db } from '../../db/connection.ts';

export type UnitRow = {
  id: string; code: string; name: string; name_en: string; kind: string; subkind: string | null; parent_id: string | null;
  valid_from: string | null; valid_to: string | null; successor_ids: string[]; agency_name: string | null; agency_name_en: string | null;
  identifier: string | null;
};

const unitColumns = ['id', 'code', 'name', 'name_en', 'kind', 'subkind', 'parent_id', 'valid_from', 'valid_to', 'successor_ids', 'agency_name', 'agency_name_en', 'identifier'] as const;

/** The stored row with its JSON column (successor_ids) read. */
const typed = <R extends { successor_ids: string }>(r: R): Omit<R, 'successor_ids'> & { successor_ids: string[] } => ({ ...r, successor_ids: JSON.parse(r.successor_ids) as string[] });

export type UnitFilter = { kind?: string; parentId?: string; at?: string; limit: number; offset: number };

function filtered(db: Db, f: Omit<UnitFilter, 'limit' | 'offset'>) {
  let q = db.selectFrom('units');
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.parentId) q = q.where('parent_id', '=', f.parentId);
  if (f.at) {
    const at = f.at;
    q = q
      .where((eb) => eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', at)]))
      .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', at)]));
  }
  return q;
}

export async function listUnits(db: Db, f: UnitFilter): Promise<{ total: number; rows: UnitRow[] }> {
  const [{ total } = { total: 0 }] = await filtered(db, f).select((eb) => eb.fn.countAll<number>().as('total')).execute();
  const rows = await filtered(db, f)
    .select(unitColumns)
    .orderBy('sort_order')
    .orderBy('id')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  return { total: Number(total), rows: rows.map(typed) };
}

export async function findUnit(db: Db, id: string): Promise<UnitRow | undefined> {
  const row = await db
    .selectFrom('units')
    .select(unitColumns)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && typed(row);
}

/** Every unit, for the in-memory tree the catalogue resolves its scopes against. */
export async function allUnits(db: Db): Promise<UnitRow[]> {
  const rows = await db
    .selectFrom('units')
    .select(unitColumns)
    .orderBy('sort_order')
    .orderBy('id')
    .execute();
  return rows.map(typed);
}

/** The units of these kinds valid on a day, in the organisation's order. */
export async function unitsOfKindsOn(db: Db, kinds: readonly string[], day: string): Promise<UnitRow[]> {
  const rows = await filtered(db, { at: day })
    .where('kind', 'in', [...kinds])
    .select(unitColumns)
    .orderBy('sort_order')
    .orderBy('id')
    .execute();
  return rows.map(typed);
}

/** The codes of every commune in both national lists (three-tier 2025-03, two-tier 2026-07). */
export async function communeAreaCodes(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('admin_areas').select('code').where('level', '=', 'commune').distinct().execute();
  return rows.map((r) => r.code);
}

export async function communeAreas(db: Db, scheme: string, provinceCode: string) {
  return db.selectFrom('admin_areas').select(['code', 'name']).where('scheme', '=', scheme).where('parent_code', '=', provinceCode).where('level', '=', 'commune').orderBy('name').execute();
}

/** An area's name, preferring the current two-tier list, with its province. */
export async function areaWithProvince(db: Db, code: string) {
  return db
    .selectFrom('admin_areas as a')
    .leftJoin('admin_areas as p', (j) => j.onRef('p.code', '=', 'a.parent_code').onRef('p.scheme', '=', 'a.scheme'))
    .select(['a.scheme', 'a.name', 'p.name as parent'])
    .where('a.code', '=', code)
    .where('a.level', '=', 'commune')
    .orderBy('a.scheme', 'desc')
    .execute();
}

/** Sets a unit's electronic agency identifier; false when there is no such unit. */
export async function setUnitIdentifier(db: Db, id: string, identifier: string): Promise<boolean> {
  const r = await db.updateTable('units').set({ identifier }).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The unit that holds an identifier, if any. */
export async function unitWithIdentifier(db: Db, identifier: string): Promise<string | undefined> {
  return (await db.selectFrom('units').select('id').where('identifier', '=', identifier).executeTakeFirst())?.id;
}
