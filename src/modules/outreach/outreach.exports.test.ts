// The 2017 plan's documents read by outside tools: the PDF with pdftotext (both numbers, the
// appendix's columns and totals, Be Vietnam Pro embedded), the budget workbook with openpyxl (the
// columns of such plans, the lines, totals as formulas whose cached values openpyxl reads), and
// the report's PDF.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { signedInStaff } from '../../testing/fixtures.ts';
import { pdfFonts, pdfText } from '../../testing/pdf.ts';
import { demoPlanId } from './outreach.seed.ts';

let ctx: TestContext;
before(async () => (ctx = await createTestContext()));
after(() => ctx.close());

const url = `/api/v1/outreach/plans/${demoPlanId}`;
// The Debian package installs openpyxl for the system Python, which a PATH python3 may not be.
const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** The first sheet as openpyxl reads it: values (cached results of formulas) and the formulas themselves. */
function openpyxl(xlsx: Buffer): { values: unknown[][]; formulas: unknown[][] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-budget-'));
  try {
    const file = path.join(dir, 'budget.xlsx');
    fs.writeFileSync(file, xlsx);
    const script = [
      'import json, sys, openpyxl',
      'v = openpyxl.load_workbook(sys.argv[1], data_only=True).worksheets[0]',
      'f = openpyxl.load_workbook(sys.argv[1]).worksheets[0]',
      'rows = lambda ws: [list(r) for r in ws.iter_rows(values_only=True)]',
      'print(json.dumps({"values": rows(v), "formulas": rows(f)}, ensure_ascii=False, default=str))',
    ].join('\n');
    return JSON.parse(execFileSync(python, ['-c', script, file], { encoding: 'utf8' }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('the plan as PDF (public), read with pdftotext: both numbers, the warning, the budget table in the plan\'s columns, the totals', async () => {
  const res = await ctx.app.inject({ url: `${url}/plan.pdf` });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/pdf');
  const text = pdfText(res.rawPayload).replace(/\s+/g, ' ');
  for (const s of ['088/KH-UBND', '18/KH-UBND', 'Số kế hoạch không thống nhất', 'STT', 'Nội dung', 'Thời gian', 'Số lượng', 'Đơn giá', 'Thành tiền', 'Ngân sách nhà nước', 'Xã hội hóa',
    'Truyền hình', 'Chuyên mục', 'Wifi để 200 sinh viên', 'Phụ cấp làm thêm giờ', 'Tổng cộng 213.000.000 163.000.000 50.000.000', '208.000.000 158.000.000 50.000.000']) {
    assert.ok(text.includes(s), `the PDF shows “${s}”`);
  }
  assert.ok(pdfFonts(res.rawPayload).some((f) => /BeVietnamPro/.test(f.name) && f.embedded));
  const en = pdfText((await ctx.app.inject({ url: `${url}/plan.pdf`, headers: { 'accept-language': 'en' } })).rawPayload).replace(/\s+/g, ' ');
  assert.ok(en.includes('Grand total 213,000,000 163,000,000 50,000,000'));
});

test('the budget as XLSX (public), read with openpyxl: the plan\'s columns, nine lines, section and grand totals as formulas with their values', async () => {
  const res = await ctx.app.inject({ url: `${url}/budget.xlsx` });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-disposition']), /du-toan-088-KH-UBND\.xlsx/);
  const { values, formulas } = openpyxl(res.rawPayload);
  const header = values.findIndex((r) => r[0] === 'STT');
  assert.deepEqual(values[header], ['STT', 'Nội dung', 'Thời gian', 'Số lượng', 'Đơn giá', 'Thành tiền', 'Ngân sách nhà nước', 'Xã hội hóa']);
  const body = values.slice(header + 1).filter((r) => r.some((c) => c !== null));
  const total = body.find((r) => r[1] === 'Tổng cộng')!;
  assert.deepEqual(total.slice(5), [213_000_000, 163_000_000, 50_000_000]);
  const sectionA = body.find((r) => r[0] === 'A')!;
  assert.deepEqual(sectionA.slice(5), [208_000_000, 158_000_000, 50_000_000]);
  assert.deepEqual(body.find((r) => r[0] === 'III')!.slice(5), [48_000_000, 48_000_000, 0]);
  const lines = body.filter((r) => typeof r[0] === 'number');
  assert.equal(lines.length, 9);
  assert.deepEqual(lines[0], [1, 'Chuyên mục', '10 phút', 10, 6_000_000, 60_000_000, 40_000_000, 20_000_000]);
  assert.deepEqual(lines[8], [1, 'Phụ cấp làm thêm giờ', null, null, 5_000_000, 5_000_000, 5_000_000, 0]);
  // The totals are formulas over the rows above; a line's amount is quantity × unit price.
  const totalRow = formulas[values.indexOf(total)]!;
  assert.match(String(totalRow[5]), /^=SUM\(F\d+,F\d+\)$/);
  assert.match(String(formulas[values.indexOf(lines[0]!)]![5]), /^=D\d+\*E\d+$/);
  assert.ok(values.some((r) => typeof r[0] === 'string' && r[0].includes('18/KH-UBND')), 'the warning is in the workbook');
});

test('the report as PDF (outreach role), read with pdftotext', async () => {
  const outreach = await signedInStaff(ctx, 'outreach', 'so-thong-tin-va-truyen-thong');
  assert.equal((await ctx.app.inject({ url: `${url}/report.pdf` })).statusCode, 401);
  const res = await ctx.app.inject({ url: `${url}/report.pdf`, headers: outreach.auth });
  assert.equal(res.statusCode, 200);
  const text = pdfText(res.rawPayload).replace(/\s+/g, ' ');
  for (const s of ['BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH', 'Kính gửi: Ủy ban nhân dân tỉnh', '088/KH-UBND', 'từ 18/08/2017 đến 31/12/2017', '213.000.000', 'Cùng kỳ năm trước', '18/08/2016', '31/12/2016', 'Tỷ lệ trực tuyến']) {
    assert.ok(text.includes(s), `the report shows “${s}”`);
  }
});
