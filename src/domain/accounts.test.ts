import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lockSeconds, lockSteps, parseUsername, passwordProblem, slidingCount, slidingWait, slidingWindow, throttleRules } from './accounts.ts';

test('a Vietnamese mobile number is one username however it is typed', () => {
  for (const typed of ['0912345678', '0912 345 678', '0912.345.678', '+84912345678', '84912345678', '+84 912-345-678']) {
    assert.deepEqual(parseUsername(typed), { kind: 'phone', value: '+84912345678' }, typed);
  }
});

test('landlines, short numbers and unknown prefixes are not mobile usernames', () => {
  for (const typed of ['02733872345', '091234567', '0112345678', '09123456789', 'abc']) assert.equal(parseUsername(typed), null, typed);
});

test('an email address is lower-cased and must look like one', () => {
  assert.deepEqual(parseUsername('  An.Nguyen@Gmail.COM '), { kind: 'email', value: 'an.nguyen@gmail.com' });
  assert.equal(parseUsername('an@localhost'), null);
  assert.equal(parseUsername('an@@x.vn'), null);
});

test('passwords: at least 8 characters, at most 128; Vietnamese letters count as one each', () => {
  assert.equal(passwordProblem('ngắn'), 'tooShort');
  assert.equal(passwordProblem('mậtkhẩu1'), null);
  assert.equal(passwordProblem('x'.repeat(129)), 'tooLong');
});

test('sign-in slows down after five failures, doubling up to 15 minutes', () => {
  assert.deepEqual([0, 4, 5, 6, 7, 10].map((n) => lockSeconds(n)), [0, 0, 1, 2, 4, 32]);
  assert.equal(lockSeconds(100, 100), 1, "an address gets a far larger allowance");
  assert.equal(lockSeconds(40), 900);
});

test('the lock for each count of failures, from the fifth, until the 15-minute cap', () => {
  const steps = lockSteps();
  assert.deepEqual(steps.slice(0, 3), [{ failures: 5, seconds: 1 }, { failures: 6, seconds: 2 }, { failures: 7, seconds: 4 }]);
  assert.equal(steps.at(-1)!.seconds, 512);
  assert.equal(lockSeconds(steps.at(-1)!.failures + 1), throttleRules.maxLockSeconds, 'beyond the steps, the maximum');
});

test('a sliding window: the previous window counts for the part of it still inside, and decays smoothly', () => {
  const w = slidingWindow(new Date('2026-11-29T03:05:00Z'), 15 * 60);
  assert.deepEqual({ ...w }, { start: '2026-11-29T03:00:00.000Z', previousStart: '2026-11-29T02:45:00.000Z', nextStart: '2026-11-29T03:15:00.000Z', elapsed: 1 / 3 });
  assert.equal(slidingCount({ current: 10, previous: 90 }, 1 / 3), 70);
  assert.equal(slidingCount({ current: 0, previous: 90 }, 1), 0, 'a whole window later, nothing is left');
});

test('the wait until one more fits under a sliding limit', () => {
  assert.equal(slidingWait({ current: 2, previous: 0 }, 0.5, 3, 3600), 0, 'fits now');
  // 3 now, none before: in the next window 3·(1 − g) + 1 ≤ 3 needs g ≥ 1/3: half an hour plus twenty minutes.
  assert.equal(slidingWait({ current: 3, previous: 0 }, 0.5, 3, 3600), 1800 + 1200);
  // 1 now, 3 before, at a quarter: 3·(1 − f) + 2 ≤ 3 needs f ≥ 2/3.
  assert.ok(Math.abs(slidingWait({ current: 1, previous: 3 }, 0.25, 3, 3600) - 1500) <= 1, 'about 25 minutes');
});
