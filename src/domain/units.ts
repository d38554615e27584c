// Units are time-versioned: each row is valid from one day to another (both inclusive), and a
// merged or abolished unit names its successors. Dossier codes and statistics keep the unit that
// was valid at the time, so nothing is deleted.

export type UnitKind = 'province' | 'department' | 'district' | 'commune' | 'service_centre' | 'post_office';

export const unitKinds: readonly UnitKind[] = ['province', 'department', 'district', 'commune', 'service_centre', 'post_office'];

export type UnitValidity = { validFrom: string | null; validTo: string | null };

/** Whether a unit exists on a day (YYYY-MM-DD). Null bounds are open. */
export function isValidOn(unit: UnitValidity, day: string): boolean {
  return (unit.validFrom === null || unit.validFrom <= day) && (unit.validTo === null || day <= unit.validTo);
}

/** Whether a text is a real calendar day written YYYY-MM-DD. */
export function isIsoDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}
