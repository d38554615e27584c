// Published feedback never publishes personal data that the sender wrote into the text.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, testDialect, type TestContext } from '../../testing/context.ts';
import { signedInStaff } from '../../testing/fixtures.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

test(`published feedback has ID numbers, phone numbers and emails in its text replaced by a marker; the unit still reads the original (${testDialect})`, async () => {
  const sent = await ctx.app.inject({
    method: 'POST', url: '/api/v1/feedback',
    payload: {
      unitId: 'my-tho-phuong-5', name: 'Trần Văn Nam', contact: 'nam.tran@example.vn', subject: 'Hồ sơ của CCCD 082195000123',
      body: 'Tôi (CMND 123 456 789) gọi 0912.345.678 và +84 912 345 679 không ai nghe; xin trả lời qua nam.tran@example.vn. Lệ phí 100.000 đồng.',
    },
  });
  assert.equal(sent.statusCode, 201, sent.body);
  const { id } = sent.json();
  const reception = await signedInStaff(ctx, 'reception', 'my-tho-phuong-5');
  const answered = await ctx.app.inject({ method: 'POST', url: `/api/v1/office/feedback/${id}/answer`, headers: reception.auth, payload: { answer: 'Chúng tôi đã gọi lại số 0912345678.', publish: true } });
  assert.equal(answered.statusCode, 200, answered.body);

  const api = (await ctx.app.inject({ url: '/api/v1/feedback' })).json();
  assert.equal(api.items[0].subject, 'Hồ sơ của CCCD [thông tin cá nhân đã được ẩn]');
  assert.equal(api.items[0].body, 'Tôi (CMND [thông tin cá nhân đã được ẩn]) gọi [thông tin cá nhân đã được ẩn] và [thông tin cá nhân đã được ẩn] không ai nghe; xin trả lời qua [thông tin cá nhân đã được ẩn]. Lệ phí 100.000 đồng.');
  assert.equal(api.items[0].answer, 'Chúng tôi đã gọi lại số [thông tin cá nhân đã được ẩn].');
  const english = (await ctx.app.inject({ url: '/api/v1/feedback', headers: { 'accept-language': 'en' } })).json();
  assert.match(english.items[0].subject, /\[personal data removed\]$/);

  const page = (await ctx.app.inject({ url: '/phan-anh' })).body;
  for (const secret of ['082195000123', '123 456 789', '0912.345.678', '912 345 679', 'nam.tran@example.vn', '0912345678']) {
    assert.ok(!page.includes(secret) && !JSON.stringify(api).includes(secret), `${secret} is not published`);
  }
  assert.match(page, /Lệ phí 100\.000 đồng/);

  const desk = (await ctx.app.inject({ url: '/api/v1/office/feedback', headers: reception.auth })).json();
  assert.match(JSON.stringify(desk), /082195000123/, 'the unit answering it reads what was written');
});
