// Exports of the report table (form II.06a, docs/domain.md §5) to XLSX and CSV; the dossier lists behind
// its columns, for staff over those units (they carry personal data); and the open-data dataset,
// the same figures by unit and month with nothing personal in them.
//
// The table and the dataset read only the daily counts and use the arithmetic of
// src/domain/stats.ts. A list reads the dossiers table, taking each dossier by the same rule that
// made it count in that column (stats.service.ts `statFacts`, `settlement`), so that a list and its
// figure always agree.
import type ExcelJS from 'exceljs';
import type { Db } from '../../db/connection.ts';
import type { Status } from '../../domain/dossier-status.ts';
import { covers, type Grant } from '../../domain/roles.ts';
import { addSums, channelGroup, emptySums, heldAt, holdIntervals, settlementOf, summarise, type Hold, type MeasureSums, type Summary } from '../../domain/stats.ts';
import { viCollator } from '../../domain/text.ts';
import { vietnamDay, type Clock } from '../../domain/time.ts';
import { invalid, fail } from '../../errors.ts';
import { format, localName, messages, type Lang } from '../../i18n/index.ts';
import type { SessionUser } from '../accounts/accounts.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { OfficeService } from '../office/office.service.ts';
import type { Unit } from '../units/units.service.ts';
import * as q from './stats.export.queries.ts';
import { holdChanges } from './stats.queries.ts';
import { csv, dayInWords, headerStyle, localTime, officialNumbers, reportCsvNumbers, reportNumbers, thin, titleRows, workbook } from './stats.export.format.ts';
import { statFacts, type DeskFigures, type StatsService, type SummaryQuery } from './stats.service.ts';

/** The columns of the table whose dossiers can be listed. */
export const listColumns = [
  'received_online', 'received_direct', 'received_postal', 'carried_over',
  'settled_early', 'settled_on_time', 'settled_late', 'pending_within', 'pending_overdue',
] as const;
export type ListColumn = (typeof listColumns)[number];

/** How the rows of the report table are cut: by unit (the default), by field (form II.06a's own rows), or by receiving desk. */
export const reportBy = ['unit', 'field', 'desk'] as const;
export type ReportBy = (typeof reportBy)[number];

/** A row of the table: a unit with its subtree, or (`own`) the dossiers of the chosen unit itself; or a field (lĩnh vực). */
export type ReportRow = { key: string; own: boolean; figures: Summary };

type Scope = { from: string; to: string; unitId?: string; level?: string; field?: string };

export type ReportTable = Scope & { by: 'unit' | 'field'; rows: ReportRow[]; total: Summary };

/** The dossiers received in the period by receiving desk (only desks that received any), and their total. */
export type DeskTable = Scope & { by: 'desk'; rows: Array<{ key: string; received: DeskFigures }>; total: DeskFigures };

export type ListedDossier = {
  code: string; procedureId: string; unitId: string; channel: string; applicantName: string; status: string;
  acceptedAt: string; dueAt: string | null; settledAt: string | null;
};

export type DossierList = { column: ListColumn; from: string; to: string; unitId?: string; level?: string; field?: string; items: ListedDossier[] };

/**
 * One row of the open dataset: a unit's own dossiers in a month. Nothing in it names a person or a dossier.
 * The dataset is stable: columns added later (receivedGrandTotal, issue 11) come last, so that
 * readers taking the CSV's columns by position keep working.
 */
export type OpenDataRow = {
  year: number; month: number; unitId: string; unitCode: string; unitName: string; unitNameEn: string; parentUnitId: string | null; level: UnitLevel;
  receivedOnline: number; receivedDirect: number; receivedPostal: number; carriedOver: number; receivedTotal: number;
  settledEarly: number; settledOnTime: number; settledLate: number; settledTotal: number;
  pendingWithinDeadline: number; pendingOverdue: number; pendingTotal: number;
  receivedGrandTotal: number;
};

/** The dataset's columns in order (CSV and JSON); new ones are appended, never inserted. */
export const openDataColumns = [
  'year', 'month', 'unitId', 'unitCode', 'unitName', 'unitNameEn', 'parentUnitId', 'level',
  'receivedOnline', 'receivedDirect', 'receivedPostal', 'carriedOver', 'receivedTotal',
  'settledEarly', 'settledOnTime', 'settledLate', 'settledTotal',
  'pendingWithinDeadline', 'pendingOverdue', 'pendingTotal',
  'receivedGrandTotal',
] as const satisfies ReadonlyArray<keyof OpenDataRow>;

export type UnitLevel = 'province' | 'district' | 'commune';

export type OpenDataset = { year: number; asOf: string; months: number; rows: OpenDataRow[] };

const isZero = (s: Summary) => !(s.received.total || s.received.carriedOver || s.settled.total || s.pending.total);

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);

const kindOrder: Record<string, number> = { department: 0, service_centre: 1, district: 2, commune: 3, post_office: 4 };

/**
 * A dossier's columns in a period: the rules of src/domain/stats.ts read from its row (and its holds,
 * from the log), day by Vietnam day. Pending at the end is over the deadline when its due day is in
 * or before the period and it is not on hold (paused or stopped) at the period's end.
 */
export function columnsOf(
  row: { accepted_at: string | null; due_at: string | null; resolved_at: string | null; status: Status; updated_at: string; channel: string },
  from: string,
  to: string,
  holds: readonly Hold[] = [],
): ListColumn[] {
  const f = statFacts(row);
  if (!f.acceptedAt) return [];
  const day = (iso: string) => vietnamDay(new Date(iso));
  const accepted = day(f.acceptedAt);
  const settled = f.settledAt ? day(f.settledAt) : null;
  const out: ListColumn[] = [];
  if (accepted >= from && accepted <= to) out.push(`received_${channelGroup(row.channel)}`);
  if (accepted < from && !(settled && settled < from)) out.push('carried_over');
  if (f.settledAt && settled! >= from && settled! <= to) out.push(`settled_${settlementOf(f)!}`);
  if (accepted <= to && !(settled && settled <= to)) out.push(f.dueAt && day(f.dueAt) <= to && !heldAt(holds, to) ? 'pending_overdue' : 'pending_within');
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
   * The report table, by unit (the default), by field or by receiving desk. By unit: one row per
   * child of the chosen unit (for the whole province, its departments and district-level units),
   * each counting that child's subtree, and a row for the chosen unit's own dossiers when it has any
   * (or no children). By field: a row per field of the catalogue (StatsService.byField). Either way
   * the total is StatsService.summary for the query and the rows add up to it. By desk: the desks
   * that received dossiers in the period (StatsService.byDesk).
   */
  async report(query: SummaryQuery & { by?: string }): Promise<ReportTable | DeskTable> {
    const by = query.by ?? 'unit';
    if (!(reportBy as readonly string[]).includes(by)) throw invalid({ by: { key: 'notAllowed', params: { allowed: reportBy.join(', ') } } });
    if (by === 'field') {
      const t = await this.stats.byField(query);
      return { by, ...this.scope(query, t), rows: t.rows.map((r) => ({ key: r.fieldKey, own: false, figures: r.figures })), total: t.total };
    }
    if (by === 'desk') {
      const t = await this.stats.byDesk(query);
      const order = (id: string) => kindOrder[this.catalog.unit(id)?.kind ?? ''] ?? 9;
      const rows = t.rows
        .sort((a, b) => order(a.unitId) - order(b.unitId) || viCollator.compare(this.unitName('vi', a.unitId), this.unitName('vi', b.unitId)))
        .map((r) => ({ key: r.unitId, received: r.received }));
      return { by, ...this.scope(query, t), rows, total: t.total };
    }
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
      .map((u) => ({ unit: u, row: { key: u.id, own: false, figures: figures(u.id) } }))
      .filter(({ unit, row }) => validInPeriod(unit) || !isZero(row.figures))
      .sort((a, b) => (kindOrder[a.unit.kind] ?? 9) - (kindOrder[b.unit.kind] ?? 9) || viCollator.compare(a.unit.name, b.unit.name))
      .map(({ row }) => row);
    const out: ReportRow[] = [];
    if (chosen) {
      const own = figures(chosen);
      if (!children.length || !isZero(own)) out.push({ key: chosen, own: children.length > 0, figures: own });
    }
    out.push(...childRows);
    const { from: _from, to: _to, ...figuresOnly } = total;
    return { by: 'unit', ...this.scope(query, total), rows: out, total: figuresOnly };
  }

  private scope(query: SummaryQuery, checked: { from: string; to: string }): Scope {
    return { from: checked.from, to: checked.to, unitId: query.unitId || undefined, level: query.level || undefined, field: query.field || undefined };
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
    // Whether a pending dossier is on hold at the period's end is in its log.
    const holds = new Map<string, Array<{ at: string; from: string | null; to: string }>>();
    if (columnKind[column] === 'pending') {
      for (let i = 0; i < candidates.length; i += 500) {
        for (const e of await holdChanges(this.db, candidates.slice(i, i + 500).map((c) => c.id))) {
          (holds.get(e.dossier_id) ?? holds.set(e.dossier_id, []).get(e.dossier_id)!).push({ at: e.at, from: e.from_status, to: e.to_status });
        }
      }
    }
    const items: ListedDossier[] = candidates
      .filter((r) => columnsOf(r, from, to, holdIntervals(holds.get(r.id) ?? [])).includes(column))
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
          receivedGrandTotal: f.received.grandTotal,
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

  private rowLabel(lang: Lang, t: ReportTable, row: ReportRow): string {
    if (t.by === 'field') {
      const field = this.catalog.fields().find((f) => f.key === row.key);
      return field ? localName(lang, field) : row.key;
    }
    const name = this.unitName(lang, row.key);
    return row.own ? format(messages(lang).statsExport.ownDossiers, { unit: name }) : name;
  }

  /** A table as a workbook: by unit, by field (form II.06a's layout) or by receiving desk. */
  reportXlsx(t: ReportTable | DeskTable, lang: Lang): Promise<Buffer> {
    if (t.by === 'desk') return this.deskXlsx(t, lang);
    return t.by === 'field' ? this.fieldXlsx(t, lang) : this.unitXlsx(t, lang);
  }

  /** A table as CSV: a header row, a row per unit, field or desk (its id and name), the total. */
  reportCsv(t: ReportTable | DeskTable, lang: Lang): Buffer {
    const x = messages(lang).statsExport;
    if (t.by === 'desk') {
      const d = x.byDesk;
      const numbers = (f: DeskFigures) => [f.online, f.direct, f.postal, f.total];
      return csv([
        [d.unitId, d.desk, ...(['online', 'direct', 'postal', 'total'] as const).map((k) => `${d.group}: ${d.columns[k]}`)],
        ...t.rows.map((row) => [row.key, this.unitName(lang, row.key), ...numbers(row.received)]),
        ['', x.total, ...numbers(t.total)],
      ]);
    }
    if (t.by === 'field') {
      const f = x.byField;
      const heading = (n: (typeof officialNumbers)[number]) =>
        [f.groups[n.group], n.sub === 'settled' || n.sub === 'pending' ? f.subgroups[n.sub] : null, f.columns[n.label]].filter(Boolean).join(': ');
      return csv([
        [f.fieldKey, f.field, ...officialNumbers.map(heading)],
        ...t.rows.map((row) => [row.key, this.rowLabel(lang, t, row), ...officialNumbers.map((n) => n.value(row.figures))]),
        ['', x.total, ...officialNumbers.map((n) => n.value(t.total))],
      ]);
    }
    const header = [x.columns.unitId, x.columns.unit, ...reportCsvNumbers.map((n) => `${x.groups[n.group]}: ${x.columns[n.label]}`)];
    return csv([
      header,
      ...t.rows.map((row) => [row.key, this.rowLabel(lang, t, row), ...reportCsvNumbers.map((n) => n.value(row.figures))]),
      ['', x.total, ...reportCsvNumbers.map((n) => n.value(t.total))],
    ]);
  }

  /** Adds a body row (No., label, numbers) with borders and number formats; the total row in bold. */
  private bodyRow(ws: ExcelJS.Worksheet, values: Array<string | number>, bold: boolean): void {
    const row = ws.addRow(values);
    row.eachCell({ includeEmpty: true }, (cell, k) => {
      cell.border = thin;
      if (k > 2) cell.numFmt = '#,##0';
      if (bold) cell.font = { bold: true };
    });
    row.getCell(2).alignment = { wrapText: true, vertical: 'middle' };
  }

  /** The table by unit: title, two header rows with merged groups, frozen panes. */
  private async unitXlsx(t: ReportTable, lang: Lang): Promise<Buffer> {
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
    t.rows.forEach((row, i) => this.bodyRow(ws, [i + 1, this.rowLabel(lang, t, row), ...reportNumbers.map((n) => n.value(row.figures))], false));
    this.bodyRow(ws, ['', x.total, ...reportNumbers.map((n) => n.value(t.total))], true);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  /**
   * Form II.06a with a row per field: three header rows as the form has them (the two groups; their
   * parts, "Tổng số" spanning down; the columns), a row of column numbers (1)…(13), a row per field
   * and the total.
   */
  private async fieldXlsx(t: ReportTable, lang: Lang): Promise<Buffer> {
    const x = messages(lang).statsExport;
    const f = x.byField;
    const wb = workbook();
    const last = 2 + officialNumbers.length;
    const ws = wb.addWorksheet(f.sheet, {
      views: [{ state: 'frozen', xSplit: 2, ySplit: 6 }],
      pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
    ws.columns = [{ width: 6 }, { width: 44 }, ...officialNumbers.map(() => ({ width: 13 }))];
    titleRows(ws, last, f.title, this.describe(lang, t));
    ws.mergeCells(3, 1, 5, 1);
    ws.mergeCells(3, 2, 5, 2);
    ws.getCell(3, 1).value = x.columns.no;
    ws.getCell(3, 2).value = f.field;
    // Each group over its columns; each part of a group over its own; a part that is one column ("Tổng số") spans down to the third row.
    const spans = <K extends string>(key: (n: (typeof officialNumbers)[number]) => K) => {
      const out: Array<{ key: K; first: number; lastCol: number }> = [];
      officialNumbers.forEach((n, i) => {
        const k = key(n);
        const prev = out[out.length - 1];
        if (prev && prev.key === k && prev.lastCol === 2 + i) prev.lastCol = 3 + i;
        else out.push({ key: k, first: 3 + i, lastCol: 3 + i });
      });
      return out;
    };
    for (const g of spans((n) => n.group)) {
      ws.mergeCells(3, g.first, 3, g.lastCol);
      ws.getCell(3, g.first).value = f.groups[g.key];
    }
    for (const p of spans((n) => `${n.group}.${n.sub}`)) {
      const sub = officialNumbers[p.first - 3]!.sub;
      if (sub === 'total') {
        ws.mergeCells(4, p.first, 5, p.first);
        ws.getCell(4, p.first).value = f.subgroups.total;
        continue;
      }
      if (p.lastCol > p.first) ws.mergeCells(4, p.first, 4, p.lastCol);
      ws.getCell(4, p.first).value = f.subgroups[sub];
      for (let k = p.first; k <= p.lastCol; k++) ws.getCell(5, k).value = f.columns[officialNumbers[k - 3]!.label];
    }
    for (let k = 1; k <= last; k++) ws.getCell(6, k).value = `(${k})`;
    for (let r = 3; r <= 6; r++) for (let k = 1; k <= last; k++) headerStyle(ws.getCell(r, k));
    ws.getRow(5).height = 48;
    t.rows.forEach((row, i) => this.bodyRow(ws, [i + 1, this.rowLabel(lang, t, row), ...officialNumbers.map((n) => n.value(row.figures))], false));
    this.bodyRow(ws, ['', x.total, ...officialNumbers.map((n) => n.value(t.total))], true);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  /** The listing by receiving desk: title, a group header over the channels, a row per desk, the total, and a note on what is counted where. */
  private async deskXlsx(t: DeskTable, lang: Lang): Promise<Buffer> {
    const x = messages(lang).statsExport;
    const d = x.byDesk;
    const keys = ['online', 'direct', 'postal', 'total'] as const;
    const wb = workbook();
    const last = 2 + keys.length;
    const ws = wb.addWorksheet(d.sheet, { views: [{ state: 'frozen', xSplit: 2, ySplit: 4 }], pageSetup: { orientation: 'portrait', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
    ws.columns = [{ width: 6 }, { width: 48 }, ...keys.map(() => ({ width: 14 }))];
    titleRows(ws, last, d.title, `${this.describe(lang, t)}${x.separator}${d.note}`);
    ws.mergeCells(3, 1, 4, 1);
    ws.mergeCells(3, 2, 4, 2);
    ws.mergeCells(3, 3, 3, last);
    ws.getCell(3, 1).value = x.columns.no;
    ws.getCell(3, 2).value = d.desk;
    ws.getCell(3, 3).value = d.group;
    keys.forEach((k, i) => (ws.getCell(4, 3 + i).value = d.columns[k]));
    for (let r = 3; r <= 4; r++) for (let k = 1; k <= last; k++) headerStyle(ws.getCell(r, k));
    t.rows.forEach((row, i) => this.bodyRow(ws, [i + 1, this.unitName(lang, row.key), ...keys.map((k) => row.received[k])], false));
    this.bodyRow(ws, ['', x.total, ...keys.map((k) => t.total[k])], true);
    return Buffer.from(await wb.xlsx.writeBuffer());
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

  fileName(lang: Lang, kind: 'report' | 'list', t: { from: string; to: string; column?: string; by?: ReportBy }, ext: 'xlsx' | 'csv'): string {
    const x = messages(lang).statsExport;
    if (kind === 'list') return `${x.listFile}_${t.column}_${t.from}_${t.to}.${ext}`;
    const base = t.by === 'field' ? x.byField.file : t.by === 'desk' ? x.byDesk.file : x.reportFile;
    return `${base}_${t.from}_${t.to}.${ext}`;
  }
}

/** The open dataset as CSV: stable English column names (the JSON keys), one row per unit and month. */
export function openDataCsv(d: OpenDataset): Buffer {
  return csv([[...openDataColumns], ...d.rows.map((r) => openDataColumns.map((k) => r[k] ?? ''))]);
}
