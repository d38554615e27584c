// The one-stop documents of Circular 03/2025/TT-VPCP that the office prints besides the receipt:
// Form 02 (supplement request), 03 (refusal at intake), 04 (apology and new date), 05 (notice that
// processing stopped) and 06 (the process-control sheet). Pure functions from plain data to PDF bytes; their wording is versioned
// data in data/reference/documents/, so a new circular is a new file rather than a code change.
import QRCode from 'qrcode';
import { readReference } from '../../reference.ts';
import { format, vietnamParts, vietnamTime, type Lang } from '../../i18n/index.ts';
import { renderPdf, type Pdf } from '../../pdf.ts';

/** What every document says about the dossier it is about. */
export type DocumentHeader = {
  unitName: string;
  agencyName: string | null;
  code: string;
  trackingUrl: string;
  applicantName: string;
  procedureName: string;
};

/** Form 02: everything that is missing or must be corrected, asked for once (Decree 118/2025). */
export type SupplementRequestData = DocumentHeader & {
  requestedAt: string;
  /** Printed as a numbered list, each exactly as given. */
  items: string[];
  note: string | null;
  officerName: string;
  /** The deadline for supplementing, when the officer set one. */
  dueAt?: string | null;
};

/** Form 03: the dossier is not accepted, with the reason. */
export type RefusalData = DocumentHeader & {
  refusedAt: string;
  reason: string;
  officerName: string;
};

/** Form 04: the result will be late; the apology gives the new date (sent once). */
export type ApologyData = DocumentHeader & {
  acceptedAt: string;
  /** The original appointment, which statistics keep judging the dossier by. */
  dueAt: string;
  newDueAt: string;
  reason: string;
  officerName: string;
  /** The letter's date; undated when absent. */
  issuedAt?: string | null;
};

/** Form 05: processing stopped (an end state), with the reason, and why it came to that. */
export type StopData = DocumentHeader & {
  acceptedAt: string | null;
  stoppedAt: string;
  reason: string;
  officerName: string;
  /** The stop answers the applicant's request to withdraw or to stop. */
  onRequest: boolean;
  /** The supplement deadline that passed, when the dossier was stopped for that. */
  supplementDueAt: string | null;
};

export type HandOverParty = { name: string; roleLabel: string; unitName: string };

/** One hop of the dossier between people, with the deadline of the step it went to. */
export type HandOver = {
  from: HandOverParty;
  to: HandOverParty;
  at: string;
  stepDueAt: string | null;
  outcome: string | null;
};

/** Form 06: every hand-over of the dossier, in order. */
export type ProcessControlData = DocumentHeader & {
  acceptedAt: string;
  dueAt: string;
  handOvers: HandOver[];
};

// The keys each part of the template file must have in both languages, checked at load.
const wordingKeys = {
  common: ['nationalHeading', 'motto', 'oneStop', 'dated', 'code', 'applicant', 'procedure', 'scan', 'footer', 'page', 'continued'],
  '02': ['title', 'requestedAt', 'dueAt', 'intro', 'note', 'closing', 'signer', 'signHint'],
  '03': ['title', 'refusedAt', 'intro', 'reason', 'closing', 'signer', 'signHint'],
  '04': ['title', 'acceptedAt', 'dueAt', 'newDueAt', 'late', 'reason', 'apology', 'signer', 'signHint'],
  // A notice: the kind of document as its title, its subject on the line below (Decree 30/2020 layout).
  '05': ['title', 'subtitle', 'acceptedAt', 'stoppedAt', 'intro', 'onRequest', 'unsupplemented', 'reason', 'closing', 'signer', 'signHint'],
  '06': ['title', 'acceptedAt', 'dueAt', 'number', 'from', 'to', 'at', 'stepDueAt', 'outcome', 'none'],
} as const;

export type FormNumber = Exclude<keyof typeof wordingKeys, 'common'>;
type Wording<K extends keyof typeof wordingKeys> = Record<(typeof wordingKeys)[K][number], string>;
type Templates = {
  version: string;
  common: Record<Lang, Wording<'common'>>;
  forms: { [F in FormNumber]: { source: string } & Record<Lang, Wording<F>> };
};

const templateFile = 'documents/forms-03-2025.json';

function loadTemplates(): Templates {
  const raw = readReference<Templates>(templateFile);
  const fail = (where: string) => {
    throw new Error(`reference data ${templateFile}: ${where} is missing or not text`);
  };
  if (typeof raw.version !== 'string' || !raw.version) fail('version');
  for (const part of Object.keys(wordingKeys) as Array<keyof typeof wordingKeys>) {
    const entry = (part === 'common' ? raw.common : raw.forms?.[part]) as Record<string, Record<string, unknown>> | undefined;
    if (part !== 'common' && typeof entry?.source !== 'string') fail(`forms.${part}.source`);
    for (const lang of ['vi', 'en'] as const) {
      for (const key of wordingKeys[part]) {
        if (typeof entry?.[lang]?.[key] !== 'string') fail(`${part === 'common' ? 'common' : `forms.${part}`}.${lang}.${key}`);
      }
    }
  }
  return raw;
}

const templates = loadTemplates();

/** The template version printed in each document's footer, e.g. "03/2025". */
export const documentTemplateVersion = templates.version;

export async function supplementRequestPdf(lang: Lang, data: SupplementRequestData): Promise<Buffer> {
  if (data.items.length === 0) throw new Error('a supplement request lists at least one item');
  const w = templates.forms['02'][lang];
  return renderForm(lang, '02', data, {
    datedAt: data.requestedAt,
    fields: [[w.requestedAt, vietnamTime(data.requestedAt, lang)], ...(data.dueAt ? [[w.dueAt, vietnamTime(data.dueAt, lang)] as [string, string]] : [])],
    body: (sheet) => {
      sheet.paragraph(format(w.intro, { unit: data.unitName }));
      sheet.numbered(data.items);
      if (data.note) sheet.field(w.note, data.note);
      sheet.paragraph(w.closing);
      sheet.signature(w.signer, w.signHint, data.officerName);
    },
  });
}

export async function refusalPdf(lang: Lang, data: RefusalData): Promise<Buffer> {
  if (!data.reason.trim()) throw new Error('a refusal states its reason');
  const w = templates.forms['03'][lang];
  return renderForm(lang, '03', data, {
    datedAt: data.refusedAt,
    fields: [[w.refusedAt, vietnamTime(data.refusedAt, lang)]],
    body: (sheet) => {
      sheet.paragraph(format(w.intro, { unit: data.unitName }));
      sheet.field(w.reason, data.reason);
      sheet.paragraph(w.closing);
      sheet.signature(w.signer, w.signHint, data.officerName);
    },
  });
}

export async function apologyPdf(lang: Lang, data: ApologyData): Promise<Buffer> {
  if (!data.reason.trim()) throw new Error('an apology states the reason for the delay');
  const w = templates.forms['04'][lang];
  return renderForm(lang, '04', data, {
    datedAt: data.issuedAt ?? null,
    fields: [
      [w.acceptedAt, vietnamTime(data.acceptedAt, lang)],
      [w.dueAt, vietnamTime(data.dueAt, lang)],
      [w.newDueAt, vietnamTime(data.newDueAt, lang)],
    ],
    body: (sheet) => {
      sheet.paragraph(format(w.late, { unit: data.unitName }));
      sheet.field(w.reason, data.reason);
      sheet.paragraph(format(w.apology, { newDueAt: vietnamTime(data.newDueAt, lang) }));
      sheet.signature(w.signer, w.signHint, data.officerName);
    },
  });
}

export async function stopNoticePdf(lang: Lang, data: StopData): Promise<Buffer> {
  if (!data.reason.trim()) throw new Error('a notice that processing stopped states its reason');
  const w = templates.forms['05'][lang];
  return renderForm(lang, '05', data, {
    datedAt: data.stoppedAt,
    fields: [
      ...(data.acceptedAt ? [[w.acceptedAt, vietnamTime(data.acceptedAt, lang)] as [string, string]] : []),
      [w.stoppedAt, vietnamTime(data.stoppedAt, lang)],
    ],
    body: (sheet) => {
      sheet.paragraph(format(w.intro, { unit: data.unitName }));
      if (data.onRequest) sheet.paragraph(w.onRequest);
      if (data.supplementDueAt) sheet.paragraph(format(w.unsupplemented, { dueAt: vietnamTime(data.supplementDueAt, lang) }));
      sheet.field(w.reason, data.reason);
      sheet.paragraph(w.closing);
      sheet.signature(w.signer, w.signHint, data.officerName);
    },
  });
}

export async function processControlPdf(lang: Lang, data: ProcessControlData): Promise<Buffer> {
  const w = templates.forms['06'][lang];
  return renderForm(lang, '06', data, {
    datedAt: null,
    fields: [
      [w.acceptedAt, vietnamTime(data.acceptedAt, lang)],
      [w.dueAt, vietnamTime(data.dueAt, lang)],
    ],
    body: (sheet) => {
      if (data.handOvers.length === 0) return sheet.paragraph(w.none);
      const party = (p: HandOverParty): Cell => [{ text: p.name, bold: true }, { text: `${p.roleLabel}\n${p.unitName}` }];
      sheet.table(
        [
          { title: w.number, width: 22 },
          { title: w.from, width: 112 },
          { title: w.to, width: 112 },
          { title: w.at, width: 70 },
          { title: w.stepDueAt, width: 70 },
          { title: w.outcome, width: 0 },
        ],
        data.handOvers.map((h, i) => [
          [{ text: String(i + 1) }],
          party(h.from),
          party(h.to),
          [{ text: vietnamTime(h.at, lang) }],
          [{ text: h.stepDueAt ? vietnamTime(h.stepDueAt, lang) : '—' }],
          [{ text: h.outcome ?? '' }],
        ]),
      );
    },
  });
}

// ---- What the forms share: heading, the dossier block with its QR code, page footers, and
// the few shapes of body text (paragraph, labelled field, numbered list, signature, table).

type Column = { title: string; /** 0 takes what is left. */ width: number };
type Cell = Array<{ text: string; bold?: boolean }>;

type Sheet = {
  paragraph(text: string): void;
  field(label: string, value: string): void;
  numbered(items: string[]): void;
  signature(signer: string, hint: string, name: string): void;
  table(columns: Column[], rows: Cell[][]): void;
};

type FormLayout = {
  /** The date written under the national motto, if the document is dated. */
  datedAt: string | null;
  /** Lines after the applicant and procedure, beside the QR code. */
  fields: Array<[label: string, value: string]>;
  body: (sheet: Sheet) => void;
};

const textSize = 11;
const qrSize = 100;

async function renderForm(lang: Lang, form: FormNumber, data: DocumentHeader, layout: FormLayout): Promise<Buffer> {
  const c = templates.common[lang];
  const wording: { title: string; subtitle?: string } = templates.forms[form][lang];
  const { title, subtitle } = wording;
  const heading = subtitle ? `${title} ${subtitle}` : title;
  const qr = await QRCode.toBuffer(data.trackingUrl, { errorCorrectionLevel: 'M', margin: 1, width: 300 });
  return renderPdf(`${heading} ${data.code}`, (pdf) => {
    const left = pdf.page.margins.left;
    const width = pdf.page.width - left - pdf.page.margins.right;
    const footer = `${format(c.footer, { form, version: templates.version })} · ${c.code}: ${data.code}`;
    let page = 1;
    drawFooter(pdf, footer, format(c.page, { n: page }));
    pdf.on('pageAdded', () => {
      page += 1;
      drawFooter(pdf, footer, format(c.page, { n: page }));
    });

    // Heading: the issuing unit on the left, the national heading on the right (Decree 30/2020 layout).
    const top = pdf.y;
    const half = width / 2 - 8;
    pdf.x = left;
    if (data.agencyName) pdf.font('regular').fontSize(10).text(data.agencyName.toUpperCase(), left, top, { width: half, align: 'center' });
    pdf.font('bold').fontSize(10).text(data.unitName.toUpperCase(), left, pdf.y, { width: half, align: 'center' });
    pdf.font('regular').fontSize(9).text(c.oneStop, left, pdf.y, { width: half, align: 'center' });
    const leftEnd = pdf.y;
    const rightX = left + width / 2 + 8;
    pdf.font('bold').fontSize(10).text(c.nationalHeading, rightX, top, { width: half, align: 'center' });
    pdf.font('bold').fontSize(10).text(c.motto, rightX, pdf.y, { width: half, align: 'center' });
    const rule = pdf.y + 2;
    pdf.moveTo(rightX + half / 2 - 60, rule).lineTo(rightX + half / 2 + 60, rule).lineWidth(0.6).stroke();
    pdf.y = rule + 6;
    if (layout.datedAt) pdf.font('regular').fontSize(10).text(format(c.dated, vietnamParts(layout.datedAt)), rightX, pdf.y, { width: half, align: 'center' });
    pdf.y = Math.max(leftEnd, pdf.y) + 24;

    pdf.font('bold').fontSize(14).text(title, left, pdf.y, { width, align: 'center' });
    if (subtitle) pdf.font('bold').fontSize(12).text(subtitle, left, pdf.y, { width, align: 'center' });
    pdf.font('bold').fontSize(12).text(`${c.code}: ${data.code}`, left, pdf.y, { width, align: 'center' });
    pdf.moveDown(1);

    // The dossier, with the QR code of its tracking page beside it.
    const blockTop = pdf.y;
    const fieldWidth = width - qrSize - 16;
    pdf.image(qr, left + width - qrSize, blockTop, { width: qrSize });
    const fieldLine = (label: string, value: string) =>
      pdf.font('regular').fontSize(textSize).text(`${label}: `, left, pdf.y, { continued: true, width: fieldWidth }).font('bold').text(value);
    fieldLine(c.applicant, data.applicantName);
    fieldLine(c.procedure, data.procedureName);
    for (const [label, value] of layout.fields) fieldLine(label, value);
    pdf.y = Math.max(pdf.y, blockTop + qrSize) + 6;
    pdf.font('regular').fontSize(9).text(c.scan, left, pdf.y, { width });
    pdf.fillColor('#333').text(data.trackingUrl, left, pdf.y, { width }).fillColor('black');
    pdf.moveDown(1);

    layout.body(makeSheet(pdf, left, width, format(c.continued, { title: heading, code: data.code })));
  });
}

function makeSheet(pdf: Pdf, left: number, width: number, continuedLine: string): Sheet {
  /** Starts a new page unless `height` more points fit on this one. */
  const ensureSpace = (height: number) => {
    if (pdf.y + height > pdf.page.maxY()) pdf.addPage();
  };
  const gap = () => (pdf.y += textSize * 0.5);

  return {
    paragraph(text) {
      pdf.font('regular').fontSize(textSize);
      ensureSpace(pdf.heightOfString(text, { width }));
      pdf.text(text, left, pdf.y, { width, align: 'justify' });
      gap();
    },
    field(label, value) {
      pdf.font('bold').fontSize(textSize);
      ensureSpace(pdf.heightOfString(`${label}: ${value}`, { width }));
      pdf.font('regular').text(`${label}: `, left, pdf.y, { continued: true, width }).font('bold').text(value);
      gap();
    },
    numbered(items) {
      const indent = 28;
      items.forEach((item, i) => {
        pdf.font('regular').fontSize(textSize);
        ensureSpace(pdf.heightOfString(item, { width: width - indent }));
        const y = pdf.y;
        const number = `${i + 1}.`;
        pdf.text(number, left + indent - 6 - pdf.widthOfString(number), y, { lineBreak: false });
        pdf.text(item, left + indent, y, { width: width - indent });
        pdf.y += 2;
      });
      gap();
    },
    signature(signer, hint, name) {
      ensureSpace(110);
      const x = left + width / 2;
      const w = width / 2;
      pdf.y += 10;
      pdf.font('bold').fontSize(10).text(signer, x, pdf.y, { width: w, align: 'center' });
      pdf.font('regular').fontSize(9).text(hint, x, pdf.y, { width: w, align: 'center' });
      pdf.y += 48;
      pdf.font('bold').fontSize(textSize).text(name, x, pdf.y, { width: w, align: 'center' });
      pdf.x = left;
    },
    table(columns, rows) {
      const pad = 4;
      const size = 8.5;
      const fixed = columns.reduce((sum, col) => sum + col.width, 0);
      const widths = columns.map((col) => col.width || width - fixed);
      const cellHeight = (cell: Cell, w: number) =>
        cell.reduce((h, part) => h + (part.text ? pdf.font(part.bold ? 'bold' : 'regular').fontSize(size).heightOfString(part.text, { width: w - 2 * pad }) : 0), 0);
      const rowHeight = (row: Cell[]) => Math.max(...row.map((cell, i) => cellHeight(cell, widths[i] ?? 0))) + 2 * pad;
      const drawRow = (row: Cell[], header: boolean) => {
        const y = pdf.y;
        const h = rowHeight(row);
        let x = left;
        row.forEach((cell, i) => {
          const w = widths[i] ?? 0;
          pdf.lineWidth(0.5);
          if (header) pdf.rect(x, y, w, h).fillAndStroke('#e8e8e8', 'black').fillColor('black');
          else pdf.rect(x, y, w, h).stroke();
          pdf.y = y + pad;
          for (const part of cell) {
            if (part.text) pdf.font(part.bold || header ? 'bold' : 'regular').fontSize(size).text(part.text, x + pad, pdf.y, { width: w - 2 * pad });
          }
          x += w;
        });
        pdf.x = left;
        pdf.y = y + h;
      };
      const headerRow: Cell[] = columns.map((col) => [{ text: col.title, bold: true }]);
      // The header row is repeated at the top of every page the table runs onto.
      ensureSpace(rowHeight(headerRow) + (rows[0] ? rowHeight(rows[0]) : 0));
      drawRow(headerRow, true);
      for (const row of rows) {
        if (pdf.y + rowHeight(row) > pdf.page.maxY()) {
          pdf.addPage();
          pdf.font('regular').fontSize(9).text(continuedLine, left, pdf.y, { width });
          pdf.y += 6;
          drawRow(headerRow, true);
        }
        drawRow(row, false);
      }
      gap();
    },
  };
}

// pdfkit keeps the current font, fill colour and any unfinished `continued` text on the document;
// a footer drawn while a text flow breaks onto a new page must set them aside and hand them back.
type PdfkitTextState = { _font: unknown; _fontSize: number; _fillColor?: unknown; _wrapper: unknown; _textOptions: unknown };

/** The form number, template version and dossier code on the left, the page on the right. */
function drawFooter(pdf: Pdf, text: string, pageLabel: string): void {
  const state = pdf as unknown as PdfkitTextState;
  const { _font, _fontSize, _fillColor, _wrapper, _textOptions } = state;
  const saved = { _font, _fontSize, _fillColor, _wrapper, _textOptions, x: pdf.x, y: pdf.y };
  state._wrapper = null;
  state._textOptions = null;
  const bottom = pdf.page.margins.bottom;
  const left = pdf.page.margins.left;
  const width = pdf.page.width - left - pdf.page.margins.right;
  const y = pdf.page.height - bottom + 20;
  pdf.page.margins.bottom = 0; // writing inside the margin must not start another page
  pdf.save();
  pdf.moveTo(left, y - 6).lineTo(left + width, y - 6).lineWidth(0.5).strokeColor('#999').stroke();
  pdf.font('regular').fontSize(8).fillColor('#444');
  pdf.text(text, left, y, { width: width - 60, lineBreak: false });
  pdf.text(pageLabel, left + width - 60, y, { width: 60, align: 'right', lineBreak: false });
  pdf.restore();
  pdf.page.margins.bottom = bottom;
  state._font = saved._font;
  state._fontSize = saved._fontSize;
  state._fillColor = saved._fillColor;
  state._wrapper = saved._wrapper;
  state._textOptions = saved._textOptions;
  pdf.x = saved.x;
  pdf.y = saved.y;
}
