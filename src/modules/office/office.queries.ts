// SQL for the one-stop office: the queue of dossiers in a staff member's scope, and its tab counts.
import { type SelectQueryBuilder } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { DossierState, Status } from '../../domain/dossier-status.ts';
import type { Sealer } from '../../domain/sealed.ts';
import { runningStatuses as running, tabStatuses, type QueueTab } from '../../domain/queue.ts';

export { tabStatuses, type QueueTab };

export type QueueFilter = {
  /** The units in scope, or `all` for a scope that covers every unit (no unit condition at all). */
  unitIds: readonly string[] | 'all';
  /** Desks where the user holds reception: dossiers they received for other units are in the queue too (Decree 118/2025). */
  deskUnitIds?: readonly string[];
  tab: QueueTab;
  status?: string;
  procedureId?: string;
  userId: string;
  now: string;
  /** The end of the second working day from now: "due soon" is up to it. */
  dueSoonBy: string;
  /** The closed tab shows what closed since then (30 days). */
  closedSince: string;
};

type Q = SelectQueryBuilder<Database, 'dossiers', object>;

function inScope(q: Q, unitIds: QueueFilter['unitIds'], deskUnitIds: readonly string[] = []): Q {
  if (unitIds === 'all') return q;
  if (!deskUnitIds.length) return q.where('unit_id', 'in', unitIds);
  // The receiving desk's dossiers for other units come by their own index (receiving_unit_id, status).
  return q.where((eb) => eb.or([eb('unit_id', 'in', unitIds), eb('receiving_unit_id', 'in', deskUnitIds)]));
}

function inTab(db: Db, f: QueueFilter): Q {
  let q = inScope(db.selectFrom('dossiers') as Q, f.unitIds, f.deskUnitIds);
  switch (f.tab) {
    case 'overdue':
      q = q.where('status', 'in', running).where('due_at', '<', f.now);
      break;
    case 'due_soon':
      q = q.where('status', 'in', running).where('due_at', '>=', f.now).where('due_at', '<=', f.dueSoonBy);
      break;
    case 'mine':
      q = q.where('status', 'in', tabStatuses.open).where('assignee_id', '=', f.userId);
      break;
    case 'closed':
      q = q.where('status', 'in', tabStatuses.closed).where('updated_at', '>=', f.closedSince);
      break;
    default:
      q = q.where('status', 'in', tabStatuses[f.tab]);
  }
  q = q.where('practice', '=', 0);
  if (f.status) q = q.where('status', '=', f.status as Status);
  if (f.procedureId) q = q.where('procedure_id', '=', f.procedureId);
  return q;
}

/** The statuses a tab (with its status filter) can hold. */
function statusesOf(f: QueueFilter): readonly string[] {
  if (f.status) return [f.status];
  if (f.tab === 'overdue' || f.tab === 'due_soon') return running;
  if (f.tab === 'mine') return tabStatuses.open;
  return tabStatuses[f.tab];
}

type SortKeys = { id: string; due_at: string | null; submitted_at: string | null; updated_at: string };

/** The queue's order: soonest due first, then those with no due time yet (waiting for the intake check) by arrival; closed ones newest first. */
function queueOrder(closed: boolean): (a: SortKeys, b: SortKeys) => number {
  const cmp = (x: string | null, y: string | null) => (x === y ? 0 : x === null ? 1 : y === null ? -1 : x < y ? -1 : 1);
  return closed
    ? (a, b) => cmp(b.updated_at, a.updated_at) || cmp(a.id, b.id)
    : (a, b) => cmp(a.due_at, b.due_at) || cmp(a.submitted_at, b.submitted_at) || cmp(a.id, b.id);
}

/**
 * A page of a tab. Each status is read on its own, in the order of the queue index (so the
 * database stops after offset + limit entries instead of sorting every open dossier of a
 * province), and the lists are merged here; then the page's rows are read by id.
 */
export async function queuePage(db: Db, f: QueueFilter, limit: number, offset: number, s: Sealer) {
  const closed = f.tab === 'closed';
  const lists = await Promise.all(statusesOf(f).map((status) => {
    const q = inTab(db, { ...f, status }).select(['id', 'due_at', 'submitted_at', 'updated_at']);
    const ordered = closed ? q.orderBy('updated_at', 'desc').orderBy('id') : q.orderBy('due_at').orderBy('submitted_at').orderBy('id');
    return ordered.limit(offset + limit).execute();
  }));
  const picked = lists.flat().sort(queueOrder(closed)).slice(offset, offset + limit).map((r) => r.id);
  if (!picked.length) return [];
  const rows = await db
    .selectFrom('dossiers')
    .select([
      'id', 'code', 'status', 'status_code', 'procedure_id', 'unit_id', 'channel', 'applicant', 'submitted_at', 'accepted_at',
      'due_at', 'new_due_at', 'assignee_id', 'state', 'owner_id', 'supplement_due_at',
    ])
    .where('id', 'in', picked)
    .execute();
  const order = new Map(picked.map((id, i) => [id, i]));
  // The dossier JSON columns the queue shows, parsed here (docs/architecture.md); the applicant is
  // sealed at rest, bound to its row and column as dossiers.queries.ts sealed it.
  return rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!)
    .map((r) => ({ ...r, applicant: JSON.parse(s.open(r.applicant, `dossiers.applicant/${r.id}`)) as { fullName?: string }, state: JSON.parse(r.state) as DossierState }));
}

/**
 * How many dossiers each open tab holds. The status tabs come from the kept counts per unit and
 * status; late and soon-due ones from ranges of the queue index (due_at is in it), and "mine" from
 * the assignee index: no query reads every open dossier of the scope. With a procedure filter the
 * counts are taken from the filtered dossiers themselves. The closed tab has no count.
 */
export async function queueCounts(db: Db, f: Omit<QueueFilter, 'tab'>): Promise<Record<Exclude<QueueTab, 'closed'>, number>> {
  const counts = { open: 0, intake: 0, processing: 0, paused: 0, to_return: 0, overdue: 0, due_soon: 0, mine: 0 };
  const units = f.unitIds;
  const byStatus = f.procedureId
    ? await db.selectFrom('dossiers').select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .$if(units !== 'all', (q) => q.where('unit_id', 'in', units as string[]))
      .where('status', 'in', tabStatuses.open).where('practice', '=', 0).where('procedure_id', '=', f.procedureId)
      .groupBy('status').execute()
    : await db.selectFrom('dossier_status_counts').select((eb) => ['status', eb.fn.sum<number>('n').as('n')])
      .$if(units !== 'all', (q) => q.where('unit_id', 'in', units as string[]))
      .where('status', 'in', tabStatuses.open).groupBy('status').execute();
  // Dossiers the user's desks received for units outside the scope: not in the kept counts of the scope's units.
  const desks = units === 'all' ? [] : (f.deskUnitIds ?? []);
  const received = desks.length
    ? await db.selectFrom('dossiers').select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .where('receiving_unit_id', 'in', desks).where('unit_id', 'not in', units as string[])
      .where('status', 'in', tabStatuses.open).where('practice', '=', 0)
      .$if(!!f.procedureId, (q) => q.where('procedure_id', '=', f.procedureId!))
      .groupBy('status').execute()
    : [];
  for (const r of [...byStatus, ...received]) {
    const n = Number(r.n);
    counts.open += n;
    for (const tab of ['intake', 'processing', 'paused', 'to_return'] as const) if (tabStatuses[tab].includes(r.status)) counts[tab] += n;
  }
  const count = async (tab: 'overdue' | 'due_soon' | 'mine') => countInTab(db, { ...f, tab });
  [counts.overdue, counts.due_soon, counts.mine] = await Promise.all([count('overdue'), count('due_soon'), count('mine')]);
  return counts;
}

export async function countInTab(db: Db, f: QueueFilter): Promise<number> {
  const row = await inTab(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
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
