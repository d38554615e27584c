// SQL for the public dashboard (/thong-ke): the period's daily counts grouped by month, by unit, by
// the procedures' level and online class, and by procedure. Every query reads `stats_daily` (with
// the small `procedures` table for level, field and class), never the dossiers.
import { onlineChannels } from '../../domain/channels.ts';
import { dailyRows } from './stats.queries.ts';
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import { ratingMeasures, satisfactionMeasures } from '../../domain/stats.ts';

export type DashboardFilter = { from: string; to: string; unitIds: readonly string[] | 'all'; level?: string; field?: string };

/** The measures the period's flows need: intake, settlement and the ratings given. */
const flowMeasures = ['received', 'settled_early', 'settled_on_time', 'settled_late'] as const;

/** A group's count of one measure on one channel, within the period. */
export type GroupedCount = { key: string; measure: string; channel: string; n: number };

/** The day rows of the period, the units and the procedures' level and field asked for. */
function within(db: Db, f: DashboardFilter, measures: readonly string[]) {
  return dailyRows(db, f).where('stats_daily.day', '>=', f.from).where('stats_daily.day', '<=', f.to).where('stats_daily.measure', 'in', measures);
}

const toCounts = (rows: Array<{ key: string | null; measure: string; channel: string; n: number | string | null }>): GroupedCount[] =>
  rows.map((r) => ({ key: r.key ?? '', measure: r.measure, channel: r.channel, n: Number(r.n ?? 0) }));

/** Intake, settlement and ratings (three-level, and the older five-level counts not yet rebuilt) by month (YYYY-MM) of the day they were counted on. */
export async function byMonth(db: Db, f: DashboardFilter): Promise<GroupedCount[]> {
  const month = sql<string>`substr(${sql.ref('stats_daily.day')}, 1, 7)`;
  const rows = await within(db, f, [...flowMeasures, ...satisfactionMeasures, ...ratingMeasures])
    .select((eb) => [month.as('key'), 'stats_daily.measure as measure', 'stats_daily.channel as channel', eb.fn.sum<number>('stats_daily.n').as('n')])
    .groupBy([month, 'stats_daily.measure', 'stats_daily.channel'])
    .execute();
  return toCounts(rows);
}

/** Intake and settlement by the unit that counted them (the caller rolls units up their tree). */
export async function byUnit(db: Db, f: DashboardFilter): Promise<GroupedCount[]> {
  const rows = await within(db, f, flowMeasures)
    .select((eb) => ['stats_daily.unit_id as key', 'stats_daily.measure as measure', 'stats_daily.channel as channel', eb.fn.sum<number>('stats_daily.n').as('n')])
    .groupBy(['stats_daily.unit_id', 'stats_daily.measure', 'stats_daily.channel'])
    .execute();
  return toCounts(rows);
}

/** Intake and settlement by the procedures' level and online class, keyed `level|class`. */
export async function byKind(db: Db, f: DashboardFilter): Promise<Array<GroupedCount & { level: string; onlineClass: string }>> {
  const rows = await within(db, f, flowMeasures)
    .innerJoin('procedures', 'procedures.id', 'stats_daily.procedure_id')
    .select((eb) => [
      'procedures.level as level', 'procedures.online_class as onlineClass',
      'stats_daily.measure as measure', 'stats_daily.channel as channel', eb.fn.sum<number>('stats_daily.n').as('n'),
    ])
    .groupBy(['procedures.level', 'procedures.online_class', 'stats_daily.measure', 'stats_daily.channel'])
    .execute();
  return rows.map((r) => ({ key: `${r.level}|${r.onlineClass}`, level: r.level, onlineClass: r.onlineClass, measure: r.measure, channel: r.channel, n: Number(r.n ?? 0) }));
}

const isOnline = (eb: ExpressionBuilder<Database, 'stats_daily'>) => eb('stats_daily.channel', 'in', onlineChannels);

/**
 * The procedures that could be filed online (class full or partial) with the most dossiers received
 * at the counter or by post in the period: the campaign's targets. Ties go to the procedure id.
 */
export async function topOffline(db: Db, f: DashboardFilter, limit: number) {
  const offline = (eb: ExpressionBuilder<Database, 'stats_daily' | 'procedures'>) =>
    eb.fn.sum<number>(eb.case().when(isOnline(eb)).then(0).else(eb.ref('stats_daily.n')).end());
  const rows = await within(db, f, ['received'])
    .innerJoin('procedures', 'procedures.id', 'stats_daily.procedure_id')
    .where('procedures.online_class', 'in', ['full', 'partial'])
    .select((eb) => [
      'stats_daily.procedure_id as procedureId',
      eb.fn.sum<number>(eb.case().when(isOnline(eb)).then(eb.ref('stats_daily.n')).else(0).end()).as('online'),
      eb.fn.sum<number>(eb.case().when('stats_daily.channel', '=', 'postal').then(eb.ref('stats_daily.n')).else(0).end()).as('postal'),
      offline(eb).as('offline'),
    ])
    .groupBy('stats_daily.procedure_id')
    .having((eb) => offline(eb), '>', 0)
    .orderBy((eb) => offline(eb), 'desc')
    .orderBy('stats_daily.procedure_id')
    .limit(limit)
    .execute();
  return rows.map((r) => {
    const online = Number(r.online ?? 0);
    const postal = Number(r.postal ?? 0);
    const offlineN = Number(r.offline ?? 0);
    return { procedureId: r.procedureId, online, postal, direct: offlineN - postal, offline: offlineN };
  });
}
