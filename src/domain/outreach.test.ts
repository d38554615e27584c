import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { budgetTotals, checkBudget, executionSummary, expectedAmount, lineLabel, planWarnings, yearBefore, type BudgetLine } from './outreach.ts';

const line = (over: Partial<BudgetLine>): BudgetLine => ({
  section: 'A', sectionName: 'Sản xuất chương trình', group: 'I', groupName: 'Truyền hình', no: 1, item: 'Chuyên mục', duration: null,
  quantity: 10, unitPrice: 6_000_000, amount: 60_000_000, state: 40_000_000, social: 20_000_000, note: null, ...over,
});

/** The appendix of plan 088/KH-UBND as vendored, read without the project's loader. */
function appendix(): BudgetLine[] {
  type Raw = { no: number; item: string; duration?: string; quantity: number | null; unitPrice: number; amount: number; state: number; social: number; note?: string };
  type Section = { key: string; name: string; groups: Array<{ key: string | null; name: string | null; lines: Raw[] }> };
  const plan = JSON.parse(fs.readFileSync(new URL('../../data/reference/outreach/plan-088-2017-tien-giang.json', import.meta.url), 'utf8')) as { budget: { sections: Section[] } };
  return plan.budget.sections.flatMap((s) => s.groups.flatMap((g) => g.lines.map((l) => ({
    section: s.key, sectionName: s.name, group: g.key, groupName: g.name, no: l.no, item: l.item, duration: l.duration ?? null,
    quantity: l.quantity, unitPrice: l.unitPrice, amount: l.amount, state: l.state, social: l.social, note: l.note ?? null,
  }))));
}

test('the 2017 appendix: nine sound lines, totals 213,000,000 = 163,000,000 state + 50,000,000 social, per section and group', () => {
  const lines = appendix();
  assert.equal(lines.length, 9);
  assert.deepEqual(checkBudget(lines), []);
  const t = budgetTotals(lines);
  assert.deepEqual(t.total, { amount: 213_000_000, state: 163_000_000, social: 50_000_000 });
  assert.deepEqual(t.sections.map((s) => [s.key, s.total.amount, s.total.state, s.total.social]), [['A', 208_000_000, 158_000_000, 50_000_000], ['B', 5_000_000, 5_000_000, 0]]);
  assert.deepEqual(t.sections[0]!.groups.map((g) => [g.key, g.total.amount, g.lines]), [['I', 60_000_000, [0]], ['II', 100_000_000, [1]], ['III', 48_000_000, [2, 3, 4, 5, 6, 7]]]);
  // The overtime line has no quantity: a lump sum, whose amount is its unit price.
  assert.equal(lines[8]!.quantity, null);
  assert.equal(expectedAmount(lines[8]!), 5_000_000);
});

test('a line whose amount is not quantity × unit price, or whose parts do not add up to it, is named by its index and field', () => {
  assert.deepEqual(checkBudget([line({}), line({ amount: 61_000_000, state: 41_000_000 })]), [{ index: 1, field: 'amount', kind: 'amountMismatch', expected: 60_000_000, got: 61_000_000 }]);
  assert.deepEqual(checkBudget([line({ state: 30_000_000 })]), [{ index: 0, field: 'state', kind: 'splitMismatch', expected: 60_000_000, got: 50_000_000 }]);
  assert.deepEqual(checkBudget([line({ unitPrice: 2.5 })]), [{ index: 0, field: 'unitPrice', kind: 'notWholeVnd' }]);
  assert.deepEqual(checkBudget([line({ social: -1 })]), [{ index: 0, field: 'social', kind: 'negative' }]);
  assert.deepEqual(checkBudget([line({ item: ' ', amount: Number.NaN })]), [{ index: 0, field: 'item', kind: 'required' }, { index: 0, field: 'amount', kind: 'notWholeVnd' }]);
  assert.equal(lineLabel(line({ group: 'III', no: 3, item: 'Hội trường' })), 'A.III.3 Hội trường');
  assert.equal(lineLabel(line({ section: 'B', group: null, no: 1, item: 'Phụ cấp làm thêm giờ' })), 'B.1 Phụ cấp làm thêm giờ');
});

test('warnings: the appendix number that differs, a printed total that differs, and each noted discrepancy', () => {
  const total = { amount: 213_000_000, state: 163_000_000, social: 50_000_000 };
  assert.deepEqual(planWarnings({ number: '088/KH-UBND', appendixNumber: '18/KH-UBND', printedTotal: total, discrepancies: ['x'] }, total), [
    { code: 'number_mismatch', number: '088/KH-UBND', appendixNumber: '18/KH-UBND' },
    { code: 'source_discrepancy', note: 'x' },
  ]);
  assert.deepEqual(planWarnings({ number: 'A', appendixNumber: 'A', printedTotal: null, discrepancies: [] }, total), []);
  const off = { ...total, amount: 212_000_000 };
  assert.deepEqual(planWarnings({ number: 'A', appendixNumber: null, printedTotal: off, discrepancies: [] }, total), [{ code: 'printed_total_mismatch', printed: off, computed: total }]);
});

test('execution: activities planned and done, money planned and spent; the same period a year before', () => {
  const s = executionSummary([{ status: 'done', actualSpending: 60_000_000 }, { status: 'in_progress', actualSpending: 10_000_000 }, { status: 'cancelled', actualSpending: null }, { status: 'planned', actualSpending: null }], { amount: 213_000_000, state: 0, social: 0 });
  assert.deepEqual(s.activities, { planned: 4, done: 1, inProgress: 1, notStarted: 1, cancelled: 1 });
  assert.deepEqual(s.money, { planned: 213_000_000, spent: 70_000_000, remaining: 143_000_000, spentShare: 70 / 213 });
  assert.equal(yearBefore('2017-08-18'), '2016-08-18');
  assert.equal(yearBefore('2024-02-29'), '2023-02-28');
});
