import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri, stepAt, totp } from './totp.ts';
import { AesSealer, SealError } from './sealed.ts';

// RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const seed = Buffer.from('12345678901234567890');
const vectors: Array<[number, string]> = [
  [59, '94287082'], [1111111109, '07081804'], [1111111111, '14050471'],
  [1234567890, '89005924'], [2000000000, '69279037'], [20000000000, '65353130'],
];

test('TOTP gives the RFC 6238 Appendix B SHA-1 codes (8 digits) at every test time', () => {
  for (const [seconds, code] of vectors) assert.equal(totp(seed, new Date(seconds * 1000), 8), code, `T=${seconds}`);
});

test('the 6-digit code is the last six digits of the RFC 6238 vector', () => {
  for (const [seconds, code] of vectors) assert.equal(totp(seed, new Date(seconds * 1000)), code.slice(2), `T=${seconds}`);
});

test('HOTP gives the RFC 4226 Appendix D codes', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  expected.forEach((code, i) => assert.equal(hotp(seed, i), code));
});

test('base32 follows RFC 4648 section 10 and decodes what it encodes', () => {
  const cases: Array<[string, string]> = [['', ''], ['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']];
  for (const [plain, encoded] of cases) {
    assert.equal(base32Encode(Buffer.from(plain)), encoded);
    assert.equal(base32Decode(encoded)?.toString(), plain);
    assert.equal(base32Decode(`${encoded.toLowerCase()}======`)?.toString(), plain);
  }
  assert.equal(base32Encode(seed), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  assert.equal(base32Decode('not base32!'), null);
});

test('a code is accepted one step either side of now, not two, and never at or before the last used step', () => {
  const now = new Date(1_700_000_000_000);
  const step = stepAt(now);
  const at = (s: number) => new Date(s * 30_000);
  assert.equal(matchTotp(seed, totp(seed, now), now), step);
  assert.equal(matchTotp(seed, totp(seed, at(step - 1)), now), step - 1);
  assert.equal(matchTotp(seed, totp(seed, at(step + 1)), now), step + 1);
  assert.equal(matchTotp(seed, totp(seed, at(step - 2)), now), null);
  assert.equal(matchTotp(seed, totp(seed, now), now, step), null, 'replayed within its window');
  assert.equal(matchTotp(seed, totp(seed, at(step - 1)), now, step), null, 'an older code after a newer one');
  assert.equal(matchTotp(seed, 'abcdef', now), null);
  assert.equal(matchTotp(seed, '', now), null);
});

test('the otpauth URI names the issuer and account and carries the base32 secret', () => {
  const uri = otpauthUri(seed, 'Một Cửa', 'can.bo@tiengiang.gov.vn');
  assert.match(uri, /^otpauth:\/\/totp\/M%E1%BB%99t%20C%E1%BB%ADa:can\.bo%40tiengiang\.gov\.vn\?/);
  assert.equal(new URL(uri).searchParams.get('secret'), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  assert.equal(new URL(uri).searchParams.get('period'), '30');
});

test('a sealed secret opens only with its key and its context, and not once tampered with', () => {
  // The secret is kept as dossiers' personal data is: AES-256-GCM under DATA_KEY, bound to its account.
  const key = Buffer.alloc(32, 1);
  const sealed = new AesSealer(key).seal(seed.toString('base64url'), 'totp:u1');
  assert.ok(!sealed.includes(base32Encode(seed)) && !sealed.includes(seed.toString('base64url')));
  assert.deepEqual(Buffer.from(new AesSealer(key).open(sealed, 'totp:u1'), 'base64url'), seed);
  assert.deepEqual(Buffer.from(new AesSealer(Buffer.alloc(32, 2), [key]).open(sealed, 'totp:u1'), 'base64url'), seed, 'an earlier key still opens it');
  assert.throws(() => new AesSealer(Buffer.alloc(32, 2)).open(sealed, 'totp:u1'), SealError);
  assert.throws(() => new AesSealer(key).open(sealed, 'totp:u2'), SealError);
  const tampered = sealed.slice(0, -8) + (sealed.endsWith('AAAAAAAA') ? 'BBBBBBBB' : 'AAAAAAAA');
  assert.throws(() => new AesSealer(key).open(tampered, 'totp:u1'), SealError);
});
