// Accounts: for now, creating them (staff come from `motcua user add`); sign-in follows.
import { randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { Db } from '../../db/connection.ts';
import { isRole, type Role } from '../../domain/roles.ts';
import type { Clock } from '../../domain/time.ts';
import type { UnitsService } from '../units/units.service.ts';
import { findUserByUsername, insertUser, rolesOf } from './accounts.queries.ts';

export type NewUser = { username: string; password: string; name: string; role: string; unitId?: string; subtree?: boolean };

/** Why an account could not be created, in words for the person at the terminal. */
export class AccountError extends Error {}

export class AccountsService {
  constructor(private readonly db: Db, private readonly units: UnitsService, private readonly clock: Clock) {}

  async addUser(input: NewUser): Promise<{ id: string; username: string; role: Role; unitId: string | null }> {
    const username = input.username.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(username) && !/^(\+?84|0)\d{9}$/.test(username) && !/^[a-z0-9._-]{3,64}$/.test(username)) {
      throw new AccountError('--username must be an email address, a Vietnamese phone number, or 3–64 letters, digits, dots, dashes');
    }
    if (input.password.length < 8) throw new AccountError('--password must have at least 8 characters');
    if (!input.name.trim()) throw new AccountError('--name is required');
    if (!isRole(input.role)) throw new AccountError(`--role must be one of: citizen, reception, specialist, approver, clerk, postal, unit_admin, province_admin, outreach, auditor`);
    let unitId: string | null = null;
    if (input.role !== 'citizen') {
      if (!input.unitId) throw new AccountError(`--unit is required for the ${input.role} role`);
      if (!(await this.units.find(input.unitId))) throw new AccountError(`--unit ${input.unitId}: no such unit`);
      unitId = input.unitId;
    }
    if (await findUserByUsername(this.db, username)) throw new AccountError(`an account named ${username} already exists`);
    const id = randomUUID();
    await insertUser(
      this.db,
      { id, username, password_hash: await hash(input.password), name: input.name.trim(), created_at: this.clock.now().toISOString() },
      { role: input.role, unit_id: unitId, subtree: input.subtree ? 1 : 0 },
    );
    return { id, username, role: input.role, unitId };
  }

  async roles(userId: string) {
    return rolesOf(this.db, userId);
  }
}
