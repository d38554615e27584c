// Administering accounts (issue 10): find accounts, disable and enable them (a disabled account's
// sessions end at once), revoke a role (gone from the next request), require the second factor
// per role, reset a lost second factor. A province administrator administers every account; a unit
// administrator the accounts whose staff roles all sit in the units they administer. The command
// line (`motcua user …`) acts as the operator (actor null). Every change is in the audit log.
import type { Db } from '../../db/connection.ts';
import type { SessionUser } from '../../domain/accounts.ts';
import { isRole, staffRoles, unitsCovered, type Role } from '../../domain/roles.ts';
import type { Clock } from '../../domain/time.ts';
import { fail, invalid } from '../../errors.ts';
import { appendAudit } from '../audit/audit.service.ts';
import type { UnitsService } from '../units/units.service.ts';
import type { AccountsService } from './accounts.service.ts';
import * as sq from './accounts.security.queries.ts';

export type AccountSummary = {
  id: string; username: string; name: string; disabled: boolean; totpEnabled: boolean;
  roles: Array<{ role: Role; unitId: string | null; subtree: boolean }>;
};

/** Who may administer: every account (province), the accounts of some units, or nobody. */
type Scope = { all: true } | { all: false; unitIds: Set<string> };

export class AccountsAdminService {
  constructor(
    private readonly db: Db,
    private readonly units: UnitsService,
    private readonly accounts: AccountsService,
    private readonly clock: Clock,
    private readonly auditKey: Buffer,
  ) {}

  /** Whether someone may open the accounts admin page at all. */
  static mayAdminister(user: SessionUser | null): boolean {
    return !!user?.roles.some((r) => r.role === 'province_admin' || r.role === 'unit_admin');
  }

  /** Whether someone may set the per-role policies (province administrators only). */
  static maySetPolicies(user: SessionUser | null): boolean {
    return !!user?.roles.some((r) => r.role === 'province_admin');
  }

  private async scope(actor: SessionUser | null): Promise<Scope> {
    if (!actor || AccountsAdminService.maySetPolicies(actor)) return { all: true };
    const grants = actor.roles.filter((r) => r.role === 'unit_admin');
    if (!grants.length) fail('forbidden');
    return { all: false, unitIds: new Set(unitsCovered(grants, await this.units.all())) };
  }

  async list(actor: SessionUser, text: string, limit = 50): Promise<AccountSummary[]> {
    const scope = await this.scope(actor);
    const rows = await sq.searchAccounts(this.db, text.trim().slice(0, 100), scope.all ? null : [...scope.unitIds], limit);
    const roles = await sq.rolesOfMany(this.db, rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id, username: r.username, name: r.name, disabled: !!r.disabled_at, totpEnabled: !!r.totp_enabled_at,
      roles: roles.filter((g) => g.user_id === r.id).map((g) => ({ role: g.role as Role, unitId: g.unit_id, subtree: g.subtree === 1 })),
    }));
  }

  /** An account the actor may administer: not their own, and (for a unit administrator) every staff role of it within their units. */
  private async target(actor: SessionUser | null, by: { id?: string; username?: string }): Promise<{ id: string; username: string; roles: Array<{ role: string; unit_id: string | null }> }> {
    const scope = await this.scope(actor);
    const account = await sq.findAccount(this.db, by);
    if (!account) fail('not_found');
    if (actor && actor.id === account.id) fail('forbidden');
    const roles = await sq.rolesOfMany(this.db, [account.id]);
    if (!scope.all) {
      const staff = roles.filter((r) => r.role !== 'citizen');
      if (!staff.length || staff.some((r) => r.role === 'province_admin' || !r.unit_id || !scope.unitIds.has(r.unit_id))) fail('forbidden');
    }
    return { id: account.id, username: account.username, roles };
  }

  /** Disables (every session ends at once) or enables an account. */
  async setDisabled(actor: SessionUser | null, by: { id?: string; username?: string }, disabled: boolean): Promise<{ id: string; username: string; sessionsEnded: number }> {
    const t = await this.target(actor, by);
    const now = this.clock.now().toISOString();
    const ended = await this.db.transaction().execute(async (tx) => {
      await sq.setDisabled(tx, t.id, disabled ? now : null);
      const n = disabled ? await sq.deleteSessionsOf(tx, t.id) : 0;
      await appendAudit(tx, { at: now, kind: disabled ? 'user_disabled' : 'user_enabled', actorId: actor?.id ?? null, subject: `user:${t.id}`, data: { sessionsEnded: n, by: actor ? 'administrator' : 'command line' } }, this.auditKey);
      return n;
    });
    return { id: t.id, username: t.username, sessionsEnded: ended };
  }

  /** Removes a role (at one unit, or at every unit when none is named); it is gone from the next request. */
  async revoke(actor: SessionUser | null, by: { id?: string; username?: string }, role: string, unitId?: string | null): Promise<{ id: string; username: string; removed: number }> {
    if (!isRole(role)) throw invalid({ role: { key: 'notAllowed', params: { allowed: ['citizen', ...staffRoles].join(', ') } } });
    const t = await this.target(actor, by);
    const held = t.roles.filter((r) => r.role === role && (unitId === undefined || r.unit_id === unitId));
    if (!held.length) fail('not_found');
    const now = this.clock.now().toISOString();
    const removed = await this.db.transaction().execute(async (tx) => {
      const n = await sq.deleteRole(tx, t.id, role, unitId);
      await appendAudit(tx, { at: now, kind: 'role_revoked', actorId: actor?.id ?? null, subject: `user:${t.id}`, data: { role, unitId: unitId ?? null, removed: n, by: actor ? 'administrator' : 'command line' } }, this.auditKey);
      return n;
    });
    return { id: t.id, username: t.username, removed };
  }

  /** Clears an account's second factor (a lost phone): it is set up again at the next sign-in. */
  async resetSecondFactor(actor: SessionUser | null, by: { id?: string; username?: string }): Promise<{ id: string; username: string }> {
    const t = await this.target(actor, by);
    await this.accounts.secondFactor.reset(t.id, actor?.id ?? null);
    return { id: t.id, username: t.username };
  }

  async policies(): Promise<Array<{ role: Role; requireTotp: boolean }>> {
    const rows = await sq.rolePolicies(this.db);
    return staffRoles.map((role) => ({ role, requireTotp: rows.some((r) => r.role === role && r.require_totp === 1) }));
  }

  /** Requires (or stops requiring) the second factor for every holder of a staff role. */
  async setRolePolicy(actor: SessionUser | null, role: string, requireTotp: boolean): Promise<void> {
    if (actor && !AccountsAdminService.maySetPolicies(actor)) fail('forbidden');
    if (!(staffRoles as readonly string[]).includes(role)) throw invalid({ role: { key: 'notAllowed', params: { allowed: staffRoles.join(', ') } } });
    const now = this.clock.now().toISOString();
    await this.db.transaction().execute(async (tx) => {
      await sq.setRolePolicy(tx, role, requireTotp, now);
      await appendAudit(tx, { at: now, kind: 'role_policy_changed', actorId: actor?.id ?? null, subject: `role:${role}`, data: { requireTotp, by: actor ? 'administrator' : 'command line' } }, this.auditKey);
    });
  }
}
