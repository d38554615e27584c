import test from 'node:test';
import assert from 'node:assert/strict';
import { computeFees, isReference, newReference, paymentBlocks, perPageAmount, receiptSeries, vndInWords, type FeeRule } from './fees.ts';

const copyRule: FeeRule = {
  kind: 'per_copy', amountVnd: 2000, collect: 'before', note: null, copiesField: 'copies',
  pages: { field: 'page_count', firstPages: 2, firstVnd: 2000, nextVnd: 1000, maxVnd: 200000 },
};
const recordRules: FeeRule[] = [
  { kind: 'fixed', amountVnd: 200000, collect: 'before', note: null, purpose: 'charge', categoryField: 'fee_category',
    exemptions: [{ category: 'giam_phi', amountVnd: 100000, source: 'TT 244/2016' }, { category: 'mien_phi', amountVnd: 0, source: 'TT 244/2016' }] },
  { kind: 'per_copy', amountVnd: 5000, collect: 'before', note: null, purpose: 'charge', copiesField: 'copies', includedCopies: 2 },
];

test('a fixed fee is due before intake; free lines and council-set amounts owe nothing here', () => {
  assert.deepEqual(computeFees([{ kind: 'fixed', amountVnd: 8000, collect: 'before', note: null }], {}).map((l) => [l.stage, l.amountVnd, l.purpose]), [['before_intake', 8000, 'fee']]);
  assert.deepEqual(computeFees([{ kind: 'fixed', amountVnd: 8000, collect: 'after', note: null }], {}).map((l) => l.stage), ['before_result']);
  assert.deepEqual(computeFees([{ kind: 'free', amountVnd: 0, collect: 'before', note: null }, { kind: 'set_by_council', amountVnd: null, collect: 'before', note: null }], {}), []);
});

test('certified copies are priced per page and per copy, capped per copy (Thông tư 226/2016/TT-BTC)', () => {
  assert.equal(perPageAmount(1, copyRule.pages!), 2000);
  assert.equal(perPageAmount(2, copyRule.pages!), 4000);
  assert.equal(perPageAmount(5, copyRule.pages!), 7000);
  assert.equal(perPageAmount(500, copyRule.pages!), 200000);
  const [line] = computeFees([copyRule], { copies: 3, page_count: 5 });
  assert.equal(line!.amountVnd, 21000);
  assert.deepEqual({ copies: line!.basis.copies, pages: line!.basis.pages }, { copies: 3, pages: 5 });
  // An unanswered or malformed count is one copy, one page; never negative.
  assert.equal(computeFees([copyRule], { copies: 'x', page_count: -2 })[0]!.amountVnd, 2000);
});

test('a fee category reduces or exempts the fee; further certificates cost extra', () => {
  const sum = (answers: Record<string, unknown>) => computeFees(recordRules, answers).reduce((s, l) => s + l.amountVnd, 0);
  assert.equal(sum({ fee_category: 'thong_thuong', copies: 1 }), 200000);
  assert.equal(sum({ fee_category: 'giam_phi', copies: 2 }), 100000);
  assert.equal(sum({ fee_category: 'mien_phi', copies: 1 }), 0);
  assert.equal(sum({ fee_category: 'thong_thuong', copies: 4 }), 210000);
  const [line] = computeFees(recordRules, { fee_category: 'giam_phi' });
  assert.equal(line!.basis.category, 'giam_phi');
  assert.equal(line!.basis.exemption, 'TT 244/2016');
});

test('what an unpaid stage blocks: acceptance (unless taken in at the counter in the same step) and handing back the result', () => {
  const due = (stage: string, status = 'due') => [{ stage, status }];
  assert.equal(paymentBlocks('accept', due('before_intake')), 'before_intake');
  assert.equal(paymentBlocks('accept', due('before_intake', 'failed')), 'before_intake');
  assert.equal(paymentBlocks('accept', due('before_intake', 'paid')), null);
  assert.equal(paymentBlocks('accept', due('before_intake'), { sameStepIntake: true }), null);
  assert.equal(paymentBlocks('accept', due('before_result')), null);
  assert.equal(paymentBlocks('return_result', due('before_result', 'pending')), 'before_result');
  assert.equal(paymentBlocks('return_result', due('before_result', 'cancelled')), null);
  assert.equal(paymentBlocks('transfer', due('before_processing')), null);
});

test('references are typeable and receipts numbered per series and year', () => {
  const refs = new Set(Array.from({ length: 200 }, newReference));
  assert.equal(refs.size, 200);
  for (const r of refs) assert.ok(isReference(r) && !/[01IO]/.test(r.slice(2)), r);
  assert.equal(receiptSeries('my-tho-p5', 2026), 'BL26-MYTHOP5');
});

test('amounts in Vietnamese words, as a receipt writes them', () => {
  assert.equal(vndInWords(0), 'Không đồng');
  assert.equal(vndInWords(8000), 'Tám nghìn đồng');
  assert.equal(vndInWords(15000), 'Mười lăm nghìn đồng');
  assert.equal(vndInWords(21000), 'Hai mươi mốt nghìn đồng');
  assert.equal(vndInWords(105000), 'Một trăm linh năm nghìn đồng');
  assert.equal(vndInWords(200000), 'Hai trăm nghìn đồng');
  assert.equal(vndInWords(1_024_000), 'Một triệu không trăm hai mươi tư nghìn đồng');
  assert.equal(vndInWords(2_000_005), 'Hai triệu không trăm linh năm đồng');
  assert.throws(() => vndInWords(-1));
});
