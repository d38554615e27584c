import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AesSealer, isSealed, keyId, normalisePhone, PlainSealer, SealError } from './sealed.ts';

const keyA = Buffer.alloc(32, 1);
const keyB = Buffer.alloc(32, 2);
const secret = JSON.stringify({ fullName: 'Nguyễn Thị Lan', idNumber: '082195000123' });

test('a sealed value is v1:<first 8 hex of SHA-256 of the key>:<base64>, holds no plain text, and opens again', () => {
  const s = new AesSealer(keyA);
  const sealed = s.seal(secret, 'dossiers.applicant/d1');
  assert.match(sealed, new RegExp(`^v1:${keyId(keyA)}:[A-Za-z0-9+/]+=*$`));
  assert.equal(keyId(keyA).length, 8);
  assert.doesNotMatch(sealed, /082195000123|Lan/);
  assert.equal(s.open(sealed, 'dossiers.applicant/d1'), secret);
});

test('every sealing uses a fresh IV: the same text sealed twice gives two different values', () => {
  const s = new AesSealer(keyA);
  assert.notEqual(s.seal(secret, 'c'), s.seal(secret, 'c'));
});

test('a sealed value does not open in another row or column, nor when one byte is changed (GCM tag)', () => {
  const s = new AesSealer(keyA);
  const sealed = s.seal(secret, 'dossiers.applicant/d1');
  assert.throws(() => s.open(sealed, 'dossiers.applicant/d2'), SealError);
  assert.throws(() => s.open(sealed, 'dossiers.form/d1'), SealError);
  const raw = Buffer.from(sealed.split(':')[2]!, 'base64');
  raw[raw.length - 1]! ^= 1;
  assert.throws(() => s.open(`v1:${keyId(keyA)}:${raw.toString('base64')}`, 'dossiers.applicant/d1'), SealError);
});

test('a value sealed under a key that is neither current nor previous is refused with the key id named', () => {
  const sealed = new AesSealer(keyA).seal(secret, 'c');
  assert.throws(() => new AesSealer(keyB).open(sealed, 'c'), new RegExp(keyId(keyA)));
});

test('a previous key still opens what it sealed, and such a value is stale under the new key', () => {
  const old = new AesSealer(keyA).seal(secret, 'c');
  const rotating = new AesSealer(keyB, [keyA]);
  assert.equal(rotating.open(old, 'c'), secret);
  assert.equal(rotating.stale(old), true);
  assert.equal(rotating.stale(rotating.seal(secret, 'c')), false);
});

test('plain JSON written before encryption passes through open, and is stale', () => {
  const s = new AesSealer(keyA);
  assert.equal(s.open(secret, 'c'), secret);
  assert.equal(isSealed(secret), false);
  assert.equal(s.stale(secret), true);
});

test('a phone is one number however written: 0987 654 321, 84987654321 and +84 987.654.321 hash alike', () => {
  assert.equal(normalisePhone('0987 654 321'), '+84987654321');
  const s = new AesSealer(keyA);
  const h = s.lookup('phone', '0987 654 321');
  assert.equal(s.lookup('phone', '84987654321'), h);
  assert.equal(s.lookup('phone', '+84 987.654.321'), h);
  assert.notEqual(s.lookup('phone', '0987654322'), h);
});

test('look-up hashes are keyed: the same ID number hashes differently under another key, and never in clear', () => {
  const a = new AesSealer(keyA).lookup('id', '082 195 000 123')!;
  assert.equal(new AesSealer(keyA).lookup('id', '082195000123'), a);
  assert.notEqual(new AesSealer(keyB).lookup('id', '082195000123'), a);
  assert.doesNotMatch(a, /082195000123/);
  assert.equal(new AesSealer(keyA).lookup('email', ' Lan@Example.VN '), new AesSealer(keyA).lookup('email', 'lan@example.vn'));
  assert.equal(new AesSealer(keyA).lookup('id', ''), null);
  assert.equal(new AesSealer(keyA).lookup('id', undefined), null);
  // During a rotation a value is looked for under both keys.
  assert.deepEqual(new AesSealer(keyB, [keyA]).lookups('id', '082195000123'), [new AesSealer(keyB).lookup('id', '082195000123'), a]);
});

test('a data key must be 32 bytes; the pass-through sealer (benchmark only) seals nothing', () => {
  assert.throws(() => new AesSealer(Buffer.alloc(16)), SealError);
  assert.equal(new PlainSealer().seal(secret), secret);
});
