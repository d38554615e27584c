// The one-stop documents are read the way people and phones read them: their text, page count and
// fonts (poppler-utils) and their QR code (zbarimg), in Vietnamese and in English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pdfFonts, pdfPageCount, pdfPageTexts, pdfQrCodes, pdfText } from '../../testing/pdf.ts';
import {
  apologyPdf,
  documentTemplateVersion,
  processControlPdf,
  refusalPdf,
  stopNoticePdf,
  supplementRequestPdf,
  type ApologyData,
  type DocumentHeader,
  type HandOver,
  type ProcessControlData,
  type RefusalData,
  type StopData,
  type SupplementRequestData,
} from './office.documents.ts';

// ---- Small factories

const code = '000.00.06.H56-261127-0007';

function header(overrides: Partial<DocumentHeader> = {}): DocumentHeader {
  return {
    unitName: 'UBND Phường 5',
    agencyName: 'UBND thành phố Mỹ Tho',
    code,
    trackingUrl: `http://localhost:3000/tra-cuu/${encodeURIComponent(code)}?key=k3y0f7r4ck1ng`,
    applicantName: 'Nguyễn Thị Lan',
    procedureName: 'Đăng ký khai sinh',
    ...overrides,
  };
}

function supplementRequest(overrides: Partial<SupplementRequestData> = {}): SupplementRequestData {
  return {
    ...header(),
    requestedAt: '2026-11-27T02:32:00Z',
    items: [
      'Giấy chứng sinh (bản chính) do cơ sở y tế nơi trẻ sinh ra cấp',
      'Tờ khai đăng ký khai sinh: ghi lại quê quán của người mẹ theo Căn cước',
      'Văn bản ủy quyền có chứng thực, nếu người đi đăng ký không phải cha, mẹ của trẻ',
    ],
    note: 'Nộp bổ sung trực tuyến hoặc tại quầy số 3.',
    officerName: 'Trần Văn Bình',
    ...overrides,
  };
}

function refusal(overrides: Partial<RefusalData> = {}): RefusalData {
  return {
    ...header(),
    refusedAt: '2026-11-27T02:32:00Z',
    reason: 'Việc khai sinh cho trẻ có yếu tố nước ngoài thuộc thẩm quyền của UBND cấp tỉnh, không thuộc thẩm quyền của UBND Phường 5.',
    officerName: 'Trần Văn Bình',
    ...overrides,
  };
}

function apology(overrides: Partial<ApologyData> = {}): ApologyData {
  return {
    ...header(),
    acceptedAt: '2026-11-27T02:32:00Z',
    dueAt: '2026-12-04T10:00:00Z',
    newDueAt: '2026-12-09T09:00:00Z',
    reason: 'Cần xác minh thông tin nơi cư trú của người mẹ tại địa phương khác.',
    officerName: 'Lê Hoàng Cường',
    issuedAt: '2026-12-02T03:00:00Z',
    ...overrides,
  };
}

function stop(overrides: Partial<StopData> = {}): StopData {
  return {
    ...header(),
    acceptedAt: '2026-11-27T02:32:00Z',
    stoppedAt: '2026-12-01T03:15:00Z',
    reason: 'Người nộp hồ sơ có văn bản đề nghị rút hồ sơ để bổ sung giấy tờ chứng minh nơi cư trú.',
    officerName: 'Lê Hoàng Cường',
    onRequest: true,
    supplementDueAt: null,
    ...overrides,
  };
}

const families = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Võ', 'Đặng', 'Bùi'];
const middles = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Hữu'];
const givens = ['An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà', 'Khoa', 'Lan', 'Nam', 'Phúc'];
/** A different Vietnamese name for each n below 400. */
const personName = (n: number) => `${families[n % 8]} ${middles[Math.floor(n / 8) % 5]} ${givens[Math.floor(n / 40) % 10]}`;
const roles = ['Công chức một cửa', 'Chuyên viên', 'Lãnh đạo phòng', 'Văn thư'];

function handOver(i: number): HandOver {
  const at = new Date(Date.UTC(2026, 10, 27, 2, 32) + i * 3600_000);
  return {
    from: { name: personName(2 * i), roleLabel: roles[i % 4]!, unitName: 'Bộ phận Một cửa' },
    to: { name: personName(2 * i + 1), roleLabel: roles[(i + 1) % 4]!, unitName: 'Phòng Văn hóa - Xã hội' },
    at: at.toISOString(),
    stepDueAt: i % 5 === 4 ? null : new Date(at.getTime() + 24 * 3600_000).toISOString(),
    outcome: i % 3 === 0 ? 'Đúng hạn' : null,
  };
}

function processControl(handOvers: number, overrides: Partial<ProcessControlData> = {}): ProcessControlData {
  return {
    ...header(),
    acceptedAt: '2026-11-27T02:32:00Z',
    dueAt: '2026-12-04T10:00:00Z',
    handOvers: Array.from({ length: handOvers }, (_, i) => handOver(i)),
    ...overrides,
  };
}

// ---- Checks every document shares

function assertShows(text: string, expected: string[]) {
  for (const e of expected) assert.ok(text.includes(e), `the document shows "${e}"\n${text}`);
}

/** The code and applicant as text, the QR code of the tracking page, Be Vietnam Pro embedded, and the form and template in every footer. */
function assertCommon(pdf: Buffer, form: string, lang: 'vi' | 'en') {
  const text = pdfText(pdf);
  assertShows(text, [code, 'Nguyễn Thị Lan', 'Đăng ký khai sinh', 'UBND PHƯỜNG 5']);
  assert.deepEqual(pdfQrCodes(pdf), [header().trackingUrl]);
  const fonts = pdfFonts(pdf);
  assert.ok(fonts.length > 0 && fonts.every((f) => f.name.includes('BeVietnamPro') && f.embedded), `only Be Vietnam Pro, embedded: ${JSON.stringify(fonts)}`);
  const footer = lang === 'vi' ? `Mẫu số ${form} — Thông tư 03/2025/TT-VPCP` : `Form ${form} — Circular 03/2025/TT-VPCP`;
  pdfPageTexts(pdf).forEach((page, i) => assertShows(page, [footer, lang === 'vi' ? `Trang ${i + 1}` : `Page ${i + 1}`]));
}

/** The numbered items, in order, each exactly as given (a long one may wrap onto the next line). */
function assertNumbered(text: string, items: string[]) {
  const flowing = text.replace(/\s+/g, ' ');
  let from = 0;
  items.forEach((item, i) => {
    const at = flowing.indexOf(`${i + 1}. ${item}`, from);
    assert.ok(at >= 0, `item ${i + 1} reads "${i + 1}. ${item}", after item ${i}\n${text}`);
    from = at + item.length;
  });
}

// ---- Form 02

test('Form 02 in Vietnamese lists exactly what is missing, numbered, with the code, applicant, date, note, officer and QR code', async () => {
  const data = supplementRequest();
  const pdf = await supplementRequestPdf('vi', data);
  const text = pdfText(pdf);
  assertShows(text, ['PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ', `Mã hồ sơ: ${code}`, 'Hồ sơ của: Nguyễn Thị Lan', 'Thủ tục: Đăng ký khai sinh',
    'Thời gian yêu cầu: 09:32 ngày 27/11/2026', 'Ngày 27 tháng 11 năm 2026', 'UBND Phường 5 đề nghị Ông/Bà bổ sung',
    'Ghi chú: Nộp bổ sung trực tuyến hoặc tại quầy số 3.', 'NGƯỜI HƯỚNG DẪN', 'Trần Văn Bình']);
  assertNumbered(text, data.items);
  assertCommon(pdf, '02', 'vi');
});

test('Form 02 in English keeps the items as the officer wrote them', async () => {
  const data = supplementRequest({ note: null });
  const pdf = await supplementRequestPdf('en', data);
  const text = pdfText(pdf);
  assertShows(text, ['REQUEST TO SUPPLEMENT OR COMPLETE A DOSSIER', `Dossier code: ${code}`, 'Applicant: Nguyễn Thị Lan', 'Requested at: 09:32 on 27/11/2026', 'Trần Văn Bình']);
  assert.ok(!text.includes('Note:'), 'no note, no note line');
  assertNumbered(text, data.items);
  assertCommon(pdf, '02', 'en');
});

test('a long Form 02 runs onto a second page, every item still printed once, in order, and the footer on each page', async () => {
  const items = Array.from({ length: 45 }, (_, i) => `Bản sao có chứng thực của giấy tờ số ${i + 1}, ghi rõ họ tên, ngày sinh và nơi đăng ký thường trú`);
  const pdf = await supplementRequestPdf('vi', supplementRequest({ items }));
  assert.ok(pdfPageCount(pdf) >= 2);
  assertNumbered(pdfText(pdf), items);
  assertCommon(pdf, '02', 'vi');
});

test('a supplement request without any item is not printed: it must say what is missing', async () => {
  await assert.rejects(supplementRequestPdf('vi', supplementRequest({ items: [] })), /at least one item/);
});

// ---- Form 03

test('Form 03 in Vietnamese gives the reason for refusing the dossier, the date and the officer', async () => {
  const data = refusal();
  const pdf = await refusalPdf('vi', data);
  const text = pdfText(pdf).replace(/\s+/g, ' ');
  assertShows(text, ['PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ', `Mã hồ sơ: ${code}`, 'Thời gian: 09:32 ngày 27/11/2026', `Lý do: ${data.reason}`,
    'NGƯỜI TIẾP NHẬN HỒ SƠ', 'Trần Văn Bình']);
  assertCommon(pdf, '03', 'vi');
});

test('Form 03 in English', async () => {
  const data = refusal({ reason: 'The procedure is handled by the provincial People’s Committee, not by this ward.' });
  const pdf = await refusalPdf('en', data);
  const text = pdfText(pdf).replace(/\s+/g, ' ');
  assertShows(text, ['REFUSAL TO ACCEPT A DOSSIER FOR PROCESSING', `Dossier code: ${code}`, 'Refused at: 09:32 on 27/11/2026', 'Date: 27/11/2026', `Reason: ${data.reason}`, 'Trần Văn Bình']);
  assertCommon(pdf, '03', 'en');
});

test('a refusal without a reason is not printed', async () => {
  await assert.rejects(refusalPdf('vi', refusal({ reason: '  ' })), /reason/);
});

// ---- Form 04

test('Form 04 in Vietnamese shows when the dossier was accepted, the original appointment and the new one, in Vietnam time, and why', async () => {
  const data = apology();
  const pdf = await apologyPdf('vi', data);
  const text = pdfText(pdf).replace(/\s+/g, ' ');
  assertShows(text, ['VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT', `Mã hồ sơ: ${code}`,
    'Thời gian tiếp nhận: 09:32 ngày 27/11/2026', 'Hẹn trả kết quả ban đầu: 17:00 ngày 04/12/2026', 'Đề nghị gia hạn đến: 16:00 ngày 09/12/2026',
    'đề nghị gia hạn thời gian giải quyết hồ sơ, hẹn trả kết quả vào 16:00 ngày 09/12/2026', `Lý do: ${data.reason}`, 'Ngày 02 tháng 12 năm 2026',
    'THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ', 'Lê Hoàng Cường']);
  assertCommon(pdf, '04', 'vi');
});

test('Form 04 in English', async () => {
  const pdf = await apologyPdf('en', apology({ issuedAt: null }));
  const text = pdfText(pdf).replace(/\s+/g, ' ');
  assertShows(text, ['APOLOGY AND REQUEST TO EXTEND THE PROCESSING TIME', `Dossier code: ${code}`, 'Accepted at: 09:32 on 27/11/2026',
    'Original appointment: 17:00 on 04/12/2026', 'Extension requested until: 16:00 on 09/12/2026', 'Lê Hoàng Cường']);
  assert.ok(!text.includes('Date:'), 'undated when no date is given');
  assertCommon(pdf, '04', 'en');
});

// ---- Form 05

/** The lines of the text, trimmed, without the empty ones. */
const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

test('Form 05 in Vietnamese: the title reads "THÔNG BÁO" with "Dừng giải quyết hồ sơ" under it, then the code, applicant, procedure, reason, date and signature block', async () => {
  const data = stop();
  const pdf = await stopNoticePdf('vi', data);
  const text = pdfText(pdf);
  const all = lines(text);
  const title = all.indexOf('THÔNG BÁO');
  assert.ok(title > 0, `a line reads exactly THÔNG BÁO\n${text}`);
  assert.equal(all[title + 1], 'Dừng giải quyết hồ sơ', 'the subject on the next line, exactly');
  assert.equal(all[title + 2], `Mã hồ sơ: ${code}`);
  const flowing = text.replace(/\s+/g, ' ');
  assertShows(flowing, ['Hồ sơ của: Nguyễn Thị Lan', 'Thủ tục: Đăng ký khai sinh', 'Thời gian tiếp nhận: 09:32 ngày 27/11/2026',
    'Thời gian dừng giải quyết: 10:15 ngày 01/12/2026', 'Ngày 01 tháng 12 năm 2026', 'UBND Phường 5 thông báo dừng giải quyết hồ sơ nêu trên.',
    'theo đề nghị rút hồ sơ, dừng giải quyết hồ sơ của Ông/Bà', `Lý do: ${data.reason}`, 'THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ', '(Ký, ghi rõ họ tên và đóng dấu)', 'Lê Hoàng Cường']);
  assert.ok(!flowing.includes('hết hạn bổ sung'), 'not stopped for a missed supplement');
  assertCommon(pdf, '05', 'vi');
});

test('Form 05 when a supplement deadline passed during processing names the deadline; in English too', async () => {
  const data = stop({ onRequest: false, supplementDueAt: '2026-11-30T10:00:00Z', reason: 'Không bổ sung giấy xác nhận nơi cư trú trong thời hạn.' });
  const vi = pdfText(await stopNoticePdf('vi', data)).replace(/\s+/g, ' ');
  assertShows(vi, ['Đã hết hạn bổ sung, hoàn thiện hồ sơ (17:00 ngày 30/11/2026)', `Lý do: ${data.reason}`]);
  assert.ok(!vi.includes('theo đề nghị rút hồ sơ'), 'not at the applicant’s request');
  const pdf = await stopNoticePdf('en', data);
  const en = pdfText(pdf);
  const all = lines(en);
  assert.equal(all[all.indexOf('NOTICE') + 1], 'Processing of the dossier stopped');
  assertShows(en.replace(/\s+/g, ' '), [`Dossier code: ${code}`, 'Stopped at: 10:15 on 01/12/2026', 'The deadline to supplement or complete the dossier (17:00 on 30/11/2026) has passed',
    'HEAD OF THE AGENCY OR UNIT', 'Lê Hoàng Cường']);
  assertCommon(pdf, '05', 'en');
});

test('a stop notice without a reason is not printed', async () => {
  await assert.rejects(stopNoticePdf('vi', stop({ reason: ' ' })), /reason/);
});

test('Form 02 prints the supplement deadline when one was set', async () => {
  const text = pdfText(await supplementRequestPdf('vi', supplementRequest({ dueAt: '2026-12-04T10:00:00Z' }))).replace(/\s+/g, ' ');
  assertShows(text, ['Hạn bổ sung, hoàn thiện hồ sơ: 17:00 ngày 04/12/2026']);
  assert.ok(!pdfText(await supplementRequestPdf('vi', supplementRequest())).includes('Hạn bổ sung'), 'no deadline, no line');
});

// ---- Form 06

test('Form 06 lists all 40 hand-overs across pages, with the header row repeated on every page', async () => {
  const data = processControl(40);
  const pdf = await processControlPdf('vi', data);
  const pages = pdfPageTexts(pdf);
  assert.ok(pdfPageCount(pdf) >= 2 && pages.length === pdfPageCount(pdf), `40 hand-overs take 2 pages or more, got ${pages.length}`);
  pages.forEach((page) => assertShows(page, ['TT', 'Bên giao', 'Bên nhận', 'Thời gian', 'Hạn của bước', 'Kết quả, ghi chú']));
  pages.slice(1).forEach((page) => assertShows(page, [`PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ (tiếp theo) — Mã hồ sơ: ${code}`]));
  const text = pages.join('\n');
  assertShows(text, ['PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ', 'Thời gian tiếp nhận: 09:32 ngày 27/11/2026', 'Hẹn trả kết quả: 17:00 ngày 04/12/2026',
    'Công chức một cửa', 'Lãnh đạo phòng', 'Phòng Văn hóa - Xã hội', 'Đúng hạn']);
  for (const h of data.handOvers) assertShows(text, [h.from.name, h.to.name]);
  assert.equal(new Set(data.handOvers.flatMap((h) => [h.from.name, h.to.name])).size, 80, 'the fixture names 80 different people');
  // Each row starts with its number, in order, and no row is split across two pages.
  const rowNumbers = pages.flatMap((page) => [...page.matchAll(/^\s*(\d+)\s{2,}\S/gm)].map((m) => Number(m[1])));
  assert.deepEqual(rowNumbers, Array.from({ length: 40 }, (_, i) => i + 1));
  // Row 1: handed over at 09:32 on 27/11 Vietnam time, the step due a day later; row 5's step has no deadline of its own.
  const firstRow = pages[0]!.slice(pages[0]!.search(/^\s*1\s{2,}/m));
  assertShows(firstRow.split(/^\s*2\s{2,}/m)[0]!, ['09:32 ngày', '27/11/2026', '28/11/2026', 'Đúng hạn']);
  assertShows(text.slice(text.search(/^\s*5\s{2,}/m)), ['—']);
  assertCommon(pdf, '06', 'vi');
});

test('Form 06 in English, and with no hand-over yet', async () => {
  const pdf = await processControlPdf('en', processControl(40));
  assert.ok(pdfPageCount(pdf) >= 2);
  pdfPageTexts(pdf).forEach((page) => assertShows(page, ['Handed over by', 'Received by', 'Step due', 'Outcome, note']));
  const text = pdfText(pdf);
  assertShows(text, ['DOSSIER PROCESS-CONTROL SHEET', 'Accepted at: 09:32 on 27/11/2026', 'Result due: 17:00 on 04/12/2026', '09:32 on', personName(79)]);
  assertCommon(pdf, '06', 'en');

  const empty = await processControlPdf('en', processControl(0));
  assertShows(pdfText(empty), ['The dossier has not been handed over yet.']);
  assert.equal(pdfPageCount(empty), 1);
});

test('the wording comes from the Circular 03/2025 template file, whose version the footers print', () => {
  assert.equal(documentTemplateVersion, '03/2025');
});
