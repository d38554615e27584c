// The organisation tree: time-versioned units (design.md §2).
import type { Db } from '../../db/connection.ts';
import { isValidOn, type UnitKind } from '../../domain/units.ts';
import { allUnits, findUnit, listUnits, type UnitFilter, type UnitRow } from './units.queries.ts';

export type Unit = {
  id: string; code: string; name: string; nameEn: string; kind: string; parentId: string | null;
  validFrom: string | null; validTo: string | null; successorIds: string[]; agencyName: string | null; agencyNameEn: string | null;
};

export function toUnit(r: UnitRow): Unit {
  return {
    id: r.id, code: r.code, name: r.name, nameEn: r.name_en, kind: r.kind, parentId: r.parent_id,
    validFrom: r.valid_from, validTo: r.valid_to, successorIds: JSON.parse(r.successor_ids) as string[],
    agencyName: r.agency_name, agencyNameEn: r.agency_name_en,
  };
}

export class UnitsService {
  constructor(private readonly db: Db) {}

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
}

/** Units of a kind valid on a day, in the order the organisation lists them. */
export function unitsOfKindOn(units: Unit[], kind: UnitKind, day: string): Unit[] {
  return units.filter((u) => u.kind === kind && isValidOn(u, day));
}
