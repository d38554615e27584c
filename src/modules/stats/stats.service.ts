// Statistics (docs/domain.md §5): the daily counts follow every change of a dossier in its own
// transaction; the report table sums them; `motcua stats rebuild` recomputes them from the log.
import type { Db } from '../../db/connection.ts';
import type { DossierTable, StatsDailyTable } from '../../db/schema.ts';
import { covers } from '../../domain/roles.ts';
import { channelGroup, contributions, measures, statChanges, summarise, type MeasureSums, type StatFacts, type Summary } from '../../domain/stats.ts';
import { invalid, type FieldProblem } from '../../errors.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import * as q from './stats.queries.ts';
import { vietnamDay } from '../../domain/time.ts';

type Row = Pick<DossierTable, 'accepted_at' | 'due_at' | 'resolved_at' | 'status' | 'updated_at'>;

/** What the figures need of a dossier row: settled when resolved, or withdrawn after acceptance (status 7 counts as returned). */
export function statFacts(row: Row): StatFacts {
  const settledAt = row.resolved_at ?? (row.status === 'withdrawn' && row.accepted_at ? row.updated_at : null);
  return { acceptedAt: row.accepted_at, dueAt: row.due_at, settledAt };
}

/**
 * Moves the daily counts from what a dossier added before a change to what it adds after, in the
 * change's transaction. Practice dossiers never enter the figures.
 */
export async function recordStatChanges(tx: Db, before: Row & Pick<DossierTable, 'unit_id' | 'procedure_id' | 'channel' | 'practice'>, after: Row): Promise<void> {
  if (before.practice) return;
  const changes = statChanges(statFacts(before), statFacts(after));
  if (changes.length) await q.addToDaily(tx, { unit_id: before.unit_id, procedure_id: before.procedure_id, channel: before.channel }, changes);
}

/** A rating counts on the day it was given, under the dossier's unit, procedure and channel (practice dossiers never). */
export async function recordRating(tx: Db, row: Pick<DossierTable, 'unit_id' | 'procedure_id' | 'channel' | 'practice'>, score: 1 | 2 | 3 | 4 | 5, at: Date): Promise<void> {
  if (row.practice) return;
  await q.addToDaily(tx, { unit_id: row.unit_id, procedure_id: row.procedure_id, channel: row.channel }, [{ day: vietnamDay(at), measure: `rating_${score}`, delta: 1 }]);
}

export type SummaryQuery = { from?: string; to?: string; unitId?: string; level?: string; field?: string };

const isDay = (s: unknown): s is string => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

export class StatsService {
  constructor(
    private readonly db: Db,
    private readonly catalog: CatalogService,
  ) {}

  /** Every daily count (day × unit × procedure × channel × measure): what the report tables sum. */
  daily() {
    return q.allDaily(this.db);
  }

  /** The report table for a period, a unit with its subtree, a level and a field (api-v1.md). */
  async summary(query: SummaryQuery): Promise<Summary & { from: string; to: string }> {
    const problems: Record<string, FieldProblem> = {};
    if (!isDay(query.from)) problems.from = { key: 'badDate' };
    if (!isDay(query.to)) problems.to = { key: 'badDate' };
    if (isDay(query.from) && isDay(query.to) && query.from > query.to) problems.to = { key: 'dateTooEarly', params: { min: query.from } };
    if (query.unitId && !this.catalog.unit(query.unitId)) problems.unitId = { key: 'unknownUnit' };
    if (query.level && !['province', 'district', 'commune'].includes(query.level)) problems.level = { key: 'notAllowed', params: { allowed: 'province, district, commune' } };
    if (query.field && !this.catalog.fields().some((f) => f.key === query.field)) problems.field = { key: 'unknownField' };
    if (Object.keys(problems).length) throw invalid(problems);
    const from = query.from!;
    const to = query.to!;
    const unitIds = query.unitId ? this.subtree(query.unitId) : 'all';
    const rows = await q.sums(this.db, { from, to, unitIds, level: query.level, field: query.field });
    const s = { ...Object.fromEntries(measures.map((m) => [m, { before: 0, within: 0 }])), receivedWithin: { online: 0, direct: 0, postal: 0 } } as unknown as MeasureSums;
    for (const r of rows) {
      const m = s[r.measure as keyof MeasureSums] as { before: number; within: number } | undefined;
      if (!m) continue;
      m.before += Number(r.before ?? 0);
      m.within += Number(r.within ?? 0);
      if (r.measure === 'received') s.receivedWithin[channelGroup(r.channel)] += Number(r.within ?? 0);
    }
    return { from, to, ...summarise(s) };
  }

  /** A unit and every unit below it. */
  subtree(unitId: string): string[] {
    const grant = { role: 'auditor' as const, unitId, subtree: true };
    return this.catalog.allUnits().filter((u) => covers(grant, u.id, (id) => this.catalog.unit(id)?.parentId)).map((u) => u.id);
  }

  rebuild(progress?: (done: number, of: number) => void): Promise<{ dossiers: number; rows: number }> {
    return rebuildStats(this.db, progress);
  }
}

/**
 * Recomputes every daily count from the action log (acceptance, resolution, confirmed
 * withdrawal), each dossier's due time and the ratings, and replaces the kept counts with the result.
 */
export async function rebuildStats(db: Db, progress?: (done: number, of: number) => void): Promise<{ dossiers: number; rows: number }> {
  const total = progress ? await q.countReceived(db) : 0;
  const counts = new Map<string, StatsDailyTable>();
  let after = '';
  let dossiers = 0;
  for (;;) {
    const page = await q.receivedDossiers(db, after, 2000);
    if (!page.length) break;
    const moments = await q.settlingActions(db, page.map((d) => d.id));
    const byDossier = new Map<string, { accept?: string; settle?: string }>();
    for (const a of moments) {
      const m = byDossier.get(a.dossier_id) ?? byDossier.set(a.dossier_id, {}).get(a.dossier_id)!;
      if (a.action === 'accept') m.accept ??= a.at;
      else m.settle ??= a.at;
    }
    for (const d of page) {
      const m = byDossier.get(d.id);
      for (const c of contributions({ acceptedAt: m?.accept ?? null, dueAt: d.due_at, settledAt: m?.accept ? (m.settle ?? null) : null })) {
        const key = `${c.day}|${d.unit_id}|${d.procedure_id}|${d.channel}|${c.measure}`;
        const row = counts.get(key) ?? counts.set(key, { day: c.day, unit_id: d.unit_id, procedure_id: d.procedure_id, channel: d.channel, measure: c.measure, n: 0 }).get(key)!;
        row.n += c.delta;
      }
    }
    dossiers += page.length;
    after = page[page.length - 1]!.id;
    progress?.(dossiers, total);
  }
  // Satisfaction: each rating on the day it was given.
  for (const r of await q.ratingsForStats(db)) {
    const measure = `rating_${r.score}` as const;
    const d = vietnamDay(new Date(r.created_at));
    const key = `${d}|${r.unit_id}|${r.procedure_id}|${r.channel}|${measure}`;
    const row = counts.get(key) ?? counts.set(key, { day: d, unit_id: r.unit_id, procedure_id: r.procedure_id, channel: r.channel, measure, n: 0 }).get(key)!;
    row.n += 1;
  }
  await q.replaceDaily(db, [...counts.values()]);
  return { dossiers, rows: counts.size };
}
