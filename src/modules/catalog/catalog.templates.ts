// Printable blank forms: for a declaration document (tờ khai, đơn…), the portal prints the
// procedure's form definition as a paper form, so a citizen without a printer-ready template from
// the agency can still fill one in by hand.
import type { FormDefinition } from '../../domain/forms.ts';
import { localName, messages, type Lang } from '../../i18n/index.ts';
import { renderPdf } from '../../pdf.ts';
import type { DocumentItem, ProcedureDetail } from './catalog.service.ts';

export async function templatePdf(lang: Lang, p: ProcedureDetail, doc: DocumentItem, form: FormDefinition): Promise<Buffer> {
  const m = messages(lang);
  return renderPdf(doc.name, (pdf) => {
    const width = pdf.page.width - pdf.page.margins.left - pdf.page.margins.right;
    pdf.font('bold').fontSize(12).text(m.template.heading, { align: 'center' });
    pdf.font('bold').fontSize(12).text(m.template.motto, { align: 'center' });
    pdf.moveDown(1.5);
    pdf.font('bold').fontSize(15).text(doc.name.toUpperCase(), { align: 'center' });
    pdf.font('regular').fontSize(10).text(localName(lang, p), { align: 'center' });
    if (form.legalForm) pdf.fontSize(9).text(form.legalForm, { align: 'center' });
    pdf.moveDown();
    pdf.fontSize(9).fillColor('#444').text(m.template.intro, { align: 'center' }).fillColor('black');
    pdf.moveDown();
    for (const section of form.sections) {
      pdf.font('bold').fontSize(12).text(section.title[lang]);
      pdf.moveDown(0.3);
      for (const f of section.fields) {
        const label = f.label[lang] + (f.required ? ' *' : '');
        if (f.options && (f.type === 'radio' || f.type === 'select' || f.type === 'checkbox')) {
          pdf.font('regular').fontSize(11).text(`${label} (${m.template.choose}):`);
          pdf.text(f.options.map((o) => `[   ] ${o.label[lang]}`).join('     '), { indent: 16 });
        } else {
          const lines = f.type === 'textarea' || f.type === 'address' ? 2 : 1;
          pdf.font('regular').fontSize(11).text(`${label}: `, { continued: false });
          for (let i = 0; i < lines; i++) pdf.text('.'.repeat(Math.floor(width / 3.1)), { indent: 0 });
        }
        pdf.moveDown(0.3);
      }
      pdf.moveDown(0.5);
    }
    pdf.moveDown();
    pdf.font('regular').fontSize(11).text(m.template.place, { align: 'right' });
    pdf.font('bold').text(m.template.signature, { align: 'right' });
  });
}
