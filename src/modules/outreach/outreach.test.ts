// Campaign plans through the API: the 2017 plan as the demo loads it (its totals, both numbers and
// the warning), the bad budget line (400 naming it, in Vietnamese and English, nothing saved),
// permissions per role, activities with evidence, and the report's figures against the statistics.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { staffRoles } from '../../domain/roles.ts';
import type { TestContext } from '../../testing/context.ts';
import { signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { counterDossier, must, onlineDossier, multipartFields, type Desk, openDesk } from '../../testing/office.ts';
import { tinyPdf } from '../../testing/uploads.ts';
import { demoPlanId, demoPlanInput } from './outreach.seed.ts';

let ctx: TestContext;
let desk: Desk;
let outreach: Awaited<ReturnType<typeof signedInStaff>>;
before(async () => {
  ({ ctx, desk } = await openDesk());
  outreach = await signedInStaff(ctx, 'outreach', 'so-thong-tin-va-truyen-thong');
});
after(() => ctx.close());

const base = '/api/v1/outreach/plans';
const send = (method: 'POST' | 'PUT' | 'PATCH' | 'GET', url: string, auth: Record<string, string> = {}, payload?: object, lang?: string) =>
  ctx.app.inject({ method, url, headers: { ...auth, ...(lang ? { 'accept-language': lang } : {}) }, ...(payload ? { payload } : {}) });

/** A small plan for November 2026, with two sound budget lines. */
function smallPlan(over: Record<string, unknown> = {}) {
  return {
    number: '12/KH-STTTT', date: '2026-10-20', issuer: 'Sở Thông tin và Truyền thông', title: 'Tuyên truyền dịch vụ công trực tuyến tháng 11/2026',
    periodFrom: '2026-11-01', periodTo: '2026-11-30', objectives: ['Tăng tỷ lệ hồ sơ trực tuyến'], themes: ['Lợi ích của dịch vụ công trực tuyến'],
    channels: [{ kind: 'radio' }, { kind: 'other', label: 'Loa phát thanh xã' }],
    units: [{ role: 'responsible', unitId: 'so-thong-tin-va-truyen-thong' }, { role: 'coordinating', name: 'Đoàn Thanh niên tỉnh', tasks: ['Tổ chức buổi hướng dẫn'] }],
    budget: { lines: [
      { section: 'A', sectionName: 'Sản xuất', group: 'I', groupName: 'Phát thanh', no: 1, item: 'Tin phát thanh', quantity: 4, unitPrice: 1_500_000, amount: 6_000_000, state: 6_000_000, social: 0 },
      { section: 'A', sectionName: 'Sản xuất', group: 'II', groupName: 'Hướng dẫn', no: 1, item: 'Hội trường', quantity: 2, unitPrice: 3_000_000, amount: 6_000_000, state: 4_000_000, social: 2_000_000 },
    ] },
    ...over,
  };
}

test('the 2017 plan is public: its number and the appendix\'s other number as a warning, nine lines, totals 213,000,000 / 163,000,000 / 50,000,000, no links yet', async () => {
  const list = await send('GET', base);
  assert.equal(list.statusCode, 200);
  assert.ok(list.json().items.some((p: { id: string; number: string }) => p.id === demoPlanId && p.number === '088/KH-UBND'));
  const res = await send('GET', `${base}/${demoPlanId}`);
  assert.equal(res.statusCode, 200, res.body);
  const plan = res.json();
  assert.equal(plan.number, '088/KH-UBND');
  assert.equal(plan.appendixNumber, '18/KH-UBND');
  assert.equal(plan.budget.lines.length, 9);
  assert.deepEqual(plan.budget.total, { amount: 213_000_000, state: 163_000_000, social: 50_000_000 });
  assert.deepEqual(plan.budget.printedTotal, plan.budget.total);
  assert.deepEqual(plan.budget.sections.map((s: { key: string; total: { amount: number } }) => [s.key, s.total.amount]), [['A', 208_000_000], ['B', 5_000_000]]);
  assert.deepEqual(plan.links, []);
  const mismatch = plan.warnings.find((w: { code: string }) => w.code === 'number_mismatch');
  assert.equal(mismatch.message, 'Số kế hoạch không thống nhất: phần đầu ghi “088/KH-UBND”, phụ lục dự toán ghi “18/KH-UBND”. Giữ nguyên cả hai như văn bản gốc.');
  // The other discrepancies of the source stay visible, and no printed total differs.
  assert.equal(plan.warnings.filter((w: { code: string }) => w.code === 'source_discrepancy').length, 4);
  assert.ok(plan.warnings.some((w: { message: string }) => w.message.includes('Báo Áp Bắc')));
  assert.ok(!plan.warnings.some((w: { code: string }) => w.code === 'printed_total_mismatch'));
  assert.deepEqual(plan.channels.map((c: { kind: string }) => c.kind), ['television', 'radio', 'newspaper', 'e_newspaper', 'schools', 'websites', 'other']);
  assert.equal(plan.units[0].unitId, 'so-thong-tin-va-truyen-thong');
  assert.equal(plan.activities.length, 7);
  const en = (await send('GET', `${base}/${demoPlanId}`, {}, undefined, 'en')).json();
  assert.match(en.warnings[0].message, /^The plan's number is not consistent: the header says “088\/KH-UBND”, the budget appendix “18\/KH-UBND”/);
  assert.equal((await send('GET', `${base}/nope`)).statusCode, 404);
});

test('a budget line whose parts do not add up to its amount: 400 naming the line (vi, en), and nothing is saved', async () => {
  const before = (await send('GET', base)).json().total;
  const bad = smallPlan();
  bad.budget.lines[1]!.state = 3_000_000;
  const res = await send('POST', base, outreach.auth, bad);
  assert.equal(res.statusCode, 400, res.body);
  assert.equal(res.json().error.code, 'validation');
  assert.deepEqual(res.json().error.fields, { 'budget.lines.1.state': 'Dòng A.II.1 Hội trường: ngân sách nhà nước + xã hội hóa = 5.000.000 đồng, phải bằng thành tiền 6.000.000 đồng.' });
  const en = await send('POST', base, outreach.auth, bad, 'en');
  assert.equal(en.json().error.fields['budget.lines.1.state'], 'Line A.II.1 Hội trường: state budget + social contributions = 5,000,000 VND, which must equal the amount 6,000,000 VND.');
  // An amount that is not quantity × unit price is named the same way.
  const wrongAmount = smallPlan();
  wrongAmount.budget.lines[0]!.amount = 6_500_000;
  wrongAmount.budget.lines[0]!.state = 6_500_000;
  assert.deepEqual((await send('POST', base, outreach.auth, wrongAmount)).json().error.fields, { 'budget.lines.0.amount': 'Dòng A.I.1 Tin phát thanh: thành tiền 6.500.000 đồng phải bằng số lượng × đơn giá = 6.000.000 đồng.' });
  assert.equal((await send('GET', base)).json().total, before);
  // The 2017 appendix itself, sent through the API, is sound and sums to its printed totals.
  const again = await send('POST', base, outreach.auth, demoPlanInput());
  assert.equal(again.statusCode, 201, again.body);
  assert.deepEqual(again.json().budget.total, { amount: 213_000_000, state: 163_000_000, social: 50_000_000 });
});

test('permissions: the outreach role writes; every other role gets 403, a visitor 401; anyone reads', async () => {
  const created = await send('POST', base, outreach.auth, smallPlan());
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().id as string;
  const others = [await signedInCitizen(ctx), ...await Promise.all(staffRoles.filter((r) => r !== 'outreach').map((r) => signedInStaff(ctx, r, 'tien-giang', true)))];
  const activity = (await send('POST', `${base}/${id}/activities`, outreach.auth, { title: 'Phát tin', plannedFrom: '2026-11-02', plannedTo: '2026-11-20' })).json();
  for (const who of [...others, { auth: {} }]) {
    const expected = 'authorization' in who.auth ? 403 : 401;
    assert.equal((await send('POST', base, who.auth, smallPlan())).statusCode, expected);
    assert.equal((await send('PUT', `${base}/${id}`, who.auth, smallPlan())).statusCode, expected);
    assert.equal((await send('POST', `${base}/${id}/activities`, who.auth, { title: 'x', plannedFrom: '2026-11-02', plannedTo: '2026-11-03' })).statusCode, expected);
    assert.equal((await send('PATCH', `${base}/${id}/activities/${activity.id}`, who.auth, { status: 'done' })).statusCode, expected);
    assert.equal((await send('GET', `${base}/${id}/report`, who.auth)).statusCode, expected);
    assert.equal((await send('GET', `${base}/${id}`, who.auth)).statusCode, 200, 'a plan is public');
  }
  const put = await send('PUT', `${base}/${id}`, outreach.auth, smallPlan({ title: 'Đã sửa' }));
  assert.equal(put.statusCode, 200, put.body);
  assert.equal(put.json().title, 'Đã sửa');
  assert.equal(put.json().activities.length, 1, 'editing the plan keeps its activities');
  assert.deepEqual(put.json().channels.map((c: { id: string }) => c.id), created.json().channels.map((c: { id: string }) => c.id), 'channels keep their ids');
});

test('carrying out an activity: status, actual dates and spending, an evidence file checked by content (outreach only)', async () => {
  const plan = (await send('POST', base, outreach.auth, smallPlan())).json();
  const a = await send('POST', `${base}/${plan.id}/activities`, outreach.auth, { title: 'Buổi hướng dẫn tại trường', channelId: plan.channels[1].id, plannedFrom: '2026-11-10', plannedTo: '2026-11-05' });
  assert.equal(a.statusCode, 400);
  assert.ok(a.json().error.fields.plannedTo);
  const ok = (await send('POST', `${base}/${plan.id}/activities`, outreach.auth, { title: 'Buổi hướng dẫn tại trường', channelId: plan.channels[1].id, plannedFrom: '2026-11-10', plannedTo: '2026-11-10' })).json();
  const done = await send('PATCH', `${base}/${plan.id}/activities/${ok.id}`, outreach.auth, { status: 'done', actualFrom: '2026-11-11', actualTo: '2026-11-11', actualSpending: 5_500_000 });
  assert.equal(done.statusCode, 200, done.body);
  assert.equal(done.json().status, 'done');
  assert.equal(done.json().plannedFrom, '2026-11-10', 'what is not sent stays');
  const upload = (auth: Record<string, string>, bytes: Buffer, type = 'application/pdf') => {
    const { body, contentType } = multipartFields({}, { name: 'anh-buoi-huong-dan.pdf', type, bytes });
    return ctx.app.inject({ method: 'POST', url: `${base}/${plan.id}/activities/${ok.id}/evidence`, headers: { ...auth, 'content-type': contentType }, payload: body });
  };
  assert.equal((await upload(outreach.auth, Buffer.from('MZ\x90\x00 not a pdf'))).statusCode, 415);
  assert.equal((await upload(desk.reception.auth, tinyPdf)).statusCode, 403);
  const up = await upload(outreach.auth, tinyPdf);
  assert.equal(up.statusCode, 201, up.body);
  assert.equal(up.json().mime, 'application/pdf');
  const file = `${base}/${plan.id}/activities/${ok.id}/evidence/${up.json().id}`;
  const got = await send('GET', file, outreach.auth);
  assert.equal(got.statusCode, 200);
  assert.deepEqual(got.rawPayload, tinyPdf);
  assert.match(String(got.headers['cache-control']), /no-store/);
  assert.equal((await send('GET', file)).statusCode, 401);
  assert.equal((await send('GET', file, desk.approver.auth)).statusCode, 403);
});

test('the report to the People\'s Committee: activities and money, and the uptake figures of the statistics for the plan\'s period against a year before', async () => {
  // A year before the plan's period: two dossiers taken in at the counter, none online.
  ctx.clock.set('2025-11-12T03:00:00.000Z');
  await counterDossier(ctx, desk.reception);
  await counterDossier(ctx, desk.reception);
  ctx.clock.set('2026-11-29T03:00:00.000Z');
  // During it: two filed online and accepted, one at the counter.
  for (let i = 0; i < 2; i++) await must(ctx, desk.reception, (await onlineDossier(ctx)).id, { action: 'accept' });
  await counterDossier(ctx, desk.reception);
  const plan = (await send('POST', base, outreach.auth, smallPlan())).json();
  for (const [title, status, spent] of [['Tin phát thanh', 'done', 6_000_000], ['Hội trường', 'in_progress', 1_000_000], ['Bỏ', 'cancelled', null]] as const) {
    const a = (await send('POST', `${base}/${plan.id}/activities`, outreach.auth, { title, plannedFrom: '2026-11-02', plannedTo: '2026-11-20' })).json();
    await send('PATCH', `${base}/${plan.id}/activities/${a.id}`, outreach.auth, { status, actualSpending: spent });
  }
  const res = await send('GET', `${base}/${plan.id}/report`, outreach.auth);
  assert.equal(res.statusCode, 200, res.body);
  const r = res.json();
  assert.deepEqual(r.activities, { planned: 3, done: 1, inProgress: 1, notStarted: 0, cancelled: 1 });
  assert.deepEqual(r.money, { planned: 12_000_000, spent: 7_000_000, remaining: 5_000_000, spentShare: 7 / 12 });
  const now = await ctx.services.stats.summary({ from: '2026-11-01', to: '2026-11-30' });
  const then = await ctx.services.stats.summary({ from: '2025-11-01', to: '2025-11-30' });
  assert.deepEqual([now.received.total, now.received.online, then.received.total, then.received.online], [3, 2, 2, 0], 'the statistics count what this test filed');
  assert.deepEqual(r.uptake.current, { from: '2026-11-01', to: '2026-11-30', received: 3, online: 2, onlineShare: 2 / 3, settled: now.settled.total, onTimeRate: now.onTimeRate });
  assert.deepEqual(r.uptake.previous, { from: '2025-11-01', to: '2025-11-30', received: 2, online: 0, onlineShare: 0, settled: then.settled.total, onTimeRate: then.onTimeRate });
  assert.deepEqual(r.uptake.change, { received: 1, online: 2, onlineSharePoints: (2 / 3) * 100 });
});

test('/openapi.json describes the outreach routes', async () => {
  const spec = (await send('GET', '/openapi.json')).json();
  for (const p of ['/api/v1/outreach/plans', '/api/v1/outreach/plans/{id}', '/api/v1/outreach/plans/{id}/activities', '/api/v1/outreach/plans/{id}/budget.xlsx', '/api/v1/outreach/plans/{id}/report']) assert.ok(spec.paths[p], p);
  assert.ok(spec.paths['/api/v1/outreach/plans/{id}'].get.responses['200'].content['application/json'].schema.properties.links);
  assert.deepEqual(spec.paths['/api/v1/outreach/plans'].post.requestBody.content['application/json'].schema.properties.channels.items.properties.kind.enum,
    ['television', 'radio', 'newspaper', 'e_newspaper', 'schools', 'websites', 'other']);
});
