// PDF documents with a font that covers Vietnamese: pdfkit's built-in Helvetica garbles
// tone marks, so every document embeds Be Vietnam Pro (SIL Open Font Licence).
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

const require = createRequire(import.meta.url);
export const fonts = {
  regular: require.resolve('@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/be-vietnam-pro/700Bold/BeVietnamPro_700Bold.ttf'),
};

export type Pdf = PDFKit.PDFDocument;

/** Builds a PDF with the Vietnamese fonts registered, and returns its bytes. */
export async function renderPdf(title: string, draw: (doc: Pdf) => void, layout: 'portrait' | 'landscape' = 'portrait'): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', layout, margins: { top: 56, bottom: 56, left: 64, right: 56 }, info: { Title: title, Creator: 'Một Cửa' } });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  doc.font('regular');
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  draw(doc);
  doc.end();
  return done;
}
