// Roles (docs/domain.md §6). Every role but citizen is held at a unit, optionally with its subtree.
export const staffRoles = [
  'reception', 'specialist', 'approver', 'clerk', 'postal', 'unit_admin', 'province_admin', 'outreach', 'auditor',
] as const;
export const roles = ['citizen', ...staffRoles] as const;
export type Role = (typeof roles)[number];

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** Roles that read the dossiers of the units they hold (outreach works with figures, never with dossiers). */
export const dossierReaders: ReadonlySet<Role> = new Set(['reception', 'specialist', 'approver', 'clerk', 'postal', 'unit_admin', 'province_admin', 'auditor']);

/** A role held at a unit, and maybe its subtree (docs/domain.md §6). */
export type Grant = { role: Role; unitId: string | null; subtree: boolean };

/** Whether a grant covers a unit: the unit itself, or with `subtree` any unit below it. */
export function covers(grant: Grant, unitId: string, parentOf: (id: string) => string | null | undefined): boolean {
  if (!grant.unitId) return false;
  if (grant.unitId === unitId) return true;
  if (!grant.subtree) return false;
  const seen = new Set<string>();
  for (let p = parentOf(unitId); p && !seen.has(p); p = parentOf(p)) {
    if (p === grant.unitId) return true;
    seen.add(p);
  }
  return false;
}

/** Every unit a set of grants covers, out of all units: what a staff member's queue may show. */
export function unitsCovered(grants: readonly Grant[], units: ReadonlyArray<{ id: string; parentId: string | null }>): string[] {
  const parent = new Map(units.map((u) => [u.id, u.parentId]));
  return units.filter((u) => grants.some((g) => covers(g, u.id, (id) => parent.get(id)))).map((u) => u.id);
}
