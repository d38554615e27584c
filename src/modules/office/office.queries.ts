// SQL for the one-stop office: the queue of dossiers in a staff member's scope, and its tab counts.
import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';

export type QueueTab = 'open' | 'intake' | 'processing' | 'paused' | 'to_return' | 'overdue' | 'due_soon' | 'mine' | 'closed';

/** Which statuses each tab holds; `overdue`, `due_soon` and `mine` cut across them. */
const tabStatuses: Record<Exclude<QueueTab, 'overdue' | 'due_soon' | 'mine'>, readonly string[]> = {
  open: ['submitted', 'accepted', 'in_process', 'supplement_requested', 'financial_obligation', 'suspended', 'resolved'],
  intake: ['submitted'],
  processing: ['accepted', 'in_process'],
  paused: ['supplement_requested', 'financial_obligation', 'suspended'],
  to_return: ['resolved'],
  closed: ['returned', 'refused', 'withdrawn'],
};
/** The clock runs (so a dossier can be late) in these statuses: src/domain/dossier-status.ts clockRunning. */
const running = ['accepted', 'in_process', 'suspended'];

export type QueueFilter = {
  unitIds: readonly string[];
  tab: QueueTab;
  status?: string;
  procedureId?: string;
  userId: string;
  now: string;
  /** The end of the second working day from now: "due soon" is up to it. */
  dueSoonBy: string;
};

type Q = SelectQueryBuilder<Database, 'dossiers', object>;

function scoped(db: Db, f: Omit<QueueFilter, 'tab'>): Q {
  let q = db.selectFrom('dossiers').where('unit_id', 'in', f.unitIds).where('practice', '=', 0).where('status', '!=', 'draft') as Q;
  if (f.status) q = q.where('status', '=', f.status);
  if (f.procedureId) q = q.where('procedure_id', '=', f.procedureId);
  return q;
}

function inTab(q: Q, f: QueueFilter): Q {
  switch (f.tab) {
    case 'overdue':
      return q.where('status', 'in', running).where('due_at', '<', f.now);
    case 'due_soon':
      return q.where('status', 'in', running).where('due_at', '>=', f.now).where('due_at', '<=', f.dueSoonBy);
    case 'mine':
      return q.where('assignee_id', '=', f.userId).where('status', 'in', tabStatuses.open);
    default:
      return q.where('status', 'in', tabStatuses[f.tab]);
  }
}

export async function queuePage(db: Db, f: QueueFilter, limit: number, offset: number) {
  // Soonest due first; dossiers waiting for the intake check have no due time yet and go by arrival.
  return inTab(scoped(db, f), f)
    .select([
      'id', 'code', 'status', 'status_code', 'procedure_id', 'unit_id', 'channel', 'applicant', 'submitted_at', 'accepted_at',
      'due_at', 'new_due_at', 'assignee_id', 'state',
    ])
    .orderBy(sql`case when due_at is null then 1 else 0 end`)
    .orderBy('due_at')
    .orderBy('submitted_at')
    .orderBy('id')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** How many dossiers each tab holds, in one pass over the scope. */
export async function queueCounts(db: Db, f: Omit<QueueFilter, 'tab'>): Promise<Record<QueueTab, number>> {
  const when = (eb: ExpressionBuilder<Database, 'dossiers'>, statuses: readonly string[]) => eb.fn.sum<number>(eb.case().when('status', 'in', statuses).then(1).else(0).end());
  const row = await scoped(db, f)
    .select((eb) => [
      when(eb, tabStatuses.open).as('open'),
      when(eb, tabStatuses.intake).as('intake'),
      when(eb, tabStatuses.processing).as('processing'),
      when(eb, tabStatuses.paused).as('paused'),
      when(eb, tabStatuses.to_return).as('to_return'),
      when(eb, tabStatuses.closed).as('closed'),
      eb.fn.sum<number>(eb.case().when(eb.and([eb('status', 'in', running), eb('due_at', '<', f.now)])).then(1).else(0).end()).as('overdue'),
      eb.fn.sum<number>(eb.case().when(eb.and([eb('status', 'in', running), eb('due_at', '>=', f.now), eb('due_at', '<=', f.dueSoonBy)])).then(1).else(0).end()).as('due_soon'),
      eb.fn.sum<number>(eb.case().when(eb.and([eb('assignee_id', '=', f.userId), eb('status', 'in', tabStatuses.open)])).then(1).else(0).end()).as('mine'),
    ])
    .executeTakeFirstOrThrow();
  const out = {} as Record<QueueTab, number>;
  for (const [k, v] of Object.entries(row)) out[k as QueueTab] = Number(v ?? 0);
  return out;
}

export async function countInTab(db: Db, f: QueueFilter): Promise<number> {
  const row = await inTab(scoped(db, f), f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Dossiers whose handler should hear about their due time today: due within two working days or late, not yet reminded today. */
export async function dueForReminder(db: Db, dueSoonBy: string, today: string, limit: number) {
  return db
    .selectFrom('dossiers')
    .select(['id', 'code', 'unit_id', 'procedure_id', 'due_at', 'assignee_id', 'revision'])
    .where('status', 'in', running)
    .where('practice', '=', 0)
    .where('due_at', '<=', dueSoonBy)
    .where((eb) => eb.or([eb('reminded_on', 'is', null), eb('reminded_on', '<', today)]))
    .orderBy('due_at')
    .limit(limit)
    .execute();
}

export async function markReminded(db: Db, id: string, today: string): Promise<void> {
  await db.updateTable('dossiers').set({ reminded_on: today }).where('id', '=', id).execute();
}

/** Staff who hold a role over a unit (its own, or an ancestor's with the subtree), with their contact details. */
export async function staffOfUnits(db: Db, unitIds: readonly string[], roles: readonly string[]) {
  if (!unitIds.length) return [];
  return db
    .selectFrom('user_roles')
    .innerJoin('users', 'users.id', 'user_roles.user_id')
    .select(['users.id', 'users.name', 'users.email', 'users.phone', 'user_roles.role', 'user_roles.unit_id', 'user_roles.subtree'])
    .where('user_roles.unit_id', 'in', unitIds)
    .where('user_roles.role', 'in', roles)
    .orderBy('users.name')
    .execute();
}

export async function userNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function contactsOf(db: Db, ids: readonly string[]) {
  if (!ids.length) return [];
  return db.selectFrom('users').select(['id', 'name', 'email', 'phone']).where('id', 'in', [...ids]).execute();
}
