// Form 01 (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) comes once the desk accepts the dossier; before
// that the applicant has the acknowledgement of submission. Both read with pdftotext.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dossierAt, openDesk, type Desk } from '../../testing/office.ts';
import type { TestContext } from '../../testing/context.ts';
import { pdfQrCodes, pdfText } from '../../testing/pdf.ts';

let ctx: TestContext;
let desk: Desk;
before(async () => {
  ({ ctx, desk } = await openDesk());
});
after(() => ctx.close());

const get = (url: string, who: { auth: Record<string, string> }) => ctx.app.inject({ url, headers: who.auth });

test('Form 01 once accepted: the desk, the processing time, the documents (original or copy as listed), the appointment, both signature blocks', async () => {
  const d = await dossierAt(ctx, desk, 'submitted');
  assert.equal((await get(`/api/v1/dossiers/${d.id}/receipt.pdf`, d.citizen)).statusCode, 409);
  assert.equal((await get(`/api/v1/dossiers/${d.id}/receipt.pdf`, desk.reception)).statusCode, 409, 'not for staff either before acceptance');
  const ack = await get(`/api/v1/dossiers/${d.id}/acknowledgement.pdf`, d.citizen);
  assert.equal(ack.statusCode, 200);
  const ackText = pdfText(ack.rawPayload).replace(/\s+/g, ' ');
  assert.ok(ackText.includes('GIẤY XÁC NHẬN ĐÃ NHẬN HỒ SƠ'), ackText);
  assert.ok(ackText.includes('chưa phải là Giấy tiếp nhận hồ sơ và hẹn trả kết quả'), ackText);

  const accepted = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/actions`, headers: desk.reception.auth, payload: { action: 'accept' } });
  assert.equal(accepted.statusCode, 200, accepted.body);
  const res = await get(`/api/v1/dossiers/${d.id}/receipt.pdf`, d.citizen);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/pdf');
  const text = pdfText(res.rawPayload).replace(/\s+/g, ' ');
  for (const expected of ['GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', d.code, 'Nơi tiếp nhận: Bộ phận Một cửa Ủy ban nhân dân Phường 5',
    'BỘ PHẬN MỘT CỬA ỦY BAN NHÂN DÂN PHƯỜNG 5', 'Nguyễn Thị Lan', 'Đăng ký khai sinh', 'Thời hạn giải quyết: trong ngày làm việc',
    'Tên giấy tờ', 'Bản chính, bản sao', 'Tờ khai đăng ký khai sinh', 'Giấy chứng sinh (bản chính)', 'Bản chính', 'Thời gian tiếp nhận', 'Hẹn trả kết quả',
    'NGƯỜI NỘP HỒ SƠ', 'NGƯỜI TIẾP NHẬN HỒ SƠ', '(Ký và ghi rõ họ tên)', 'Mẫu số 01 — Thông tư 03/2025/TT-VPCP']) {
    assert.ok(text.includes(expected), `Form 01 shows "${expected}"\n${text}`);
  }
  assert.ok(!text.includes('đang chờ cán bộ kiểm tra'), 'Form 01 is issued accepted');
  assert.equal(pdfQrCodes(res.rawPayload)[0], `http://localhost:3000/tra-cuu/${encodeURIComponent(d.code)}?key=${d.trackingKey}`);

  const staff = await get(`/api/v1/dossiers/${d.id}/receipt.pdf`, desk.reception);
  assert.equal(staff.statusCode, 200, 'the desk prints it too');
  const en = await ctx.app.inject({ url: `/api/v1/dossiers/${d.id}/receipt.pdf`, headers: { ...d.citizen.auth, 'accept-language': 'en' } });
  const enText = pdfText(en.rawPayload).replace(/\s+/g, ' ');
  for (const expected of ['DOSSIER RECEIPT AND APPOINTMENT SLIP', 'RECEIVING OFFICER', 'APPLICANT', 'Form 01 — Circular 03/2025/TT-VPCP']) {
    assert.ok(enText.includes(expected), `English Form 01 shows "${expected}"\n${enText}`);
  }
});

test('the applicant’s pages link the acknowledgement at submission and Form 01 once accepted', async () => {
  const d = await dossierAt(ctx, desk, 'submitted');
  const cookie = d.citizen.auth;
  const list = await ctx.app.inject({ url: '/ho-so', headers: cookie });
  assert.match(list.body, new RegExp(`/ho-so/${d.id}/giay-xac-nhan.pdf`));
  assert.doesNotMatch(list.body, new RegExp(`/ho-so/${d.id}/giay-tiep-nhan.pdf`));
  const ack = await ctx.app.inject({ url: `/ho-so/${d.id}/giay-xac-nhan.pdf`, headers: cookie });
  assert.equal(ack.statusCode, 200);
  assert.ok(pdfText(ack.rawPayload).includes('GIẤY XÁC NHẬN ĐÃ NHẬN HỒ SƠ'));
  await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/actions`, headers: desk.reception.auth, payload: { action: 'accept' } });
  const after = await ctx.app.inject({ url: '/ho-so', headers: cookie });
  assert.match(after.body, new RegExp(`/ho-so/${d.id}/giay-tiep-nhan.pdf`));
});
