// The office queue (tabs, counts, filters, scope), the printed documents of a dossier, and the
// daily reminders to handlers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { signedInStaff } from '../../testing/fixtures.ts';
import { counterDossier, deskAt, must, onlineDossier, type Desk, openDesk } from '../../testing/office.ts';
import { pdfText } from '../../testing/pdf.ts';

let ctx: TestContext;
let desk: Desk;
before(async () => ({ ctx, desk } = await openDesk()));
after(() => ctx.close());

const queue = async (who: { auth: Record<string, string> }, query = '') => {
  const res = await ctx.app.inject({ url: `/api/v1/office/queue${query}`, headers: who.auth });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { total: number; items: Array<{ id: string; code: string; status: string; dueAt: string | null; overdue: boolean; assigneeId: string | null }>; counts: Record<string, number>; tab: string };
};

test('the queue: tabs with counts, soonest due first, overdue and due-soon derived from the calendar, "assigned to me", and never another commune’s dossiers', async () => {
  ctx.clock.set('2026-11-30T02:32:00.000Z'); // Mon 09:32
  const waiting = await onlineDossier(ctx);
  const a = await counterDossier(ctx, desk.reception); // due Thu 3 Dec 17:00
  ctx.clock.set('2026-11-26T02:00:00.000Z'); // the Thursday before: due Tue 1 Dec
  const b = await counterDossier(ctx, desk.reception);
  ctx.clock.set('2026-11-23T02:00:00.000Z'); // due Thu 26 Nov: late by Monday
  const late = await counterDossier(ctx, desk.reception);
  ctx.clock.set('2026-11-30T03:00:00.000Z');
  await must(ctx, desk.reception, a.id, { action: 'transfer', toUserId: desk.specialist.user.id });

  const open = await queue(desk.reception);
  assert.equal(open.tab, 'open');
  assert.deepEqual(open.items.map((i) => i.id), [late.id, b.id, a.id, waiting.id], 'soonest due first; waiting for intake last');
  assert.equal(open.items[0]!.overdue, true);
  assert.deepEqual(
    { open: open.counts.open, intake: open.counts.intake, processing: open.counts.processing, overdue: open.counts.overdue, due_soon: open.counts.due_soon },
    { open: 4, intake: 1, processing: 3, overdue: 1, due_soon: 1 },
  );
  assert.deepEqual((await queue(desk.reception, '?overdue=true')).items.map((i) => i.id), [late.id]);
  assert.deepEqual((await queue(desk.reception, '?tab=due_soon')).items.map((i) => i.id), [b.id], 'due by the end of the second working day');
  assert.deepEqual((await queue(desk.reception, '?tab=intake')).items.map((i) => i.id), [waiting.id]);
  assert.deepEqual((await queue(desk.specialist, '?assignedTo=me')).items.map((i) => i.id), [a.id]);
  assert.deepEqual((await queue(desk.reception, '?status=in_process')).items.map((i) => i.id), [a.id]);
  assert.equal((await queue(desk.reception, '?procedureId=dang-ky-khai-sinh')).total, 1);

  const elsewhere = await signedInStaff(ctx, 'reception', 'my-tho-phuong-4');
  const theirs = await queue(elsewhere);
  assert.equal(theirs.total, 0, 'a commune officer never sees another commune’s dossiers');
  assert.equal((await queue(elsewhere, '?unitId=my-tho-phuong-5')).total, 0, 'not even by asking for the unit');
  // A district (city) officer with the subtree sees the communes below.
  const city = await signedInStaff(ctx, 'auditor', 'my-tho', true);
  assert.equal((await queue(city)).counts.open, 4);
  const cityOnly = await signedInStaff(ctx, 'auditor', 'my-tho', false);
  assert.equal((await queue(cityOnly)).counts.open, 0, 'without the subtree, only the city’s own dossiers');
});

test('the queue is for staff who read dossiers: citizens and outreach get 403, strangers 401; a bad tab is 400', async () => {
  const outreach = await signedInStaff(ctx, 'outreach', 'my-tho-phuong-5');
  const w = await onlineDossier(ctx);
  for (const who of [w.citizen, outreach]) assert.equal((await ctx.app.inject({ url: '/api/v1/office/queue', headers: who.auth })).statusCode, 403);
  assert.equal((await ctx.app.inject({ url: '/api/v1/office/queue' })).statusCode, 401);
  assert.equal((await ctx.app.inject({ url: '/api/v1/office/queue?tab=everything', headers: desk.reception.auth })).statusCode, 400);
});

test('documents: Form 02 lists exactly what is missing; 03 gives the reason; 04 both dates; 06 every hand-over; each only once it applies (05: office.lifecycle.test.ts)', async () => {
  ctx.clock.set('2026-11-30T02:32:00.000Z');
  const asked = await onlineDossier(ctx);
  const doc = (who: { auth: Record<string, string> }, id: string, form: string) => ctx.app.inject({ url: `/api/v1/dossiers/${id}/documents/${form}.pdf`, headers: who.auth });
  assert.equal((await doc(desk.reception, asked.id, '02')).statusCode, 409, 'no supplement asked yet');
  await must(ctx, desk.reception, asked.id, { action: 'request_supplement', missing: ['Bản chính giấy chứng sinh', 'Giấy chứng nhận kết hôn của cha mẹ'] });
  const f02 = await doc(desk.reception, asked.id, '02');
  assert.equal(f02.statusCode, 200);
  assert.equal(f02.headers['content-type'], 'application/pdf');
  const t02 = pdfText(f02.rawPayload);
  assert.match(t02, /PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ/);
  assert.match(t02, /Bản chính giấy chứng sinh/);
  assert.match(t02, /Giấy chứng nhận kết hôn của cha mẹ/);
  assert.ok(t02.includes(asked.code));
  // The applicant may read the request sent to them.
  assert.equal((await doc(asked.citizen, asked.id, '02')).statusCode, 200);

  const refused = await onlineDossier(ctx);
  await must(ctx, desk.reception, refused.id, { action: 'refuse', note: 'Thủ tục thuộc thẩm quyền của Ủy ban nhân dân xã nơi cư trú của người mẹ.' });
  assert.match(pdfText((await doc(desk.reception, refused.id, '03')).rawPayload), /thẩm quyền của Ủy ban nhân dân xã/);

  const d = await counterDossier(ctx, desk.reception);
  await must(ctx, desk.reception, d.id, { action: 'transfer', toUserId: desk.specialist.user.id });
  await must(ctx, desk.specialist, d.id, { action: 'forward', toUserId: desk.approver.user.id });
  await must(ctx, desk.approver, d.id, { action: 'apologize', newDueAt: '2026-12-08', note: 'Cần xác minh thông tin với Ủy ban nhân dân xã nơi cư trú trước đây' });
  const t04 = pdfText((await doc(desk.approver, d.id, '04')).rawPayload);
  assert.match(t04, /03\/12\/2026/);
  assert.match(t04, /08\/12\/2026/);
  const t06 = pdfText((await doc(desk.approver, d.id, '06')).rawPayload);
  assert.match(t06, /PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ/);
  for (const name of ['Cán bộ reception', 'Cán bộ specialist', 'Cán bộ approver']) assert.ok(t06.includes(name), name);
  assert.equal((await doc(desk.reception, asked.id, '06')).statusCode, 409, 'not accepted yet');
  assert.equal((await ctx.app.inject({ url: `/api/v1/dossiers/${d.id}/documents/05.pdf`, headers: desk.reception.auth })).statusCode, 409, 'Form 05 only once processing stopped');
  assert.equal((await ctx.app.inject({ url: `/api/v1/dossiers/${d.id}/documents/07.pdf`, headers: desk.reception.auth })).statusCode, 400, 'the register is no per-dossier document');
});

test('daily reminders: one message per handler, with late and soon-due dossiers, once a day however often the job runs', async () => {
  const fresh = await createTestContext();
  try {
    const d = await deskAt(fresh);
    for (const [who, email] of [[d.reception, 'mot-cua.p5@mytho.tiengiang.gov.vn'], [d.specialist, 'chuyen-vien.p5@mytho.tiengiang.gov.vn']] as const) {
      await fresh.handle.db.updateTable('users').set({ email }).where('id', '=', who.user.id).execute();
    }
    fresh.clock.set('2026-11-23T02:00:00.000Z');
    const late = await counterDossier(fresh, d.reception);
    await must(fresh, d.reception, late.id, { action: 'transfer', toUserId: d.specialist.user.id });
    fresh.clock.set('2026-11-26T02:00:00.000Z');
    const soon = await counterDossier(fresh, d.reception);
    fresh.clock.set('2026-11-30T01:00:00.000Z'); // Monday 08:00
    const first = await fresh.services.office.remindHandlers();
    assert.deepEqual(first, { messages: 2, dossiers: 2 }, 'the specialist for the assigned one, reception for the other');
    const again = await fresh.services.office.remindHandlers();
    assert.deepEqual(again, { messages: 0, dossiers: 0 });
    const sent = await fresh.handle.db.selectFrom('outbox').select(['recipient', 'params']).where('template', '=', 'dossier_due_reminder').orderBy('recipient').execute();
    assert.deepEqual(sent.map((m) => m.recipient), ['chuyen-vien.p5@mytho.tiengiang.gov.vn', 'mot-cua.p5@mytho.tiengiang.gov.vn']);
    const lists = sent.map((m) => JSON.parse(m.params) as { overdue: string; dueSoon: string; list: string });
    assert.deepEqual(lists.map((l) => [l.overdue, l.dueSoon]), [['1', '0'], ['0', '1']]);
    assert.ok(lists.some((l) => l.list.includes(late.code)) && lists.some((l) => l.list.includes(soon.code)));
  } finally {
    await fresh.close();
  }
});
