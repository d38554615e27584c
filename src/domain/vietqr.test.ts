import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QRPay } from 'vietnam-qr-pay';
import { crc16, decodeVietQr, encodeVietQr, vietQrProblem } from './vietqr.ts';

// Published samples from an independent implementation (github.com/subiz/vietqr, Go: README and
// vietqr_test.go), each with its inputs: BIN, account, amount, purpose.
const published: Array<[string, { bankBin: string; accountNo: string; amountVnd?: number; purpose?: string }]> = [
  ['00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN62170813ung ho lu lut6304C15C',
    { bankBin: '970415', accountNo: '0011001932418', amountVnd: 120000, purpose: 'ung ho lu lut' }],
  ['00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA53037045405401235802VN62200816test text string6304D9C6',
    { bankBin: '970422', accountNo: '0023457923442', amountVnd: 40123, purpose: 'test text string' }],
  ['00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA53037045802VN6304CBB4',
    { bankBin: '970423', accountNo: '0099999999' }],
];

test('CRC-16/CCITT-FALSE gives the standard check value 29B1 for "123456789"', () => {
  assert.equal(crc16('123456789'), '29B1');
});

test('our encoder reproduces published VietQR payloads byte for byte, and our decoder reads them back', () => {
  for (const [payload, input] of published) {
    assert.equal(encodeVietQr(input), payload);
    const d = decodeVietQr(payload);
    assert.ok(d.ok, payload);
    assert.equal(d.qr.bankBin, input.bankBin);
    assert.equal(d.qr.accountNo, input.accountNo);
    assert.equal(d.qr.amountVnd, input.amountVnd);
    assert.equal(d.qr.purpose, input.purpose);
    assert.equal(d.qr.serviceCode, 'QRIBFTTA');
    assert.equal(d.qr.currency, '704');
    assert.equal(d.qr.country, 'VN');
    assert.equal(d.qr.initiation, input.amountVnd ? 'dynamic' : 'static');
  }
});

test('vietnam-qr-pay (npm) reads our payload: bank BIN, account, amount, purpose; and its CRC check passes', () => {
  const payload = encodeVietQr({ bankBin: '970403', accountNo: '0123456789012', amountVnd: 1250000, purpose: 'MC7K3QZ9W2XB' });
  const theirs = new QRPay(payload);
  assert.equal(theirs.isValid, true);
  assert.equal(theirs.provider.name, 'VIETQR');
  assert.equal(theirs.consumer.bankBin, '970403');
  assert.equal(theirs.consumer.bankNumber, '0123456789012');
  assert.equal(theirs.amount, '1250000');
  assert.equal(theirs.additionalData.purpose, 'MC7K3QZ9W2XB');
  assert.equal(theirs.initMethod, '12');
  assert.equal(theirs.currency, '704');
  assert.equal(theirs.nation, 'VN');
});

test('our decoder reads what vietnam-qr-pay encodes, and the two encoders agree', () => {
  const input = { bankBin: '970436', accountNo: '1017686868', amountVnd: 30000, purpose: 'MCABCDEF2345' };
  const theirs = QRPay.initVietQR({ bankBin: input.bankBin, bankNumber: input.accountNo, amount: String(input.amountVnd), purpose: input.purpose }).build();
  const d = decodeVietQr(theirs);
  assert.ok(d.ok);
  assert.deepEqual({ bankBin: d.qr.bankBin, accountNo: d.qr.accountNo, amountVnd: d.qr.amountVnd, purpose: d.qr.purpose }, input);
  assert.equal(encodeVietQr(input), theirs);
});

test('a changed character fails the CRC; a cut payload or another scheme is refused', () => {
  const payload = published[0]![0];
  const changed = payload.replace('120000', '920000');
  assert.deepEqual(decodeVietQr(changed), { ok: false, error: 'crc' });
  assert.deepEqual(decodeVietQr(payload.slice(0, -6)), { ok: false, error: 'format' });
  assert.deepEqual(decodeVietQr('not a qr'), { ok: false, error: 'format' });
  // A well-formed EMVCo payload with a correct CRC whose tag 38 carries another GUID: not VietQR.
  const t = (id: string, v: string) => id + String(v.length).padStart(2, '0') + v;
  const body = t('00', '01') + t('01', '11') + t('38', t('00', 'B000000999') + t('01', t('00', '970415') + t('01', '12345678')) + t('02', 'QRIBFTTA')) + t('53', '704') + t('58', 'VN') + '6304';
  assert.deepEqual(decodeVietQr(body + crc16(body)), { ok: false, error: 'not_vietqr' });
});

test('what cannot be encoded is named, never silently cut', () => {
  assert.match(vietQrProblem({ bankBin: '97041', accountNo: '1' }) ?? '', /bankBin/);
  assert.match(vietQrProblem({ bankBin: '970415', accountNo: '12345678901234567890' }) ?? '', /accountNo/);
  assert.match(vietQrProblem({ bankBin: '970415', accountNo: '1', amountVnd: 0 }) ?? '', /amountVnd/);
  assert.match(vietQrProblem({ bankBin: '970415', accountNo: '1', amountVnd: 1.5 }) ?? '', /amountVnd/);
  assert.match(vietQrProblem({ bankBin: '970415', accountNo: '1', purpose: 'phí hồ sơ' }) ?? '', /purpose/);
  assert.match(vietQrProblem({ bankBin: '970415', accountNo: '1', purpose: 'x'.repeat(26) }) ?? '', /purpose/);
  assert.throws(() => encodeVietQr({ bankBin: 'abc', accountNo: '1' }), RangeError);
});
