// Form 07 of Circular 03/2025/TT-VPCP, the register of dossiers a desk keeps (Sổ theo dõi hồ sơ):
// one row per dossier a unit received in a period (Vietnam days, both ends included), with when it
// was received, due, transferred (and to whom), resolved and returned. Exported as XLSX and as a
// landscape A4 PDF. Its wording and source are in data/reference/documents/forms-03-2025.json
// (forms["07"]); the columns are not confirmed against the appendix (docs/domain.md §7).
import ExcelJS from 'exceljs';
import type { Db } from '../../db/connection.ts';
import type { Status } from '../../domain/dossier-status.ts';
import { covers, type Grant } from '../../domain/roles.ts';
import type { Sealer } from '../../domain/sealed.ts';
import { fail, invalid, type FieldProblem } from '../../errors.ts';
import { format, localName, messages, vietnamParts, type Lang } from '../../i18n/index.ts';
import { renderPdf } from '../../pdf.ts';
import { readReference } from '../../reference.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import { deskName } from '../units/units.desks.ts';
import { firstTransfers, registerLimit, registerRows } from './office.register.queries.ts';

const columnKeys = ['number', 'code', 'applicant', 'procedure', 'receivedAt', 'dueAt', 'transferred', 'resultAt', 'returnedAt', 'notes'] as const;
const wordingKeys = ['title', 'unit', 'desk', 'period', 'none', 'total', 'extendedTo', ...columnKeys] as const;
type Wording = Record<(typeof wordingKeys)[number], string>;

const templateFile = 'documents/forms-03-2025.json';
const template = (() => {
  const raw = readReference<{ version: string; common: Record<Lang, { footer?: unknown }>; forms: Record<string, { source?: unknown } & Partial<Record<Lang, Record<string, unknown>>>> }>(templateFile);
  const form = raw.forms?.['07'];
  if (typeof form?.source !== 'string') throw new Error(`reference data ${templateFile}: forms.07.source is missing or not text`);
  for (const lang of ['vi', 'en'] as const) {
    for (const key of wordingKeys) {
      if (typeof form[lang]?.[key] !== 'string') throw new Error(`reference data ${templateFile}: forms.07.${lang}.${key} is missing or not text`);
    }
  }
  const footer = (lang: Lang) => format(String(raw.common?.[lang]?.footer ?? ''), { form: '07', version: raw.version });
  return { vi: { ...(form.vi as Wording), footer: footer('vi') }, en: { ...(form.en as Wording), footer: footer('en') } };
})();

export type RegisterQuery = { unitId?: string; from?: string; to?: string };

export type RegisterRow = {
  code: string; applicantName: string; procedureName: string; status: Status;
  receivedAt: string | null; dueAt: string | null; newDueAt: string | null;
  transferredAt: string | null; transferredTo: string | null;
  resultAt: string | null; returnedAt: string | null;
};

export type RegisterData = { unitId: string; unitName: string; deskName: string; from: string; to: string; rows: RegisterRow[] };

export type RegisterDeps = { db: Db; catalog: CatalogService; sealer: Sealer };

const isDay = (s: string | undefined): s is string => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

/** Midnight in Vietnam at the start of a day, as a UTC ISO time. */
const vietnamMidnight = (day: string, plusDays = 0) => new Date(Date.parse(`${day}T00:00:00+07:00`) + plusDays * 86400_000).toISOString();

/** The register of a unit for a period: 400 for a bad query, 403 for a unit outside the caller's grants. */
export async function buildRegister(deps: RegisterDeps, grants: readonly Grant[], query: RegisterQuery, lang: Lang): Promise<RegisterData> {
  const problems: Record<string, FieldProblem> = {};
  const unit = query.unitId ? deps.catalog.unit(query.unitId) : undefined;
  if (!query.unitId) problems.unitId = { key: 'required' };
  else if (!unit) problems.unitId = { key: 'unknownUnit' };
  if (!isDay(query.from)) problems.from = { key: 'badDate' };
  if (!isDay(query.to)) problems.to = { key: 'badDate' };
  if (isDay(query.from) && isDay(query.to) && query.from > query.to) problems.to = { key: 'dateTooEarly', params: { min: query.from } };
  if (Object.keys(problems).length) throw invalid(problems);
  const parentOf = (id: string) => deps.catalog.unit(id)?.parentId;
  if (!grants.some((g) => covers(g, unit!.id, parentOf))) fail('forbidden');
  const from = query.from!;
  const to = query.to!;
  const rows = await registerRows(deps.db, unit!.id, vietnamMidnight(from), vietnamMidnight(to, 1), deps.sealer);
  if (rows.length > registerLimit) throw invalid({ from: { key: 'tooMany', params: { max: registerLimit } } });
  const transfers = await firstTransfers(deps.db, rows.map((r) => r.id));
  const parent = unit!.parentId ? deps.catalog.unit(unit!.parentId) : null;
  return {
    unitId: unit!.id,
    unitName: localName(lang, unit!),
    deskName: deskName(lang, unit!, parent),
    from,
    to,
    rows: rows.map((r) => {
      const procedure = deps.catalog.find(r.procedure_id);
      const transfer = transfers.get(r.id);
      return {
        code: r.code ?? '', applicantName: r.applicant.fullName ?? '', procedureName: procedure ? localName(lang, procedure) : r.procedure_id,
        status: r.status, receivedAt: r.submitted_at, dueAt: r.due_at, newDueAt: r.new_due_at,
        transferredAt: transfer?.at ?? null, transferredTo: transfer?.to ?? null, resultAt: r.resolved_at, returnedAt: r.returned_at,
      };
    }),
  };
}

/** "dd/mm/yyyy hh:mm" in Vietnam time; empty for none. */
function shortTime(iso: string | null): string {
  if (!iso) return '';
  const { day, month, year, hour, minute } = vietnamParts(iso);
  return `${day}/${month}/${year} ${hour}:${minute}`;
}

function dayText(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

/** The notes column: the status, and the extended date after an apology (Form 04). */
function notes(lang: Lang, r: RegisterRow): string {
  const m = messages(lang);
  return [m.statuses[r.status], r.newDueAt ? `${template[lang].extendedTo}: ${shortTime(r.newDueAt)}` : ''].filter(Boolean).join('; ');
}

function cells(lang: Lang, r: RegisterRow, i: number): string[] {
  return [
    String(i + 1), r.code, r.applicantName, r.procedureName, shortTime(r.receivedAt), shortTime(r.dueAt),
    [r.transferredTo, shortTime(r.transferredAt)].filter(Boolean).join('\n'), shortTime(r.resultAt), shortTime(r.returnedAt), notes(lang, r),
  ];
}

function heading(lang: Lang, data: RegisterData): { title: string; lines: string[] } {
  const w = template[lang];
  return {
    title: w.title,
    lines: [`${w.desk}: ${data.deskName}`, `${w.unit}: ${data.unitName}`, format(w.period, { from: dayText(data.from), to: dayText(data.to) }), format(w.total, { n: data.rows.length })],
  };
}

export async function registerXlsx(lang: Lang, data: RegisterData): Promise<Buffer> {
  const w = template[lang];
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Một Cửa';
  const ws = wb.addWorksheet(lang === 'vi' ? 'So theo doi ho so' : 'Dossier register', { pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const { title, lines } = heading(lang, data);
  const width = columnKeys.length;
  [title, ...lines].forEach((text, i) => {
    ws.mergeCells(i + 1, 1, i + 1, width);
    const c = ws.getCell(i + 1, 1);
    c.value = text;
    c.font = i === 0 ? { bold: true, size: 14 } : { italic: i > 0 };
    c.alignment = { horizontal: 'center' };
  });
  const headerRow = lines.length + 2;
  const border: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
  columnKeys.forEach((k, i) => {
    const c = ws.getCell(headerRow, i + 1);
    c.value = w[k];
    c.font = { bold: true };
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    c.border = border;
  });
  ws.views = [{ state: 'frozen', ySplit: headerRow }];
  [5, 28, 26, 40, 17, 17, 26, 17, 17, 28].forEach((n, i) => (ws.getColumn(i + 1).width = n));
  data.rows.forEach((r, i) => {
    const row = ws.getRow(headerRow + 1 + i);
    cells(lang, r, i).forEach((v, j) => {
      const c = row.getCell(j + 1);
      c.value = j === 0 ? i + 1 : v || null;
      c.alignment = { vertical: 'top', wrapText: true };
      c.border = border;
    });
  });
  if (!data.rows.length) ws.getCell(headerRow + 1, 1).value = w.none;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function registerPdf(lang: Lang, data: RegisterData): Promise<Buffer> {
  const w = template[lang];
  // The code column fits a whole code on one line ({identifier}-{YYMMDD}-{NNNN}, 25 characters).
  const widths = [20, 126, 84, 110, 56, 56, 84, 56, 56, 0];
  const { title, lines } = heading(lang, data);
  return renderPdf(`${title} — ${data.unitName}`, (pdf) => {
    const left = pdf.page.margins.left;
    const width = pdf.page.width - left - pdf.page.margins.right;
    const cols = widths.map((x) => (x === 0 ? width - widths.reduce((a, b) => a + b, 0) : x));
    const bottomLimit = () => pdf.page.height - pdf.page.margins.bottom - 14;
    const row = (texts: string[], bold: boolean) => {
      pdf.font(bold ? 'bold' : 'regular').fontSize(8);
      const height = Math.max(...texts.map((t, i) => pdf.heightOfString(t, { width: cols[i]! - 4 }))) + 4;
      if (pdf.y + height > bottomLimit()) {
        pdf.addPage();
        if (!bold) row(columnKeys.map((k) => w[k]), true);
      }
      const top = pdf.y;
      let x = left;
      texts.forEach((t, i) => {
        pdf.font(bold ? 'bold' : 'regular').fontSize(8).text(t, x + 2, top + 2, { width: cols[i]! - 4 });
        pdf.rect(x, top, cols[i]!, height).stroke();
        x += cols[i]!;
      });
      pdf.x = left;
      pdf.y = top + height;
    };
    pdf.font('bold').fontSize(14).text(title, left, pdf.y, { width, align: 'center' });
    for (const line of lines) pdf.font('regular').fontSize(10).text(line, { width, align: 'center' });
    pdf.moveDown();
    row(columnKeys.map((k) => w[k]), true);
    if (!data.rows.length) pdf.font('regular').fontSize(10).text(w.none, left, pdf.y + 6, { width });
    data.rows.forEach((r, i) => row(cells(lang, r, i), false));
    pdf.moveDown();
    pdf.font('regular').fontSize(8).fillColor('#555').text(w.footer, left, pdf.y, { width, align: 'right' }).fillColor('black');
  }, 'landscape');
}
