// The electronic receipt (biên lai điện tử) of a paid payment: series and number, the collecting
// unit, the payer (the applicant's name: personal data, served no-store), the amount in figures
// and in Vietnamese words, what it is for, the method, the date and the dossier's code.
// Contents follow Decree 123/2020/NĐ-CP (art. 32) and Circular 78/2021/TT-BTC as far as checked;
// docs/domain.md "Payments" lists what is unconfirmed.
import { vndInWords } from '../../domain/fees.ts';
import { formatNumber, messages, vietnamTime, type Lang } from '../../i18n/index.ts';
import { renderPdf } from '../../pdf.ts';

export type PaymentReceiptData = {
  series: string;
  number: string;
  agencyName: string | null;
  unitName: string;
  payerName: string;
  dossierCode: string | null;
  procedureName: string;
  purpose: 'fee' | 'charge';
  item: string | null;
  amountVnd: number;
  method: 'vnpay' | 'vietqr' | 'cash';
  paidAt: string;
  gatewayRef: string | null;
};

export function renderPaymentReceipt(lang: Lang, r: PaymentReceiptData): Promise<Buffer> {
  const m = messages(lang).pay;
  const t = messages(lang).template;
  return renderPdf(`${m.receiptTitle} ${r.series}/${r.number}`, (pdf) => {
    const left = pdf.page.margins.left;
    const width = pdf.page.width - left - pdf.page.margins.right;
    const top = pdf.y;
    pdf.font('bold').fontSize(10).text((r.agencyName ?? r.unitName).toUpperCase(), left, top, { width: width / 2 - 10, align: 'center' });
    pdf.font('regular').fontSize(9).text(r.unitName, { width: width / 2 - 10, align: 'center' });
    pdf.font('bold').fontSize(10).text(t.heading, left + width / 2, top, { width: width / 2, align: 'center' });
    pdf.font('bold').fontSize(10).text(t.motto, { width: width / 2, align: 'center' });
    pdf.x = left;
    pdf.moveDown(2);
    pdf.font('bold').fontSize(15).text(m.receiptTitle, left, pdf.y, { width, align: 'center' });
    pdf.font('regular').fontSize(10).text(m.receiptSubtitle, { width, align: 'center' });
    pdf.font('regular').fontSize(10).text(`${m.receiptSeries}: ${r.series}    ${m.receiptNo}: ${r.number}`, { width, align: 'center' });
    pdf.moveDown();
    const line = (label: string, value: string | null) => {
      if (!value) return;
      pdf.font('bold').fontSize(11).text(`${label}: `, left, pdf.y, { continued: true, width });
      pdf.font('regular').text(value);
      pdf.moveDown(0.3);
    };
    line(m.collector, r.unitName);
    line(m.payer, r.payerName);
    line(m.dossierCode, r.dossierCode);
    line(m.procedure, r.procedureName);
    line(m.item, [messages(lang).pay.purpose[r.purpose], r.item].filter(Boolean).join(': '));
    line(m.amount, `${formatNumber(lang, r.amountVnd)} đồng`);
    line(m.inWords, vndInWords(r.amountVnd));
    line(m.paidBy, m.method[r.method]);
    line(m.gatewayRef, r.gatewayRef);
    line(m.paidAt, vietnamTime(r.paidAt, lang));
    pdf.moveDown(2);
    pdf.font('regular').fontSize(8).text(m.legal, left, pdf.y, { width });
  });
}
