// Reads a generated PDF the way people and phones read it: its text (pdftotext), pages (pdfinfo),
// embedded fonts (pdffonts) and the QR codes on a rendered page (pdftoppm, then zbarimg). The tools
// come from the Debian packages poppler-utils and zbar-tools, which .ci/run installs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function withPdfFile<T>(pdf: Buffer, use: (file: string, dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-pdf-'));
  try {
    const file = path.join(dir, 'document.pdf');
    fs.writeFileSync(file, pdf);
    return use(file, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of every page, laid out as printed (`pdftotext -layout`). */
export function pdfPageTexts(pdf: Buffer): string[] {
  const text = withPdfFile(pdf, (file) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }));
  // pdftotext ends every page with a form feed, so the last piece is empty.
  return text.split('\f').slice(0, -1);
}

/** The whole text, pages joined. */
export function pdfText(pdf: Buffer): string {
  return pdfPageTexts(pdf).join('\n');
}

export function pdfPageCount(pdf: Buffer): number {
  const info = withPdfFile(pdf, (file) => execFileSync('pdfinfo', [file], { encoding: 'utf8' }));
  const pages = /^Pages:\s+(\d+)$/m.exec(info)?.[1];
  if (!pages) throw new Error(`pdfinfo printed no page count:\n${info}`);
  return Number(pages);
}

/** The names of the fonts the PDF uses, as pdffonts lists them (e.g. "CZZZZZ+BeVietnamPro-Regular"), with whether each is embedded. */
export function pdfFonts(pdf: Buffer): Array<{ name: string; embedded: boolean }> {
  const listing = withPdfFile(pdf, (file) => execFileSync('pdffonts', [file], { encoding: 'utf8' }));
  // Two header lines, then: name, type (may contain spaces), encoding, emb, sub, uni, object id, generation.
  return listing
    .split('\n')
    .slice(2)
    .filter((line) => line.trim())
    .map((line) => {
      const cols = line.trim().split(/\s+/);
      return { name: cols[0] ?? '', embedded: cols[cols.length - 5] === 'yes' };
    });
}

/** What the QR codes on one page say, read from the page rendered at 150 dpi; none gives []. */
export function pdfQrCodes(pdf: Buffer, page = 1): string[] {
  return withPdfFile(pdf, (file, dir) => {
    execFileSync('pdftoppm', ['-png', '-r', '150', '-f', String(page), '-l', String(page), '-singlefile', file, path.join(dir, 'page')]);
    try {
      const out = execFileSync('zbarimg', ['--quiet', '--raw', path.join(dir, 'page.png')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      return out.split('\n').filter(Boolean);
    } catch (err) {
      // zbarimg exits with 4 when the image holds no code it can read.
      if ((err as { status?: number }).status === 4) return [];
      throw err;
    }
  });
}
