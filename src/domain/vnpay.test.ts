// VNPay 2.1.0 signing, checked against two outside references: the `vnpay` npm package (2.5.0,
// a devDependency used only here) and openssl's HMAC-SHA512 over the signed text.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { VNPay } from 'vnpay';
import { outcomeOf, parseVnpDate, paymentParams, paymentUrl, signedQuery, signedText, vnpDate, vnpEncode, vnpSign, vnpVerify } from './vnpay.ts';

const terminal = { tmnCode: 'DEMOV210', hashSecret: 'TESTSECRETTESTSECRETTESTSECRET12', gatewayUrl: 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html' };
const order = {
  txnRef: 'MCABCDEFGH23A1', amountVnd: 21000, orderInfo: 'Thanh toan ho so 000.00.01.H57-261129-0001', locale: 'vn' as const,
  returnUrl: 'http://localhost:3000/thanh-toan/vnpay/ket-qua', ipAddr: '127.0.0.1',
  createdAt: new Date('2026-11-29T03:00:00Z'), expiresAt: new Date('2026-11-29T03:15:00Z'),
};

test('dates are yyyyMMddHHmmss in Vietnam time; amounts are VND × 100', () => {
  assert.equal(vnpDate(new Date('2026-11-29T17:30:05Z')), '20261130003005');
  assert.equal(parseVnpDate('20261130003005')!.toISOString(), '2026-11-29T17:30:05.000Z');
  assert.equal(parseVnpDate('2026113000300'), null);
  const p = paymentParams(terminal, order);
  assert.equal(p.vnp_Amount, '2100000');
  assert.equal(p.vnp_CreateDate, '20261129100000');
  assert.equal(p.vnp_ExpireDate, '20261129101500');
  assert.deepEqual([p.vnp_Version, p.vnp_Command, p.vnp_CurrCode, p.vnp_Locale], ['2.1.0', 'pay', 'VND', 'vn']);
  assert.throws(() => paymentParams(terminal, { ...order, amountVnd: 10.5 }));
});

test('the signed text is sorted by name and form-URL-encoded (spaces as +), without the hash fields', () => {
  assert.equal(vnpEncode('a b/c:d~(x)'), 'a+b%2Fc%3Ad%7E%28x%29');
  const text = signedText({ vnp_TxnRef: 'X1', vnp_Amount: '100', vnp_OrderInfo: 'Thanh toan', vnp_SecureHash: 'ff', vnp_SecureHashType: 'HmacSHA512', vnp_Empty: '', other: 'no' });
  assert.equal(text, 'vnp_Amount=100&vnp_OrderInfo=Thanh+toan&vnp_TxnRef=X1');
});

test('the HMAC-SHA512 signature matches openssl over the same text', () => {
  const params = paymentParams(terminal, order);
  const text = signedText(params);
  const openssl = execFileSync('openssl', ['dgst', '-sha512', '-hmac', terminal.hashSecret], { input: text }).toString().trim().split('= ')[1];
  assert.equal(vnpSign(params, terminal.hashSecret), openssl);
  assert.match(openssl!, /^[0-9a-f]{128}$/);
});

test('our payment URL and signature agree with the vnpay package', () => {
  const ours = paymentUrl(terminal, order);
  const pkg = new VNPay({ tmnCode: terminal.tmnCode, secureSecret: terminal.hashSecret, vnpayHost: 'https://sandbox.vnpayment.vn', hashAlgorithm: 'SHA512' as never });
  const theirs = pkg.buildPaymentUrl({
    vnp_Amount: order.amountVnd, vnp_IpAddr: order.ipAddr, vnp_TxnRef: order.txnRef, vnp_OrderInfo: order.orderInfo,
    vnp_OrderType: 'other' as never, vnp_ReturnUrl: order.returnUrl, vnp_Locale: 'vn' as never,
    vnp_CreateDate: Number(vnpDate(order.createdAt)), vnp_ExpireDate: Number(vnpDate(order.expiresAt)),
  });
  assert.equal(ours, theirs);
  // A return signed by us verifies with the package, and one signed by the package with us.
  const back = { vnp_Amount: '2100000', vnp_BankCode: 'NCB', vnp_OrderInfo: 'Thanh toan ho so', vnp_ResponseCode: '00', vnp_TmnCode: terminal.tmnCode, vnp_TransactionNo: '14212345', vnp_TransactionStatus: '00', vnp_TxnRef: order.txnRef, vnp_PayDate: '20261129100500' };
  const query = Object.fromEntries(new URLSearchParams(signedQuery(back, terminal.hashSecret)));
  assert.equal(pkg.verifyReturnUrl(query as never).isVerified, true);
  assert.equal(pkg.verifyIpnCall(query as never).isVerified, true);
  assert.equal(vnpVerify(query, terminal.hashSecret), true);
});

test('a changed parameter, a wrong secret, a missing or repeated hash fail verification', () => {
  const q = Object.fromEntries(new URLSearchParams(signedQuery({ vnp_Amount: '2100000', vnp_ResponseCode: '00', vnp_TxnRef: 'X1', vnp_TransactionStatus: '00' }, terminal.hashSecret)));
  assert.equal(vnpVerify(q, terminal.hashSecret), true);
  assert.equal(vnpVerify({ ...q, vnp_Amount: '2100100' }, terminal.hashSecret), false);
  assert.equal(vnpVerify({ ...q, vnp_ResponseCode: '24' }, terminal.hashSecret), false);
  assert.equal(vnpVerify(q, 'another secret of some length'), false);
  assert.equal(vnpVerify({ ...q, vnp_SecureHash: undefined }, terminal.hashSecret), false);
  assert.equal(vnpVerify({ ...q, vnp_SecureHash: [q.vnp_SecureHash!, q.vnp_SecureHash!] }, terminal.hashSecret), false);
  assert.equal(vnpVerify({ ...q, vnp_SecureHash: q.vnp_SecureHash!.toUpperCase() }, terminal.hashSecret), true);
});

test('an outcome pays only with both codes 00, and a non-whole amount is no amount', () => {
  assert.equal(outcomeOf({ vnp_ResponseCode: '00', vnp_TransactionStatus: '00', vnp_Amount: '800000', vnp_TxnRef: 'A' }).success, true);
  assert.equal(outcomeOf({ vnp_ResponseCode: '00', vnp_TransactionStatus: '02', vnp_Amount: '800000' }).success, false);
  assert.equal(outcomeOf({ vnp_Amount: '800050' }).amountVnd, null);
  assert.equal(outcomeOf({ vnp_Amount: '800000' }).amountVnd, 8000);
});
