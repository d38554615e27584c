// Roles (design.md §2). Every role but citizen is held at a unit, optionally with its subtree.
export const staffRoles = [
  'reception', 'specialist', 'approver', 'clerk', 'postal', 'unit_admin', 'province_admin', 'outreach', 'auditor',
] as const;
export const roles = ['citizen', ...staffRoles] as const;
export type Role = (typeof roles)[number];

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}
