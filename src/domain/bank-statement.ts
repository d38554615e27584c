// A bank statement as CSV, read for reconciliation with VietQR payments (docs/domain.md §8.2). Pure.
//
// The format: one header row, then one row per transaction, with (at least) these four columns in
// any order, named in English or Vietnamese (tone marks, case and spacing ignored):
//   date            date, ngày, ngày giao dịch, ngày hạch toán, ngày ghi sổ, thời gian, posting date …
//   amount          amount, số tiền, số tiền ghi có, ghi có, phát sinh có, credit …
//   description     description, nội dung, nội dung giao dịch, diễn giải, mô tả, chi tiết, remark …
//   transaction id  transaction id, mã giao dịch, số tham chiếu, số bút toán, số chứng từ, ref …
// and optionally a debit column (ghi nợ, phát sinh nợ, debit). Common export variants are accepted:
// a UTF-8 byte-order mark, `,` `;` or tab between fields (read from the header row), quoted fields
// (RFC 4180), title rows above the header (the first 30 rows are searched), dates as YYYY-MM-DD or
// DD/MM/YYYY (also with `-` or `.`, and a time after them), amounts with `.` `,` or spaces between
// thousands and an optional `,00`/`.00`, "VND" or "đ". Rows with neither a date nor a transaction id
// (blank rows, totals) are skipped. Money going out (a negative amount, or a debit with no credit)
// is counted as outgoing and not read further. Any other row that cannot be read makes the whole
// file invalid, with the row's number: nothing is imported from a file with a problem.
import { fold } from './text.ts';

export type StatementLine = { lineNo: number; bankTxnId: string; bookedOn: string; amountVnd: number; description: string };
export type StatementProblem = { line: number; problem: 'empty' | 'header' | 'columns' | 'amount' | 'date' | 'txn_id' | 'duplicate_txn' | 'too_many_rows' };
export type ParsedStatement = { ok: true; lines: StatementLine[]; outgoing: number } | { ok: false; problems: StatementProblem[] };

export const maxStatementRows = 20000;

type Column = 'date' | 'amount' | 'debit' | 'description' | 'txnId';
const aliases: Record<Column, readonly string[]> = {
  date: ['date', 'ngay', 'ngay giao dich', 'ngay gd', 'ngay hach toan', 'ngay ghi so', 'ngay hieu luc', 'thoi gian', 'thoi gian giao dich', 'transaction date', 'posting date', 'value date', 'booking date'],
  amount: ['amount', 'so tien', 'so tien ghi co', 'ghi co', 'phat sinh co', 'so tien giao dich', 'credit', 'credit amount', 'co'],
  debit: ['ghi no', 'so tien ghi no', 'phat sinh no', 'debit', 'debit amount', 'no'],
  description: ['description', 'noi dung', 'noi dung giao dich', 'noi dung chuyen khoan', 'dien giai', 'mo ta', 'chi tiet', 'chi tiet giao dich', 'remark', 'remarks', 'details', 'narrative'],
  txnId: ['transaction id', 'bank transaction id', 'ma giao dich', 'ma gd', 'so tham chieu', 'so but toan', 'so chung tu', 'so ct', 'ref', 'reference', 'reference no', 'transaction no', 'txn id', 'id'],
};
const required: readonly Column[] = ['date', 'amount', 'description', 'txnId'];

const headerKey = (cell: string) => fold(cell).replace(/[^a-z0-9]+/g, ' ').trim();

/** Splits CSV text into rows of fields (RFC 4180 quoting), remembering each row's line number. */
export function csvRows(text: string, sep: string): Array<{ line: number; cells: string[] }> {
  const rows: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === sep) {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      rows.push({ line: start, cells });
      cells = [];
      cell = '';
      start = ++line;
    } else cell += c;
  }
  if (cell !== '' || cells.length) {
    cells.push(cell);
    rows.push({ line: start, cells });
  }
  return rows;
}

/** The separator a header line uses: the most frequent of `,` `;` and tab outside quotes. */
function separatorOf(firstLines: string): string {
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (const c of firstLines) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

function columnsOf(cells: string[]): Partial<Record<Column, number>> {
  const out: Partial<Record<Column, number>> = {};
  cells.forEach((cell, i) => {
    const key = headerKey(cell);
    for (const col of Object.keys(aliases) as Column[]) if (out[col] === undefined && aliases[col].includes(key)) out[col] = i;
  });
  return out;
}

/**
 * An amount in whole đồng, or null when it cannot be read or has a fraction of a đồng. Negative
 * amounts stay negative. "1.200.000", "1,200,000", "1 200 000", "1200000", "1.200.000,00",
 * "1200000.00", "+1.200.000 VND" are all 1200000.
 */
export function parseVnd(text: string): number | null {
  let t = text.replace(/vnd|vnđ|đ|\s|\u00a0/gi, '');
  let sign = 1;
  if (/^\(.*\)$/.test(t)) {
    sign = -1;
    t = t.slice(1, -1);
  }
  if (t.startsWith('-')) {
    sign = -1;
    t = t.slice(1);
  } else if (t.startsWith('+')) t = t.slice(1);
  if (!/^[0-9.,]+$/.test(t) || !/\d/.test(t)) return null;
  // A final `.` or `,` with one or two digits after it is the decimal mark; they must be zeros.
  const dec = /[.,](\d{1,2})$/.exec(t);
  if (dec) {
    if (!/^0+$/.test(dec[1]!)) return null;
    t = t.slice(0, dec.index);
  }
  const groups = t.split(/[.,]/);
  if (groups.length > 1 && (!/^\d{1,3}$/.test(groups[0]!) || groups.slice(1).some((g) => !/^\d{3}$/.test(g)))) return null;
  const n = Number(groups.join(''));
  return Number.isSafeInteger(n) ? sign * n : null;
}

/** A date as YYYY-MM-DD, or null: YYYY-MM-DD or DD/MM/YYYY (also `-` or `.`), a time after it ignored. */
export function parseStatementDate(text: string): string | null {
  const t = text.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$/.exec(t);
  let y: string, mo: string, d: string;
  if (m) [y, mo, d] = [m[1]!, m[2]!, m[3]!];
  else if ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s.*)?$/.exec(t))) [d, mo, y] = [m[1]!.padStart(2, '0'), m[2]!.padStart(2, '0'), m[3]!];
  else return null;
  const iso = `${y}-${mo}-${d}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : null;
}

/** Reads a statement file: its incoming lines, or every problem found (with the row's line number). */
export function parseStatement(input: string): ParsedStatement {
  const text = input.replace(/^\uFEFF/, '');
  if (!text.trim()) return { ok: false, problems: [{ line: 1, problem: 'empty' }] };
  const firstLines = text.split(/\r?\n/).slice(0, 30);
  // The header is the first of the first 30 rows that names the four columns, whatever the separator.
  let sep = ',';
  let header: { line: number; cols: Partial<Record<Column, number>> } | null = null;
  for (const candidate of [separatorOf(firstLines.join('\n')), ',', ';', '\t']) {
    const rows = csvRows(firstLines.join('\n'), candidate);
    const found = rows.find((r) => required.every((c) => columnsOf(r.cells)[c] !== undefined));
    if (found) {
      sep = candidate;
      header = { line: found.line, cols: columnsOf(found.cells) };
      break;
    }
  }
  if (!header) return { ok: false, problems: [{ line: 1, problem: 'header' }] };
  const cols = header.cols as Record<Column, number | undefined> & Record<'date' | 'amount' | 'description' | 'txnId', number>;
  const width = Math.max(...Object.values(cols).filter((v): v is number => v !== undefined)) + 1;
  const rows = csvRows(text, sep).filter((r) => r.line > header!.line);
  if (rows.length > maxStatementRows) return { ok: false, problems: [{ line: header.line, problem: 'too_many_rows' }] };
  const problems: StatementProblem[] = [];
  const lines: StatementLine[] = [];
  const seen = new Set<string>();
  let outgoing = 0;
  for (const r of rows) {
    const cell = (c: Column) => (cols[c] === undefined ? '' : (r.cells[cols[c]!] ?? '').trim());
    if (r.cells.every((c) => !c.trim()) || (!cell('date') && !cell('txnId'))) continue;
    if (r.cells.length < width) {
      problems.push({ line: r.line, problem: 'columns' });
      continue;
    }
    const bookedOn = parseStatementDate(cell('date'));
    if (!bookedOn) problems.push({ line: r.line, problem: 'date' });
    const credit = cell('amount') ? parseVnd(cell('amount')) : 0;
    const debit = cell('debit') ? parseVnd(cell('debit')) : 0;
    if (credit === null || debit === null) {
      problems.push({ line: r.line, problem: 'amount' });
      continue;
    }
    const txnId = cell('txnId');
    if (!txnId) problems.push({ line: r.line, problem: 'txn_id' });
    else if (seen.has(txnId)) problems.push({ line: r.line, problem: 'duplicate_txn' });
    seen.add(txnId);
    if (!bookedOn || !txnId) continue;
    if (credit <= 0) {
      if (credit < 0 || debit > 0) outgoing++;
      else problems.push({ line: r.line, problem: 'amount' });
      continue;
    }
    lines.push({ lineNo: r.line, bankTxnId: txnId, bookedOn, amountVnd: credit, description: cell('description') });
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, lines, outgoing };
}

/**
 * The payment references a transfer's description may carry, most likely first: those standing
 * alone (not glued to letters or digits before them), then those found once the text is taken
 * without spaces and punctuation (some banks strip or insert them). Upper-case, tone marks removed.
 * `pattern` is the shape of a reference (a global regex).
 */
export function findReferences(description: string, pattern = /MC[0-9A-Z]{10}/g): string[] {
  const text = fold(description).toUpperCase();
  const out: string[] = [];
  const add = (s: string) => !out.includes(s) && out.push(s);
  const bounded = new RegExp(`(?<![0-9A-Z])(?:${pattern.source})`, 'g');
  for (const m of text.matchAll(bounded)) add(m[0]);
  const compact = text.replace(/[^0-9A-Z]+/g, '');
  for (let i = 0; i < compact.length; i++) {
    const m = new RegExp(`^(?:${pattern.source})`).exec(compact.slice(i));
    if (m) add(m[0]);
  }
  return out;
}
