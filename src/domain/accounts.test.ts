import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lockSeconds, parseUsername, passwordProblem } from './accounts.ts';

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
