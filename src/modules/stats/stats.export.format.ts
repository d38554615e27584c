// The sheet and file formats of the statistics exports: the II.06a column orders (by unit, and the
// official layout by field), workbook styling,
// dates as a spreadsheet shows them, and RFC 4180 CSV that Excel opens in Vietnamese.
import ExcelJS from 'exceljs';
import type { Summary } from '../../domain/stats.ts';
import { messages, type Lang } from '../../i18n/index.ts';

/**
 * The table's numeric columns, in the order of form II.06a as the province reads it (the workbook's
 * grouped headers). `appended`: a column added after the first release (grandTotal, issue 11), which
 * the CSV puts at the end (`reportCsvNumbers`) so that readers taking the columns by position keep working.
 */
export const reportNumbers: ReadonlyArray<{
  group: 'received' | 'settled' | 'pending'; label: keyof ReturnType<typeof messages>['statsExport']['columns']; value: (s: Summary) => number; appended?: true;
}> = [
  { group: 'received', label: 'online', value: (s) => s.received.online },
  { group: 'received', label: 'directOrPostal', value: (s) => s.received.direct + s.received.postal },
  { group: 'received', label: 'carriedOver', value: (s) => s.received.carriedOver },
  { group: 'received', label: 'receivedTotal', value: (s) => s.received.total },
  { group: 'received', label: 'grandTotal', value: (s) => s.received.grandTotal, appended: true },
  { group: 'settled', label: 'early', value: (s) => s.settled.early },
  { group: 'settled', label: 'onTime', value: (s) => s.settled.onTime },
  { group: 'settled', label: 'late', value: (s) => s.settled.late },
  { group: 'settled', label: 'settledTotal', value: (s) => s.settled.total },
  { group: 'pending', label: 'withinDeadline', value: (s) => s.pending.withinDeadline },
  { group: 'pending', label: 'overdue', value: (s) => s.pending.overdue },
  { group: 'pending', label: 'pendingTotal', value: (s) => s.pending.total },
];

/** The CSV's numeric columns: those of the first release in their order, then the ones added since, appended. */
export const reportCsvNumbers = [...reportNumbers.filter((n) => !n.appended), ...reportNumbers.filter((n) => n.appended)];

type ByField = ReturnType<typeof messages>['statsExport']['byField'];

/**
 * The numeric columns of form II.06a with a row per field, in the form's order: dossiers to settle
 * (total = carried over + newly received; of which newly received online, at the counter or by post,
 * and carried over), then the results (settled: total, early, on time, late; pending: total, within
 * the deadline, overdue). docs/domain.md §5.1 gives each column's rule and source.
 */
export const officialNumbers: ReadonlyArray<{ group: keyof ByField['groups']; sub: keyof ByField['subgroups']; label: keyof ByField['columns']; value: (s: Summary) => number }> = [
  { group: 'received', sub: 'total', label: 'total', value: (s) => s.received.grandTotal },
  { group: 'received', sub: 'ofWhich', label: 'newOnline', value: (s) => s.received.online },
  { group: 'received', sub: 'ofWhich', label: 'newDirect', value: (s) => s.received.direct + s.received.postal },
  { group: 'received', sub: 'ofWhich', label: 'carriedOver', value: (s) => s.received.carriedOver },
  { group: 'results', sub: 'settled', label: 'total', value: (s) => s.settled.total },
  { group: 'results', sub: 'settled', label: 'early', value: (s) => s.settled.early },
  { group: 'results', sub: 'settled', label: 'onTime', value: (s) => s.settled.onTime },
  { group: 'results', sub: 'settled', label: 'late', value: (s) => s.settled.late },
  { group: 'results', sub: 'pending', label: 'total', value: (s) => s.pending.total },
  { group: 'results', sub: 'pending', label: 'within', value: (s) => s.pending.withinDeadline },
  { group: 'results', sub: 'pending', label: 'overdue', value: (s) => s.pending.overdue },
];

export const thin: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' },
};

export function workbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Một Cửa';
  return wb;
}

export function titleRows(ws: ExcelJS.Worksheet, width: number, title: string, details: string): void {
  ws.mergeCells(1, 1, 1, width);
  ws.mergeCells(2, 1, 2, width);
  const t = ws.getCell(1, 1);
  t.value = title;
  t.font = { bold: true, size: 14 };
  t.alignment = { horizontal: 'center', vertical: 'middle' };
  const d = ws.getCell(2, 1);
  d.value = details;
  d.font = { italic: true };
  d.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  ws.getRow(1).height = 24;
  ws.getRow(2).height = 32;
}

export function headerStyle(cell: ExcelJS.Cell): void {
  cell.font = { bold: true };
  cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7EEF7' } };
  cell.border = thin;
}

/** A Vietnam wall-clock time as a spreadsheet date (spreadsheets have no time zones). */
export function localTime(iso: string): Date {
  return new Date(Date.parse(iso) + 7 * 3600_000);
}

export function dayInWords(lang: Lang, day: string): string {
  const [y, m, d] = day.split('-');
  return lang === 'vi' ? `${d}/${m}/${y}` : new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/**
 * CSV as RFC 4180 writes it (commas, CRLF, fields quoted when they hold a comma, quote or line
 * break), in UTF-8 with a byte-order mark so that Excel reads Vietnamese correctly. A text that
 * starts like a formula (=, +, -, @) gets a leading apostrophe, so a spreadsheet never runs it.
 */
export function csv(rows: ReadonlyArray<ReadonlyArray<string | number | null>>): Buffer {
  const field = (v: string | number | null) => {
    if (v === null) return '';
    if (typeof v === 'number') return String(v);
    const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return Buffer.from(`\uFEFF${rows.map((r) => r.map(field).join(',')).join('\r\n')}\r\n`, 'utf8');
}
