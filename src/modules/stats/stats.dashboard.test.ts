// The public dashboard (/thong-ke): its figures are the report table's (StatsService.summary) for the
// same filters, month by month, by level and by unit; the campaign's procedures, satisfaction and the
// indicators follow their stated definitions; bad filters come back with an error summary; and no
// request reads the dossiers. Dossiers go through the API with a moving clock; other units, levels
// and the ratings are counted straight into stats_daily.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { Measure } from '../../domain/stats.ts';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { attachResult, counterDossier, deskAt, must, onlineDossier, type Desk } from '../../testing/office.ts';
import { tinyPdf } from '../../testing/uploads.ts';
import { barChart, formatShare, lineChart, stackedBarChart } from '../../web/charts.ts';
import { formatNumber, type Lang } from '../../i18n/index.ts';
import { DashboardService, loadTargets, monthsOf } from './stats.dashboard.ts';
import { addToDaily } from './stats.queries.ts';
import { StatsService } from './stats.service.ts';

let ctx: TestContext;
let desk: Desk;

const at = (iso: string) => ctx.clock.set(iso);
/** Vietnam 09:00 on a day, as UTC. */
const morning = (day: string) => `${day}T02:00:00.000Z`;

/** Procedures of each kind the scenario needs (from the demo catalogue). */
const provincePartial = 'chung-chi-hanh-nghe-duoc'; // Sở Y tế
const districtPartial = 'giay-phep-xay-dung-nha-o-rieng-le';
const communeNone = 'chung-thuc-chu-ky';
const period = 'from=2026-11-15&to=2026-12-20';

async function count(day: string, unit: string, procedure: string, channel: string, measure: Measure, n: number) {
  await addToDaily(ctx.handle.db, { unit_id: unit, procedure_id: procedure, channel }, [{ day, measure, delta: n }]);
}

async function resolveNow(id: string) {
  await must(ctx, desk.reception, id, { action: 'transfer' });
  assert.equal((await attachResult(ctx, desk.specialist, id, tinyPdf)).status, 201);
  await must(ctx, desk.approver, id, { action: 'resolve' });
}

before(async () => {
  ctx = await createTestContext();
  desk = await deskAt(ctx);
  // Phường 5, Mỹ Tho, through the API (the fixture's child was born on 20 Nov 2026):
  // A: certificate of marital status at the counter on Mon 23 Nov, settled the next day (early).
  at(morning('2026-11-23'));
  const a = await counterDossier(ctx, desk.reception);
  at(morning('2026-11-24'));
  await resolveNow(a.id);
  // B: a birth registration filed online and accepted on 24 Nov, still pending.
  const b = await onlineDossier(ctx);
  await must(ctx, desk.reception, b.id, { action: 'accept' });
  // C: by post on 1 Dec (due 4 Dec), settled on 10 Dec (late).
  at(morning('2026-12-01'));
  const c = await counterDossier(ctx, desk.reception, { channel: 'postal' });
  // D: a birth registration filed online and accepted on 2 Dec.
  at(morning('2026-12-02'));
  const d = await onlineDossier(ctx);
  await must(ctx, desk.reception, d.id, { action: 'accept' });
  at(morning('2026-12-10'));
  await resolveNow(c.id);

  // Counted straight into the daily table: another district's commune, a department, a district's
  // own desk, a procedure offered only at the counter, a month before the period, and ratings.
  await count('2026-11-20', 'go-cong-phuong-1', 'dang-ky-khai-sinh', 'online', 'received', 4);
  await count('2026-11-20', 'go-cong-phuong-1', 'dang-ky-khai-sinh', 'counter', 'received', 1);
  await count('2026-11-21', 'go-cong-phuong-1', 'dang-ky-khai-sinh', 'counter', 'settled_late', 1);
  await count('2026-12-05', 'so-y-te', provincePartial, 'counter', 'received', 6);
  await count('2026-12-05', 'so-y-te', provincePartial, 'national_portal', 'received', 2);
  await count('2026-12-07', 'so-y-te', provincePartial, 'national_portal', 'settled_on_time', 2);
  await count('2026-12-06', 'my-tho', districtPartial, 'counter', 'received', 3);
  await count('2026-12-07', 'my-tho-phuong-5', communeNone, 'counter', 'received', 50);
  await count('2026-10-01', 'my-tho-phuong-5', 'dang-ky-khai-sinh', 'online', 'received', 10);
  await count('2026-11-25', 'my-tho-phuong-5', 'dang-ky-khai-sinh', 'online', 'rating_5', 3);
  await count('2026-11-25', 'my-tho-phuong-5', 'dang-ky-khai-sinh', 'online', 'rating_4', 1);
  await count('2026-11-25', 'my-tho-phuong-5', 'dang-ky-khai-sinh', 'online', 'rating_2', 1);
  await count('2026-12-12', 'go-cong-phuong-1', 'dang-ky-khai-sinh', 'online', 'rating_1', 1);
  // Payments (docs/domain.md §5.3): four dossiers paid at the department, three of them online.
  await count('2026-12-08', 'so-y-te', provincePartial, 'national_portal', 'paid_total', 4);
  await count('2026-12-08', 'so-y-te', provincePartial, 'national_portal', 'paid_online', 3);
  at(morning('2026-12-21'));
});
after(() => ctx.close());

const decode = (s: string) => s.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();

async function pageOf(query: string, status = 200): Promise<string> {
  const res = await ctx.app.inject({ url: `/thong-ke?${query}` });
  assert.equal(res.statusCode, status, res.body.slice(0, 2000));
  assert.match(String(res.headers['content-type']), /text\/html/);
  return res.body;
}

/** A chart's figure: its SVG and its data table. */
function figureOf(html: string, id: string): string {
  const start = html.indexOf(`<figure class="chart" id="${id}">`);
  assert.ok(start >= 0, `no chart ${id}`);
  return html.slice(start, html.indexOf('</figure>', start));
}

/** The body rows of the first table in a fragment, as cell texts. */
function rowsOf(fragment: string): string[][] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(fragment)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => decode(c[1]!)));
}

function indicator(html: string, key: string): { value: string; details: string[] } {
  const m = new RegExp(`<li class="indicator" data-indicator="${key}">([\\s\\S]*?)</li>`).exec(html);
  assert.ok(m, `no indicator ${key}`);
  return {
    value: decode(/<p class="indicator-value">([\s\S]*?)<\/p>/.exec(m[1]!)![1]!),
    details: [...m[1]!.matchAll(/<p class="indicator-detail">([\s\S]*?)<\/p>/g)].map((d) => decode(d[1]!)),
  };
}

const summaryOf = (q: Record<string, string | undefined>) => ctx.services.stats.summary(q);
const share = (v: number, lang: Lang = 'vi') => formatShare(lang, v);
const num = (n: number) => formatNumber('vi', n);
const query = (q: Record<string, string | undefined>) => new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => !!e[1])).toString();

test('the headline figures and the report table are StatsService.summary’s, for each combination of filters', async () => {
  const filters: Array<Record<string, string | undefined>> = [
    {}, { unitId: 'my-tho' }, { unitId: 'my-tho-phuong-5' }, { level: 'commune' }, { level: 'province' }, { field: 'ho-tich' }, { unitId: 'my-tho', level: 'district' },
  ];
  for (const f of filters) {
    const q = { from: '2026-11-15', to: '2026-12-20', ...f };
    const html = await pageOf(query(q));
    const s = await summaryOf(q);
    const online = indicator(html, 'onlineShare');
    assert.equal(online.value, s.received.total ? share(s.onlineShare) : 'Không có hồ sơ', JSON.stringify(f));
    assert.equal(online.details[0], `${num(s.received.online)} / ${num(s.received.total)} hồ sơ tiếp nhận trong kỳ`);
    const onTime = indicator(html, 'onTimeRate');
    assert.equal(onTime.value, s.settled.total ? share(s.onTimeRate) : 'Không có hồ sơ', JSON.stringify(f));
    assert.equal(onTime.details[0], `${num(s.settled.early + s.settled.onTime)} / ${num(s.settled.total)} hồ sơ giải quyết trong kỳ`);
    const report = rowsOf(html.slice(html.indexOf('<table class="data-table">')));
    assert.deepEqual(report.map((r) => r[1]), [
      s.received.grandTotal, s.received.carriedOver, s.received.total, s.received.online, s.received.direct, s.received.postal,
      s.settled.total, s.settled.early, s.settled.onTime, s.settled.late,
      s.pending.total, s.pending.withinDeadline, s.pending.overdue,
    ].map(num), JSON.stringify(f));
  }
  // The whole province in the period, by hand: A, B, C, D at Phường 5; 5 at Gò Công; 8 at Sở Y tế; 3 at Mỹ Tho's desk; 50 counter-only.
  const s = await summaryOf({ from: '2026-11-15', to: '2026-12-20' });
  assert.deepEqual(s.received, { online: 8, direct: 61, postal: 1, carriedOver: 10, total: 70, grandTotal: 80 });
});

test('month by month, each row is the report table of that month, cut to the period', async () => {
  const html = await pageOf(period);
  const rows = rowsOf(figureOf(html, 'chart-monthly'));
  assert.deepEqual(rows.map((r) => r[0]), ['11/2026', '12/2026']);
  assert.deepEqual(monthsOf('2026-11-15', '2026-12-20'), [{ month: '2026-11', from: '2026-11-15', to: '2026-11-30' }, { month: '2026-12', from: '2026-12-01', to: '2026-12-20' }]);
  for (const [i, [from, to]] of [['2026-11-15', '2026-11-30'], ['2026-12-01', '2026-12-20']].entries()) {
    const s = await summaryOf({ from, to });
    const inTime = s.settled.early + s.settled.onTime;
    assert.deepEqual(rows[i]!.slice(1), [num(s.received.total), num(s.received.online), share(s.onlineShare), num(s.settled.total), num(inTime), share(s.onTimeRate)], `${from}…${to}`);
  }
  // November: A, B, Gò Công's 5 (4 online); December: C, D, Sở Y tế's 8 (2 online), Mỹ Tho's 3, the 50.
  assert.equal(rows[0]![3], share(5 / 7));
  assert.equal(rows[1]![3], share(3 / 63));
  // The line chart draws both series with a marker per month, and says what it shows.
  const svg = /<svg class="chart-svg"[\s\S]*?<\/svg>/.exec(figureOf(html, 'chart-monthly'))![0];
  assert.match(svg, /role="img" aria-labelledby="chart-monthly-title chart-monthly-desc"/);
  assert.match(svg, /<title id="chart-monthly-title">Tỷ lệ trực tuyến và tỷ lệ đúng hạn theo tháng<\/title>/);
  assert.match(decode(/<desc[^>]*>([\s\S]*?)<\/desc>/.exec(svg)![1]!), /2 tháng, từ 11\/2026 đến 12\/2026\. Tháng 12\/2026: tỷ lệ hồ sơ trực tuyến 4,8%/);
  assert.equal((svg.match(/<circle /g) ?? []).length, 2, 'online share: a circle a month');
  assert.equal((svg.match(/<rect x=/g) ?? []).length, 2, 'on-time rate: a square a month');
});

test('by level: each row is the report table for that level, against the level’s target from targets.json', async () => {
  const { targets } = loadTargets();
  const html = await pageOf(period);
  const online = rowsOf(figureOf(html, 'chart-level-online'));
  const onTime = rowsOf(figureOf(html, 'chart-level-ontime'));
  assert.deepEqual(online.map((r) => r[0]), ['Cấp tỉnh', 'Cấp huyện', 'Cấp xã']);
  for (const [i, level] of (['province', 'district', 'commune'] as const).entries()) {
    const s = await summaryOf({ from: '2026-11-15', to: '2026-12-20', level });
    const verdict = (v: number, t: number) => (v >= t ? 'Đạt chỉ tiêu' : 'Chưa đạt chỉ tiêu');
    assert.deepEqual(online[i], [online[i]![0], num(s.received.total), num(s.received.online), share(s.onlineShare), share(targets.onlineShare[level]), verdict(s.onlineShare, targets.onlineShare[level])]);
    const inTime = s.settled.early + s.settled.onTime;
    assert.deepEqual(onTime[i], [onTime[i]![0], num(s.settled.total), num(inTime), s.settled.total ? share(s.onTimeRate) : 'Không có hồ sơ', share(targets.onTimeRate[level]), s.settled.total ? verdict(s.onTimeRate, targets.onTimeRate[level]) : '']);
  }
  assert.deepEqual([targets.onlineShare.province, targets.onlineShare.district, targets.onlineShare.commune], [0.9, 0.9, 0.7]);
  // The district level (3 at the counter, 0 online) is below its 90%: its bar is hatched, and a tick marks 90%.
  const svg = figureOf(html, 'chart-level-online');
  assert.match(svg, /fill="url\(#chart-level-online-below\)"/);
  assert.match(decode(/<desc[^>]*>([\s\S]*?)<\/desc>/.exec(svg)![1]!), /Cấp huyện: 0% \(chỉ tiêu 90%\)/);
  // With a level chosen, that level's targets show on the indicators and as a line across the monthly chart.
  const commune = await pageOf(`${period}&level=commune`);
  assert.deepEqual(indicator(commune, 'onlineShare').details[1], 'Chỉ tiêu: 70% · Chưa đạt chỉ tiêu');
  assert.match(figureOf(commune, 'chart-monthly'), /Chỉ tiêu trực tuyến 70%/);
  assert.deepEqual(rowsOf(figureOf(commune, 'chart-level-online')).map((r) => r[0]), ['Cấp xã']);
  // Without one, the indicator lists the targets of every level.
  assert.equal(indicator(html, 'onlineShare').details[1], 'Chỉ tiêu theo cấp: Cấp tỉnh 90%, Cấp huyện 90%, Cấp xã 70%');
});

test('by unit: the province shows its departments and districts, a district its communes and its own desk, each with its subtree', async () => {
  const province = await pageOf(period);
  const rows = rowsOf(figureOf(province, 'chart-unit-online'));
  assert.deepEqual(rows.map((r) => r[0]), ['Sở Y tế', 'Thành phố Mỹ Tho', 'Thị xã Gò Công'], 'units without dossiers are left out of the chart');
  for (const [name, unitId] of [['Sở Y tế', 'so-y-te'], ['Thành phố Mỹ Tho', 'my-tho'], ['Thị xã Gò Công', 'go-cong']]) {
    const s = await summaryOf({ from: '2026-11-15', to: '2026-12-20', unitId });
    const row = rows.find((r) => r[0] === name)!;
    assert.deepEqual(row.slice(1, 4), [num(s.received.total), num(s.received.online), share(s.onlineShare)], name);
  }
  assert.deepEqual(rows.map((r) => r[4]), ['90%', '90%', '90%'], 'departments count as the province level, towns as districts');
  assert.match(province, /29 đơn vị khác không tiếp nhận hồ sơ nào trong kỳ\./);
  const onTime = rowsOf(figureOf(province, 'chart-unit-ontime'));
  const goCong = await summaryOf({ from: '2026-11-15', to: '2026-12-20', unitId: 'go-cong' });
  assert.deepEqual(onTime.find((r) => r[0] === 'Thị xã Gò Công')!.slice(1, 4), [num(goCong.settled.total), '0', share(0)]);

  const city = await pageOf(`${period}&unitId=my-tho`);
  const cityRows = rowsOf(figureOf(city, 'chart-unit-online'));
  assert.deepEqual(cityRows.map((r) => r[0]), ['Thành phố Mỹ Tho (tại đơn vị)', 'Phường 5']);
  const p5 = await summaryOf({ from: '2026-11-15', to: '2026-12-20', unitId: 'my-tho-phuong-5' });
  assert.deepEqual(cityRows[1]!.slice(1, 5), [num(p5.received.total), num(p5.received.online), share(p5.onlineShare), '70%']);
  assert.deepEqual(cityRows[0]!.slice(1, 5), ['3', '0', share(0), '90%']);

  const commune = await pageOf(`${period}&unitId=my-tho-phuong-5`);
  assert.match(commune, /Đơn vị này không có đơn vị trực thuộc\./);
  assert.deepEqual(rowsOf(figureOf(commune, 'chart-unit-online')).map((r) => r[0]), ['Phường 5 (tại đơn vị)']);
});

test('the campaign’s procedures: most counter and postal dossiers among those offered fully or partly online; counter-only ones never listed', async () => {
  const html = await pageOf(period);
  const rows = rowsOf(figureOf(html, 'chart-top'));
  const name = (id: string) => ctx.services.catalog.find(id)!.name;
  assert.deepEqual(rows, [
    [name(provincePartial), 'Trực tuyến một phần', '6', '0', '2', share(2 / 8)],
    [name(districtPartial), 'Trực tuyến một phần', '3', '0', '0', share(0)],
    [name('xac-nhan-tinh-trang-hon-nhan'), 'Trực tuyến toàn trình', '1', '1', '0', share(0)],
    [name('dang-ky-khai-sinh'), 'Trực tuyến toàn trình', '1', '0', '6', share(6 / 7)],
  ]);
  assert.ok(!rows.some((r) => r[0] === ctx.services.catalog.find(communeNone)!.name), 'a procedure offered only at the counter is not a campaign target');
  // Filters apply: at the commune level only the two commune procedures remain.
  assert.deepEqual(rowsOf(figureOf(await pageOf(`${period}&level=commune`), 'chart-top')).map((r) => r[0]), ['Cấp Giấy xác nhận tình trạng hôn nhân', 'Đăng ký khai sinh']);
  // Nothing to show: the table says so instead of an empty drawing.
  const empty = figureOf(await pageOf('from=2025-01-01&to=2025-01-31'), 'chart-top');
  assert.ok(!empty.includes('<svg class="chart-svg"'));
  assert.match(empty, /Không có hồ sơ giấy nào của thủ tục trực tuyến trong kỳ\./);
});

test('satisfaction: ratings counted by the day they were given, stacked on the three-level scale (older scores mapped); satisfied means very satisfied or satisfied', async () => {
  // The fixture's older five-level counts (5, 5, 5, 4, 2 in November; 1 in December) and a rating on the three-level scale.
  await count('2026-12-12', 'go-cong-phuong-1', 'dang-ky-khai-sinh', 'online', 'satisfaction_satisfied', 2);
  const html = await pageOf(period);
  const rows = rowsOf(figureOf(html, 'chart-satisfaction'));
  assert.deepEqual(rows, [
    ['Cả kỳ', '3', '3', '2', '8', share(6 / 8)],
    ['11/2026', '3', '1', '1', '5', share(4 / 5)],
    ['12/2026', '0', '2', '1', '3', share(2 / 3)],
  ]);
  const head = /<thead>([\s\S]*?)<\/thead>/.exec(figureOf(html, 'chart-satisfaction'))![1]!;
  assert.deepEqual([...head.matchAll(/<th[^>]*>([\s\S]*?)<\/th>/g)].map((c) => decode(c[1]!)), ['Kỳ', 'Rất hài lòng', 'Hài lòng', 'Không hài lòng', 'Tổng', 'Tỷ lệ hài lòng']);
  const sat = indicator(html, 'satisfaction');
  assert.equal(sat.value, share(6 / 8));
  assert.deepEqual(sat.details, ['6 / 8 đánh giá', 'Rất hài lòng: 3; hài lòng: 3; không hài lòng: 2']);
  const summary = await summaryOf({ from: '2026-11-15', to: '2026-12-20' });
  assert.deepEqual(summary.satisfaction, { verySatisfied: 3, satisfied: 3, dissatisfied: 2, total: 8, satisfiedShare: 6 / 8 }, 'the API counts the same');
  const svg = figureOf(html, 'chart-satisfaction');
  for (let i = 0; i < 3; i++) assert.match(svg, new RegExp(`<pattern id="chart-satisfaction-part-${i}"`), 'each level has its own pattern');
  assert.ok(!svg.includes('chart-satisfaction-part-3'));
  assert.match(svg, /Không hài lòng/);
  // Ratings follow the filters like every other count.
  assert.equal(indicator(await pageOf(`${period}&unitId=go-cong`), 'satisfaction').value, share(2 / 3));
  assert.equal(indicator(await pageOf(`${period}&unitId=so-y-te`), 'satisfaction').value, 'Không có đánh giá');
});

test('the report table shows the grand total and links to its exports by unit, by field and by receiving desk for the same filters', async () => {
  const html = await pageOf(`${period}&unitId=my-tho&field=ho-tich`);
  const report = rowsOf(html.slice(html.indexOf('<table class="data-table">')));
  const s = await summaryOf({ from: '2026-11-15', to: '2026-12-20', unitId: 'my-tho', field: 'ho-tich' });
  assert.deepEqual(report.slice(0, 3), [
    ['Tổng số hồ sơ nhận giải quyết (kỳ trước chuyển qua và mới tiếp nhận)', num(s.received.grandTotal)],
    ['Kỳ trước chuyển qua', num(s.received.carriedOver)],
    ['Mới tiếp nhận trong kỳ', num(s.received.total)],
  ]);
  const links = [...html.matchAll(/href="(\/api\/v1\/stats\/report\.[^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
  assert.deepEqual(links, (['unit', 'field', 'desk'] as const).flatMap((by) => ['xlsx', 'csv'].map((ext) => `/api/v1/stats/report.${ext}?from=2026-11-15&to=2026-12-20&unitId=my-tho&field=ho-tich&by=${by}`)));
  for (const link of links) assert.equal((await ctx.app.inject({ url: link })).statusCode, 200, link);
});

test('full-online share: among dossiers received for procedures of class full, the share received online; the online-payment share from the dossiers paid', async () => {
  const html = await pageOf(period);
  // Class full: A, C (marital status; counter, post), B, D (birth, online), Gò Công's 4 online + 1 counter.
  const full = indicator(html, 'fullOnlineShare');
  assert.equal(full.value, share(6 / 9));
  assert.equal(full.details[0], '6 / 9 hồ sơ của thủ tục trực tuyến toàn trình');
  const paid = indicator(html, 'onlinePaymentShare');
  assert.equal(paid.value, share(3 / 4));
  assert.equal(paid.details[0], '3 / 4 hồ sơ đã thanh toán trong kỳ');
  const summary = JSON.parse((await ctx.app.inject({ url: `/api/v1/stats/summary?${period}` })).body);
  assert.deepEqual(summary.payments, { paidTotal: 4, paidOnline: 3, onlineShare: 0.75 }, 'the API gives the same inputs');
  // A period with no payment: no figure, not 0 %.
  assert.equal(indicator(await pageOf('from=2026-11-15&to=2026-11-30'), 'onlinePaymentShare').value, 'Chưa có số liệu');
  assert.match(html, /Tỷ lệ hồ sơ trực tuyến toàn trình: trong các hồ sơ tiếp nhận trong kỳ của những thủ tục được cung cấp trực tuyến toàn trình, tỷ lệ hồ sơ nộp trực tuyến\./);
  // At the province level only the partial procedure was used: nothing to divide.
  assert.equal(indicator(await pageOf(`${period}&level=province`), 'fullOnlineShare').value, 'Không có hồ sơ');
});

test('the service-index panel lists the five groups of Decision 766 with their points and computes no score', async () => {
  const html = await pageOf(period);
  const table = html.slice(html.indexOf('<table class="data-table" id="service-index">'));
  const rows = rowsOf(table);
  assert.deepEqual(rows.map((r) => r.slice(0, 2)), [
    ['Công khai, minh bạch', '18 điểm'], ['Tiến độ giải quyết', '20 điểm'], ['Số hóa hồ sơ', '22 điểm'], ['Cung cấp dịch vụ công trực tuyến', '22 điểm'], ['Mức độ hài lòng', '18 điểm'],
  ]);
  assert.match(rows[2]![2]!, /^Chưa có số liệu/);
  assert.match(rows[3]![2]!, new RegExp(`Tỷ lệ thanh toán trực tuyến: ${share(3 / 4).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.match(rows[3]![2]!, /Thủ tục trực tuyến: 25 toàn trình, 52 một phần, trên 90 thủ tục/);
  assert.ok(!/\d+(,\d+)? \/ 100 điểm|tổng điểm/i.test(html), 'no invented score');
  assert.equal(loadTargets().serviceIndex.reduce((s, g) => s + g.points, 0), 100);
});

test('bad filter values answer 400 with an error summary linking to each field, and the fields keep what was typed', async () => {
  const html = await pageOf('from=2026-13-01&to=hom-qua&unitId=khong-co&level=tinh&field=khong-co-linh-vuc', 400);
  assert.match(html, /<title>Lỗi: Thống kê dịch vụ công – /);
  const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)![0];
  assert.deepEqual([...summary.matchAll(/<a href="#(\w+)">/g)].map((m) => m[1]), ['from', 'to', 'unitId', 'level', 'field']);
  assert.match(html, /id="from" name="from" type="text"\s+value="2026-13-01"/);
  assert.match(html, /id="to" name="to" type="text"\s+value="hom-qua"/);
  assert.match(html, /<option value="khong-co" selected>khong-co \(không có trong danh sách\)<\/option>/);
  assert.match(html, /<option value="tinh" selected>tinh \(không có trong danh sách\)<\/option>/);
  assert.match(html, /Chọn một cấp trong danh sách\./);
  assert.ok(!html.includes('<figure'), 'no figures for a refused request');
  // A reversed period, and one longer than 36 months.
  const reversed = await pageOf('from=2026-12-20&to=2026-11-15', 400);
  assert.match(reversed, /<a href="#to">Ngày phải từ ngày 2026-12-20 trở đi\.<\/a>/);
  const long = await pageOf('from=2023-01-15&to=2026-01-01&unitId=khong-co', 400);
  assert.match(long, /<a href="#to">Ngày phải trước hoặc đúng ngày 2025-12-31\.<\/a>/);
  assert.match(long, /<a href="#unitId">/);
  await pageOf('from=2023-01-15&to=2025-12-31');
  // Markup in a value is text, never markup.
  const script = await pageOf(`from=${encodeURIComponent('<script>x</script>')}`, 400);
  assert.ok(!script.includes('<script>x'));
});

test('the page works with JavaScript off: a GET form, and inline SVG charts that each name themselves and carry their data table', async () => {
  const html = await pageOf('');
  assert.match(html, /<form class="stats-filters" action="\/thong-ke" method="get">/);
  for (const id of ['from', 'to', 'unitId', 'level', 'field']) assert.match(html, new RegExp(`<label class="label" for="${id}">`));
  // The default period: the last 12 months up to today (21 Dec 2026).
  assert.match(html, /id="from" name="from" type="text"\s+value="2026-01-01"/);
  assert.match(html, /id="to" name="to" type="text"\s+value="2026-12-21"/);
  const figures = [...html.matchAll(/<figure class="chart" id="([\w-]+)">/g)].map((m) => m[1]!);
  assert.deepEqual(figures, ['chart-monthly', 'chart-level-online', 'chart-level-ontime', 'chart-unit-online', 'chart-unit-ontime', 'chart-top', 'chart-satisfaction']);
  for (const id of figures) {
    const f = figureOf(html, id);
    assert.match(f, new RegExp(`<svg class="chart-svg" viewBox="0 0 340 [\\d.]+" role="img" aria-labelledby="${id}-title ${id}-desc"`), id);
    assert.match(f, new RegExp(`<title id="${id}-title">[^<]+</title><desc id="${id}-desc">[^<]+</desc>`), id);
    assert.match(f, /<details class="chart-data">\s*<summary>Bảng số liệu/, id);
    assert.ok(rowsOf(f).length > 0, id);
    assert.ok(!/style=|<script|\son[a-z]+=/.test(f), `${id}: nothing the page's CSP would block`);
  }
  assert.ok(html.includes('<a href="/thong-ke">Thống kê</a>'), 'the site navigation links to the dashboard');
  // In English, numbers and words follow the language.
  const en = await pageOf(`${period}&lang=en`);
  assert.equal(indicator(en, 'fullOnlineShare').value, share(6 / 9, 'en'));
  assert.match(en, /<h1>Public service statistics<\/h1>/);
});

test('no statistics request reads the dossier table: only the daily counts and the procedures', async () => {
  const tables = new Set<string>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as { kind?: string; table?: { identifier?: { name?: string } } };
    if (n.kind === 'TableNode' && n.table?.identifier?.name) tables.add(n.table.identifier.name);
    for (const v of Object.values(node)) walk(v);
  };
  const recorder: KyselyPlugin = {
    transformQuery: (args: PluginTransformQueryArgs): RootOperationNode => {
      walk(args.node);
      return args.node;
    },
    transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => args.result,
  };
  const db = ctx.handle.db.withPlugin(recorder);
  const stats = new StatsService(db, ctx.services.catalog);
  const dashboard = new DashboardService(db, ctx.services.catalog, stats);
  for (const q of [{}, { unitId: 'my-tho' }, { level: 'commune', field: 'ho-tich' }, { unitId: 'my-tho-phuong-5', level: 'commune' }]) {
    const d = await dashboard.build({ from: '2026-11-15', to: '2026-12-20', ...q });
    assert.ok(d.months.length === 2);
    // The tables by field and by receiving desk too.
    assert.ok((await stats.byField({ from: '2026-11-15', to: '2026-12-20', ...q })).rows.length > 0);
    assert.ok((await stats.byDesk({ from: '2026-11-15', to: '2026-12-20', ...q })).total.total >= 0);
  }
  assert.deepEqual([...tables].sort(), ['procedures', 'stats_daily', 'stats_daily_level']);
});

test('the charts draw what they are given: a gap for a missing month, a hatched bar below its target, a message when empty', () => {
  const base = { title: 'T', desc: 'D', table: { caption: 'C', head: ['a', 'b'], rows: [['x', '1']] }, tableLabel: 'Bảng số liệu', empty: 'Không có số liệu' };
  const line = lineChart({ ...base, id: 'l', categories: ['1', '2', '3'], series: [{ name: 'S', values: [0.5, null, 0.25] }], format: (v) => `${v * 100}%` }).value;
  assert.equal((line.match(/<path d="M[\d.]+ [\d.]+"/g) ?? []).length, 2, 'two runs, one point each');
  const bars = barChart({ ...base, id: 'b', max: 1, rows: [{ label: 'Đạt', value: 0.95, valueText: '95%', target: 0.9 }, { label: 'Chưa', value: 0.5, valueText: '50%', target: 0.9 }] }).value;
  assert.equal((bars.match(/fill="url\(#b-below\)"/g) ?? []).length, 1);
  assert.equal((bars.match(/stroke-width="3"/g) ?? []).length, 2, 'a target tick per bar');
  const empty = stackedBarChart({ ...base, id: 's', parts: ['1', '2'], rows: [{ label: 'x', values: [0, 0], note: '' }] }).value;
  assert.ok(!empty.includes('<svg class="chart-svg"'));
  assert.match(empty, /<p class="chart-empty">Không có số liệu<\/p>/);
  assert.match(empty, /<details class="chart-data" open>/, 'the table shows at once when there is no drawing');
  const long = barChart({ ...base, id: 'n', max: 10, rows: [{ label: 'Cấp giấy chứng nhận đủ điều kiện vệ sinh an toàn thực phẩm cho cơ sở kinh doanh dịch vụ ăn uống', value: 3, valueText: '3' }] }).value;
  assert.match(long, />Cấp giấy chứng nhận đủ điều kiện vệ sinh an…</, 'a long label is shortened in the drawing; the table keeps it whole');
});
