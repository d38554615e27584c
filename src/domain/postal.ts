// The public postal service (Decision 45/2016/QĐ-TTg; docs/domain.md §9): shipments carrying a
// dossier to the desk (inbound) or a result to the applicant (outbound), their statuses and the
// changes an operator may report, the tariff, and what a postal delivery address must be. Pure.

export const shipmentDirections = ['inbound', 'outbound'] as const;
export type ShipmentDirection = (typeof shipmentDirections)[number];

export const shipmentStatuses = ['created', 'picked_up', 'in_transit', 'delivered', 'failed', 'returned_to_sender'] as const;
export type ShipmentStatus = (typeof shipmentStatuses)[number];

export function isShipmentStatus(v: unknown): v is ShipmentStatus {
  return typeof v === 'string' && (shipmentStatuses as readonly string[]).includes(v);
}

/**
 * The one table of what may follow what. A failed delivery may be tried again (back in transit) or
 * sent back; delivered and returned to sender are end states.
 */
export const shipmentTransitions: Record<ShipmentStatus, readonly ShipmentStatus[]> = {
  created: ['picked_up'],
  picked_up: ['in_transit', 'delivered', 'failed'],
  in_transit: ['delivered', 'failed'],
  failed: ['in_transit', 'returned_to_sender'],
  delivered: [],
  returned_to_sender: [],
};

export function mayMove(from: ShipmentStatus, to: ShipmentStatus): boolean {
  return shipmentTransitions[from].includes(to);
}

/** Statuses the desk must see and act on: the result did not reach the applicant. */
export const troubleStatuses: ReadonlySet<ShipmentStatus> = new Set(['failed', 'returned_to_sender']);

/**
 * What a shipment's new status does to its dossier: a delivered result is the result returned
 * (the `return_result` action, taken by the `postal` actor, which docs/domain.md §3.4 allows);
 * nothing else changes the dossier.
 */
export function dossierActionFor(direction: ShipmentDirection, to: ShipmentStatus): 'return_result' | null {
  return direction === 'outbound' && to === 'delivered' ? 'return_result' : null;
}

/** A postal address: the street line and a commune of the current two-tier list (docs/domain.md §1.3). */
export type PostalAddress = { line: string; areaCode: string };

export type AddressProblem = { field: 'line' | 'areaCode'; key: 'addressLineRequired' | 'areaRequired' | 'areaNotCurrent' };

/**
 * Checks a delivery address: a line of text and a commune code that the current list holds (a code
 * of a commune merged away in 2025 is refused: a parcel needs a place that exists today).
 */
export function checkPostalAddress(value: unknown, isCurrentCommune: (code: string) => boolean): { address: PostalAddress | null; problems: AddressProblem[] } {
  const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const line = typeof v.line === 'string' ? v.line.trim().slice(0, 200) : '';
  const areaCode = typeof v.areaCode === 'string' ? v.areaCode.trim() : '';
  const problems: AddressProblem[] = [];
  if (!line) problems.push({ field: 'line', key: 'addressLineRequired' });
  if (!areaCode) problems.push({ field: 'areaCode', key: 'areaRequired' });
  else if (!isCurrentCommune(areaCode)) problems.push({ field: 'areaCode', key: 'areaNotCurrent' });
  return { address: problems.length ? null : { line, areaCode }, problems };
}

/** The tariff as data (data/reference/postal/tariff.json): a fee per direction and zone. */
export type Tariff = {
  source: string;
  confirmed: boolean;
  fees: Record<ShipmentDirection, Record<PostalZone, number>>;
};
export type PostalZone = 'intra_province' | 'inter_province';

/** Same province (the first two digits of the commune's code's province) or not. */
export function zoneOf(fromProvince: string, toProvince: string): PostalZone {
  return fromProvince === toProvince ? 'intra_province' : 'inter_province';
}

export function feeFor(tariff: Tariff, direction: ShipmentDirection, zone: PostalZone): number {
  const fee = tariff.fees[direction]?.[zone];
  if (!Number.isInteger(fee) || fee < 0) throw new Error(`the postal tariff has no fee for ${direction} ${zone}`);
  return fee;
}

/** Checks a tariff as it loads: every direction and zone has a whole, non-negative fee in VND. */
export function checkTariff(t: Tariff): Tariff {
  for (const d of shipmentDirections) for (const z of ['intra_province', 'inter_province'] as const) feeFor(t, d, z);
  if (!t.source) throw new Error('the postal tariff names no source');
  return t;
}

/** An operator's event id or a tracking number: printable, short. */
export function isOperatorToken(v: unknown, max = 64): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max && /^[A-Za-z0-9._:-]+$/.test(v);
}

/**
 * The time of an operator's event: a strict ISO 8601 UTC timestamp (`2026-11-29T08:30:00Z`,
 * milliseconds allowed) naming a real instant; anything else (a bare date, an offset, a six-digit
 * year, 30 February) is null.
 */
export function parseEventTime(v: unknown): Date | null {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(v)) return null;
  const d = new Date(v);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 19) === v.slice(0, 19) ? d : null;
}

/** How far after now an operator's event may be dated (clocks drift): five minutes. */
export const eventClockSkewMs = 5 * 60_000;
