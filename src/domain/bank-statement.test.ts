import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findReferences, parseStatement, parseStatementDate, parseVnd } from './bank-statement.ts';

test('amounts: thousands with dot, comma or space, a zero fraction, VND or đ; fractions of a đồng and junk refused', () => {
  for (const t of ['1.200.000', '1,200,000', '1 200 000', '1200000', '1.200.000,00', '1,200,000.00', '1200000.00', '+1.200.000 VND', '1.200.000đ', '1\u00a0200\u00a0000']) assert.equal(parseVnd(t), 1200000, t);
  assert.equal(parseVnd('-50.000'), -50000);
  assert.equal(parseVnd('(50.000)'), -50000);
  assert.equal(parseVnd('1.200'), 1200);
  for (const t of ['1.200,50', '12,34,567', 'abc', '', '1.2.3', '1..000']) assert.equal(parseVnd(t), null, t);
});

test('dates: ISO or day first with / - or ., a time after them; impossible days refused', () => {
  assert.equal(parseStatementDate('2026-05-12'), '2026-05-12');
  assert.equal(parseStatementDate('12/05/2026'), '2026-05-12');
  assert.equal(parseStatementDate('1/5/2026 08:30:00'), '2026-05-01');
  assert.equal(parseStatementDate('12.05.2026'), '2026-05-12');
  assert.equal(parseStatementDate('2026-05-12T10:00:00+07:00'), '2026-05-12');
  for (const t of ['31/02/2026', '2026/05/12', '12/05/26', 'hôm qua', '']) assert.equal(parseStatementDate(t), null, t);
});

test('the documented English format, comma-separated', () => {
  const csv = 'date,amount,description,transaction id\n2026-05-12,"1,200,000",MC7K3QZ9W2XB nop phi,FT26132001\n2026-05-12,-30000,Phi SMS,FT26132002\n';
  const r = parseStatement(csv);
  assert.ok(r.ok);
  assert.deepEqual(r.lines, [{ lineNo: 2, bankTxnId: 'FT26132001', bookedOn: '2026-05-12', amountVnd: 1200000, description: 'MC7K3QZ9W2XB nop phi' }]);
  assert.equal(r.outgoing, 1);
});

test('a Vietnamese bank export: BOM, title rows, semicolons, credit and debit columns, a totals row', () => {
  const csv = '\uFEFFSAO KÊ TÀI KHOẢN;;;;\nSố tài khoản: 0123456789;;;;\n'
    + 'STT;Ngày giao dịch;Số tham chiếu;Ghi nợ;Ghi có;Nội dung\n'
    + '1;12/05/2026 09:15:02;FT26132ABC;;1.200.000;"CT DEN:MC7K3QZ9W2XB; NGUYEN VAN A"\n'
    + '2;12/05/2026 10:00:00;FT26132ABD;50.000;;Phi quan ly tai khoan\n'
    + ';;;50.000;1.200.000;Tổng cộng\n';
  const r = parseStatement(csv);
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.lines.length, 1);
  assert.deepEqual(r.lines[0], { lineNo: 4, bankTxnId: 'FT26132ABC', bookedOn: '2026-05-12', amountVnd: 1200000, description: 'CT DEN:MC7K3QZ9W2XB; NGUYEN VAN A' });
  assert.equal(r.outgoing, 1);
});

test('tab-separated, with a quoted description over two lines: line numbers stay right', () => {
  const csv = 'Ngày\tSố tiền\tDiễn giải\tMã giao dịch\n2026-05-12\t30000\t"dòng một\ndòng hai MCABCDEF2345"\tT1\n2026-05-13\t40000\tkhac\tT2\n';
  const r = parseStatement(csv);
  assert.ok(r.ok);
  assert.deepEqual(r.lines.map((l) => [l.lineNo, l.bankTxnId]), [[2, 'T1'], [4, 'T2']]);
});

test('malformed files are refused whole, each problem with its line', () => {
  assert.deepEqual(parseStatement(''), { ok: false, problems: [{ line: 1, problem: 'empty' }] });
  assert.deepEqual(parseStatement('a,b,c\n1,2,3\n'), { ok: false, problems: [{ line: 1, problem: 'header' }] });
  const bad = 'date,amount,description,transaction id\n2026-05-12,abc,x,T1\n31/02/2026,1000,x,T2\n2026-05-12,1000,x,\n2026-05-12,1000,x,T4\n2026-05-12,2000,x,T4\n2026-05-12,1000\n';
  const r = parseStatement(bad);
  assert.equal(r.ok, false);
  assert.deepEqual(!r.ok && r.problems, [
    { line: 2, problem: 'amount' }, { line: 3, problem: 'date' }, { line: 4, problem: 'txn_id' }, { line: 6, problem: 'duplicate_txn' }, { line: 7, problem: 'columns' },
  ]);
});

test('references: standing alone first, then glued or broken by the bank; lower case and tone marks folded', () => {
  assert.deepEqual(findReferences('CT DEN:MC7K3QZ9W2XB NGUYEN VAN A'), ['MC7K3QZ9W2XB']);
  assert.deepEqual(findReferences('nộp phí mc7k3qz9w2xb'), ['MC7K3QZ9W2XB']);
  assert.deepEqual(findReferences('NGUYENVANAMC7K3QZ9W2XB'), ['MC7K3QZ9W2XB']);
  assert.deepEqual(findReferences('MC7K3 QZ9W2XB'), ['MC7K3QZ9W2XB']);
  assert.deepEqual(findReferences('chuyen tien'), []);
  assert.deepEqual(findReferences('MC7K3QZ9W2XB va MCABCDEF2345').slice(0, 2), ['MC7K3QZ9W2XB', 'MCABCDEF2345']);
});
