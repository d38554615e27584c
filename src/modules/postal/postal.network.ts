// The postal network as data: post offices (which operator, which units' desks they serve), the
// tariff, and the operators' API keys (POSTAL_OPERATOR_KEYS). Read and checked once at start.
import { createHash, timingSafeEqual } from 'node:crypto';
import { checkTariff, feeFor, zoneOf, type ShipmentDirection, type Tariff } from '../../domain/postal.ts';
import { readReference } from '../../reference.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';

/** A post office: its operator and the units whose desks it serves (each with the units below it). */
export type PostOffice = { id: string; name: string; nameEn: string; operator: string; serves: string[] };

export function loadPostOffices(): PostOffice[] {
  const file = readReference<{ offices: PostOffice[] }>('postal/post-offices.json');
  for (const o of file.offices) if (!o.id || !o.operator || !Array.isArray(o.serves) || !o.serves.length) throw new Error(`postal/post-offices.json: office ${o.id} needs an operator and the units it serves`);
  return file.offices;
}

/** The current two-tier list of provinces and communes (docs/domain.md §1.3): what a postal address may name. */
export type CurrentAreas = { provinces: Array<{ code: string; name: string; nameEn: string }>; communes: Map<string, { province: string; name: string; nameEn: string }> };

export function loadCurrentAreas(): CurrentAreas {
  type TwoTier = Array<{ Code: string; FullName: string; FullNameEn: string; Wards: Array<{ Code: string; FullName: string; FullNameEn: string }> }>;
  const list = readReference<TwoTier>('admin-units/vn-units-2026-07-two-level.min.json');
  const communes = new Map<string, { province: string; name: string; nameEn: string }>();
  for (const p of list) for (const w of p.Wards) communes.set(w.Code, { province: p.Code, name: w.FullName, nameEn: w.FullNameEn });
  return { provinces: list.map((p) => ({ code: p.Code, name: p.FullName, nameEn: p.FullNameEn })), communes };
}

export function loadTariff(): Tariff {
  return checkTariff(readReference<Tariff>('postal/tariff.json'));
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * The operators' keys, kept only as SHA-256 digests and compared in constant time: every key is
 * compared, whichever matches, so the time says nothing about which operator or how much matched.
 */
export class OperatorKeys {
  private readonly digests: Array<{ operator: string; digest: Buffer }>;

  constructor(keys: Record<string, string>) {
    this.digests = Object.entries(keys).map(([operator, key]) => ({ operator, digest: digest(key) }));
  }

  operatorOf(key: string | undefined): string | null {
    const presented = digest(key ?? '');
    let found: string | null = null;
    for (const k of this.digests) if (timingSafeEqual(k.digest, presented) && key) found = k.operator;
    return found;
  }
}

/** Where the network meets the unit tree: which office serves a desk, the fee to an address. */
export class PostalNetwork {
  constructor(
    readonly offices: PostOffice[],
    readonly tariff: Tariff,
    private readonly catalog: CatalogService,
    readonly areas: CurrentAreas = loadCurrentAreas(),
  ) {}

  /** The communes of a province in the current list, by name. */
  communesOf(province: string): Array<{ code: string; name: string; nameEn: string }> {
    return [...this.areas.communes].filter(([, c]) => c.province === province).map(([code, c]) => ({ code, name: c.name, nameEn: c.nameEn })).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  }

  /** "Phường Đạo Thạnh, Tỉnh Đồng Tháp": an address's commune with its province, in a language. */
  areaLabel(code: string, lang: 'vi' | 'en'): string {
    const c = this.areas.communes.get(code);
    if (!c) return code;
    const p = this.areas.provinces.find((x) => x.code === c.province);
    return lang === 'en' ? `${c.nameEn}, ${p?.nameEn ?? ''}` : `${c.name}, ${p?.name ?? ''}`;
  }

  /** A unit and its ancestors, nearest first. */
  private chain(unitId: string): string[] {
    const out: string[] = [];
    for (let id: string | null | undefined = unitId; id && !out.includes(id); id = this.catalog.unit(id)?.parentId) out.push(id);
    return out;
  }

  /** The office that serves a desk: the one whose served unit is nearest above it (or it). */
  officeFor(unitId: string): PostOffice | null {
    const chain = this.chain(unitId);
    let best: { office: PostOffice; depth: number } | null = null;
    for (const o of this.offices) {
      for (const s of o.serves) {
        const depth = chain.indexOf(s);
        if (depth >= 0 && (!best || depth < best.depth)) best = { office: o, depth };
      }
    }
    return best?.office ?? null;
  }

  office(id: string | null): PostOffice | undefined {
    return id ? this.offices.find((o) => o.id === id) : undefined;
  }

  /** Whether an office serves a unit (the unit is at or below one it serves), or the unit is above it. */
  touches(office: PostOffice, unitId: string): boolean {
    return office.serves.some((s) => this.chain(unitId).includes(s) || this.chain(s).includes(unitId));
  }

  /** The province area code (GSO) of a desk: the first ancestor that is a province. */
  provinceOf(unitId: string): string | null {
    for (const id of this.chain(unitId)) {
      const u = this.catalog.unit(id);
      if (u?.kind === 'province') return u.code;
    }
    return null;
  }

  /**
   * The fee of a shipment between a desk and an address's province (the province of its commune in
   * the current list); same province or not. An unknown province counts as another province.
   */
  fee(direction: ShipmentDirection, deskUnitId: string, addressProvince: string | null): { feeVnd: number; zone: 'intra_province' | 'inter_province'; confirmed: boolean } {
    const zone = zoneOf(this.provinceOf(deskUnitId) ?? '', addressProvince ?? '?');
    return { feeVnd: feeFor(this.tariff, direction, zone), zone, confirmed: this.tariff.confirmed };
  }
}
