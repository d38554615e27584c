// Loads the organisation (Tiền Giang, 2017) with each unit's electronic agency identifier, and the
// national administrative-area lists.
import type { Db } from '../db/connection.ts';
import type { UnitTable } from '../db/schema.ts';
import { isAgencyIdentifier } from '../domain/dossier-code.ts';
import { unitKinds, type UnitKind } from '../domain/units.ts';
import { insertInChunks } from './files.ts';
import { readReference } from '../reference.ts';

type OrgFile = {
  meta: { as_of: string };
  units: Array<{
    id: string; name_vi: string; name_en: string; kind: string; parent_id: string | null; short_code: string;
    subkind?: string; agency_name_vi?: string; agency_name_en?: string;
  }>;
};

/** Identifiers keyed by unit id; `synthetic` unless the identifier is the one really issued (docs/data.md). */
type IdentifierFile = { units: Record<string, { identifier: string; synthetic?: boolean }> };

/**
 * The units' electronic agency identifiers (mã định danh, Decision 20/2020/QĐ-TTg), checked: each
 * for a unit of the organisation, well formed (NNN.NN.NN.XNN), and none given twice. A unit not in
 * the file has none, and cannot issue dossier codes until it gets one.
 */
export function agencyIdentifiers(unitIds: Set<string>): Map<string, string> {
  const name = 'org/agency-identifiers.json';
  const file = readReference<IdentifierFile>(name);
  const byUnit = new Map<string, string>();
  const seen = new Map<string, string>();
  for (const [unitId, entry] of Object.entries(file.units ?? {})) {
    if (!unitIds.has(unitId)) throw new Error(`reference data ${name}: unknown unit ${unitId}`);
    if (!isAgencyIdentifier(entry?.identifier)) throw new Error(`reference data ${name}: unit ${unitId}: not an identifier of the form NNN.NN.NN.XNN: ${String(entry?.identifier)}`);
    const other = seen.get(entry.identifier);
    if (other) throw new Error(`reference data ${name}: unit ${unitId}: identifier ${entry.identifier} is already ${other}'s`);
    seen.set(entry.identifier, unitId);
    byUnit.set(unitId, entry.identifier);
  }
  return byUnit;
}

export async function loadOrganisation(db: Db): Promise<number> {
  const file = readReference<OrgFile>('org/tien-giang-2017-org-units.json');
  const ids = new Set(file.units.map((u) => u.id));
  const identifiers = agencyIdentifiers(ids);
  const rows: UnitTable[] = file.units.map((u, i) => {
    if (!unitKinds.includes(u.kind as UnitKind)) throw new Error(`unit ${u.id}: unknown kind ${u.kind}`);
    if (u.parent_id !== null && !ids.has(u.parent_id)) throw new Error(`unit ${u.id}: unknown parent ${u.parent_id}`);
    const territorial = u.kind === 'province' || u.kind === 'district' || u.kind === 'commune';
    return {
      id: u.id,
      code: u.short_code,
      name: u.name_vi,
      name_en: u.name_en,
      kind: u.kind,
      subkind: u.subkind ?? null,
      parent_id: u.parent_id,
      // The dataset records the units as they stood in 2017; when each began is not in it.
      valid_from: null,
      valid_to: null,
      successor_ids: '[]',
      agency_name: u.agency_name_vi ?? null,
      agency_name_en: u.agency_name_en ?? null,
      area_code: territorial ? u.short_code : null,
      sort_order: i,
      identifier: identifiers.get(u.id) ?? null,
    };
  });
  await db.deleteFrom('units').execute();
  // Parents first, so the foreign key holds on both dialects.
  await insertInChunks(rows, 200, (chunk) => db.insertInto('units').values(chunk).execute());
  return rows.length;
}

type ThreeTier = Array<{ Code: string; FullName: string; District: Array<{ Code: string; FullName: string; Ward: Array<{ Code: string; FullName: string }> | null }> }>;
type TwoTier = Array<{ Code: string; FullName: string; FullNameEn: string; Wards: Array<{ Code: string; FullName: string; FullNameEn: string }> }>;
type Reorg = { data: Array<{ level3s: Array<{ level3_id: string; splits: Array<{ new_id: string }> }> }> };

export async function loadAdminAreas(db: Db): Promise<{ areas: number; mappings: number }> {
  const rows: Array<{ scheme: string; code: string; level: string; name: string; name_en: string | null; parent_code: string | null }> = [];
  for (const p of readReference<ThreeTier>('admin-units/vn-units-2025-03-three-level.min.json')) {
    rows.push({ scheme: '2025-03', code: p.Code, level: 'province', name: p.FullName, name_en: null, parent_code: null });
    for (const d of p.District) {
      rows.push({ scheme: '2025-03', code: d.Code, level: 'district', name: d.FullName, name_en: null, parent_code: p.Code });
      // A few island districts have no communes.
      for (const w of d.Ward ?? []) rows.push({ scheme: '2025-03', code: w.Code, level: 'commune', name: w.FullName, name_en: null, parent_code: d.Code });
    }
  }
  for (const p of readReference<TwoTier>('admin-units/vn-units-2026-07-two-level.min.json')) {
    rows.push({ scheme: '2026-07', code: p.Code, level: 'province', name: p.FullName, name_en: p.FullNameEn, parent_code: null });
    for (const w of p.Wards) rows.push({ scheme: '2026-07', code: w.Code, level: 'commune', name: w.FullName, name_en: w.FullNameEn, parent_code: p.Code });
  }
  const mappings = new Map<string, { old_code: string; new_code: string }>();
  for (const province of readReference<Reorg>('admin-units/reorg-2025-07-tien-giang-dong-thap.json').data) {
    for (const old of province.level3s) {
      for (const s of old.splits) mappings.set(`${old.level3_id}>${s.new_id}`, { old_code: old.level3_id, new_code: s.new_id });
    }
  }
  await db.deleteFrom('admin_areas').execute();
  await db.deleteFrom('area_mappings').execute();
  await insertInChunks(rows, 1000, (chunk) => db.insertInto('admin_areas').values(chunk).execute());
  await insertInChunks([...mappings.values()], 1000, (chunk) => db.insertInto('area_mappings').values(chunk).execute());
  return { areas: rows.length, mappings: mappings.size };
}
