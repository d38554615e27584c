import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maxAttempts, nextAttemptAt } from './backoff.ts';

const failedAt = new Date('2026-11-29T03:00:00.000Z');
const later = (attempts: number) => nextAttemptAt(attempts, failedAt)?.toISOString() ?? null;

test('a failed delivery is retried after 1 min, 5 min, 30 min, 2 h, then 6 h', () => {
  assert.equal(later(1), '2026-11-29T03:01:00.000Z');
  assert.equal(later(2), '2026-11-29T03:05:00.000Z');
  assert.equal(later(3), '2026-11-29T03:30:00.000Z');
  assert.equal(later(4), '2026-11-29T05:00:00.000Z');
  assert.equal(later(5), '2026-11-29T09:00:00.000Z');
});

test('the 6th failed attempt is the last: no retry after it', () => {
  assert.equal(maxAttempts, 6);
  assert.equal(later(6), null);
  assert.equal(later(7), null);
});

test('attempts are counted from 1', () => {
  assert.throws(() => nextAttemptAt(0, failedAt), RangeError);
  assert.throws(() => nextAttemptAt(1.5, failedAt), RangeError);
});
