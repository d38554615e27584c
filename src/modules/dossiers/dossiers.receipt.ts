// Two documents for the applicant. At submission, the acknowledgement (Giấy xác nhận đã nhận hồ sơ):
// the system has the dossier, the desk has yet to check it. Once accepted, the receipt and
// appointment slip (Giấy tiếp nhận hồ sơ và hẹn trả kết quả, Form 01 of Circular 03/2025/TT-VPCP):
// the desk, the applicant, the procedure and its processing time, the documents received (original
// or copy where the catalogue says so), the intake time, the appointment, the fee, signatures of
// the applicant and the receiving officer. Both carry a QR code of the public tracking page.
import QRCode from 'qrcode';
import { format, formatNumber, messages, vietnamTime, type Lang } from '../../i18n/index.ts';
import { renderPdf, type Pdf } from '../../pdf.ts';

export type ReceiptData = {
  unitName: string;
  agencyName: string | null;
  /** The one-stop desk that receives the unit's dossiers (units.desks.ts). */
  deskName: string;
  code: string;
  trackingUrl: string;
  applicant: { fullName?: string; idNumber?: string; phone?: string; email?: string; addressText?: string };
  procedureName: string;
  /** `kind` only where the catalogue's list says "bản chính" or "bản sao"; it states no counts. */
  documents: Array<{ name: string; files: number; kind: 'original' | 'copy' | null }>;
  /** The statutory processing time in working days (0: within the day), and the catalogue's note. */
  processingDays: number | null;
  processingNote: string | null;
  submittedAt: string;
  acceptedAt: string | null;
  dueAt: string | null;
  feeVnd: number | null;
  delivery: string;
};

type Draw = { pdf: Pdf; left: number; width: number; line: (label: string, value: string | undefined | null) => void };

function heading(lang: Lang, r: ReceiptData, title: string, { pdf, left, width }: Draw): void {
  const m = messages(lang).receipt;
  const top = pdf.y;
  pdf.font('bold').fontSize(10).text((r.agencyName ?? r.unitName).toUpperCase(), left, top, { width: width / 2 - 10, align: 'center' });
  pdf.font('regular').fontSize(9).text(r.deskName.toUpperCase() || m.oneStop, { width: width / 2 - 10, align: 'center' });
  pdf.font('bold').fontSize(10).text(messages(lang).template.heading, left + width / 2, top, { width: width / 2, align: 'center' });
  pdf.font('bold').fontSize(10).text(messages(lang).template.motto, { width: width / 2, align: 'center' });
  pdf.x = left;
  pdf.moveDown(2);
  pdf.font('bold').fontSize(15).text(title, left, pdf.y, { width, align: 'center' });
  pdf.font('bold').fontSize(12).text(`${m.code}: ${r.code}`, { align: 'center', width });
  pdf.moveDown();
}

function who(lang: Lang, r: ReceiptData, { line }: Draw): void {
  const m = messages(lang).receipt;
  line(m.desk, r.deskName);
  line(m.unit, r.unitName);
  line(m.applicant, r.applicant.fullName);
  line(m.idNumber, r.applicant.idNumber);
  line(m.phone, r.applicant.phone);
  line(m.email, r.applicant.email);
  line(m.address, r.applicant.addressText);
  line(m.procedure, r.procedureName);
}

function feeAndDelivery(lang: Lang, r: ReceiptData, { line }: Draw): void {
  const m = messages(lang).receipt;
  line(m.fee, r.feeVnd === null ? m.feeByCouncil : r.feeVnd === 0 ? m.free : `${formatNumber(lang, r.feeVnd)} ${m.currency}`);
  line(m.delivery, r.delivery);
}

function qrBlock(r: ReceiptData, lang: Lang, { pdf, left, width }: Draw, qr: Buffer): void {
  const m = messages(lang).receipt;
  if (pdf.y + 120 > pdf.page.height - pdf.page.margins.bottom) pdf.addPage();
  const qrTop = pdf.y;
  pdf.image(qr, left, qrTop, { width: 110 });
  pdf.font('regular').fontSize(10).text(m.scan, left + 125, qrTop + 10, { width: width - 125 });
  pdf.font('regular').fontSize(9).fillColor('#333').text(r.trackingUrl, { width: width - 125 }).fillColor('black');
  pdf.x = left;
  pdf.y = Math.max(pdf.y, qrTop + 115);
}

async function render(lang: Lang, r: ReceiptData, title: string, draw: (d: Draw, qr: Buffer) => void): Promise<Buffer> {
  const qr = await QRCode.toBuffer(r.trackingUrl, { errorCorrectionLevel: 'M', margin: 1, width: 300 });
  return renderPdf(`${title} ${r.code}`, (pdf) => {
    const left = pdf.page.margins.left;
    const width = pdf.page.width - left - pdf.page.margins.right;
    const line = (label: string, value: string | undefined | null) => {
      if (!value) return;
      pdf.font('regular').fontSize(11).text(`${label}: `, left, pdf.y, { continued: true, width: width - 120 }).font('bold').text(value);
    };
    const d = { pdf, left, width, line };
    heading(lang, r, title, d);
    draw(d, qr);
  });
}

/** At submission: the system has the dossier; not yet the receipt (Form 01), which comes at acceptance. */
export function acknowledgementPdf(lang: Lang, r: ReceiptData): Promise<Buffer> {
  const m = messages(lang).receipt;
  return render(lang, r, m.ackTitle, (d, qr) => {
    const { pdf, left, line } = d;
    who(lang, r, d);
    pdf.moveDown(0.5);
    pdf.font('bold').text(m.documents, left);
    r.documents.forEach((doc, i) => pdf.font('regular').text(`${i + 1}. ${doc.name} (${format(m.files, { n: doc.files })})`, { indent: 12, width: d.width - 130 }));
    pdf.moveDown(0.5);
    line(m.submittedAt, vietnamTime(r.submittedAt, lang));
    line(m.acceptedAt, r.acceptedAt ? vietnamTime(r.acceptedAt, lang) : m.notYetAccepted);
    line(m.dueAt, r.dueAt ? vietnamTime(r.dueAt, lang) : m.dueAfterAcceptance);
    feeAndDelivery(lang, r, d);
    pdf.moveDown(0.5);
    pdf.font('regular').fontSize(10).text(m.ackNote, left, pdf.y, { width: d.width });
    pdf.moveDown();
    qrBlock(r, lang, d, qr);
  });
}

/** Form 01, once the dossier is accepted: the appointment, the documents, and both signatures. */
export async function receiptPdf(lang: Lang, r: ReceiptData): Promise<Buffer> {
  if (!r.acceptedAt || !r.dueAt) throw new Error('Form 01 is issued once the dossier is accepted');
  const m = messages(lang).receipt;
  return render(lang, r, m.title, (d, qr) => {
    const { pdf, left, width, line } = d;
    who(lang, r, d);
    pdf.moveDown(0.5);
    pdf.font('bold').fontSize(11).text(m.documents, left);
    const cols = [{ x: 0, w: 26, t: m.number }, { x: 26, w: width - 26 - 190, t: m.documentName }, { x: width - 190, w: 100, t: m.documentKind }, { x: width - 90, w: 90, t: m.attached }];
    const row = (cells: string[], bold: boolean) => {
      const top = pdf.y;
      let bottom = top;
      cells.forEach((c, i) => {
        pdf.font(bold ? 'bold' : 'regular').fontSize(10).text(c, left + cols[i]!.x + 2, top + 2, { width: cols[i]!.w - 4 });
        bottom = Math.max(bottom, pdf.y + 2);
      });
      pdf.rect(left, top, width, bottom - top).stroke();
      cols.slice(1).forEach((c) => pdf.moveTo(left + c.x, top).lineTo(left + c.x, bottom).stroke());
      pdf.x = left;
      pdf.y = bottom;
    };
    row(cols.map((c) => c.t), true);
    if (!r.documents.length) row(['', m.noDocuments, '', ''], false);
    r.documents.forEach((doc, i) => row([String(i + 1), doc.name, doc.kind ? m[doc.kind] : '', format(m.files, { n: doc.files })], false));
    pdf.moveDown(0.5);
    line(m.processingTime, r.processingDays === null ? r.processingNote : r.processingDays === 0 ? m.sameDay : format(m.processingDays, { n: r.processingDays }));
    line(m.acceptedAt, vietnamTime(r.acceptedAt!, lang));
    line(m.dueAt, vietnamTime(r.dueAt!, lang));
    feeAndDelivery(lang, r, d);
    pdf.moveDown();
    qrBlock(r, lang, d, qr);
    pdf.moveDown();
    if (pdf.y + 90 > pdf.page.height - pdf.page.margins.bottom) pdf.addPage();
    const top = pdf.y;
    const half = width / 2;
    pdf.font('bold').fontSize(11).text(m.applicantSigner, left, top, { width: half, align: 'center' });
    pdf.font('regular').fontSize(9).text(m.signHint, left, pdf.y, { width: half, align: 'center' });
    pdf.font('bold').fontSize(11).text(m.officerSigner, left + half, top, { width: half, align: 'center' });
    pdf.font('regular').fontSize(9).text(m.signHint, left + half, pdf.y, { width: half, align: 'center' });
    pdf.y = top + 80;
    pdf.font('regular').fontSize(8).fillColor('#555').text(m.footer, left, pdf.y, { width, align: 'right' }).fillColor('black');
  });
}
