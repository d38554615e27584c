// Statistics (docs/domain.md §5): the daily counts follow every change of a dossier in its own
// transaction; the report table sums them; `motcua stats rebuild` recomputes them from the log.
import type { Db } from '../../db/connection.ts';
import type { DossierTable, StatsDailyTable } from '../../db/schema.ts';
import { covers } from '../../domain/roles.ts';
import {
  addSums, channelGroup, contributions, deskMeasure, emptySums, holdIntervals, holdStatuses, satisfactionOfScore, isSatisfaction, statChanges, summarise,
  paymentContributions, paymentStatChanges, returnedPostalMeasure,
  type Hold, type MeasureSums, type Satisfaction, type StatDelta, type StatFacts, type Summary,
} from '../../domain/stats.ts';
import { invalid, type FieldProblem } from '../../errors.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import * as q from './stats.queries.ts';
import { vietnamDay } from '../../domain/time.ts';

type Row = Pick<DossierTable, 'accepted_at' | 'due_at' | 'resolved_at' | 'status' | 'updated_at'>;

/**
 * What the figures need of a dossier row: settled when resolved, or withdrawn after acceptance
 * (status 7, settled on time at its last update); its holds when the caller read them from the log.
 */
export function statFacts(row: Row, holds?: readonly Hold[]): StatFacts {
  const withdrawn = !row.resolved_at && row.status === 'withdrawn' && !!row.accepted_at;
  const settledAt = row.resolved_at ?? (withdrawn ? row.updated_at : null);
  return { acceptedAt: row.accepted_at, dueAt: row.due_at, settledAt, withdrawn, ...(holds && { holds }) };
}

/** The holds of one dossier from its log, read inside the caller's transaction. */
async function holdsFromLog(tx: Db, dossierId: string): Promise<Array<{ at: string; from: string | null; to: string }>> {
  return (await q.holdChanges(tx, [dossierId])).map((e) => ({ at: e.at, from: e.from_status, to: e.to_status }));
}

/** The `received` changes again, as `desk_received` under the receiving desk (the competent unit when none is recorded). */
function deskChanges(changes: readonly StatDelta[]): StatDelta[] {
  return changes.filter((c) => c.measure === 'received').map((c) => ({ ...c, measure: deskMeasure }));
}

/**
 * Moves the daily counts from what a dossier added before a change to what it adds after, in the
 * change's transaction (before its entry is appended to the log). Practice dossiers never enter the
 * figures. The holds are read from the log only when this change can move their counts: when the
 * dossier goes into or out of a hold, or its due time moves; otherwise they add the same before and after.
 */
export async function recordStatChanges(
  tx: Db,
  before: Row & Pick<DossierTable, 'id' | 'unit_id' | 'procedure_id' | 'channel' | 'practice'> & Partial<Pick<DossierTable, 'receiving_unit_id'>>,
  after: Row,
): Promise<void> {
  if (before.practice) return;
  let holdsBefore: Hold[] | undefined;
  let holdsAfter: Hold[] | undefined;
  const held = (r: Row) => holdStatuses.has(r.status);
  if ((before.accepted_at || after.accepted_at) && (held(before) !== held(after) || before.due_at !== after.due_at)) {
    const log = await holdsFromLog(tx, before.id);
    holdsBefore = holdIntervals(log);
    holdsAfter = holdIntervals([...log, { at: after.updated_at, from: before.status, to: after.status }]);
  }
  const changes = statChanges(statFacts(before, holdsBefore), statFacts(after, holdsAfter));
  if (!changes.length) return;
  const key = { procedure_id: before.procedure_id, channel: before.channel };
  await q.addToDaily(tx, { ...key, unit_id: before.unit_id }, changes);
  const desk = deskChanges(changes);
  if (desk.length) await q.addToDaily(tx, { ...key, unit_id: before.receiving_unit_id ?? before.unit_id }, desk);
}

/** A rating counts on the day it was given, on the three-level scale, under the dossier's unit, procedure and channel (practice dossiers never). */
export async function recordRating(tx: Db, row: Pick<DossierTable, 'unit_id' | 'procedure_id' | 'channel' | 'practice'>, satisfaction: Satisfaction, at: Date): Promise<void> {
  if (row.practice) return;
  await q.addToDaily(tx, { unit_id: row.unit_id, procedure_id: row.procedure_id, channel: row.channel }, [{ day: vietnamDay(at), measure: `satisfaction_${satisfaction}`, delta: 1 }]);
}

/** A result returned by post (`return_result` by the postal actor) counts on its day under the dossier's unit, procedure and channel (practice dossiers never). */
export async function recordPostalReturn(tx: Db, row: Pick<DossierTable, 'unit_id' | 'procedure_id' | 'channel' | 'practice'>, at: Date): Promise<void> {
  if (row.practice) return;
  await q.addToDaily(tx, { unit_id: row.unit_id, procedure_id: row.procedure_id, channel: row.channel }, [{ day: vietnamDay(at), measure: returnedPostalMeasure, delta: 1 }]);
}

/**
 * A payment was just settled (its row already marked paid, in the caller's transaction): the dossier's
 * payment measures move from what its payments added before (this one unpaid) to what they add now
 * (docs/domain.md §5.3), under the dossier's unit, procedure and channel. Practice dossiers never count.
 */
export async function recordPaymentSettled(tx: Db, paymentId: string): Promise<void> {
  const dossier = await q.dossierOfPayment(tx, paymentId);
  if (!dossier || dossier.practice) return;
  const after = (await q.paymentsOfDossier(tx, dossier.id)).map((p) => ({ id: p.id, method: p.method, paidAt: p.paid_at }));
  const before = after.map((p) => (p.id === paymentId ? { ...p, paidAt: null } : p));
  const changes = paymentStatChanges(before, after);
  if (changes.length) await q.addToDaily(tx, { unit_id: dossier.unit_id, procedure_id: dossier.procedure_id, channel: dossier.channel }, changes);
}

export type SummaryQuery = { from?: string; to?: string; unitId?: string; level?: string; field?: string };
type Checked = { from: string; to: string; unitId?: string; level?: string; field?: string };

/** A row of the table by field: a field (lĩnh vực) of the catalogue with its figures. */
export type FieldRow = { fieldKey: string; figures: Summary };
/** A row of the listing by receiving desk: the dossiers a unit's desk received in the period, whichever unit they were for. */
export type DeskFigures = { online: number; direct: number; postal: number; total: number };
export type DeskRow = { unitId: string; received: DeskFigures };

const isDay = (s: unknown): s is string => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

type SumRow = { measure: string; channel: string; before: number | string | null; within: number | string | null };

function sumsOf(rows: Iterable<SumRow>): MeasureSums {
  const s = emptySums();
  for (const r of rows) addSums(s, r);
  return s;
}

export class StatsService {
  constructor(
    private readonly db: Db,
    private readonly catalog: CatalogService,
  ) {}

  /** Every daily count (day × unit × procedure × channel × measure): what the report tables sum. */
  daily() {
    return q.allDaily(this.db);
  }

  /** The period, unit, level and field checked, as the summary and every table built on it check them (400 with the fields). */
  check(query: SummaryQuery): Checked {
    const problems: Record<string, FieldProblem> = {};
    if (!isDay(query.from)) problems.from = { key: 'badDate' };
    if (!isDay(query.to)) problems.to = { key: 'badDate' };
    if (isDay(query.from) && isDay(query.to) && query.from > query.to) problems.to = { key: 'dateTooEarly', params: { min: query.from } };
    if (query.unitId && !this.catalog.unit(query.unitId)) problems.unitId = { key: 'unknownUnit' };
    if (query.level && !['province', 'district', 'commune'].includes(query.level)) problems.level = { key: 'notAllowed', params: { allowed: 'province, district, commune' } };
    if (query.field && !this.catalog.fields().some((f) => f.key === query.field)) problems.field = { key: 'unknownField' };
    if (Object.keys(problems).length) throw invalid(problems);
    return { from: query.from!, to: query.to!, unitId: query.unitId || undefined, level: query.level || undefined, field: query.field || undefined };
  }

  /** The report table for a period, a unit with its subtree, a level and a field (api-v1.md). */
  async summary(query: SummaryQuery): Promise<Summary & { from: string; to: string }> {
    const c = this.check(query);
    const rows = await q.sums(this.db, { from: c.from, to: c.to, unitIds: c.unitId ? this.subtree(c.unitId) : 'all', level: c.level, field: c.field });
    return { from: c.from, to: c.to, ...summarise(sumsOf(rows)) };
  }

  /**
   * The table by field (lĩnh vực), as form II.06a lays it out: a row for each field of the catalogue
   * (or the one asked for), whether or not it had dossiers, then any field that is no longer
   * published but counted in the period; the rows add up to the summary.
   */
  async byField(query: SummaryQuery): Promise<{ from: string; to: string; rows: FieldRow[]; total: Summary }> {
    const c = this.check(query);
    const filter = { from: c.from, to: c.to, unitIds: c.unitId ? this.subtree(c.unitId) : ('all' as const), level: c.level, field: c.field };
    const grouped = new Map<string, SumRow[]>();
    for (const r of await q.sumsByField(this.db, filter)) (grouped.get(r.fieldKey) ?? grouped.set(r.fieldKey, []).get(r.fieldKey)!).push(r);
    const keys = this.catalog.fields().map((f) => f.key).filter((k) => !c.field || k === c.field);
    for (const k of [...grouped.keys()].sort()) if (!keys.includes(k)) keys.push(k);
    const rows = keys.map((fieldKey) => ({ fieldKey, figures: summarise(sumsOf(grouped.get(fieldKey) ?? [])) }));
    const total = summarise(sumsOf([...grouped.values()].flat()));
    return { from: c.from, to: c.to, rows: rows.filter((r) => this.catalog.fields().some((f) => f.key === r.fieldKey) || hasFigures(r.figures)), total };
  }

  /**
   * The dossiers received in the period by receiving desk (docs/domain.md §5.1): each desk that
   * received any, with the unit asked for choosing the desks (that unit and those below it), not
   * the competent units. A dossier still counts in every other figure at its competent unit.
   */
  async byDesk(query: SummaryQuery): Promise<{ from: string; to: string; rows: DeskRow[]; total: DeskFigures }> {
    const c = this.check(query);
    const rows = await q.receivedByDesk(this.db, { from: c.from, to: c.to, unitIds: c.unitId ? this.subtree(c.unitId) : 'all', level: c.level, field: c.field });
    const byUnit = new Map<string, DeskFigures>();
    const total: DeskFigures = { online: 0, direct: 0, postal: 0, total: 0 };
    for (const r of rows) {
      const n = Number(r.n ?? 0);
      if (!n) continue;
      const f = byUnit.get(r.unitId) ?? byUnit.set(r.unitId, { online: 0, direct: 0, postal: 0, total: 0 }).get(r.unitId)!;
      for (const t of [f, total]) {
        t[channelGroup(r.channel)] += n;
        t.total += n;
      }
    }
    return { from: c.from, to: c.to, rows: [...byUnit].map(([unitId, received]) => ({ unitId, received })), total };
  }

  /** A unit and every unit below it. */
  subtree(unitId: string): string[] {
    const grant = { role: 'auditor' as const, unitId, subtree: true };
    return this.catalog.allUnits().filter((u) => covers(grant, u.id, (id) => this.catalog.unit(id)?.parentId)).map((u) => u.id);
  }

  rebuild(progress?: (done: number, of: number) => void): Promise<{ dossiers: number; rows: number }> {
    return rebuildStats(this.db, progress);
  }

  /**
   * Rebuilds once when a migration changed how the counts are kept (it leaves `stats_rebuild_needed`
   * in meta): called by whoever applied the migrations. Null when nothing was needed.
   */
  async rebuildIfNeeded(): Promise<{ dossiers: number; rows: number; reason: string } | null> {
    const reason = await q.rebuildNeeded(this.db);
    if (!reason) return null;
    const done = await rebuildStats(this.db);
    await q.clearRebuildNeeded(this.db);
    return { ...done, reason };
  }
}

function hasFigures(s: Summary): boolean {
  return !!(s.received.grandTotal || s.settled.total || s.pending.total);
}

/**
 * Recomputes every daily count from the action log (acceptance, resolution, confirmed withdrawal,
 * the holds), each dossier's due time and receiving desk, and the ratings, and replaces the kept
 * counts with the result.
 */
export async function rebuildStats(db: Db, progress?: (done: number, of: number) => void): Promise<{ dossiers: number; rows: number }> {
  const total = progress ? await q.countReceived(db) : 0;
  const counts = new Map<string, StatsDailyTable>();
  const add = (k: { unit_id: string; procedure_id: string; channel: string }, c: StatDelta) => {
    const key = `${c.day}|${k.unit_id}|${k.procedure_id}|${k.channel}|${c.measure}`;
    const row = counts.get(key) ?? counts.set(key, { day: c.day, ...k, measure: c.measure, n: 0 }).get(key)!;
    row.n += c.delta;
  };
  let after = '';
  let dossiers = 0;
  for (;;) {
    const page = await q.receivedDossiers(db, after, 2000);
    if (!page.length) break;
    const moments = await q.settlingActions(db, page.map((d) => d.id));
    type Moments = { accept?: string; settle?: string; withdrawn?: boolean; log: Array<{ at: string; from: string | null; to: string }> };
    const byDossier = new Map<string, Moments>();
    for (const a of moments) {
      const m = byDossier.get(a.dossier_id) ?? byDossier.set(a.dossier_id, { log: [] }).get(a.dossier_id)!;
      if (a.action === 'accept') m.accept ??= a.at;
      else if ((a.action === 'resolve' || a.action === 'confirm_withdrawal') && !m.settle) {
        m.settle = a.at;
        m.withdrawn = a.action === 'confirm_withdrawal';
      }
      if (holdStatuses.has(a.to_status) || (a.from_status && holdStatuses.has(a.from_status))) m.log.push({ at: a.at, from: a.from_status, to: a.to_status });
    }
    for (const d of page) {
      const m = byDossier.get(d.id);
      const accepted = m?.accept ?? null;
      const facts: StatFacts = { acceptedAt: accepted, dueAt: d.due_at, settledAt: accepted ? (m?.settle ?? null) : null, withdrawn: !!m?.withdrawn, holds: holdIntervals(m?.log ?? []) };
      const key = { procedure_id: d.procedure_id, channel: d.channel };
      const own = contributions(facts);
      for (const c of own) add({ ...key, unit_id: d.unit_id }, c);
      for (const c of deskChanges(own)) add({ ...key, unit_id: d.receiving_unit_id ?? d.unit_id }, c);
    }
    dossiers += page.length;
    after = page[page.length - 1]!.id;
    progress?.(dossiers, total);
  }
  // Satisfaction: each rating on the day it was given, on the three-level scale (an older row without it, from its score).
  for (const r of await q.ratingsForStats(db)) {
    const level = isSatisfaction(r.satisfaction) ? r.satisfaction : satisfactionOfScore(r.score);
    add({ unit_id: r.unit_id, procedure_id: r.procedure_id, channel: r.channel }, { day: vietnamDay(new Date(r.created_at)), measure: `satisfaction_${level}`, delta: 1 });
  }
  // Payments: each dossier's first settled payment, and its first settled online (§5.3).
  const byDossier = new Map<string, { key: { unit_id: string; procedure_id: string; channel: string }; payments: Array<{ method: string | null; paidAt: string | null }> }>();
  for (const p of await q.paymentsForStats(db)) {
    const d = byDossier.get(p.dossier_id) ?? byDossier.set(p.dossier_id, { key: { unit_id: p.unit_id, procedure_id: p.procedure_id, channel: p.channel }, payments: [] }).get(p.dossier_id)!;
    d.payments.push({ method: p.method, paidAt: p.paid_at });
  }
  for (const d of byDossier.values()) for (const c of paymentContributions(d.payments)) add(d.key, c);
  // Results returned by post: each return_result the postal actor took (§5.2).
  for (const r of await q.postalReturnsForStats(db)) add({ unit_id: r.unit_id, procedure_id: r.procedure_id, channel: r.channel }, { day: vietnamDay(new Date(r.at)), measure: returnedPostalMeasure, delta: 1 });
  const rows = [...counts.values()].filter((r) => r.n !== 0);
  await q.replaceDaily(db, rows);
  return { dossiers, rows: rows.length };
}
