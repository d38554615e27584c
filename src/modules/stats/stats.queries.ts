// SQL for statistics: the daily counts, kept in the transaction of each change and summed for the
// report table; and the reads a rebuild needs from the dossiers and their action log.
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { StatsDailyTable } from '../../db/schema.ts';
import type { Status } from '../../domain/dossier-status.ts';
import { deskMeasure, holdStatuses, type Measure } from '../../domain/stats.ts';

type Key = { unit_id: string; procedure_id: string; channel: string };

/** Adds the changes to the daily counts (and to the province's counts by level), inside the caller's transaction. */
export async function addToDaily(db: Db, key: Key, changes: ReadonlyArray<{ day: string; measure: Measure; delta: number }>): Promise<void> {
  for (const c of changes) {
    await db
      .insertInto('stats_daily')
      .values({ ...key, day: c.day, measure: c.measure, n: c.delta })
      .onConflict((oc) => oc.columns(['day', 'unit_id', 'procedure_id', 'channel', 'measure']).doUpdateSet({ n: sql`stats_daily.n + ${c.delta}` }))
      .execute();
    await db
      .insertInto('stats_daily_level')
      .columns(['day', 'level', 'channel', 'measure', 'n'])
      .expression((eb) => eb.selectFrom('procedures')
        .select([sql.val(c.day).as('day'), 'level', sql.val(key.channel).as('channel'), sql.val(c.measure).as('measure'), sql.val(c.delta).as('n')])
        .where('id', '=', key.procedure_id))
      .onConflict((oc) => oc.columns(['day', 'level', 'channel', 'measure']).doUpdateSet({ n: sql`stats_daily_level.n + ${c.delta}` }))
      .execute();
  }
}

export type SumFilter = { from: string; to: string; unitIds: readonly string[] | 'all'; level?: string; field?: string };

/** The daily rows of the units, and the procedures of the level and field, asked for. */
export function dailyRows(db: Db, f: Pick<SumFilter, 'unitIds' | 'level' | 'field'>) {
  let q = db.selectFrom('stats_daily');
  if (f.unitIds !== 'all') q = q.where('stats_daily.unit_id', 'in', f.unitIds);
  if (f.level || f.field) {
    q = q.where('stats_daily.procedure_id', 'in', (eb) => {
      let p = eb.selectFrom('procedures').select('procedures.id');
      if (f.level) p = p.where('procedures.level', '=', f.level);
      if (f.field) p = p.where('procedures.field_key', '=', f.field);
      return p;
    });
  }
  return q;
}

/**
 * Each measure's count before the period and within it (and, for `received`, within it by
 * channel), over the units, level and field asked for. Reads only the daily counts (and the
 * procedures, for level and field), up to the period's end.
 */
export async function sums(db: Db, f: SumFilter) {
  if (f.unitIds === 'all' && !f.field) {
    // The whole province: the counts by level are enough.
    let p = db.selectFrom('stats_daily_level').where('day', '<=', f.to);
    if (f.level) p = p.where('level', '=', f.level);
    return p
      .select((eb) => [
        'measure', 'channel',
        eb.fn.sum<number>(eb.case().when('day', '<', f.from).then(eb.ref('n')).else(0).end()).as('before'),
        eb.fn.sum<number>(eb.case().when('day', '>=', f.from).then(eb.ref('n')).else(0).end()).as('within'),
      ])
      .groupBy(['measure', 'channel'])
      .execute();
  }
  return dailyRows(db, f)
    .where('stats_daily.day', '<=', f.to)
    .select((eb) => [
      'stats_daily.measure as measure',
      'stats_daily.channel as channel',
      eb.fn.sum<number>(eb.case().when('stats_daily.day', '<', f.from).then(eb.ref('stats_daily.n')).else(0).end()).as('before'),
      eb.fn.sum<number>(eb.case().when('stats_daily.day', '>=', f.from).then(eb.ref('stats_daily.n')).else(0).end()).as('within'),
    ])
    .groupBy(['stats_daily.measure', 'stats_daily.channel'])
    .execute();
}

/** Each measure's count before the period and within it, per field (lĩnh vực) of the procedures and channel: the rows of the table by field. */
export async function sumsByField(db: Db, f: SumFilter) {
  return dailyRows(db, f)
    .innerJoin('procedures', 'procedures.id', 'stats_daily.procedure_id')
    .where('stats_daily.day', '<=', f.to)
    .select((eb) => [
      'procedures.field_key as fieldKey',
      'stats_daily.measure as measure',
      'stats_daily.channel as channel',
      eb.fn.sum<number>(eb.case().when('stats_daily.day', '<', f.from).then(eb.ref('stats_daily.n')).else(0).end()).as('before'),
      eb.fn.sum<number>(eb.case().when('stats_daily.day', '>=', f.from).then(eb.ref('stats_daily.n')).else(0).end()).as('within'),
    ])
    .groupBy(['procedures.field_key', 'stats_daily.measure', 'stats_daily.channel'])
    .execute();
}

/** The dossiers received in the period per receiving desk (the unit of `desk_received`) and channel; `unitIds` are the desks. */
export async function receivedByDesk(db: Db, f: SumFilter) {
  return dailyRows(db, f)
    .where('stats_daily.measure', '=', deskMeasure)
    .where('stats_daily.day', '>=', f.from)
    .where('stats_daily.day', '<=', f.to)
    .select((eb) => ['stats_daily.unit_id as unitId', 'stats_daily.channel as channel', eb.fn.sum<number>('stats_daily.n').as('n')])
    .groupBy(['stats_daily.unit_id', 'stats_daily.channel'])
    .execute();
}

export async function replaceDaily(db: Db, rows: StatsDailyTable[]): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('stats_daily').execute();
    await tx.deleteFrom('stats_daily_level').execute();
    for (let i = 0; i < rows.length; i += 1000) await tx.insertInto('stats_daily').values(rows.slice(i, i + 1000)).execute();
    await sql`insert into stats_daily_level (day, level, channel, measure, n)
      select s.day, p.level, s.channel, s.measure, sum(s.n) from stats_daily s join procedures p on p.id = s.procedure_id
      group by s.day, p.level, s.channel, s.measure`.execute(tx);
  });
}

export async function allDailyByLevel(db: Db) {
  return db.selectFrom('stats_daily_level').select(['day', 'level', 'channel', 'measure', 'n']).where('n', '!=', 0)
    .orderBy('day').orderBy('level').orderBy('channel').orderBy('measure').execute();
}

export async function allDaily(db: Db) {
  return db.selectFrom('stats_daily').select(['day', 'unit_id', 'procedure_id', 'channel', 'measure', 'n']).where('n', '!=', 0)
    .orderBy('day').orderBy('unit_id').orderBy('procedure_id').orderBy('channel').orderBy('measure').execute();
}

/** How many dossiers were received (never practice ones): what a rebuild goes through. */
export async function countReceived(db: Db): Promise<number> {
  const row = await db.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('practice', '=', 0).where('accepted_at', 'is not', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A page of received dossiers (never practice ones) after an id, with what the figures need. */
export async function receivedDossiers(db: Db, afterId: string, limit: number) {
  return db
    .selectFrom('dossiers')
    .select(['id', 'unit_id', 'receiving_unit_id', 'procedure_id', 'channel', 'due_at'])
    .where('practice', '=', 0)
    .where('accepted_at', 'is not', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * The entries of the log that matter to the figures: acceptance, resolution, confirmed withdrawal,
 * and every change into or out of a hold status (paused or stopped), in the log's order.
 */
export async function settlingActions(db: Db, dossierIds: readonly string[]) {
  if (!dossierIds.length) return [];
  const holds = [...holdStatuses] as Status[];
  return db
    .selectFrom('dossier_actions')
    .select(['dossier_id', 'action', 'at', 'from_status', 'to_status'])
    .where('dossier_id', 'in', dossierIds)
    .where((eb) => eb.or([eb('action', 'in', ['accept', 'resolve', 'confirm_withdrawal']), eb('to_status', 'in', holds), eb('from_status', 'in', holds)]))
    .orderBy('dossier_id')
    .orderBy('seq')
    .execute();
}

/** The changes into and out of a hold status of some dossiers, in the log's order (for their holds). */
export async function holdChanges(db: Db, dossierIds: readonly string[]) {
  if (!dossierIds.length) return [];
  const holds = [...holdStatuses] as Status[];
  return db
    .selectFrom('dossier_actions')
    .select(['dossier_id', 'at', 'from_status', 'to_status'])
    .where('dossier_id', 'in', dossierIds)
    .where((eb) => eb.or([eb('to_status', 'in', holds), eb('from_status', 'in', holds)]))
    .orderBy('dossier_id')
    .orderBy('seq')
    .execute();
}

/** Every rating with the keys the daily statistics count it under (practice dossiers aside). */
export async function ratingsForStats(db: Db) {
  return db
    .selectFrom('ratings')
    .innerJoin('dossiers', 'dossiers.id', 'ratings.dossier_id')
    .select(['ratings.score', 'ratings.satisfaction', 'ratings.created_at', 'dossiers.unit_id', 'dossiers.procedure_id', 'dossiers.channel'])
    .where('dossiers.practice', '=', 0)
    .execute();
}

/** Every result returned by the postal actor, with the keys the daily statistics count it under (practice dossiers aside). */
export async function postalReturnsForStats(db: Db) {
  return db
    .selectFrom('dossier_actions')
    .innerJoin('dossiers', 'dossiers.id', 'dossier_actions.dossier_id')
    .select(['dossier_actions.at', 'dossiers.unit_id', 'dossiers.procedure_id', 'dossiers.channel'])
    .where('dossier_actions.action', '=', 'return_result')
    .where('dossier_actions.actor_role', '=', 'postal')
    .where('dossiers.practice', '=', 0)
    .execute();
}

/** Every settled payment with the keys the daily statistics count it under (practice dossiers aside): the payment measures of a rebuild. */
export async function paymentsForStats(db: Db) {
  return db
    .selectFrom('payments')
    .innerJoin('dossiers', 'dossiers.id', 'payments.dossier_id')
    .select(['payments.dossier_id', 'payments.method', 'payments.paid_at', 'dossiers.unit_id', 'dossiers.procedure_id', 'dossiers.channel'])
    .where('dossiers.practice', '=', 0)
    .where('payments.paid_at', 'is not', null)
    .execute();
}

/** The dossier a payment belongs to, with the keys its figures count under. */
export async function dossierOfPayment(db: Db, paymentId: string) {
  return db
    .selectFrom('payments')
    .innerJoin('dossiers', 'dossiers.id', 'payments.dossier_id')
    .select(['dossiers.id', 'dossiers.unit_id', 'dossiers.procedure_id', 'dossiers.channel', 'dossiers.practice'])
    .where('payments.id', '=', paymentId)
    .executeTakeFirst();
}

/** A dossier's payments: how and when each was settled. */
export async function paymentsOfDossier(db: Db, dossierId: string) {
  return db.selectFrom('payments').select(['id', 'method', 'paid_at']).where('dossier_id', '=', dossierId).orderBy('id').execute();
}

/** Why the kept counts must be rebuilt (a migration's name), or null. */
export async function rebuildNeeded(db: Db): Promise<string | null> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', 'stats_rebuild_needed').executeTakeFirst();
  return row?.value ?? null;
}

export async function clearRebuildNeeded(db: Db): Promise<void> {
  await db.deleteFrom('meta').where('key', '=', 'stats_rebuild_needed').execute();
}
