// The fields of a result (docs/domain.md §7.3): what is required for which type, how number, symbol
// and date are checked and tidied.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkResultFields, numberAndSymbol } from './results.ts';

const today = '2026-11-29';

test('a decision needs its type, number and symbol; the date defaults to today; the symbol is written in capitals', () => {
  assert.deepEqual(checkResultFields({ type: 'decision', number: ' 15 ', symbol: 'qđ-ubnd' }, today), { ok: true, value: { type: 'decision', number: '15', symbol: 'QĐ-UBND', issuedOn: today } });
  const none = checkResultFields({}, today);
  assert.equal(none.ok, false);
  assert.deepEqual(!none.ok && Object.keys(none.problems).sort(), ['number', 'type']);
  const noSymbol = checkResultFields({ type: 'refusal', number: '3' }, today);
  assert.deepEqual(!noSymbol.ok && noSymbol.problems, { symbol: { key: 'required' } });
});

test('a licence may go without a symbol and carry a serial with letters; a number needs a digit', () => {
  const licence = checkResultFields({ type: 'licence', number: 'GP-0123' }, today);
  assert.deepEqual(licence.ok && licence.value, { type: 'licence', number: 'GP-0123', symbol: null, issuedOn: today });
  const words = checkResultFields({ type: 'licence', number: 'mười lăm' }, today);
  assert.deepEqual(!words.ok && words.problems, { number: { key: 'resultNumber' } });
});

test('an unknown type, a symbol starting with a digit, an impossible date and a future date are each named', () => {
  const r = checkResultFields({ type: 'giay-to', number: '1', symbol: '1QĐ', issuedOn: '2026-02-30' }, today);
  assert.deepEqual(!r.ok && Object.keys(r.problems).sort(), ['issuedOn', 'symbol', 'type']);
  assert.deepEqual(!r.ok && r.problems.issuedOn, { key: 'badDate' });
  const future = checkResultFields({ type: 'other', number: '1', issuedOn: '2026-11-30' }, today);
  assert.deepEqual(!future.ok && future.problems, { issuedOn: { key: 'issuedInFuture' } });
  const month13 = checkResultFields({ type: 'other', number: '1', issuedOn: '2026-13-01' }, today);
  assert.deepEqual(!month13.ok && month13.problems, { issuedOn: { key: 'badDate' } });
  assert.equal(numberAndSymbol('15', 'QĐ-UBND'), '15/QĐ-UBND');
  assert.equal(numberAndSymbol('GP-0123', null), 'GP-0123');
});
