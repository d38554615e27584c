// The organisation tree: time-versioned units (docs/domain.md §1).
import type { Db } from '../../db/connection.ts';
import { isAgencyIdentifier } from '../../domain/dossier-code.ts';
import { isValidOn, type UnitKind } from '../../domain/units.ts';
import { allUnits, areaWithProvince, communeAreaCodes, communeAreas, findUnit, listUnits, setUnitIdentifier, unitWithIdentifier, unitsOfKindsOn, type UnitFilter, type UnitRow } from './units.queries.ts';

export type Unit = {
  id: string; code: string; name: string; nameEn: string; kind: string; parentId: string | null;
  validFrom: string | null; validTo: string | null; successorIds: string[]; agencyName: string | null; agencyNameEn: string | null;
  /** The electronic agency identifier (NNN.NN.NN.XNN) its dossier codes start with; null: none yet, so no codes. */
  identifier: string | null;
};

export function toUnit(r: UnitRow): Unit {
  return {
    id: r.id, code: r.code, name: r.name, nameEn: r.name_en, kind: r.kind, parentId: r.parent_id,
    validFrom: r.valid_from, validTo: r.valid_to, successorIds: r.successor_ids,
    agencyName: r.agency_name, agencyNameEn: r.agency_name_en, identifier: r.identifier,
  };
}

/**
 * The kinds of unit that receive dossiers and so issue their codes: every kind but the post office,
 * which carries dossiers to a desk (docs/domain.md §1.1). Every unit that handles a procedure is
 * of one of these kinds.
 */
export const codeIssuingKinds: readonly UnitKind[] = ['province', 'department', 'district', 'commune', 'service_centre'];

export class UnitsService {
  private areaCodes: Promise<Set<string>> | null = null;

  constructor(private readonly db: Db) {}

  /**
   * Commune codes valid in an address: both the current two-tier list and the old three-tier one,
   * since an address keeps the code it was entered with (docs/domain.md §1). Loaded once.
   */
  async communeCodes(): Promise<Set<string>> {
    this.areaCodes ??= communeAreaCodes(this.db).then((codes) => new Set(codes));
    return this.areaCodes;
  }

  private readonly communeLists = new Map<string, Promise<Array<{ code: string; name: string }>>>();

  /** The communes of a province in the current two-tier list, for address pickers. Loaded once. */
  async currentCommunes(provinceCode: string): Promise<Array<{ code: string; name: string }>> {
    let list = this.communeLists.get(provinceCode);
    if (!list) this.communeLists.set(provinceCode, (list = communeAreas(this.db, '2026-07', provinceCode)));
    return list;
  }

  /**
   * A commune code's name with its province ("Phường Đạo Thạnh, Tỉnh Đồng Tháp"), and its name in
   * the old three-tier list when the 2025 reform changed it: an address shows both (docs/domain.md §1).
   */
  async areaName(code: string): Promise<{ current: string; former: string | null } | null> {
    const rows = await areaWithProvince(this.db, code);
    const names = [...new Set(rows.map((r) => [r.name, r.parent].filter(Boolean).join(', ')))];
    if (!names.length) return null;
    return { current: names[0]!, former: names[1] ?? null };
  }

  async list(f: UnitFilter): Promise<{ total: number; items: Unit[] }> {
    const { total, rows } = await listUnits(this.db, f);
    return { total, items: rows.map(toUnit) };
  }

  async find(id: string): Promise<Unit | undefined> {
    const row = await findUnit(this.db, id);
    return row && toUnit(row);
  }

  async all(): Promise<Unit[]> {
    return (await allUnits(this.db)).map(toUnit);
  }

  /**
   * Sets a unit's electronic agency identifier (`motcua unit identifier`), the real one replacing a
   * synthetic one or filling a gap. The catalogue keeps the unit tree in memory: the caller bumps its
   * revision so every instance reloads. 'unknown_unit', 'bad_identifier' or 'taken' (another unit has it) when refused.
   */
  async setIdentifier(id: string, identifier: string): Promise<'set' | 'unknown_unit' | 'bad_identifier' | 'taken'> {
    if (!isAgencyIdentifier(identifier)) return 'bad_identifier';
    const holder = await unitWithIdentifier(this.db, identifier);
    if (holder && holder !== id) return 'taken';
    return (await setUnitIdentifier(this.db, id, identifier)) ? 'set' : 'unknown_unit';
  }

  /**
   * The units valid on a day that receive dossiers but have no well-formed electronic agency
   * identifier: they cannot issue dossier codes, so intake there fails until an administrator sets
   * one (the server warns of them at start).
   */
  async unitsWithoutIdentifier(day: string): Promise<Unit[]> {
    return (await unitsOfKindsOn(this.db, codeIssuingKinds, day)).filter((r) => !isAgencyIdentifier(r.identifier)).map(toUnit);
  }
}

/** Units of a kind valid on a day, in the order the organisation lists them. */
export function unitsOfKindOn(units: Unit[], kind: UnitKind, day: string): Unit[] {
  return units.filter((u) => u.kind === kind && isValidOn(u, day));
}
