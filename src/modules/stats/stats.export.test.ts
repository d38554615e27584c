// Exports of the report table (form II.06a): the workbook and the CSV read back give the summary's
// numbers, row by row; each dossier list is as long as its column's figure; only staff over the
// unit may list dossiers; the open dataset holds figures only, and they add up to the year's.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Summary } from '../../domain/stats.ts';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { attachResult, counterDossier, deskAt, must, onlineDossier, type Desk } from '../../testing/office.ts';
import { signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { tinyPdf } from '../../testing/uploads.ts';
import { listColumns, type ListColumn } from './stats.export.ts';

let ctx: TestContext;
const codes: Record<string, string> = {};

const at = (iso: string) => ctx.clock.set(iso);
/** Vietnam 09:00 on a day, as UTC. */
const morning = (day: string) => `${day}T02:00:00.000Z`;
const december = 'from=2026-12-01&to=2026-12-31';

async function resolveNow(desk: Desk, id: string) {
  await must(ctx, desk.reception, id, { action: 'transfer' });
  assert.equal((await attachResult(ctx, desk.specialist, id, tinyPdf)).status, 201);
  await must(ctx, desk.approver, id, { action: 'resolve' });
}

/**
 * December 2026 at three communes: Phường 5 and Phường 4 of Mỹ Tho, and Phường 2 of Gò Công. At
 * Phường 5 the dossiers of stats.test.ts (A–G); at Phường 4 one settled early and one by post still
 * within its deadline; at Gò Công one carried over and overdue, one received in December and pending.
 */
before(async () => {
  ctx = await createTestContext();
  at(morning('2026-11-23'));
  const p5 = await deskAt(ctx, 'my-tho-phuong-5');
  const gc = await deskAt(ctx, 'go-cong-phuong-2');
  const a = await counterDossier(ctx, p5.reception);
  codes.A = a.code;
  at(morning('2026-11-25'));
  codes.K = (await counterDossier(ctx, gc.reception, { unitId: 'go-cong-phuong-2' })).code;
  at(morning('2026-11-30'));
  const b = await counterDossier(ctx, p5.reception);
  at(morning('2026-12-01'));
  await resolveNow(p5, b.id);
  const c = await counterDossier(ctx, p5.reception);
  codes.J = (await counterDossier(ctx, gc.reception, { unitId: 'go-cong-phuong-2' })).code;
  at(morning('2026-12-02'));
  await resolveNow(p5, a.id);
  const d = await counterDossier(ctx, p5.reception);
  codes.D = d.code;
  await must(ctx, p5.reception, d.id, { action: 'transfer' });
  at(morning('2026-12-03'));
  await must(ctx, p5.approver, d.id, { action: 'apologize', newDueAt: '2026-12-10', note: 'Cần xác minh thêm' });
  const p4 = await deskAt(ctx, 'my-tho-phuong-4');
  const h = await counterDossier(ctx, p4.reception, { unitId: 'my-tho-phuong-4' });
  at('2026-12-04T09:00:00.000Z');
  await resolveNow(p5, c.id);
  await resolveNow(p4, h.id);
  at(morning('2026-12-09'));
  assert.equal((await attachResult(ctx, p5.specialist, d.id, tinyPdf)).status, 201);
  await must(ctx, p5.approver, d.id, { action: 'resolve' });
  at(morning('2026-12-10'));
  codes.E = (await counterDossier(ctx, p5.reception, { channel: 'postal' })).code;
  at(morning('2026-12-14'));
  const g = await onlineDossier(ctx);
  codes.G = g.code;
  await must(ctx, p5.reception, g.id, { action: 'accept' });
  at(morning('2026-12-15'));
  assert.equal((await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${g.id}/withdraw`, headers: g.citizen.auth, payload: {} })).statusCode, 200);
  await must(ctx, p5.reception, g.id, { action: 'confirm_withdrawal' });
  at(morning('2026-12-16'));
  const refused = await onlineDossier(ctx);
  await must(ctx, p5.reception, refused.id, { action: 'refuse', note: 'Không thuộc thẩm quyền' });
  codes.waiting = (await onlineDossier(ctx)).code;
  at(morning('2026-12-29'));
  const p5late = await deskAt(ctx, 'my-tho-phuong-5');
  await counterDossier(ctx, p5late.reception);
  const p4late = await deskAt(ctx, 'my-tho-phuong-4');
  await counterDossier(ctx, p4late.reception, { unitId: 'my-tho-phuong-4', channel: 'postal' });
  at(morning('2027-01-05'));
  await counterDossier(ctx, await signedInStaff(ctx, 'reception', 'my-tho-phuong-5'));
});
after(() => ctx.close());

const summary = (query: Record<string, string>) => ctx.services.stats.summary(query);
const params = (s: string) => Object.fromEntries(new URLSearchParams(s)) as Record<string, string>;

/** The twelve numbers of a row, in the table's order. */
const numbersOf = (s: Summary) => [
  s.received.online, s.received.direct + s.received.postal, s.received.carriedOver, s.received.total, s.received.grandTotal,
  s.settled.early, s.settled.onTime, s.settled.late, s.settled.total,
  s.pending.withinDeadline, s.pending.overdue, s.pending.total,
];

/** The same numbers in the CSV's order: the columns of the first release, then grandTotal (issue 11) appended. */
const csvNumbersOf = (s: Summary) => [
  s.received.online, s.received.direct + s.received.postal, s.received.carriedOver, s.received.total,
  s.settled.early, s.settled.onTime, s.settled.late, s.settled.total,
  s.pending.withinDeadline, s.pending.overdue, s.pending.total,
  s.received.grandTotal,
];

const figureOf = (s: Summary, column: ListColumn): number => ({
  received_online: s.received.online, received_direct: s.received.direct, received_postal: s.received.postal, carried_over: s.received.carriedOver,
  settled_early: s.settled.early, settled_on_time: s.settled.onTime, settled_late: s.settled.late,
  pending_within: s.pending.withinDeadline, pending_overdue: s.pending.overdue,
})[column];

async function readXlsx(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as never);
  return wb.worksheets[0]!;
}

/** RFC 4180: fields split on commas, quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += ch;
  }
  assert.equal(field, '', 'the last line ends with CRLF');
  return rows;
}

const get = (url: string, headers: Record<string, string> = {}) => ctx.app.inject({ url, headers });

test('the report table as a workbook: Vietnamese headers in two rows with merged groups, a row per district-level unit, the summary’s numbers', async () => {
  const res = await get(`/api/v1/stats/report.xlsx?${december}`);
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['content-type']), /spreadsheetml/);
  assert.match(String(res.headers['content-disposition']), /^attachment; filename="bao-cao-ii06a_2026-12-01_2026-12-31\.xlsx"/);
  const ws = await readXlsx(res.rawPayload);
  assert.equal(ws.name, 'Báo cáo II.06a');
  assert.match(String(ws.getCell('A1').value), /TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH/);
  assert.equal(ws.getCell('A2').value, 'Kỳ báo cáo: từ ngày 01/12/2026 đến ngày 31/12/2026; Đơn vị: Toàn tỉnh; Cấp thực hiện: Tất cả các cấp; Lĩnh vực: Tất cả lĩnh vực');
  for (const range of ['A1:N1', 'A2:N2', 'A3:A4', 'B3:B4', 'C3:G3', 'H3:K3', 'L3:N3']) assert.ok(ws.model.merges.includes(range), `${range} merged: ${ws.model.merges.join(' ')}`);
  assert.deepEqual([ws.getCell('A3').value, ws.getCell('B3').value, ws.getCell('C3').value, ws.getCell('H3').value, ws.getCell('L3').value], ['STT', 'Đơn vị', 'Tiếp nhận', 'Đã giải quyết', 'Đang giải quyết']);
  assert.deepEqual((ws.getRow(4).values as unknown[]).slice(3), [
    'Trực tuyến', 'Trực tiếp hoặc qua bưu chính', 'Kỳ trước chuyển sang', 'Tổng số mới tiếp nhận trong kỳ', 'Tổng số (kỳ trước chuyển sang và mới tiếp nhận)',
    'Trước hạn', 'Đúng hạn', 'Quá hạn', 'Tổng số', 'Trong hạn', 'Quá hạn', 'Tổng số',
  ]);
  assert.equal(ws.getCell('C4').font.bold, true);
  assert.equal(ws.getCell('C4').border.top?.style, 'thin');
  assert.deepEqual(ws.views[0], { ...ws.views[0], state: 'frozen', xSplit: 2, ySplit: 4 });
  assert.ok(ws.getColumn(2).width! >= 40);

  // The province's direct children: its departments and district-level units, each with its subtree.
  const children = ctx.services.catalog.allUnits().filter((u) => u.parentId === 'tien-giang');
  const last = ws.rowCount;
  assert.equal(last, 4 + children.length + 1, 'title, two header rows, a row per child, the total');
  const byName = new Map<string, number[]>();
  for (let r = 5; r < last; r++) {
    const row = ws.getRow(r);
    assert.equal(row.getCell(1).value, r - 4);
    byName.set(String(row.getCell(2).value), Array.from({ length: 12 }, (_, i) => row.getCell(3 + i).value as number));
    assert.equal(row.getCell(3).numFmt, '#,##0');
  }
  for (const u of children) assert.deepEqual(byName.get(u.name), numbersOf(await summary({ ...params(december), unitId: u.id })), u.name);
  assert.deepEqual(byName.get('Thành phố Mỹ Tho'), [1, 6, 2, 7, 9, 2, 2, 2, 6, 2, 1, 3], 'Phường 5 (A–G; G withdrawn, on time) and Phường 4 (settled early; by post on 29 Dec, within the deadline)');
  assert.deepEqual(byName.get('Thị xã Gò Công'), [0, 1, 1, 1, 2, 0, 0, 0, 0, 0, 2, 2], 'K carried over and overdue; J received 1 Dec, due 4 Dec, overdue');
  const total = ws.getRow(last);
  assert.equal(total.getCell(2).value, 'Tổng cộng');
  assert.equal(total.getCell(2).font.bold, true);
  assert.equal(total.getCell(14).font.bold, true);
  const totalNumbers = Array.from({ length: 12 }, (_, i) => total.getCell(3 + i).value as number);
  assert.deepEqual(totalNumbers, numbersOf(await summary(params(december))));
  const sums = totalNumbers.map((_, i) => [...byName.values()].reduce((n, row) => n + row[i]!, 0));
  assert.deepEqual(sums, totalNumbers, 'the rows add up to the total');
});

test('a unit’s table has a row per unit below it; a commune’s, its own row; level and field in words; English on request', async () => {
  const city = await readXlsx((await get(`/api/v1/stats/report.xlsx?${december}&unitId=my-tho&level=commune&field=ho-tich`)).rawPayload);
  assert.equal(city.getCell('A2').value, 'Kỳ báo cáo: từ ngày 01/12/2026 đến ngày 31/12/2026; Đơn vị: Thành phố Mỹ Tho và các đơn vị trực thuộc; Cấp thực hiện: Cấp xã; Lĩnh vực: Hộ tịch');
  const communes = ctx.services.catalog.allUnits().filter((u) => u.parentId === 'my-tho');
  assert.equal(city.rowCount, 4 + communes.length + 1);
  for (let r = 5; r < city.rowCount; r++) {
    const name = String(city.getRow(r).getCell(2).value);
    const unit = communes.find((u) => u.name === name)!;
    assert.ok(unit, name);
    const numbers = Array.from({ length: 12 }, (_, i) => city.getRow(r).getCell(3 + i).value);
    assert.deepEqual(numbers, numbersOf(await summary({ ...params(december), unitId: unit.id, level: 'commune', field: 'ho-tich' })), name);
  }
  const commune = await readXlsx((await get(`/api/v1/stats/report.xlsx?${december}&unitId=my-tho-phuong-5`)).rawPayload);
  assert.equal(commune.rowCount, 6);
  assert.equal(commune.getCell('B5').value, 'Phường 5');
  const own = numbersOf(await summary({ ...params(december), unitId: 'my-tho-phuong-5' }));
  assert.deepEqual(Array.from({ length: 12 }, (_, i) => commune.getRow(5).getCell(3 + i).value), own);
  assert.deepEqual(own, [1, 4, 2, 5, 7, 1, 2, 2, 5, 1, 1, 2]);

  const en = await readXlsx((await get(`/api/v1/stats/report.xlsx?${december}&lang=en`)).rawPayload);
  assert.deepEqual([en.getCell('C3').value, en.getCell('H3').value, en.getCell('L3').value, en.getCell('D4').value, en.getCell('G4').value], ['Received', 'Settled', 'Pending', 'At the counter or by post', 'Total (carried over and newly received)']);
  assert.match(String(en.getCell('A2').value), /^Period: from 1 December 2026 to 31 December 2026; Unit: The whole province/);
  const viaHeader = await readXlsx((await get(`/api/v1/stats/report.xlsx?${december}`, { 'accept-language': 'en' })).rawPayload);
  assert.equal(viaHeader.getCell('C3').value, 'Received');
});

test('the report table as CSV: UTF-8 with a BOM, a header row, RFC 4180, the summary’s numbers, columns added later at the end', async () => {
  const res = await get(`/api/v1/stats/report.csv?${december}`);
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
  assert.deepEqual([...res.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with the UTF-8 byte-order mark');
  const rows = parseCsv(res.rawPayload.toString('utf8').slice(1));
  assert.deepEqual(rows[0], [
    'Mã đơn vị', 'Đơn vị', 'Tiếp nhận: Trực tuyến', 'Tiếp nhận: Trực tiếp hoặc qua bưu chính', 'Tiếp nhận: Kỳ trước chuyển sang', 'Tiếp nhận: Tổng số mới tiếp nhận trong kỳ',
    'Đã giải quyết: Trước hạn', 'Đã giải quyết: Đúng hạn', 'Đã giải quyết: Quá hạn', 'Đã giải quyết: Tổng số',
    'Đang giải quyết: Trong hạn', 'Đang giải quyết: Quá hạn', 'Đang giải quyết: Tổng số',
    // Added in issue 11: appended, so the earlier columns keep their positions.
    'Tiếp nhận: Tổng số (kỳ trước chuyển sang và mới tiếp nhận)',
  ]);
  const body = rows.slice(1, -1);
  assert.equal(body.length, ctx.services.catalog.allUnits().filter((u) => u.parentId === 'tien-giang').length);
  for (const [unitId, , ...numbers] of body) {
    assert.deepEqual(numbers.map(Number), csvNumbersOf(await summary({ ...params(december), unitId: unitId! })), unitId);
  }
  const [blank, label, ...total] = rows.at(-1)!;
  assert.deepEqual([blank, label], ['', 'Tổng cộng']);
  assert.deepEqual(total.map(Number), csvNumbersOf(await summary(params(december))));
  // A name with a comma is quoted.
  assert.ok(res.rawPayload.toString('utf8').includes('"Sở Văn hóa, Thể thao và Du lịch"'));
});

// The Debian package installs openpyxl for the system Python, which a PATH python3 (pyenv, say) may not be.
const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** A workbook's first sheet as openpyxl reads it: its name, cells row by row (numbers as numbers, empty as null), merged ranges, frozen cell, bold cells of the last row. */
function openpyxlSheet(xlsx: Buffer): { name: string; rows: Array<Array<string | number | null>>; merges: string[]; frozen: string | null; lastRowBold: boolean[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-ii06a-'));
  try {
    const file = path.join(dir, 'report.xlsx');
    fs.writeFileSync(file, xlsx);
    const script = [
      'import json, sys, openpyxl',
      'ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]',
      'rows = [list(r) for r in ws.iter_rows(values_only=True)]',
      'last = [bool(c.font and c.font.b) for c in ws[ws.max_row]]',
      'print(json.dumps({"name": ws.title, "rows": rows, "merges": sorted(str(m) for m in ws.merged_cells.ranges), "frozen": ws.freeze_panes, "lastRowBold": last}, ensure_ascii=False))',
    ].join('\n');
    return JSON.parse(execFileSync(python, ['-c', script, file], { encoding: 'utf8' }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The eleven numbers of form II.06a’s row by field, in the form’s order. */
const officialOf = (s: Summary) => [
  s.received.grandTotal, s.received.online, s.received.direct + s.received.postal, s.received.carriedOver,
  s.settled.total, s.settled.early, s.settled.onTime, s.settled.late,
  s.pending.total, s.pending.withinDeadline, s.pending.overdue,
];

test('form II.06a by field, read with openpyxl: the official headings in three rows with their merges, column numbers, a row per field of the catalogue, the total', async () => {
  const res = await get(`/api/v1/stats/report.xlsx?${december}&by=field`);
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['content-disposition']), /filename="bao-cao-ii06a-theo-linh-vuc_2026-12-01_2026-12-31\.xlsx"/);
  const ws = openpyxlSheet(res.rawPayload);
  assert.equal(ws.name, 'II.06a theo lĩnh vực');
  assert.match(String(ws.rows[0]![0]), /^TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH \(MẪU II\.06a\)$/);
  assert.equal(ws.rows[1]![0], 'Kỳ báo cáo: từ ngày 01/12/2026 đến ngày 31/12/2026; Đơn vị: Toàn tỉnh; Cấp thực hiện: Tất cả các cấp; Lĩnh vực: Tất cả lĩnh vực');
  assert.deepEqual(ws.rows[2], ['STT', 'Lĩnh vực giải quyết', 'Số hồ sơ nhận giải quyết', null, null, null, 'Kết quả giải quyết', null, null, null, null, null, null]);
  assert.deepEqual(ws.rows[3], [null, null, 'Tổng số', 'Trong đó', null, null, 'Số hồ sơ đã giải quyết', null, null, null, 'Số hồ sơ đang giải quyết', null, null]);
  assert.deepEqual(ws.rows[4], [null, null, null, 'Số mới tiếp nhận trực tuyến', 'Số mới tiếp nhận trực tiếp, dịch vụ bưu chính', 'Số kỳ trước chuyển qua',
    'Tổng số', 'Trước hạn', 'Đúng hạn', 'Quá hạn', 'Tổng số', 'Trong hạn', 'Quá hạn']);
  assert.deepEqual(ws.rows[5], Array.from({ length: 13 }, (_, i) => `(${i + 1})`));
  assert.deepEqual(ws.merges, ['A1:M1', 'A2:M2', 'A3:A5', 'B3:B5', 'C3:F3', 'C4:C5', 'D4:F4', 'G3:M3', 'G4:J4', 'K4:M4'].sort());
  assert.equal(ws.frozen, 'C7');
  // A row per field of the catalogue, each the summary for that field; the total is the summary.
  const fields = ctx.services.catalog.fields();
  const body = ws.rows.slice(6, -1);
  assert.equal(body.length, fields.length);
  for (const [i, row] of body.entries()) {
    const field = fields[i]!;
    assert.deepEqual(row.slice(0, 2), [i + 1, field.name]);
    assert.deepEqual(row.slice(2), officialOf(await summary({ ...params(december), field: field.key })), field.name);
  }
  assert.deepEqual(body.find((r) => r[1] === 'Hộ tịch')!.slice(2), [11, 1, 7, 3, 6, 2, 2, 2, 5, 2, 3], 'every fixture dossier is a civil-status one: 3 carried over and 8 new, 6 settled, 5 pending');
  const total = ws.rows.at(-1)!;
  assert.deepEqual(total.slice(0, 2), ['', 'Tổng cộng']);
  assert.deepEqual(total.slice(2), officialOf(await summary(params(december))));
  assert.ok(ws.lastRowBold.every(Boolean), 'the total in bold');
  const sums = total.slice(2).map((_, k) => body.reduce((n, r) => n + Number(r[2 + k]), 0));
  assert.deepEqual(sums, total.slice(2), 'the rows add up to the total');
  // A unit and a field narrow it; the CSV has the same rows with headings that name their group.
  const city = openpyxlSheet((await get(`/api/v1/stats/report.xlsx?${december}&by=field&unitId=my-tho&field=ho-tich`)).rawPayload);
  assert.equal(city.rows.length, 6 + 1 + 1);
  assert.deepEqual(city.rows[6]!.slice(2), officialOf(await summary({ ...params(december), unitId: 'my-tho', field: 'ho-tich' })));
  const csv = parseCsv((await get(`/api/v1/stats/report.csv?${december}&by=field`)).rawPayload.toString('utf8').slice(1));
  assert.deepEqual(csv[0], [
    'Mã lĩnh vực', 'Lĩnh vực giải quyết', 'Số hồ sơ nhận giải quyết: Tổng số', 'Số hồ sơ nhận giải quyết: Số mới tiếp nhận trực tuyến',
    'Số hồ sơ nhận giải quyết: Số mới tiếp nhận trực tiếp, dịch vụ bưu chính', 'Số hồ sơ nhận giải quyết: Số kỳ trước chuyển qua',
    'Kết quả giải quyết: Số hồ sơ đã giải quyết: Tổng số', 'Kết quả giải quyết: Số hồ sơ đã giải quyết: Trước hạn', 'Kết quả giải quyết: Số hồ sơ đã giải quyết: Đúng hạn',
    'Kết quả giải quyết: Số hồ sơ đã giải quyết: Quá hạn', 'Kết quả giải quyết: Số hồ sơ đang giải quyết: Tổng số', 'Kết quả giải quyết: Số hồ sơ đang giải quyết: Trong hạn',
    'Kết quả giải quyết: Số hồ sơ đang giải quyết: Quá hạn',
  ]);
  assert.deepEqual(csv.slice(1, -1).map((r) => r[0]), fields.map((f) => f.key));
  assert.deepEqual(csv.at(-1)!.slice(2).map(Number), total.slice(2));
  const en = openpyxlSheet((await get(`/api/v1/stats/report.xlsx?${december}&by=field&lang=en`)).rawPayload);
  assert.deepEqual([en.rows[2]![2], en.rows[2]![6], en.rows[3]![2], en.rows[4]![5]], ['Dossiers to settle', 'Results', 'Total', 'Carried over from the previous period']);
});

test('by receiving desk: a row per desk that received dossiers in the period, the channels and the total, as a workbook and CSV', async () => {
  const res = await get(`/api/v1/stats/report.xlsx?${december}&by=desk`);
  assert.equal(res.statusCode, 200, res.body);
  const ws = openpyxlSheet(res.rawPayload);
  assert.equal(ws.rows[0]![0], 'HỒ SƠ TIẾP NHẬN THEO NƠI TIẾP NHẬN');
  assert.match(String(ws.rows[1]![0]), /Hồ sơ được tính tại nơi tiếp nhận/);
  assert.deepEqual(ws.rows[2], ['STT', 'Nơi tiếp nhận', 'Số hồ sơ tiếp nhận trong kỳ', null, null, null]);
  assert.deepEqual(ws.rows[3], [null, null, 'Trực tuyến', 'Trực tiếp', 'Qua bưu chính', 'Tổng số']);
  const dec = await summary(params(december));
  // Every fixture dossier was received where it is handled: Phường 4 (2), Phường 5 (5), Gò Công's Phường 2 (1).
  assert.deepEqual(ws.rows.slice(4, -1).map((r) => r.slice(1)).sort(), [
    ['Phường 2', 0, 1, 0, 1], ['Phường 4', 0, 1, 1, 2], ['Phường 5', 1, 3, 1, 5],
  ]);
  assert.deepEqual(ws.rows.at(-1), ['', 'Tổng cộng', dec.received.online, dec.received.direct, dec.received.postal, dec.received.total]);
  const csv = parseCsv((await get(`/api/v1/stats/report.csv?${december}&by=desk`)).rawPayload.toString('utf8').slice(1));
  assert.deepEqual(csv[0], ['Mã đơn vị', 'Nơi tiếp nhận', 'Số hồ sơ tiếp nhận trong kỳ: Trực tuyến', 'Số hồ sơ tiếp nhận trong kỳ: Trực tiếp', 'Số hồ sơ tiếp nhận trong kỳ: Qua bưu chính', 'Số hồ sơ tiếp nhận trong kỳ: Tổng số']);
  assert.deepEqual(csv.slice(1, -1).map((r) => r[0]).sort(), ['go-cong-phuong-2', 'my-tho-phuong-4', 'my-tho-phuong-5']);
  assert.equal((await get(`/api/v1/stats/report.csv?${december}&by=khac`)).statusCode, 400);
});

test('each dossier list is as long as its column’s figure, in December and in November, for the province and for a commune', async () => {
  const admin = await signedInStaff(ctx, 'province_admin', 'tien-giang', true);
  const p5 = await signedInStaff(ctx, 'reception', 'my-tho-phuong-5');
  const dec = await summary(params(december));
  assert.ok(listColumns.every((c) => figureOf(dec, c) > 0), 'every column has dossiers in December');
  for (const [who, period, unit] of [[admin, december, ''], [admin, 'from=2026-11-01&to=2026-11-30', ''], [admin, december, '&unitId=my-tho'], [p5, december, '&unitId=my-tho-phuong-5'], [admin, 'from=2026-12-01&to=2026-12-01', '']] as const) {
    const figures = await summary(params(`${period}${unit}`));
    for (const column of listColumns) {
      const res = await get(`/api/v1/stats/dossiers.xlsx?${period}${unit}&column=${column}`, who.auth);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['cache-control'], 'private, no-store');
      const ws = await readXlsx(res.rawPayload);
      assert.equal(ws.rowCount - 3, figureOf(figures, column), `${column} ${period}${unit}: the workbook's rows`);
      const csv = await get(`/api/v1/stats/dossiers.csv?${period}${unit}&column=${column}`, who.auth);
      assert.equal(csv.statusCode, 200);
      assert.equal(parseCsv(csv.rawPayload.toString('utf8').slice(1)).length - 1, figureOf(figures, column), `${column} ${period}${unit}: the CSV's rows`);
    }
  }
});

test('a dossier list shows code, procedure, unit, channel, applicant, times and status, headed in Vietnamese', async () => {
  const admin = await signedInStaff(ctx, 'province_admin', 'tien-giang', true);
  const res = await get(`/api/v1/stats/dossiers.xlsx?${december}&column=settled_late`, admin.auth);
  const ws = await readXlsx(res.rawPayload);
  assert.equal(ws.getCell('A1').value, 'DANH SÁCH HỒ SƠ: Đã giải quyết quá hạn');
  assert.match(String(ws.getCell('A2').value), /Toàn tỉnh.*Số hồ sơ: 2$/);
  assert.deepEqual((ws.getRow(3).values as unknown[]).slice(1), ['Mã hồ sơ', 'Thủ tục', 'Đơn vị', 'Hình thức nộp', 'Người nộp', 'Ngày tiếp nhận', 'Hạn trả kết quả', 'Ngày giải quyết', 'Tình trạng']);
  assert.equal(ws.getCell('A3').font.bold, true);
  const listed = [4, 5].map((r) => String(ws.getRow(r).getCell(1).value)).sort();
  assert.deepEqual(listed, [codes.A!, codes.D!].sort(), 'A and D resolved late');
  const onTime = await readXlsx((await get(`/api/v1/stats/dossiers.xlsx?${december}&column=settled_on_time`, admin.auth)).rawPayload);
  const rows = Array.from({ length: onTime.rowCount - 3 }, (_, i) => onTime.getRow(4 + i));
  assert.ok(rows.some((row) => row.getCell(1).value === codes.G), 'G, withdrawn after acceptance a day after its due day, is settled on time');
  const g = rows.find((row) => row.getCell(1).value === codes.G)!;
  assert.equal(g.getCell(4).value, 'Trực tuyến');
  assert.equal(g.getCell(5).value, 'Nguyễn Thị Lan');
  assert.equal(g.getCell(9).value, 'Rút hồ sơ');
  const accepted = g.getCell(6).value as Date;
  assert.equal(accepted.toISOString(), '2026-12-14T09:00:00.000Z', 'accepted 09:00 Vietnam time, shown as such');
  assert.equal(g.getCell(6).numFmt, 'dd/mm/yyyy hh:mm');

  const csv = parseCsv((await get(`/api/v1/stats/dossiers.csv?${december}&column=pending_overdue`, admin.auth)).rawPayload.toString('utf8').slice(1));
  assert.deepEqual(csv.slice(1).map((r) => r[0]).sort(), [codes.E!, codes.J!, codes.K!].sort(), 'E by post, J and K at Gò Công');
  const e = csv.find((r) => r[0] === codes.E)!;
  assert.deepEqual([e[2], e[3], e[5], e[7]], ['Phường 5', 'Qua bưu điện', '2026-12-10 09:00', '']);
  const en = parseCsv((await get(`/api/v1/stats/dossiers.csv?${december}&column=pending_overdue&lang=en`, admin.auth)).rawPayload.toString('utf8').slice(1));
  assert.deepEqual(en[0], ['Dossier code', 'Procedure', 'Unit', 'Channel', 'Applicant', 'Accepted at', 'Due at', 'Settled at', 'Status']);
  // A dossier never received (waiting for the intake check) is in no list.
  for (const column of listColumns) {
    const text = (await get(`/api/v1/stats/dossiers.csv?${december}&column=${column}`, admin.auth)).rawPayload.toString('utf8');
    assert.ok(!text.includes(codes.waiting!), column);
  }
});

test('dossier lists are for staff over the unit: 401 anonymous, 403 citizens, outreach and other units; a staff member without a unit sees their own scope', async () => {
  const url = (extra = '') => `/api/v1/stats/dossiers.csv?${december}&column=received_direct${extra}`;
  assert.equal((await get(url())).statusCode, 401);
  assert.equal((await get(url(), (await signedInCitizen(ctx)).auth)).statusCode, 403);
  assert.equal((await get(url(), (await signedInStaff(ctx, 'outreach', 'tien-giang', true)).auth)).statusCode, 403);
  const goCong = await signedInStaff(ctx, 'reception', 'go-cong-phuong-2');
  assert.equal((await get(url('&unitId=my-tho-phuong-5'), goCong.auth)).statusCode, 403, 'another commune');
  assert.equal((await get(url('&unitId=go-cong'), goCong.auth)).statusCode, 403, 'the district above: not in a commune’s scope');
  const own = await get(url(), goCong.auth);
  assert.equal(own.statusCode, 200);
  assert.deepEqual(parseCsv(own.rawPayload.toString('utf8').slice(1)).slice(1).map((r) => r[0]), [codes.J], 'only Gò Công’s dossier');
  assert.equal((await get(url('&unitId=go-cong-phuong-2'), goCong.auth)).statusCode, 200);
  const city = await signedInStaff(ctx, 'auditor', 'my-tho', true);
  const mine = await get(url('&unitId=my-tho'), city.auth);
  assert.equal(mine.statusCode, 200);
  assert.equal(parseCsv(mine.rawPayload.toString('utf8').slice(1)).length - 1, (await summary({ ...params(december), unitId: 'my-tho' })).received.direct);
  assert.equal((await get(url('&unitId=go-cong-phuong-2'), city.auth)).statusCode, 403);
  // The table itself is public: figures only.
  assert.equal((await get(`/api/v1/stats/report.csv?${december}`)).statusCode, 200);
});

test('open data: a row per unit and month with figures only, cached, adding up to the year’s summary', async () => {
  const res = await get('/api/v1/open-data/report.json?year=2026');
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['cache-control'], 'public, max-age=3600');
  assert.equal(res.headers['access-control-allow-origin'], '*');
  const data = res.json() as { year: number; months: number; rows: Array<Record<string, string | number | null>> };
  assert.equal(data.year, 2026);
  assert.equal(data.months, 12);
  // The dataset's columns are stable: receivedGrandTotal (issue 11) is appended after the earlier ones.
  const keys = ['year', 'month', 'unitId', 'unitCode', 'unitName', 'unitNameEn', 'parentUnitId', 'level', 'receivedOnline', 'receivedDirect', 'receivedPostal', 'carriedOver', 'receivedTotal',
    'settledEarly', 'settledOnTime', 'settledLate', 'settledTotal', 'pendingWithinDeadline', 'pendingOverdue', 'pendingTotal', 'receivedGrandTotal'];
  for (const row of data.rows) assert.deepEqual(Object.keys(row), keys);
  assert.deepEqual([...new Set(data.rows.map((r) => r.unitId))].sort(), ['go-cong-phuong-2', 'my-tho-phuong-4', 'my-tho-phuong-5']);
  assert.equal(data.rows.length, 3 * 12);
  assert.ok(data.rows.every((r) => r.level === 'commune'));
  // Nothing personal, nothing that names a dossier.
  for (const secret of ['Nguyễn Thị Lan', '082195000123', '0912345678', 'lan.nguyen', ...Object.values(codes)]) assert.ok(!res.body.includes(secret), secret);

  const year = await summary({ from: '2026-01-01', to: '2026-12-31' });
  const sum = (k: string, month?: number) => data.rows.filter((r) => month === undefined || r.month === month).reduce((n, r) => n + Number(r[k]), 0);
  assert.deepEqual(
    [sum('receivedOnline'), sum('receivedDirect'), sum('receivedPostal'), sum('receivedTotal'), sum('settledEarly'), sum('settledOnTime'), sum('settledLate'), sum('settledTotal')],
    [year.received.online, year.received.direct, year.received.postal, year.received.total, year.settled.early, year.settled.onTime, year.settled.late, year.settled.total],
    'flows add up over the months',
  );
  assert.equal(sum('carriedOver', 1), year.received.carriedOver, 'the year’s carried over is January’s');
  assert.deepEqual([sum('pendingWithinDeadline', 12), sum('pendingOverdue', 12), sum('pendingTotal', 12)], [year.pending.withinDeadline, year.pending.overdue, year.pending.total], 'the year’s pending is December’s');
  // Each month of each unit is that unit's summary for the month.
  for (const unitId of ['my-tho-phuong-5', 'go-cong-phuong-2']) {
    for (const month of [11, 12]) {
      const row = data.rows.find((r) => r.unitId === unitId && r.month === month)!;
      const s = await summary({ from: `2026-${month}-01`, to: month === 11 ? '2026-11-30' : '2026-12-31', unitId });
      assert.deepEqual(
        [row.receivedOnline, row.receivedDirect, row.receivedPostal, row.carriedOver, row.receivedTotal, row.receivedGrandTotal, row.settledEarly, row.settledOnTime, row.settledLate, row.settledTotal, row.pendingWithinDeadline, row.pendingOverdue, row.pendingTotal],
        [s.received.online, s.received.direct, s.received.postal, s.received.carriedOver, s.received.total, s.received.grandTotal, s.settled.early, s.settled.onTime, s.settled.late, s.settled.total, s.pending.withinDeadline, s.pending.overdue, s.pending.total],
        `${unitId} ${month}`,
      );
    }
  }

  const csv = await get('/api/v1/open-data/report.csv?year=2026');
  assert.equal(csv.statusCode, 200);
  assert.equal(csv.headers['cache-control'], 'public, max-age=3600');
  assert.deepEqual([...csv.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const table = parseCsv(csv.rawPayload.toString('utf8').slice(1));
  assert.deepEqual(table[0], keys);
  assert.deepEqual(table.slice(1).map((r) => r.map(String)), data.rows.map((r) => keys.map((k) => (r[k] === null ? '' : String(r[k])))));

  // Without a year, the current one (the clock is at 5 January 2027): January so far.
  const now = (await get('/api/v1/open-data/report.json')).json() as typeof data;
  assert.deepEqual([now.year, now.months], [2027, 1]);
  assert.equal(now.rows.reduce((n, r) => n + Number(r.receivedTotal), 0), 1);

  const spec = (await get('/openapi.json')).json() as { paths: Record<string, { get: { tags: string[]; summary: string; description: string } }> };
  for (const path of ['/api/v1/open-data/report.json', '/api/v1/open-data/report.csv']) {
    assert.deepEqual(spec.paths[path]?.get.tags, ['open data'], path);
    assert.match(spec.paths[path]!.get.description, /no personal data/);
  }
  for (const path of ['/api/v1/stats/report.xlsx', '/api/v1/stats/report.csv', '/api/v1/stats/dossiers.xlsx', '/api/v1/stats/dossiers.csv']) assert.ok(spec.paths[path], path);
});

test('bad input is refused with its fields, in Vietnamese or in English', async () => {
  const admin = await signedInStaff(ctx, 'province_admin', 'tien-giang', true);
  const cases: Array<[string, string]> = [
    ['/api/v1/stats/report.xlsx?from=2026-13-01&to=2026-12-31', 'from'],
    ['/api/v1/stats/report.csv?from=2026-12-31&to=2026-12-01', 'to'],
    [`/api/v1/stats/report.xlsx?${december}&unitId=khong-co`, 'unitId'],
    [`/api/v1/stats/report.csv?${december}&level=village`, 'level'],
    [`/api/v1/stats/report.csv?${december}&field=khong-co`, 'field'],
    [`/api/v1/stats/report.csv?${december}&lang=fr`, 'lang'],
    ['/api/v1/stats/report.csv?from=2026-12-01', 'to'],
    [`/api/v1/stats/dossiers.csv?${december}`, 'column'],
    [`/api/v1/stats/dossiers.xlsx?${december}&column=all`, 'column'],
    [`/api/v1/stats/dossiers.xlsx?from=2026-02-30&to=2026-03-01&column=settled_late`, 'from'],
    ['/api/v1/open-data/report.json?year=1999', 'year'],
    ['/api/v1/open-data/report.csv?year=nam-nay', 'year'],
    ['/api/v1/open-data/report.json?year=2028', 'year'],
  ];
  for (const [url, field] of cases) {
    const res = await get(url, admin.auth);
    assert.equal(res.statusCode, 400, url);
    assert.ok(res.json().error.fields[field], `${url}: ${res.body}`);
  }
  const vi = (await get('/api/v1/stats/report.xlsx?from=2026-13-01&to=2026-12-31')).json();
  assert.equal(vi.error.fields.from, 'Ngày phải có dạng NNNN-TT-NN, ví dụ 2026-01-31.');
  const en = (await get('/api/v1/stats/report.xlsx?from=2026-13-01&to=2026-12-31', { 'accept-language': 'en' })).json();
  assert.match(en.error.fields.from, /^[A-Z][a-z ]/);
  assert.notEqual(en.error.fields.from, vi.error.fields.from);
  const future = (await get('/api/v1/open-data/report.json?year=2028', { 'accept-language': 'en' })).json();
  assert.match(future.error.fields.year, /2027/);
});
