// The public dashboard's figures (docs/domain.md §5): the period's intake and settlement
// by month, unit, level and procedure, the satisfaction ratings (three levels), and the indicators against the
// targets kept as data (data/reference/targets/targets.json). Everything is summed from the daily
// counts; the headline figures are StatsService.summary's own, so the page and the API agree.
import type { Db } from '../../db/connection.ts';
import { readReference } from '../../reference.ts';
import { adminLevels, type AdminLevel } from '../../domain/catalog.ts';
import { channelGroup, satisfactionOfMeasure, type Satisfaction, type Summary } from '../../domain/stats.ts';
import { isValidOn } from '../../domain/units.ts';
import { AppError, invalid, type FieldProblem } from '../../errors.ts';
import type { CatalogService, ProcedureSummary } from '../catalog/catalog.service.ts';
import type { Unit } from '../units/units.service.ts';
import type { StatsService } from './stats.service.ts';
import * as q from './stats.dashboard.queries.ts';

export type DashboardQuery = { from?: string; to?: string; unitId?: string; level?: string; field?: string };

/** A share with what it is made of; `value` is null when there is nothing to divide. */
export type Ratio = { part: number; whole: number; value: number | null };

const ratio = (part: number, whole: number): Ratio => ({ part, whole, value: whole ? part / whole : null });

/** The period's flows of a group: intake by channel, settlement against the due time. */
export type Flows = {
  received: number; online: number; direct: number; postal: number;
  settled: number; early: number; onTime: number; late: number;
  onlineShare: Ratio;
  /** (early + on time) / settled, as the report table counts it. */
  onTimeRate: Ratio;
};

export type Targets = { onlineShare: Record<AdminLevel, number>; onTimeRate: Record<AdminLevel, number> };
export const serviceIndexGroups = ['transparency', 'timeliness', 'digitisation', 'onlineProvision', 'satisfaction'] as const;
export type ServiceIndexGroup = { key: (typeof serviceIndexGroups)[number]; points: number };

/** Ratings on the national three-level scale (older five-level ones mapped), as counted on the day they were given. */
export type Ratings = {
  counts: Record<Satisfaction, number>;
  total: number;
  /** Ratings of very satisfied or satisfied among all ratings. */
  satisfied: Ratio;
};

export type MonthRow = { month: string; from: string; to: string; flows: Flows; ratings: Ratings };
export type LevelRow = { level: AdminLevel; flows: Flows; targets: { onlineShare: number; onTimeRate: number } };
export type UnitRow = { unit: Unit; /** The chosen unit's own desk, apart from the units below it. */ own: boolean; level: AdminLevel | null; flows: Flows; targets: { onlineShare: number; onTimeRate: number } | null };
export type TopProcedure = { procedure: Pick<ProcedureSummary, 'id' | 'name' | 'nameEn' | 'onlineClass' | 'level'>; online: number; direct: number; postal: number; offline: number; onlineShare: Ratio };

export type Dashboard = {
  query: { from: string; to: string; unitId?: string; level?: AdminLevel; field?: string };
  summary: Summary & { from: string; to: string };
  months: MonthRow[];
  levels: LevelRow[];
  /** The chosen unit (null: the whole province) and the rows of its child units. */
  units: { parent: Unit | null; rows: UnitRow[] };
  top: TopProcedure[];
  ratings: Ratings;
  indicators: {
    onlineShare: { ratio: Ratio; target: number | null };
    /** Among dossiers received in the period for procedures of class `full`, the share received online. */
    fullOnlineShare: { ratio: Ratio };
    /** Dossiers paid online (VNPay, VietQR) among the dossiers that paid in the period (docs/domain.md §5.3). */
    onlinePaymentShare: { ratio: Ratio };
    onTimeRate: { ratio: Ratio; target: number | null };
    satisfaction: Ratings;
  };
  /** Procedures in the level and field asked for, by online class (the catalogue as published now). */
  offer: { total: number; full: number; partial: number };
  targets: Targets;
  serviceIndex: ServiceIndexGroup[];
};

/** The longest period the dashboard draws month by month. */
export const maxMonths = 36;
export const topCount = 10;

const targetsFile = 'targets/targets.json';

/** Reads and checks the targets file: a share in [0, 1] for each level, and index groups summing to 100 points. */
export function loadTargets(): { targets: Targets; serviceIndex: ServiceIndexGroup[] } {
  const raw = readReference<{ targets?: Record<string, Record<string, unknown>>; serviceIndex?: { groups?: Array<{ key?: unknown; points?: unknown }> } }>(targetsFile);
  const fail = (where: string): never => {
    throw new Error(`reference data ${targetsFile}: ${where}`);
  };
  const targets = {} as Targets;
  for (const kind of ['onlineShare', 'onTimeRate'] as const) {
    const row = raw.targets?.[kind];
    targets[kind] = {} as Record<AdminLevel, number>;
    for (const level of adminLevels) {
      const v = row?.[level];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(`targets.${kind}.${level} must be a share from 0 to 1`);
      targets[kind][level] = v as number;
    }
  }
  const groups = raw.serviceIndex?.groups ?? fail('serviceIndex.groups is missing');
  const serviceIndex = groups.map((g, i) => {
    if (!serviceIndexGroups.includes(g.key as ServiceIndexGroup['key'])) fail(`serviceIndex.groups[${i}].key is not one of ${serviceIndexGroups.join(', ')}`);
    if (typeof g.points !== 'number' || g.points <= 0) fail(`serviceIndex.groups[${i}].points must be a positive number`);
    return { key: g.key as ServiceIndexGroup['key'], points: g.points as number };
  });
  if (serviceIndex.reduce((s, g) => s + g.points, 0) !== 100) fail('serviceIndex.groups must add up to 100 points');
  return { targets, serviceIndex };
}

/** The level of procedures a unit handles, by its kind: its targets are that level's. */
export function levelOfUnit(kind: string): AdminLevel | null {
  if (kind === 'province' || kind === 'department' || kind === 'service_centre') return 'province';
  if (kind === 'district') return 'district';
  return kind === 'commune' ? 'commune' : null;
}

type Count = { measure: string; channel: string; n: number };

function flowsOf(counts: Iterable<Count>): Flows {
  const f = { received: 0, online: 0, direct: 0, postal: 0, settled: 0, early: 0, onTime: 0, late: 0 };
  for (const c of counts) {
    if (c.measure === 'received') {
      f.received += c.n;
      f[channelGroup(c.channel)] += c.n;
    } else if (c.measure === 'settled_early') f.early += c.n;
    else if (c.measure === 'settled_on_time') f.onTime += c.n;
    else if (c.measure === 'settled_late') f.late += c.n;
  }
  f.settled = f.early + f.onTime + f.late;
  return { ...f, onlineShare: ratio(f.online, f.received), onTimeRate: ratio(f.early + f.onTime, f.settled) };
}

function ratingsOf(counts: Iterable<Count>): Ratings {
  const n: Record<Satisfaction, number> = { very_satisfied: 0, satisfied: 0, dissatisfied: 0 };
  for (const c of counts) {
    const level = satisfactionOfMeasure(c.measure);
    if (level) n[level] += c.n;
  }
  const total = n.very_satisfied + n.satisfied + n.dissatisfied;
  return { counts: n, total, satisfied: ratio(n.very_satisfied + n.satisfied, total) };
}

/** The months a period touches, each cut to the part of it inside the period. */
export function monthsOf(from: string, to: string): Array<{ month: string; from: string; to: string }> {
  const out: Array<{ month: string; from: string; to: string }> = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > to.slice(0, 7)) break;
    const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    out.push({ month, from: from > `${month}-01` ? from : `${month}-01`, to: to < last ? to : last });
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** The last day a period starting on `from` may end on: the end of its `maxMonths`-th month. */
export function latestEnd(from: string): string {
  const y = Number(from.slice(0, 4));
  const m = Number(from.slice(5, 7)) - 1 + maxMonths;
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

export class DashboardService {
  private readonly config = loadTargets();

  constructor(
    private readonly db: Db,
    private readonly catalog: CatalogService,
    private readonly stats: StatsService,
  ) {}

  get targets(): Targets {
    return this.config.targets;
  }

  /** The dashboard for a period, a unit with its subtree, a level and a field; the filters are checked as the API checks them. */
  async build(query: DashboardQuery): Promise<Dashboard> {
    const summary = await this.checkedSummary(query);
    const { from, to } = summary;
    const level = adminLevels.find((l) => l === query.level);
    const field = query.field || undefined;
    const parent = query.unitId ? this.catalog.unit(query.unitId)! : null;
    const filter: q.DashboardFilter = { from, to, unitIds: parent ? this.stats.subtree(parent.id) : 'all', level, field };
    const [monthCounts, unitCounts, kindCounts, top] = await Promise.all([
      q.byMonth(this.db, filter), q.byUnit(this.db, filter), q.byKind(this.db, filter), q.topOffline(this.db, filter, topCount),
    ]);
    const { targets, serviceIndex } = this.config;

    const months = monthsOf(from, to).map((mo) => {
      const counts = monthCounts.filter((c) => c.key === mo.month);
      return { ...mo, flows: flowsOf(counts), ratings: ratingsOf(counts) };
    });
    const levels = (level ? [level] : adminLevels).map((l) => ({
      level: l,
      flows: flowsOf(kindCounts.filter((c) => c.level === l)),
      targets: { onlineShare: targets.onlineShare[l], onTimeRate: targets.onTimeRate[l] },
    }));
    const full = flowsOf(kindCounts.filter((c) => c.onlineClass === 'full'));
    const ratings = ratingsOf(monthCounts);
    const one = level ?? null;
    const offerOf = (onlineClass?: string) => this.catalog.search({ level, field, onlineClass, limit: 0, offset: 0 }).total;

    return {
      query: { from, to, ...(parent && { unitId: parent.id }), ...(level && { level }), ...(field && { field }) },
      summary,
      months,
      levels,
      units: { parent, rows: this.unitRows(parent, unitCounts, from, to) },
      top: top.map((t) => {
        const p = this.catalog.find(t.procedureId);
        return {
          procedure: p ?? { id: t.procedureId, name: t.procedureId, nameEn: t.procedureId, onlineClass: 'partial', level: 'province' },
          online: t.online, direct: t.direct, postal: t.postal, offline: t.offline,
          onlineShare: ratio(t.online, t.online + t.offline),
        };
      }),
      ratings,
      indicators: {
        onlineShare: { ratio: ratio(summary.received.online, summary.received.total), target: one && targets.onlineShare[one] },
        fullOnlineShare: { ratio: full.onlineShare },
        onlinePaymentShare: { ratio: ratio(summary.payments.paidOnline, summary.payments.paidTotal) },
        onTimeRate: { ratio: ratio(summary.settled.early + summary.settled.onTime, summary.settled.total), target: one && targets.onTimeRate[one] },
        satisfaction: ratings,
      },
      offer: { total: offerOf(), full: offerOf('full'), partial: offerOf('partial') },
      targets,
      serviceIndex,
    };
  }

  /** StatsService's report table, which checks the filters; a period longer than `maxMonths` is refused with them. */
  private async checkedSummary(query: DashboardQuery) {
    const isDay = (s: string | undefined): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s);
    const tooLong: Record<string, FieldProblem> =
      isDay(query.from) && isDay(query.to) && query.to > latestEnd(query.from) ? { to: { key: 'dateTooLate', params: { max: latestEnd(query.from) } } } : {};
    try {
      const summary = await this.stats.summary({ from: query.from, to: query.to, unitId: query.unitId || undefined, level: query.level || undefined, field: query.field || undefined });
      if (Object.keys(tooLong).length) throw invalid(tooLong);
      return summary;
    } catch (err) {
      if (err instanceof AppError && err.fields && !err.fields.to && tooLong.to) throw invalid({ ...err.fields, ...tooLong });
      throw err;
    }
  }

  /**
   * One row per child of the chosen unit (for the whole province: its departments and districts),
   * each with its whole subtree; and the chosen unit's own desk when it counted anything itself.
   */
  private unitRows(parent: Unit | null, counts: q.GroupedCount[], from: string, to: string): UnitRow[] {
    const all = this.catalog.allUnits();
    const byId = new Map(all.map((u) => [u.id, u]));
    const tops = parent ? [parent] : all.filter((u) => u.parentId === null);
    const topIds = new Set(tops.map((u) => u.id));
    /** The row a unit's counts go to: the child of a top unit it sits under, or the top unit itself. */
    const rowOf = new Map<string, string>();
    const rowFor = (id: string): string | null => {
      const known = rowOf.get(id);
      if (known !== undefined) return known;
      const isRow = (at: string) => topIds.has(at) || topIds.has(byId.get(at)?.parentId ?? '');
      const seen = new Set<string>();
      let at: string | null = id;
      while (at && !isRow(at) && !seen.has(at)) {
        seen.add(at);
        at = byId.get(at)?.parentId ?? null;
      }
      const row = at && isRow(at) ? at : null;
      if (row) rowOf.set(id, row);
      return row;
    };
    const grouped = new Map<string, Count[]>();
    for (const c of counts) {
      const row = rowFor(c.key);
      if (row) (grouped.get(row) ?? grouped.set(row, []).get(row)!).push(c);
    }
    const existsInPeriod = (u: Unit) => isValidOn({ validFrom: u.validFrom, validTo: null }, to) && isValidOn({ validFrom: null, validTo: u.validTo }, from);
    const children = all.filter((u) => u.parentId !== null && topIds.has(u.parentId) && (existsInPeriod(u) || grouped.has(u.id)));
    const rows = [...tops.filter((u) => grouped.has(u.id)), ...children];
    return rows.map((u) => {
      const level = levelOfUnit(u.kind);
      return {
        unit: u,
        own: topIds.has(u.id),
        level,
        flows: flowsOf(grouped.get(u.id) ?? []),
        targets: level && { onlineShare: this.config.targets.onlineShare[level], onTimeRate: this.config.targets.onTimeRate[level] },
      };
    });
  }
}
