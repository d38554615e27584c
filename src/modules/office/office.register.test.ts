// Form 07, the dossier register (Sổ theo dõi hồ sơ): one row per dossier a unit received in a
// period, as XLSX (read back with openpyxl, from the Debian package python3-openpyxl that .ci/run
// installs) and PDF (pdftotext), for staff whose scope covers the unit, never cached.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from '../../testing/context.ts';
import { communeUnit, signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { counterDossier, dossierAt, openDesk, type Desk } from '../../testing/office.ts';
import { pdfText } from '../../testing/pdf.ts';

let ctx: TestContext;
let desk: Desk;
let dir: string;
before(async () => {
  ({ ctx, desk } = await openDesk());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-register-'));
});
after(async () => {
  await ctx.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const url = (kind: 'xlsx' | 'pdf', query: Record<string, string>) => `/api/v1/office/register.${kind}?${new URLSearchParams(query)}`;
const day = { unitId: communeUnit, from: '2026-11-29', to: '2026-11-29' };

// The Debian package installs openpyxl for the system Python, which a PATH python3 (pyenv, say) may not be.
const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** The cells of the first sheet, row by row, as openpyxl reads them (an empty cell is '', trailing ones dropped). */
function sheetRows(xlsx: Buffer): string[][] {
  const file = path.join(dir, `register-${Date.now()}.xlsx`);
  fs.writeFileSync(file, xlsx);
  const script = [
    'import json, sys, openpyxl',
    'ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]',
    'rows = [["" if c is None else str(c) for c in row] for row in ws.iter_rows(values_only=True)]',
    'print(json.dumps([r[:max([i + 1 for i, c in enumerate(r) if c] or [0])] for r in rows], ensure_ascii=False))',
  ].join('\n');
  return JSON.parse(execFileSync(python, ['-c', script, file], { encoding: 'utf8' })) as string[][];
}

test('the register lists the dossiers the unit received in the period, as XLSX and PDF, not cached', async () => {
  const returned = await dossierAt(ctx, desk, 'returned');
  const waiting = await dossierAt(ctx, desk, 'submitted');
  const counter = await counterDossier(ctx, desk.reception);
  const elsewhere = await deskAt4();

  const xlsx = await ctx.app.inject({ url: url('xlsx', day), headers: desk.reception.auth });
  assert.equal(xlsx.statusCode, 200, xlsx.body);
  assert.equal(xlsx.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(xlsx.headers['cache-control'], 'no-store');
  const rows = sheetRows(xlsx.rawPayload);
  assert.deepEqual(rows[0], ['SỔ THEO DÕI HỒ SƠ']);
  assert.ok(rows.some((r) => r[0] === 'Nơi tiếp nhận: Bộ phận Một cửa Ủy ban nhân dân Phường 5'), JSON.stringify(rows));
  assert.ok(rows.some((r) => r[0] === 'Từ ngày 29/11/2026 đến ngày 29/11/2026'));
  const header = rows.find((r) => r[0] === 'TT')!;
  assert.deepEqual(header, ['TT', 'Mã hồ sơ', 'Tên tổ chức, cá nhân', 'Tên thủ tục hành chính', 'Nhận hồ sơ', 'Hẹn trả kết quả', 'Chuyển hồ sơ đến (người, thời gian)', 'Có kết quả', 'Trả kết quả', 'Ghi chú']);
  const body = rows.slice(rows.indexOf(header) + 1);
  assert.deepEqual(body.map((r) => r[1]).sort(), [returned.code, waiting.code, counter.code].sort(), 'one row per dossier of the unit, none of another unit');
  assert.ok(!rows.flat().includes(elsewhere), 'another unit’s dossier is not in the register');
  const done = body.find((r) => r[1] === returned.code)!;
  assert.equal(done[2], 'Nguyễn Thị Lan');
  assert.equal(done[3], 'Đăng ký khai sinh');
  assert.equal(done[4], '29/11/2026 10:00');
  assert.equal(done.length, 10, `received, due, transferred, result, returned and notes are filled: ${JSON.stringify(done)}`);
  assert.equal(done[9], 'Đã trả kết quả');
  const open = body.find((r) => r[1] === waiting.code)!;
  assert.deepEqual(open.slice(4), ['29/11/2026 10:00', '', '', '', '', 'Mới đăng ký, chờ tiếp nhận'], 'not yet due, transferred, resolved or returned');

  const pdf = await ctx.app.inject({ url: url('pdf', day), headers: desk.approver.auth });
  assert.equal(pdf.statusCode, 200, pdf.body);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  assert.equal(pdf.headers['cache-control'], 'no-store');
  const text = pdfText(pdf.rawPayload).replace(/\s+/g, ' ');
  for (const expected of ['SỔ THEO DÕI HỒ SƠ', 'Bộ phận Một cửa Ủy ban nhân dân Phường 5', 'Tổng số hồ sơ: 3', returned.code, waiting.code, counter.code, 'Nguyễn Thị Lan', 'Mẫu số 07 — Thông tư 03/2025/TT-VPCP']) {
    assert.ok(text.includes(expected), `the PDF shows "${expected}"\n${text}`);
  }

  const empty = await ctx.app.inject({ url: url('pdf', { ...day, from: '2026-11-30', to: '2026-12-01' }), headers: desk.reception.auth });
  assert.ok(pdfText(empty.rawPayload).includes('Không có hồ sơ nào'), 'a period with no dossier says so');
  const en = await ctx.app.inject({ url: url('xlsx', day), headers: { ...desk.reception.auth, 'accept-language': 'en' } });
  assert.deepEqual(sheetRows(en.rawPayload)[0], ['DOSSIER REGISTER']);
});

test('the register is for staff whose scope covers the unit; a bad period is a 400', async () => {
  const auditor = await signedInStaff(ctx, 'auditor', communeUnit);
  assert.equal((await ctx.app.inject({ url: url('xlsx', day), headers: auditor.auth })).statusCode, 200);
  const province = await signedInStaff(ctx, 'province_admin', 'tien-giang', true);
  assert.equal((await ctx.app.inject({ url: url('xlsx', day), headers: province.auth })).statusCode, 200);
  const other = await signedInStaff(ctx, 'reception', 'my-tho-phuong-4');
  assert.equal((await ctx.app.inject({ url: url('xlsx', day), headers: other.auth })).statusCode, 403);
  const citizen = await signedInCitizen(ctx);
  assert.equal((await ctx.app.inject({ url: url('pdf', day), headers: citizen.auth })).statusCode, 403);
  assert.equal((await ctx.app.inject({ url: url('pdf', day) })).statusCode, 401);
  assert.equal((await ctx.app.inject({ url: url('xlsx', { ...day, from: '2026-12-02' }), headers: desk.reception.auth })).statusCode, 400, 'from after to');
  assert.equal((await ctx.app.inject({ url: url('xlsx', { ...day, to: '29/11/2026' }), headers: desk.reception.auth })).statusCode, 400);
  assert.equal((await ctx.app.inject({ url: url('xlsx', { ...day, unitId: 'nowhere' }), headers: desk.reception.auth })).statusCode, 400);
});

test('the queue page links the register', async () => {
  const page = await ctx.app.inject({ url: '/can-bo/ho-so', headers: desk.reception.auth });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /action="\/api\/v1\/office\/register.xlsx"/);
  assert.match(page.body, /formaction="\/api\/v1\/office\/register.pdf"/);
  assert.match(page.body, /Sổ theo dõi hồ sơ \(Mẫu 07\)/);
  const api = (await ctx.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, { get?: { parameters?: Array<{ name: string }> } }> };
  for (const kind of ['xlsx', 'pdf']) {
    const params = api.paths[`/api/v1/office/register.${kind}`]?.get?.parameters?.map((p) => p.name).sort();
    assert.deepEqual(params, ['from', 'to', 'unitId'], `OpenAPI documents register.${kind}`);
  }
  assert.ok(api.paths['/api/v1/dossiers/{id}/acknowledgement.pdf']?.get, 'OpenAPI documents the acknowledgement');
});

/** A dossier at the neighbouring ward, received the same day: its code. */
async function deskAt4(): Promise<string> {
  const reception = await signedInStaff(ctx, 'reception', 'my-tho-phuong-4');
  return (await counterDossier(ctx, reception, { unitId: 'my-tho-phuong-4' })).code;
}
