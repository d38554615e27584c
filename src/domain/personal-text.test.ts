import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripPersonalData } from './personal-text.ts';

const strip = (t: string) => stripPersonalData(t, '[ẩn]');

test('ID numbers (12 and 9 digits, whole or in groups of three), Vietnamese phones in every usual form and emails are replaced', () => {
  assert.equal(strip('CCCD 082195000123, CMND 123456789, số 082 195 000 123.'), 'CCCD [ẩn], CMND [ẩn], số [ẩn].');
  assert.equal(strip('Gọi 0912 345 678, 0912.345.678, 0912-345-678, +84 912 345 678, 84912345678 hoặc 028 3823 4567'), 'Gọi [ẩn], [ẩn], [ẩn], [ẩn], [ẩn] hoặc [ẩn]');
  assert.equal(strip('Thư cho lan.nguyen+hs@example.com.vn nhé'), 'Thư cho [ẩn] nhé');
});

test('amounts, years, dates, dossier codes and short numbers are left as written', () => {
  const kept = 'Lệ phí 100.000.000 đồng (1.000.000 mỗi bản), năm 2026, ngày 29/11/2026, hồ sơ 000.00.28.H57-261129-0001, mã 12345678, phòng 301.';
  assert.equal(strip(kept), kept);
});
