// The receipt and appointment slip (Giấy tiếp nhận hồ sơ và hẹn trả kết quả, Form 01 of Circular
// 03/2025): the unit, the applicant, the procedure, the documents received, the intake time, the
// appointment date once accepted, the fee, and a QR code of the public tracking page.
import QRCode from 'qrcode';
import { format, formatNumber, messages, vietnamTime, type Lang } from '../../i18n/index.ts';
import { renderPdf } from '../../pdf.ts';

export type ReceiptData = {
  unitName: string;
  agencyName: string | null;
  code: string;
  trackingUrl: string;
  applicant: { fullName?: string; idNumber?: string; phone?: string; email?: string; addressText?: string };
  procedureName: string;
  documents: Array<{ name: string; files: number }>;
  submittedAt: string;
  acceptedAt: string | null;
  dueAt: string | null;
  feeVnd: number | null;
  delivery: string;
};

/** Moved to src/i18n (pages and PDFs share it); re-exported until the callers import it from there. */

export async function receiptPdf(lang: Lang, r: ReceiptData): Promise<Buffer> {
  const m = messages(lang).receipt;
  const qr = await QRCode.toBuffer(r.trackingUrl, { errorCorrectionLevel: 'M', margin: 1, width: 300 });
  return renderPdf(`${m.title} ${r.code}`, (pdf) => {
    const left = pdf.page.margins.left;
    const width = pdf.page.width - left - pdf.page.margins.right;
    const top = pdf.y;
    pdf.font('bold').fontSize(10).text((r.agencyName ?? r.unitName).toUpperCase(), left, top, { width: width / 2 - 10, align: 'center' });
    pdf.font('regular').fontSize(9).text(m.oneStop, { width: width / 2 - 10, align: 'center' });
    pdf.font('bold').fontSize(10).text(messages(lang).template.heading, left + width / 2, top, { width: width / 2, align: 'center' });
    pdf.font('bold').fontSize(10).text(messages(lang).template.motto, { width: width / 2, align: 'center' });
    pdf.x = left;
    pdf.moveDown(2);
    pdf.font('bold').fontSize(15).text(m.title, left, pdf.y, { width, align: 'center' });
    pdf.font('bold').fontSize(12).text(`${m.code}: ${r.code}`, { align: 'center', width });
    pdf.moveDown();
    const line = (label: string, value: string | undefined | null) => {
      if (!value) return;
      pdf.font('regular').fontSize(11).text(`${label}: `, left, pdf.y, { continued: true, width: width - 120 }).font('bold').text(value);
    };
    line(m.unit, r.unitName);
    line(m.applicant, r.applicant.fullName);
    line(m.idNumber, r.applicant.idNumber);
    line(m.phone, r.applicant.phone);
    line(m.email, r.applicant.email);
    line(m.address, r.applicant.addressText);
    line(m.procedure, r.procedureName);
    pdf.moveDown(0.5);
    pdf.font('bold').text(m.documents, left);
    r.documents.forEach((d, i) => pdf.font('regular').text(`${i + 1}. ${d.name} (${format(m.files, { n: d.files })})`, { indent: 12, width: width - 130 }));
    pdf.moveDown(0.5);
    line(m.submittedAt, vietnamTime(r.submittedAt, lang));
    line(m.acceptedAt, r.acceptedAt ? vietnamTime(r.acceptedAt, lang) : m.notYetAccepted);
    line(m.dueAt, r.dueAt ? vietnamTime(r.dueAt, lang) : m.dueAfterAcceptance);
    line(m.fee, r.feeVnd === null ? m.feeByCouncil : r.feeVnd === 0 ? m.free : `${formatNumber(lang, r.feeVnd)} ${m.currency}`);
    line(m.delivery, r.delivery);
    pdf.moveDown();
    const qrTop = pdf.y;
    pdf.image(qr, left, qrTop, { width: 110 });
    pdf.font('regular').fontSize(10).text(m.scan, left + 125, qrTop + 10, { width: width - 125 });
    pdf.font('regular').fontSize(9).fillColor('#333').text(r.trackingUrl, { width: width - 125 }).fillColor('black');
  });
}
