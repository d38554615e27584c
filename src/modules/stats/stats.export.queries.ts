// SQL for the exports: the daily counts summed per unit (the report table's rows) and per unit and
// month (open data), which read only `stats_daily`; and the dossiers behind a column of the table,
// a list for staff that reads the dossiers table.
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Sealer } from '../../domain/sealed.ts';

export type UnitSumFilter = { from: string; to: string; unitIds: readonly string[] | 'all'; level?: string; field?: string };

/** The procedures of a level and a field, as a subquery. */
function ofProcedures(db: Db, f: { level?: string; field?: string }) {
  let p = db.selectFrom('procedures').select('procedures.id');
  if (f.level) p = p.where('procedures.level', '=', f.level);
  if (f.field) p = p.where('procedures.field_key', '=', f.field);
  return p;
}

/**
 * Each measure's count before the period and within it, per unit and channel: the sums of
 * stats.queries.ts `sums`, kept apart by unit so that one query gives every row of the table.
 */
export async function sumsByUnit(db: Db, f: UnitSumFilter) {
  let q = db.selectFrom('stats_daily').where('stats_daily.day', '<=', f.to);
  if (f.unitIds !== 'all') q = q.where('stats_daily.unit_id', 'in', f.unitIds.length ? f.unitIds : ['']);
  if (f.level || f.field) q = q.where('stats_daily.procedure_id', 'in', ofProcedures(db, f));
  return q
    .select((eb) => [
      'stats_daily.unit_id as unitId',
      'stats_daily.measure as measure',
      'stats_daily.channel as channel',
      eb.fn.sum<number>(eb.case().when('stats_daily.day', '<', f.from).then(eb.ref('stats_daily.n')).else(0).end()).as('before'),
      eb.fn.sum<number>(eb.case().when('stats_daily.day', '>=', f.from).then(eb.ref('stats_daily.n')).else(0).end()).as('within'),
    ])
    .groupBy(['stats_daily.unit_id', 'stats_daily.measure', 'stats_daily.channel'])
    .execute();
}

/** Each measure's count per unit, channel and month (YYYY-MM), for every month up to a day. */
export async function sumsByUnitAndMonth(db: Db, upTo: string) {
  const month = sql<string>`substr(stats_daily.day, 1, 7)`;
  return db
    .selectFrom('stats_daily')
    .where('stats_daily.day', '<=', upTo)
    .select((eb) => ['stats_daily.unit_id as unitId', 'stats_daily.measure as measure', 'stats_daily.channel as channel', month.as('month'), eb.fn.sum<number>('stats_daily.n').as('n')])
    .groupBy(['stats_daily.unit_id', 'stats_daily.measure', 'stats_daily.channel', month])
    .execute();
}

/**
 * The candidates for a column's list: received (never practice) dossiers of the units, level and
 * field whose moment that matters falls near the period. The bounds are instants (UTC, ISO) a day
 * wider than the period's Vietnam days; the caller keeps the rows that the rule of the column takes.
 *
 * `settled` is the moment the figures count as settled (stats.service.ts `statFacts`): resolved,
 * or withdrawn after acceptance at its last update.
 */
export type ListFilter = {
  unitIds: readonly string[] | 'all';
  level?: string;
  field?: string;
  kind: 'received' | 'carried_over' | 'settled' | 'pending';
  /** An instant no later than the period's first moment. */
  lo: string;
  /** An instant no earlier than the period's end. */
  hi: string;
  /** An instant no later than the period's end (for "not settled by the end"). */
  loEnd: string;
  /** An instant no earlier than the period's start (for "received before the start"). */
  hiStart: string;
};

export async function listCandidates(db: Db, f: ListFilter, s: Sealer) {
  const settled = sql<string | null>`coalesce(dossiers.resolved_at, case when dossiers.status = 'withdrawn' then dossiers.updated_at end)`;
  let q = db
    .selectFrom('dossiers')
    .select(['id', 'code', 'procedure_id', 'unit_id', 'channel', 'applicant', 'status', 'accepted_at', 'due_at', 'resolved_at', 'updated_at'])
    .where('practice', '=', 0)
    .where('accepted_at', 'is not', null);
  if (f.unitIds !== 'all') q = q.where('unit_id', 'in', f.unitIds.length ? f.unitIds : ['']);
  if (f.level || f.field) q = q.where('procedure_id', 'in', ofProcedures(db, f));
  switch (f.kind) {
    case 'received':
      q = q.where('accepted_at', '>=', f.lo).where('accepted_at', '<', f.hi);
      break;
    case 'carried_over':
      q = q.where('accepted_at', '<', f.hiStart).where((eb) => eb.or([eb(settled, 'is', null), eb(settled, '>=', f.lo)]));
      break;
    case 'settled':
      q = q.where(settled, '>=', f.lo).where(settled, '<', f.hi);
      break;
    case 'pending':
      q = q.where('accepted_at', '<', f.hi).where((eb) => eb.or([eb(settled, 'is', null), eb(settled, '>=', f.loEnd)]));
      break;
  }
  const rows = await q.orderBy('accepted_at').orderBy('id').execute();
  // The applicant's name is the one personal field a list shows; the rest of the JSON stays here.
  // It is sealed at rest (bound to its row and column as dossiers.queries.ts sealed it).
  return rows.map(({ applicant, ...r }) => ({ ...r, applicantName: (JSON.parse(s.open(applicant, `dossiers.applicant/${r.id}`)) as { fullName?: string }).fullName ?? '' }));
}
