// Exports of the report table (form II.06a, docs/domain.md §5) to XLSX and CSV; the dossier lists behind
// its columns, for staff over those units (they carry personal data); and the open-data dataset,
// the same figures by unit and month with nothing personal in them.
//
// The table and the dataset read only the daily counts and use the arithmetic of
// src/domain/stats.ts. A list reads the dossiers table, taking each dossier by the same rule that
// made it count in that column (stats.service.ts `statFacts`, `settlement`), so that a list and its
// figure always agree.
import type { Db } from '../../db/connection.ts';
import type { Status } from '../../domain/dossier-status.ts';
import { covers, type Grant } from '../../domain/roles.ts';
import { channelGroup, measures, settlement, summarise, type MeasureSums, type Summary } from '../../domain/stats.ts';
import { viCollator } from '../../domain/text.ts';
import { vietnamDay, type Clock } from '../../domain/time.ts';
import { invalid, fail } from '../../errors.ts';
import { format, localName, messages, type Lang } from '../../i18n/index.ts';
import type { SessionUser } from '../accounts/accounts.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { OfficeService } from '../office/office.service.ts';
import type { Unit } from '../units/units.service.ts';
import * as q from './stats.export.queries.ts';
import { csv, dayInWords, headerStyle, localTime, reportNumbers, thin, titleRows, workbook } from './stats.export.format.ts';
import { statFacts, type StatsService, type SummaryQuery } from './stats.service.ts';

/** The columns of the table whose dossiers can be listed. */
export const listColumns = [
  'received_online', 'received_direct', 'received_postal', 'carried_over',
  'settled_early', 'settled_on_time', 'settled_late', 'pending_within', 'pending_overdue',
] as const;
export type ListColumn = (typeof listColumns)[number];

/** A row of the table: a unit with its subtree, or (`own`) the dossiers of the chosen unit itself. */
export type ReportRow = { unitId: string; own: boolean; figures: Summary };

export type ReportTable = { from: string; to: string; unitId?: string; level?: string; field?: string; rows: ReportRow[]; total: Summary };

export type ListedDossier = {
  code: string; procedureId: string; unitId: string; channel: string; applicantName: string; status: string;
  acceptedAt: string; dueAt: string | null; settledAt: string | null;
};

export type DossierList = { column: ListColumn; from: string; to: string; unitId?: string; level?: string; field?: string; items: ListedDossier[] };

/** One row of the open dataset: a unit's own dossiers in a month. Nothing in it names a person or a dossier. */
export type OpenDataRow = {
  year: number; month: number; unitId: string; unitCode: string; unitName: string; unitNameEn: string; parentUnitId: string | null; level: UnitLevel;
  receivedOnline: number; receivedDirect: number; receivedPostal: number; carriedOver: number; receivedTotal: number;
  settledEarly: number; settledOnTime: number; settledLate: number; settledTotal: number;
  pendingWithinDeadline: number; pendingOverdue: number; pendingTotal: number;
};

export const openDataColumns = [
  'year', 'month', 'unitId', 'unitCode', 'unitName', 'unitNameEn', 'parentUnitId', 'level',
  'receivedOnline', 'receivedDirect', 'receivedPostal', 'carriedOver', 'receivedTotal',
  'settledEarly', 'settledOnTime', 'settledLate', 'settledTotal',
  'pendingWithinDeadline', 'pendingOverdue', 'pendingTotal',
] as const satisfies ReadonlyArray<keyof OpenDataRow>;

export type UnitLevel = 'province' | 'district' | 'commune';

export type OpenDataset = { year: number; asOf: string; months: number; rows: OpenDataRow[] };

type SumRow = { measure: string; channel: string; before: number | string | null; within: number | string | null };

function emptySums(): MeasureSums {
  return { ...Object.fromEntries(measures.map((m) => [m, { before: 0, within: 0 }])), receivedWithin: { online: 0, direct: 0, postal: 0 } } as unknown as MeasureSums;
}

/** Adds a grouped row of daily counts, as StatsService.summary does (other measures, such as ratings, are not the table's). */
function addSums(s: MeasureSums, r: SumRow): void {
  if (!(measures as readonly string[]).includes(r.measure)) return;
  const m = s[r.measure as (typeof measures)[number]];
  const within = Number(r.within ?? 0);
  m.before += Number(r.before ?? 0);
  m.within += within;
  if (r.measure === 'received') s.receivedWithin[channelGroup(r.channel)] += within;
}

const isZero = (s: Summary) => !(s.received.total || s.received.carriedOver || s.settled.total || s.pending.total);

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);

const kindOrder: Record<string, number> = { department: 0, service_centre: 1, district: 2, commune: 3, post_office: 4 };

/** A dossier's columns in a period: the rules of src/domain/stats.ts read from its row, day by Vietnam day. */
export function columnsOf(
  row: { accepted_at: string | null; due_at: string | null; resolved_at: string | null; status: Status; updated_at: string; channel: string },
  from: string,
  to: string,
): ListColumn[] {
  const f = statFacts(row);
  if (!f.acceptedAt) return [];
  const day = (iso: string) => vietnamDay(new Date(iso));
  const accepted = day(f.acceptedAt);
  const settled = f.settledAt ? day(f.settledAt) : null;
  const out: ListColumn[] = [];
  if (accepted >= from && accepted <= to) out.push(`received_${channelGroup(row.channel)}`);
  if (accepted < from && !(settled && settled < from)) out.push('carried_over');
  if (f.settledAt && settled! >= from && settled! <= to) out.push(`settled_${f.dueAt ? settlement(f.settledAt, f.dueAt) : 'on_time'}`);
  if (accepted <= to && !(settled && settled <= to)) out.push(f.dueAt && day(f.dueAt) <= to ? 'pending_overdue' : 'pending_within');
  return out;
}

const columnKind: Record<ListColumn, q.ListFilter['kind']> = {
  received_online: 'received', received_direct: 'received', received_postal: 'received', carried_over: 'carried_over',
  settled_early: 'settled', settled_on_time: 'settled', settled_late: 'settled', pending_within: 'pending', pending_overdue: 'pending',
};

export class StatsExportService {
  constructor(
    private readonly db: Db,
    private readonly stats: StatsService,
    private readonly catalog: CatalogService,
    private readonly office: OfficeService,
    private readonly clock: Clock,
  ) {}

  private parentOf = (id: string) => this.catalog.unit(id)?.parentId;

  /**
   * The report table: one row per child of the chosen unit (for the whole province, its
   * departments and district-level units), each counting that child's subtree; a row for the
   * chosen unit's own dossiers when it has any (or no children); and the total, which is
   * StatsService.summary for the query. The rows add up to the total.
   */
  async report(query: SummaryQuery): Promise<ReportTable> {
    const total = await this.stats.summary(query);
    const { from, to } = total;
    const units = this.catalog.allUnits();
    const roots = units.filter((u) => !u.parentId);
    const chosen = query.unitId ?? (roots.length === 1 ? roots[0]!.id : null);
    const children = units.filter((u) => u.parentId === chosen);
    // The row each unit counts in: the chosen unit's child above it, or the chosen unit itself.
    const rowOf = (unitId: string): string => {
      const seen = new Set<string>();
      for (let u: string | null | undefined = unitId; u && !seen.has(u); u = this.parentOf(u)) {
        if (u === chosen) return u;
        if (this.parentOf(u) === chosen) return u;
        seen.add(u);
      }
      return chosen ?? unitId;
    };
    const rowKeys = new Map<string, string>();
    const sums = new Map<string, MeasureSums>();
    const rows = await q.sumsByUnit(this.db, { from, to, unitIds: query.unitId ? this.stats.subtree(query.unitId) : 'all', level: query.level, field: query.field });
    for (const r of rows) {
      const key = rowKeys.get(r.unitId) ?? rowKeys.set(r.unitId, rowOf(r.unitId)).get(r.unitId)!;
      addSums(sums.get(key) ?? sums.set(key, emptySums()).get(key)!, r);
    }
    const figures = (id: string) => summarise(sums.get(id) ?? emptySums());
    const validInPeriod = (u: Unit) => (!u.validFrom || u.validFrom <= to) && (!u.validTo || u.validTo >= from);
    const childRows: ReportRow[] = children
      .map((u) => ({ unit: u, row: { unitId: u.id, own: false, figures: figures(u.id) } }))
      .filter(({ unit, row }) => validInPeriod(unit) || !isZero(row.figures))
      .sort((a, b) => (kindOrder[a.unit.kind] ?? 9) - (kindOrder[b.unit.kind] ?? 9) || viCollator.compare(a.unit.name, b.unit.name))
      .map(({ row }) => row);
    const out: ReportRow[] = [];
    if (chosen) {
      const own = figures(chosen);
      if (!children.length || !isZero(own)) out.push({ unitId: chosen, own: children.length > 0, figures: own });
    }
    out.push(...childRows);
    return { from, to, unitId: query.unitId, level: query.level, field: query.field, rows: out, total: { ...total } };
  }

  /**
   * The dossiers behind a column, for staff who read dossiers (403 for anyone else), within their
   * scope: a unit they do not cover is refused; without a unit, their whole scope. The chosen unit's
   * subtree is narrowed to the units they cover.
   */
  async dossierList(user: SessionUser, query: SummaryQuery & { column: string }): Promise<DossierList> {
    const grants: Grant[] = this.office.readerGrants(user);
    if (!(listColumns as readonly string[]).includes(query.column)) throw invalid({ column: { key: 'notAllowed', params: { allowed: listColumns.join(', ') } } });
    const column = query.column as ListColumn;
    // Validates the period, unit, level and field exactly as the summary does.
    const { from, to } = await this.stats.summary({ from: query.from, to: query.to, unitId: query.unitId, level: query.level, field: query.field });
    if (query.unitId && !grants.some((g) => covers(g, query.unitId!, this.parentOf))) fail('forbidden');
    const scope = this.office.scope(user);
    const inScope = new Set(scope);
    const unitIds = query.unitId
      ? this.stats.subtree(query.unitId).filter((id) => inScope.has(id))
      : scope.length === this.catalog.allUnits().length ? ('all' as const) : scope;
    const candidates = await q.listCandidates(this.db, {
      unitIds, level: query.level, field: query.field, kind: columnKind[column],
      lo: `${addDays(from, -1)}T00:00:00.000Z`, hi: `${addDays(to, 1)}T00:00:00.000Z`, hiStart: `${from}T00:00:00.000Z`, loEnd: `${to}T00:00:00.000Z`,
    }, this.office.sealer);
    const items: ListedDossier[] = candidates
      .filter((r) => columnsOf(r, from, to).includes(column))
      .map((r) => ({
        code: r.code ?? '', procedureId: r.procedure_id, unitId: r.unit_id, channel: r.channel,
        applicantName: r.applicantName, status: r.status,
        acceptedAt: r.accepted_at!, dueAt: r.due_at, settledAt: statFacts(r).settledAt,
      }));
    return { column, from, to, unitId: query.unitId, level: query.level, field: query.field, items };
  }

  /**
   * The open dataset for a year: for each unit that has had a received dossier by the year's end,
   * one row per month (up to the current month in the current year) with the table's figures for
   * the unit's own dossiers (not its subtree, so rows add up without counting twice).
   */
  async openData(year?: number): Promise<OpenDataset> {
    const today = vietnamDay(this.clock.now());
    const current = Number(today.slice(0, 4));
    const y = year ?? current;
    if (!Number.isInteger(y) || y < 2000) throw invalid({ year: { key: 'tooSmall', params: { min: 2000 } } });
    if (y > current) throw invalid({ year: { key: 'tooBig', params: { max: current } } });
    const months = y < current ? 12 : Number(today.slice(5, 7));
    const byUnit = new Map<string, Array<{ measure: string; channel: string; month: string; n: number }>>();
    for (const r of await q.sumsByUnitAndMonth(this.db, `${y}-12-31`)) {
      const list = byUnit.get(r.unitId) ?? byUnit.set(r.unitId, []).get(r.unitId)!;
      list.push({ measure: r.measure, channel: r.channel, month: r.month, n: Number(r.n ?? 0) });
    }
    const rows: OpenDataRow[] = [];
    for (const unitId of [...byUnit.keys()].sort()) {
      const entries = byUnit.get(unitId)!;
      if (!entries.some((e) => e.measure === 'received' && e.n)) continue;
      const unit = this.catalog.unit(unitId);
      for (let month = 1; month <= months; month++) {
        const key = `${y}-${String(month).padStart(2, '0')}`;
        const s = emptySums();
        for (const e of entries) if (e.month <= key) addSums(s, { measure: e.measure, channel: e.channel, before: e.month < key ? e.n : 0, within: e.month === key ? e.n : 0 });
        const f = summarise(s);
        rows.push({
          year: y, month, unitId, unitCode: unit?.code ?? '', unitName: unit?.name ?? unitId, unitNameEn: unit?.nameEn ?? unitId,
          parentUnitId: unit?.parentId ?? null, level: this.levelOf(unitId),
          receivedOnline: f.received.online, receivedDirect: f.received.direct, receivedPostal: f.received.postal,
          carriedOver: f.received.carriedOver, receivedTotal: f.received.total,
          settledEarly: f.settled.early, settledOnTime: f.settled.onTime, settledLate: f.settled.late, settledTotal: f.settled.total,
          pendingWithinDeadline: f.pending.withinDeadline, pendingOverdue: f.pending.overdue, pendingTotal: f.pending.total,
        });
      }
    }
    return { year: y, asOf: today, months, rows };
  }

  /** A unit's administrative level: its own, or that of the nearest unit above it that has one (a department is provincial). */
  private levelOf(unitId: string): UnitLevel {
    const seen = new Set<string>();
    for (let u = this.catalog.unit(unitId); u && !seen.has(u.id); u = u.parentId ? this.catalog.unit(u.parentId) : undefined) {
      if (u.kind === 'province' || u.kind === 'district' || u.kind === 'commune') return u.kind;
      seen.add(u.id);
    }
    return 'province';
  }

  // ——— Rendering ———

  private unitName(lang: Lang, id: string): string {
    const u = this.catalog.unit(id);
    return u ? localName(lang, u) : id;
  }

  /** The period, unit, level and field of a table or list, in words. */
  private describe(lang: Lang, t: { from: string; to: string; unitId?: string; level?: string; field?: string }): string {
    const m = messages(lang);
    const x = m.statsExport;
    const hasChildren = t.unitId ? this.catalog.allUnits().some((u) => u.parentId === t.unitId) : false;
    const unit = !t.unitId ? x.wholeProvince : hasChildren ? format(x.withSubtree, { unit: this.unitName(lang, t.unitId) }) : this.unitName(lang, t.unitId);
    const field = t.field ? this.catalog.fields().find((f) => f.key === t.field) : undefined;
    return [
      format(x.period, { from: dayInWords(lang, t.from), to: dayInWords(lang, t.to) }),
      format(x.unit, { unit }),
      format(x.level, { level: t.level ? m.levels[t.level as keyof typeof m.levels] ?? t.level : x.anyLevel }),
      format(x.field, { field: field ? localName(lang, field) : x.anyField }),
    ].join(x.separator);
  }

  private rowLabel(lang: Lang, row: ReportRow): string {
    const name = this.unitName(lang, row.unitId);
    return row.own ? format(messages(lang).statsExport.ownDossiers, { unit: name }) : name;
  }

  /** The report table as a formatted workbook: title, two header rows with merged groups, frozen panes. */
  async reportXlsx(t: ReportTable, lang: Lang): Promise<Buffer> {
    const x = messages(lang).statsExport;
    const c = x.columns;
    const wb = workbook();
    const last = 2 + reportNumbers.length;
    const ws = wb.addWorksheet(x.reportSheet, {
      views: [{ state: 'frozen', xSplit: 2, ySplit: 4 }],
      pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
    ws.columns = [{ width: 6 }, { width: 48 }, ...reportNumbers.map(() => ({ width: 14 }))];
    titleRows(ws, last, x.reportTitle, this.describe(lang, t));
    // Two header rows: No. and Unit span both; each group spans its columns.
    ws.mergeCells(3, 1, 4, 1);
    ws.mergeCells(3, 2, 4, 2);
    ws.getCell(3, 1).value = c.no;
    ws.getCell(3, 2).value = c.unit;
    let col = 3;
    for (const group of ['received', 'settled', 'pending'] as const) {
      const span = reportNumbers.filter((n) => n.group === group).length;
      ws.mergeCells(3, col, 3, col + span - 1);
      ws.getCell(3, col).value = x.groups[group];
      col += span;
    }
    reportNumbers.forEach((n, i) => (ws.getCell(4, 3 + i).value = c[n.label]));
    for (let r = 3; r <= 4; r++) for (let k = 1; k <= last; k++) headerStyle(ws.getCell(r, k));
    ws.getRow(4).height = 48;
    const body = (values: Array<string | number>, bold: boolean) => {
      const row = ws.addRow(values);
      row.eachCell({ includeEmpty: true }, (cell, k) => {
        cell.border = thin;
        if (k > 2) cell.numFmt = '#,##0';
        if (bold) cell.font = { bold: true };
      });
      row.getCell(2).alignment = { wrapText: true, vertical: 'middle' };
    };
    t.rows.forEach((row, i) => body([i + 1, this.rowLabel(lang, row), ...reportNumbers.map((n) => n.value(row.figures))], false));
    body(['', x.total, ...reportNumbers.map((n) => n.value(t.total))], true);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  /** The report table as CSV: a header row, a row per unit (its id and name), the total. */
  reportCsv(t: ReportTable, lang: Lang): Buffer {
    const x = messages(lang).statsExport;
    const header = [x.columns.unitId, x.columns.unit, ...reportNumbers.map((n) => `${x.groups[n.group]}: ${x.columns[n.label]}`)];
    const lines = [
      header,
      ...t.rows.map((row) => [row.unitId, this.rowLabel(lang, row), ...reportNumbers.map((n) => n.value(row.figures))]),
      ['', x.total, ...reportNumbers.map((n) => n.value(t.total))],
    ];
    return csv(lines);
  }

  private listRow(lang: Lang, d: ListedDossier): Array<string | Date | null> {
    const m = messages(lang);
    const procedure = this.catalog.find(d.procedureId);
    return [
      d.code, procedure ? localName(lang, procedure) : d.procedureId, this.unitName(lang, d.unitId),
      m.office.channels[d.channel as keyof typeof m.office.channels] ?? d.channel, d.applicantName,
      localTime(d.acceptedAt), d.dueAt ? localTime(d.dueAt) : null, d.settledAt ? localTime(d.settledAt) : null,
      m.statuses[d.status as keyof typeof m.statuses] ?? d.status,
    ];
  }

  private listHeader(lang: Lang): string[] {
    const l = messages(lang).statsExport.listColumns;
    return [l.code, l.procedure, l.unit, l.channel, l.applicant, l.acceptedAt, l.dueAt, l.settledAt, l.status];
  }

  /** A dossier list as a workbook: title, a header row with filters, dates in Vietnam time. */
  async listXlsx(list: DossierList, lang: Lang): Promise<Buffer> {
    const x = messages(lang).statsExport;
    const header = this.listHeader(lang);
    const wb = workbook();
    const ws = wb.addWorksheet(x.listSheet, { views: [{ state: 'frozen', xSplit: 1, ySplit: 3 }], pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
    ws.columns = [{ width: 22 }, { width: 44 }, { width: 28 }, { width: 22 }, { width: 26 }, { width: 17 }, { width: 17 }, { width: 17 }, { width: 22 }];
    titleRows(ws, header.length, format(x.listTitle, { column: x.lists[list.column] }), `${this.describe(lang, list)}${x.separator}${format(x.listCount, { count: list.items.length })}`);
    ws.getRow(3).values = header;
    for (let k = 1; k <= header.length; k++) headerStyle(ws.getCell(3, k));
    ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: header.length } };
    for (const d of list.items) {
      const row = ws.addRow(this.listRow(lang, d).map((v) => (v === null ? '' : v)));
      row.eachCell({ includeEmpty: true }, (cell, k) => {
        cell.border = thin;
        if (k >= 6 && k <= 8) cell.numFmt = 'dd/mm/yyyy hh:mm';
        else cell.alignment = { wrapText: true, vertical: 'top' };
      });
    }
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  /** A dossier list as CSV; times are Vietnam time, written YYYY-MM-DD HH:MM. */
  listCsv(list: DossierList, lang: Lang): Buffer {
    const rows = list.items.map((d) => this.listRow(lang, d).map((v) => (v instanceof Date ? v.toISOString().slice(0, 16).replace('T', ' ') : v ?? '')));
    return csv([this.listHeader(lang), ...rows]);
  }

  fileName(lang: Lang, kind: 'report' | 'list', t: { from: string; to: string; column?: string }, ext: 'xlsx' | 'csv'): string {
    const x = messages(lang).statsExport;
    return kind === 'report' ? `${x.reportFile}_${t.from}_${t.to}.${ext}` : `${x.listFile}_${t.column}_${t.from}_${t.to}.${ext}`;
  }
}

/** The open dataset as CSV: stable English column names (the JSON keys), one row per unit and month. */
export function openDataCsv(d: OpenDataset): Buffer {
  return csv([[...openDataColumns], ...d.rows.map((r) => openDataColumns.map((k) => r[k] ?? ''))]);
}
