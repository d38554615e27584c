// A plan and its budget estimate as documents, in the layout such plans are printed in: columns
// STT, Nội dung, Thời gian, Số lượng, Đơn giá, Thành tiền, Ngân sách nhà nước, Xã hội hóa; a row
// per section (A, B) and group (I, II…) with its total, the lines under them, the grand total last.
// The workbook's totals are formulas (with their values cached, so a reader that does not compute
// formulas still sees the numbers); the PDF embeds Be Vietnam Pro (src/pdf.ts).
import ExcelJS from 'exceljs';
import { budgetTotals } from '../../domain/outreach.ts';
import { format, formatNumber, messages, type Lang } from '../../i18n/index.ts';
import { renderPdf, type Pdf } from '../../pdf.ts';
import type { PlanView, PlanReport } from './outreach.service.ts';

const columnKeys = ['no', 'item', 'duration', 'quantity', 'unitPrice', 'amount', 'state', 'social'] as const;
type Money = { amount: number; state: number; social: number };

/** The table's rows in order: section and group headings with their totals, lines, and the grand total. */
type Row =
  | { kind: 'section' | 'group'; key: string; name: string; total: Money; lines: number[] }
  | { kind: 'line'; index: number }
  | { kind: 'total'; total: Money };

function tableRows(plan: PlanView): Row[] {
  const t = budgetTotals(plan.budget.lines);
  const rows: Row[] = [];
  for (const s of t.sections) {
    rows.push({ kind: 'section', key: s.key, name: s.name, total: s.total, lines: s.groups.flatMap((g) => g.lines) });
    for (const g of s.groups) {
      if (g.key || g.name) rows.push({ kind: 'group', key: g.key ?? '', name: g.name ?? '', total: g.total, lines: g.lines });
      for (const index of g.lines) rows.push({ kind: 'line', index });
    }
  }
  rows.push({ kind: 'total', total: t.total });
  return rows;
}

const day = (d: string) => d.split('-').reverse().join('/');

function lineCells(lang: Lang, plan: PlanView, r: Row): string[] {
  const m = messages(lang).outreach;
  const n = (x: number | null) => (x === null ? '' : formatNumber(lang, x));
  if (r.kind === 'line') {
    const l = plan.budget.lines[r.index]!;
    return [String(l.no), l.item, l.duration ?? '', n(l.quantity), n(l.unitPrice), n(l.amount), n(l.state), n(l.social)];
  }
  if (r.kind === 'total') return ['', m.grandTotal, '', '', '', n(r.total.amount), n(r.total.state), n(r.total.social)];
  return [r.key, r.name, '', '', '', n(r.total.amount), n(r.total.state), n(r.total.social)];
}

export async function budgetXlsx(lang: Lang, plan: PlanView): Promise<Buffer> {
  const m = messages(lang).outreach;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Một Cửa';
  const ws = wb.addWorksheet(lang === 'vi' ? 'Du toan kinh phi' : 'Budget estimate', { pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const width = columnKeys.length;
  const heading = [m.budgetTitle, plan.title, format(m.numberDate, { number: plan.number, date: day(plan.date) }), m.currency];
  heading.forEach((t, i) => {
    ws.mergeCells(i + 1, 1, i + 1, width);
    const c = ws.getCell(i + 1, 1);
    c.value = t;
    c.font = i === 0 ? { bold: true, size: 14 } : { italic: i > 1 };
    c.alignment = { horizontal: 'center', wrapText: true };
  });
  const headerRow = heading.length + 2;
  const border: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
  columnKeys.forEach((k, i) => {
    const c = ws.getCell(headerRow, i + 1);
    c.value = m.columns[k];
    c.font = { bold: true };
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    c.border = border;
  });
  ws.views = [{ state: 'frozen', ySplit: headerRow }];
  [6, 48, 12, 10, 14, 16, 18, 16].forEach((w, i) => (ws.getColumn(i + 1).width = w));
  const rows = tableRows(plan);
  const rowOf = new Map<Row, number>();
  rows.forEach((r, i) => rowOf.set(r, headerRow + 1 + i));
  const lineRow = (index: number) => rowOf.get(rows.find((r) => r.kind === 'line' && r.index === index)!)!;
  const money = ['F', 'G', 'H'] as const;
  const totalKeys = ['amount', 'state', 'social'] as const;
  rows.forEach((r) => {
    const at = rowOf.get(r)!;
    const row = ws.getRow(at);
    const cell = (col: number) => Object.assign(row.getCell(col), { border });
    if (r.kind === 'line') {
      const l = plan.budget.lines[r.index]!;
      cell(1).value = l.no;
      cell(2).value = l.item;
      cell(3).value = l.duration;
      cell(4).value = l.quantity;
      cell(5).value = l.unitPrice;
      cell(6).value = l.quantity === null ? l.amount : { formula: `D${at}*E${at}`, result: l.amount };
      cell(7).value = l.state;
      cell(8).value = l.social;
    } else {
      // A section's total sums its groups' rows when it has group rows, else its lines; the grand total sums the sections.
      const parts = r.kind === 'total'
        ? rows.filter((x) => x.kind === 'section').map((x) => rowOf.get(x)!)
        : r.kind === 'section' && rows.some((x) => x.kind === 'group' && x.lines.some((k) => r.lines.includes(k)))
          ? rows.filter((x) => x.kind === 'group' && x.lines.some((k) => r.lines.includes(k))).map((x) => rowOf.get(x)!)
          : r.lines.map(lineRow);
      cell(1).value = r.kind === 'total' ? null : r.key;
      cell(2).value = r.kind === 'total' ? m.grandTotal : r.name;
      for (const c of [3, 4, 5]) cell(c).value = null;
      money.forEach((col, k) => {
        cell(6 + k).value = { formula: parts.length ? `SUM(${parts.map((p) => `${col}${p}`).join(',')})` : '0', result: r.total[totalKeys[k]!] };
      });
      row.font = { bold: true };
    }
    for (const c of [4, 5, 6, 7, 8]) row.getCell(c).numFmt = '#,##0';
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
  });
  const last = headerRow + rows.length + 2;
  plan.warnings.forEach((w, i) => {
    ws.mergeCells(last + i, 1, last + i, width);
    Object.assign(ws.getCell(last + i, 1), { value: w.message, font: { italic: true }, alignment: { wrapText: true } });
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A table of rows, each a list of cell texts, with borders; the header repeated on a new page. */
function table(pdf: Pdf, widths: number[], header: string[], rows: Array<{ cells: string[]; bold?: boolean }>, aligns: Array<'left' | 'right' | 'center'>) {
  const left = pdf.page.margins.left;
  const bottom = () => pdf.page.height - pdf.page.margins.bottom - 14;
  const draw = (cells: string[], bold: boolean) => {
    pdf.font(bold ? 'bold' : 'regular').fontSize(8);
    const height = Math.max(...cells.map((t, i) => pdf.heightOfString(t || ' ', { width: widths[i]! - 6 }))) + 6;
    if (pdf.y + height > bottom()) {
      pdf.addPage();
      draw(header, true);
      pdf.font(bold ? 'bold' : 'regular').fontSize(8);
    }
    const top = pdf.y;
    let x = left;
    cells.forEach((t, i) => {
      pdf.text(t, x + 3, top + 3, { width: widths[i]! - 6, align: aligns[i] ?? 'left' });
      pdf.rect(x, top, widths[i]!, height).stroke();
      x += widths[i]!;
    });
    pdf.x = left;
    pdf.y = top + height;
  };
  draw(header, true);
  for (const r of rows) draw(r.cells, !!r.bold);
}

const budgetWidths = [32, 250, 60, 52, 70, 88, 88, 80];
const budgetAligns: Array<'left' | 'right' | 'center'> = ['center', 'left', 'center', 'right', 'right', 'right', 'right', 'right'];

function budgetTable(pdf: Pdf, lang: Lang, plan: PlanView) {
  const m = messages(lang).outreach;
  table(pdf, budgetWidths, columnKeys.map((k) => m.columns[k]), tableRows(plan).map((r) => ({ cells: lineCells(lang, plan, r), bold: r.kind !== 'line' })), budgetAligns);
}

function heading(pdf: Pdf, text: string) {
  pdf.moveDown(0.6).font('bold').fontSize(11).text(text, pdf.page.margins.left);
  pdf.font('regular').fontSize(9);
}

function bullets(pdf: Pdf, items: string[]) {
  for (const t of items) pdf.font('regular').fontSize(9).text(`• ${t}`, { indent: 8 });
}

export async function planPdf(lang: Lang, plan: PlanView): Promise<Buffer> {
  const m = messages(lang).outreach;
  return renderPdf(`${plan.number} — ${plan.title}`, (pdf) => {
    const left = pdf.page.margins.left;
    const width = pdf.page.width - left - pdf.page.margins.right;
    pdf.font('bold').fontSize(10).text(plan.issuer.toUpperCase(), left, pdf.y, { width });
    pdf.font('regular').fontSize(10).text(format(m.numberDate, { number: plan.number, date: day(plan.date) }), { width });
    pdf.moveDown().font('bold').fontSize(13).text(plan.title, { width, align: 'center' });
    if (plan.warnings.length) {
      heading(pdf, m.warningsTitle);
      bullets(pdf, plan.warnings.map((w) => w.message));
    }
    heading(pdf, m.objectives);
    bullets(pdf, plan.objectives);
    heading(pdf, m.themes);
    bullets(pdf, plan.themes);
    heading(pdf, m.channelsTitle);
    bullets(pdf, plan.channels.map((c) => (c.label && c.kind !== 'other' ? `${c.name} (${c.label})` : c.name)));
    heading(pdf, m.unitsTitle);
    bullets(pdf, plan.units.map((u) => `${m.unitRoles[u.role]}: ${u.name}${u.tasks.length ? ` — ${u.tasks.join('; ')}` : ''}`));
    heading(pdf, m.activities);
    bullets(pdf, plan.activities.length ? plan.activities.map((a) => `${a.title} (${day(a.plannedFrom)} – ${day(a.plannedTo)}): ${m.statuses[a.status]}`) : [m.noActivities]);
    pdf.addPage();
    pdf.font('bold').fontSize(12).text(m.budgetTitle, left, pdf.y, { width, align: 'center' });
    pdf.font('regular').fontSize(9).text(`${format(m.numberDate, { number: plan.number, date: day(plan.date) })}${plan.appendixNumber && plan.appendixNumber !== plan.number ? ` · ${format(m.appendixCites, { number: plan.appendixNumber })}` : ''}`, { width, align: 'center' });
    pdf.text(m.currency, { width, align: 'right' }).moveDown(0.3);
    budgetTable(pdf, lang, plan);
  }, 'landscape');
}

export async function reportPdf(lang: Lang, r: PlanReport): Promise<Buffer> {
  const m = messages(lang).outreach;
  const t = m.report;
  const pct = (x: number) => `${formatNumber(lang, Math.round(x * 1000) / 10)}%`;
  const n = (x: number) => formatNumber(lang, x);
  return renderPdf(`${t.title} — ${r.plan.number}`, (pdf) => {
    const left = pdf.page.margins.left;
    const width = pdf.page.width - left - pdf.page.margins.right;
    pdf.font('bold').fontSize(13).text(t.title.toUpperCase(), left, pdf.y, { width, align: 'center' });
    pdf.font('regular').fontSize(10).text(t.to, { width, align: 'center' }).moveDown();
    pdf.text(format(t.lead, { number: r.plan.number, date: day(r.plan.date), from: day(r.plan.periodFrom), to: day(r.plan.periodTo) }), { width });
    heading(pdf, t.activities);
    table(pdf, [260, 90, 90], [t.activities, t.planned, t.done], [{ cells: [r.plan.title, n(r.activities.planned), n(r.activities.done)] }], ['left', 'right', 'right']);
    pdf.moveDown(0.3);
    table(pdf, [260, 180], [m.activity.title, m.activity.status], r.activityRows.map((a) => ({ cells: [a.title, m.statuses[a.status]] })), ['left', 'left']);
    heading(pdf, t.money);
    table(pdf, [110, 110, 110, 110], [t.moneyPlanned, t.spent, t.remaining, t.spentShare], [{ cells: [n(r.money.planned), n(r.money.spent), n(r.money.remaining), pct(r.money.spentShare)] }], ['right', 'right', 'right', 'right']);
    heading(pdf, t.uptake);
    pdf.text(t.uptakeLead, { width }).moveDown(0.3);
    const u = r.uptake;
    const row = (label: string, p: typeof u.current) => ({ cells: [label, n(p.received), n(p.online), pct(p.onlineShare), pct(p.onTimeRate)] });
    table(pdf, [170, 70, 70, 70, 70], [t.period, t.received, t.online, t.onlineShare, t.onTimeRate], [
      row(format(t.thisPeriod, { from: day(u.current.from), to: day(u.current.to) }), u.current),
      row(format(t.lastYear, { from: day(u.previous.from), to: day(u.previous.to) }), u.previous),
      { cells: [t.change, n(u.change.received), n(u.change.online), format(t.points, { n: formatNumber(lang, Math.round(u.change.onlineSharePoints * 10) / 10) }), ''], bold: true },
    ], ['left', 'right', 'right', 'right', 'right']);
    if (r.warnings.length) {
      heading(pdf, m.warningsTitle);
      bullets(pdf, r.warnings.map((w) => w.message));
    }
  });
}
