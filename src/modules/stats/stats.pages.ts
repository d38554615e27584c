// The public statistics dashboard (/thong-ke): the indicators against their targets, the report
// table, and charts drawn on the server (src/web/charts.ts), each with its data table. Filters are a
// plain GET form, so the page works with JavaScript off; bad values come back with an error summary.
import { adminLevels } from '../../domain/catalog.ts';
import { satisfactionLevels } from '../../domain/stats.ts';
import { errorSummary, formGroup, select as selectControl, textField } from '../../web/components.ts';
import { barChart, dataTable, formatShare, lineChart, stackedBarChart, type BarRow, type TableData } from '../../web/charts.ts';
import type { PageContext } from '../../web/context.ts';
import { html, type Html } from '../../web/html.ts';
import { format, formatNumber, localName, messages, type Lang, type Messages } from '../../i18n/index.ts';
import { page } from '../../web/layout.ts';
import type { AppError } from '../../errors.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { Unit } from '../units/units.service.ts';
import { maxMonths, type Dashboard, type Flows, type Ratio, type UnitRow } from './stats.dashboard.ts';

/** The filters as typed, kept as they are so a refused value comes back in its field. */
export type DashboardValues = { from: string; to: string; unitId: string; level: string; field: string };

type Option = { value: string; text: string };
type Group = { label: string; options: Option[] };

/** 31/01/2026: dates as Vietnam writes them (and British English). */
export function displayDate(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

function select(lang: Lang, f: { id: string; label: string; hint?: string; value: string; any: string; groups: Group[]; error?: string }): Html {
  const m = messages(lang);
  const known = f.groups.some((g) => g.options.some((o) => o.value === f.value));
  return formGroup(lang, { id: f.id, label: f.label, hint: f.hint, error: f.error }, html`
  ${selectControl({
    id: f.id, value: f.value, blank: f.any, options: f.groups, error: f.error, describedBy: [f.hint && `${f.id}-hint`, f.error && `${f.id}-error`],
    extra: f.value && !known ? html`<option value="${f.value}" selected>${format(m.stats.unknownOption, { value: f.value })}</option>` : '',
  })}`);
}

/** The units for the filter: the province and its departments, then each district with its communes. */
function unitGroups(lang: Lang, m: Messages, units: Unit[]): Group[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const topOf = (u: Unit): Unit => {
    let at = u;
    for (let i = 0; i < 20 && at.parentId && byId.get(at.parentId)?.parentId; i++) at = byId.get(at.parentId)!;
    return at;
  };
  const province: Group = { label: m.stats.provinceGroup, options: [] };
  const districts = new Map<string, Group>();
  for (const u of units) {
    const top = topOf(u);
    const option = { value: u.id, text: localName(lang, u) };
    if (u.parentId && top.kind === 'district') {
      (districts.get(top.id) ?? districts.set(top.id, { label: localName(lang, top), options: [] }).get(top.id)!).options.push(option);
    } else province.options.push(option);
  }
  return [province, ...districts.values()];
}

function filterForm(ctx: PageContext, catalog: CatalogService, v: DashboardValues, errors: Record<string, string>): Html {
  const { lang } = ctx;
  const m = messages(lang);
  return html`<form class="stats-filters" action="/thong-ke" method="get">
  <h2>${m.stats.filtersTitle}</h2>
  <div class="stats-filter-grid">
    ${textField(lang, { name: 'from', label: m.stats.from, hint: m.stats.dateHint, value: v.from, error: errors.from, autocomplete: 'off' })}
    ${textField(lang, { name: 'to', label: m.stats.to, hint: format(m.stats.toHint, { months: maxMonths }), value: v.to, error: errors.to, autocomplete: 'off' })}
    ${select(lang, { id: 'unitId', label: m.stats.unit, hint: m.stats.unitHint, value: v.unitId, any: m.stats.wholeProvince, groups: unitGroups(lang, m, catalog.allUnits()), error: errors.unitId })}
    ${select(lang, { id: 'level', label: m.stats.level, value: v.level, any: m.stats.any, groups: [{ label: '', options: adminLevels.map((l) => ({ value: l, text: m.levels[l] })) }], error: errors.level })}
    ${select(lang, { id: 'field', label: m.stats.field, value: v.field, any: m.stats.any, groups: [{ label: '', options: catalog.fields().map((f) => ({ value: f.key, text: localName(lang, f) })) }], error: errors.field })}
  </div>
  <button class="button" type="submit">${m.stats.apply}</button>
  <p><a href="/thong-ke">${m.stats.clear}</a></p>
</form>`;
}

export function dashboardPage(ctx: PageContext, catalog: CatalogService, values: DashboardValues, data: Dashboard | null, error?: AppError): Html {
  const { lang } = ctx;
  const m = messages(lang);
  const fieldErrors: Record<string, string> = {};
  for (const [k, p] of Object.entries(error?.fields ?? {})) fieldErrors[k] = k === 'level' ? m.stats.errors.level : format(m.fieldErrors[p.key], p.params ?? {});
  const order = ['from', 'to', 'unitId', 'level', 'field'];
  const problems = Object.entries(fieldErrors)
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([k, text]) => ({ href: `#${k}`, text }));
  return page({
    ctx,
    title: m.stats.title,
    hasErrors: problems.length > 0,
    body: html`${errorSummary(lang, problems)}
<h1>${m.stats.title}</h1>
<p class="lead">${m.stats.lead}</p>
${filterForm(ctx, catalog, values, fieldErrors)}
${data ? figures(ctx, catalog, data) : ''}`,
  });
}

/** The query of an export for the dashboard's filters (the page's language is the file's). */
function exportQuery(d: Dashboard, by: 'unit' | 'field' | 'desk'): string {
  const q = d.query;
  return new URLSearchParams(Object.entries({ from: q.from, to: q.to, unitId: q.unitId, level: q.level, field: q.field, by }).filter((e): e is [string, string] => !!e[1])).toString();
}

function figures(ctx: PageContext, catalog: CatalogService, d: Dashboard): Html {
  const { lang } = ctx;
  const m = messages(lang);
  const s = m.stats;
  const num = (n: number) => formatNumber(lang, n);
  const share = (v: number) => formatShare(lang, v);
  const shareOr = (r: Ratio, none = s.noDossiers) => (r.value === null ? none : share(r.value));
  const period = format(s.period, { from: displayDate(d.query.from), to: displayDate(d.query.to) });
  const parent = d.units.parent;
  const parentName = parent ? localName(lang, parent) : s.wholeProvince;
  const fieldName = d.query.field ? catalog.fields().find((f) => f.key === d.query.field) : undefined;
  const scope = [period, parentName, d.query.level ? m.levels[d.query.level] : s.allLevels, fieldName ? localName(lang, fieldName) : s.allFields];
  const monthLabel = (month: string, short = false) => format(short ? s.monthShort : s.month, { m: month.slice(5, 7), y: month.slice(0, 4), yy: month.slice(2, 4) });
  const verdict = (r: Ratio, target: number | null | undefined) => (target === null || target === undefined || r.value === null ? '' : r.value >= target ? s.indicators.met : s.indicators.notMet);
  const targetList = (kind: 'onlineShare' | 'onTimeRate') => adminLevels.map((l) => `${m.levels[l]} ${share(d.targets[kind][l])}`).join(', ');

  // Indicators: each with its inputs and, where one applies, its target.
  const ind = d.indicators;
  const card = (key: string, name: string, value: string, detail: string[], target?: { value: number | null; verdict: string; list: string }) => html`<li class="indicator" data-indicator="${key}">
  <h3 class="indicator-name">${name}</h3>
  <p class="indicator-value">${value}</p>
  ${detail.map((t) => html`<p class="indicator-detail">${t}</p>`)}
  ${target ? html`<p class="indicator-detail">${target.value === null ? format(s.indicators.targetsByLevel, { list: target.list }) : format(s.indicators.target, { value: share(target.value) })}${target.verdict ? html` · <strong>${target.verdict}</strong>` : ''}</p>` : ''}
</li>`;
  const r = ind.satisfaction;
  const indicators = html`<h2>${s.indicators.title}</h2>
<ul class="indicator-list">
  ${card('onlineShare', s.indicators.onlineShare, shareOr(ind.onlineShare.ratio), [format(s.indicators.ofReceived, { part: num(ind.onlineShare.ratio.part), whole: num(ind.onlineShare.ratio.whole) })],
    { value: ind.onlineShare.target, verdict: verdict(ind.onlineShare.ratio, ind.onlineShare.target), list: targetList('onlineShare') })}
  ${card('fullOnlineShare', s.indicators.fullOnlineShare, shareOr(ind.fullOnlineShare.ratio), [format(s.indicators.ofFullReceived, { part: num(ind.fullOnlineShare.ratio.part), whole: num(ind.fullOnlineShare.ratio.whole) })])}
  ${card('onlinePaymentShare', s.indicators.onlinePaymentShare, shareOr(ind.onlinePaymentShare.ratio, s.noData), [format(s.indicators.ofPaid, { part: num(ind.onlinePaymentShare.ratio.part), whole: num(ind.onlinePaymentShare.ratio.whole) })])}
  ${card('onTimeRate', s.indicators.onTimeRate, shareOr(ind.onTimeRate.ratio), [format(s.indicators.ofSettled, { part: num(ind.onTimeRate.ratio.part), whole: num(ind.onTimeRate.ratio.whole) })],
    { value: ind.onTimeRate.target, verdict: verdict(ind.onTimeRate.ratio, ind.onTimeRate.target), list: targetList('onTimeRate') })}
  ${card('satisfaction', s.indicators.satisfaction, shareOr(r.satisfied, s.satisfaction.none), [
    format(s.indicators.ofRatings, { part: num(r.satisfied.part), whole: num(r.satisfied.whole) }),
    ...(r.total ? [format(s.indicators.byLevel, { very: num(r.counts.very_satisfied), satisfied: num(r.counts.satisfied), dissatisfied: num(r.counts.dissatisfied) })] : []),
  ])}
</ul>`;

  const sum = d.summary;
  const report = html`<h2>${s.report.title}</h2>
<div class="table-scroll" role="region" tabindex="0" aria-labelledby="report-caption">${dataTable({
    caption: format(s.report.caption, { period }),
    head: [s.report.item, s.report.dossiers],
    rows: [
      [s.report.grandTotal, num(sum.received.grandTotal)], [s.report.carriedOver, num(sum.received.carriedOver)],
      [s.report.received, num(sum.received.total)], [s.report.online, num(sum.received.online)], [s.report.direct, num(sum.received.direct)], [s.report.postal, num(sum.received.postal)],
      [s.report.settled, num(sum.settled.total)], [s.report.early, num(sum.settled.early)], [s.report.onTime, num(sum.settled.onTime)], [s.report.late, num(sum.settled.late)],
      [s.report.pending, num(sum.pending.total)], [s.report.withinDeadline, num(sum.pending.withinDeadline)], [s.report.overdue, num(sum.pending.overdue)],
    ],
  }, 'report-caption')}</div>
<p class="stats-downloads">${s.report.download}: ${(['unit', 'field', 'desk'] as const).map((by, i) => html`${i ? ' · ' : ''}${s.report.by[by]} (<a href="/api/v1/stats/report.xlsx?${exportQuery(d, by)}">XLSX</a>, <a href="/api/v1/stats/report.csv?${exportQuery(d, by)}">CSV</a>)`)}</p>`;

  // Month by month.
  const last = d.months[d.months.length - 1];
  const onlineTarget = d.query.level ? d.targets.onlineShare[d.query.level] : null;
  const monthly = html`<h2>${s.monthly.title}</h2>
${lineChart({
    id: 'chart-monthly',
    title: s.monthly.title,
    desc: format(s.monthly.desc, {
      count: d.months.length, first: monthLabel(d.months[0]!.month), last: monthLabel(last!.month),
      online: shareOr(last!.flows.onlineShare), onTime: shareOr(last!.flows.onTimeRate),
    }),
    categories: d.months.map((mo) => monthLabel(mo.month, true)),
    series: [
      { name: s.indicators.onlineShare, values: d.months.map((mo) => mo.flows.onlineShare.value) },
      { name: s.indicators.onTimeRate, values: d.months.map((mo) => mo.flows.onTimeRate.value) },
    ],
    format: share,
    references: onlineTarget === null ? [] : [{ value: onlineTarget, label: format(s.monthly.reference, { value: share(onlineTarget) }) }],
    table: {
      caption: format(s.monthly.caption, { period }),
      head: [s.monthly.columns.month, s.monthly.columns.received, s.monthly.columns.online, s.monthly.columns.onlineShare, s.monthly.columns.settled, s.monthly.columns.inTime, s.monthly.columns.onTimeRate],
      rows: d.months.map((mo) => [monthLabel(mo.month), num(mo.flows.received), num(mo.flows.online), shareOr(mo.flows.onlineShare), num(mo.flows.settled), num(mo.flows.early + mo.flows.onTime), shareOr(mo.flows.onTimeRate)]),
    },
    tableLabel: s.tableLabel,
    empty: s.empty,
  })}`;

  // Bars of a share against each row's target, and their table.
  const c = s.bars.columns;
  type ShareRow = { label: string; flows: Flows; target: number | null };
  /** Units without any dossier are left out (and counted under the chart); the three levels always show. */
  const shareBars = (o: { id: string; title: string; caption: string; kind: 'online' | 'onTime'; head: string; rows: ShareRow[]; onlyWithData: boolean }) => {
    const ratioOf = (f: Flows) => (o.kind === 'online' ? f.onlineShare : f.onTimeRate);
    const shown = o.rows.filter((row) => ratioOf(row.flows).whole > 0);
    const bars: BarRow[] = shown.map((row) => ({ label: row.label, value: ratioOf(row.flows).value!, valueText: share(ratioOf(row.flows).value!), target: row.target }));
    const table: TableData = {
      caption: o.caption,
      head: o.kind === 'online' ? [o.head, c.received, c.online, c.onlineShare, c.target, c.result] : [o.head, c.settled, c.inTime, c.onTimeRate, c.target, c.result],
      rows: (o.onlyWithData ? shown : o.rows).map((row) => {
        const ratio = ratioOf(row.flows);
        return [row.label, num(ratio.whole), num(ratio.part), shareOr(ratio), row.target === null ? '' : share(row.target), verdict(ratio, row.target)];
      }),
    };
    return barChart({
      id: o.id, title: o.title, table,
      desc: format(s.bars.desc, {
        list: bars.map((b) => format(b.target == null ? s.bars.item : s.bars.itemTarget, { label: b.label, value: b.valueText, target: b.target == null ? '' : share(b.target) })).join('; '),
      }),
      rows: bars, max: 1, axis: share,
      legend: { met: s.bars.met, below: s.bars.below, target: s.bars.target },
      tableLabel: s.tableLabel, empty: s.empty,
    });
  };

  const levelCaption = format(s.byLevel.caption, { period });
  const byLevel = html`<h2>${s.byLevel.title}</h2>
<h3>${s.byLevel.online}</h3>
${shareBars({ id: 'chart-level-online', title: s.byLevel.online, caption: levelCaption, kind: 'online', head: s.byLevel.level, onlyWithData: false,
    rows: d.levels.map((l) => ({ label: m.levels[l.level], flows: l.flows, target: l.targets.onlineShare })) })}
<h3>${s.byLevel.onTime}</h3>
${shareBars({ id: 'chart-level-ontime', title: s.byLevel.onTime, caption: levelCaption, kind: 'onTime', head: s.byLevel.level, onlyWithData: false,
    rows: d.levels.map((l) => ({ label: m.levels[l.level], flows: l.flows, target: l.targets.onTimeRate })) })}`;

  const unitLabel = (u: UnitRow) => (u.own ? format(s.byUnit.own, { unit: localName(lang, u.unit) }) : localName(lang, u.unit));
  const unitCaption = format(s.byUnit.caption, { parent: parentName, period });
  const noneReceived = d.units.rows.filter((u) => !u.flows.received).length;
  const noneSettled = d.units.rows.filter((u) => !u.flows.settled).length;
  const byUnit = html`<h2>${s.byUnit.title}</h2>
<p>${s.byUnit.lead}</p>
${d.units.rows.every((u) => u.own) ? html`<p>${s.byUnit.noChildren}</p>` : ''}
<h3>${s.byUnit.online}</h3>
${shareBars({ id: 'chart-unit-online', title: s.byUnit.online, caption: unitCaption, kind: 'online', head: s.byUnit.unit, onlyWithData: true,
    rows: d.units.rows.map((u) => ({ label: unitLabel(u), flows: u.flows, target: u.targets?.onlineShare ?? null })) })}
${noneReceived ? html`<p class="hint">${format(s.byUnit.noneReceived, { count: noneReceived })}</p>` : ''}
<h3>${s.byUnit.onTime}</h3>
${shareBars({ id: 'chart-unit-ontime', title: s.byUnit.onTime, caption: unitCaption, kind: 'onTime', head: s.byUnit.unit, onlyWithData: true,
    rows: d.units.rows.map((u) => ({ label: unitLabel(u), flows: u.flows, target: u.targets?.onTimeRate ?? null })) })}
${noneSettled ? html`<p class="hint">${format(s.byUnit.noneSettled, { count: noneSettled })}</p>` : ''}`;

  // The campaign's targets: procedures available online that still get paper dossiers.
  const t = s.top.columns;
  const maxOffline = Math.max(0, ...d.top.map((p) => p.offline));
  const top = html`<h2>${s.top.title}</h2>
<p>${s.top.lead}</p>
${barChart({
    id: 'chart-top',
    title: s.top.chart,
    desc: format(s.top.desc, { count: d.top.length, list: d.top.map((p) => format(s.bars.item, { label: localName(lang, p.procedure), value: format(s.count, { count: num(p.offline) }) })).join('; ') }),
    rows: d.top.map((p) => ({ label: localName(lang, p.procedure), value: p.offline, valueText: num(p.offline) })),
    max: maxOffline,
    table: {
      caption: format(s.top.caption, { period }),
      head: [t.procedure, t.onlineClass, t.direct, t.postal, t.online, t.onlineShare],
      rows: d.top.map((p) => [localName(lang, p.procedure), m.onlineClasses[p.procedure.onlineClass], num(p.direct), num(p.postal), num(p.online), shareOr(p.onlineShare)]),
    },
    tableLabel: s.tableLabel,
    empty: s.top.none,
  })}`;

  // Satisfaction: the whole period, then month by month.
  const sat = s.satisfaction;
  const ratingNames = satisfactionLevels.map((l) => sat.levels[l]);
  const ratingRows = [{ label: sat.whole, ratings: d.ratings }, ...d.months.map((mo) => ({ label: monthLabel(mo.month), ratings: mo.ratings }))];
  const satisfaction = html`<h2>${sat.title}</h2>
<p>${sat.lead}</p>
${stackedBarChart({
    id: 'chart-satisfaction',
    title: sat.chart,
    desc: format(sat.desc, { total: num(d.ratings.total), satisfied: shareOr(d.ratings.satisfied, sat.none) }),
    parts: ratingNames,
    rows: ratingRows.map((row) => ({ label: row.label, values: satisfactionLevels.map((l) => row.ratings.counts[l]), note: format(sat.note, { count: num(row.ratings.total) }), emptyText: sat.none })),
    table: {
      caption: format(sat.caption, { period }),
      head: [sat.period, ...ratingNames, sat.total, sat.satisfied],
      rows: ratingRows.map((row) => [row.label, ...satisfactionLevels.map((l) => num(row.ratings.counts[l])), num(row.ratings.total), shareOr(row.ratings.satisfied, sat.none)]),
    },
    tableLabel: s.tableLabel,
    empty: s.empty,
  })}`;

  // The national service index: its groups and points, and the inputs kept here; no score.
  const si = s.serviceIndex;
  const inputs: Record<Dashboard['serviceIndex'][number]['key'], string[]> = {
    transparency: [format(si.published, { count: num(d.offer.total) })],
    timeliness: [
      `${s.indicators.onTimeRate}: ${shareOr(ind.onTimeRate.ratio)} (${format(s.indicators.ofSettled, { part: num(ind.onTimeRate.ratio.part), whole: num(ind.onTimeRate.ratio.whole) })})`,
      format(si.overdue, { count: num(sum.pending.overdue) }),
    ],
    digitisation: [si.notKept],
    onlineProvision: [
      `${s.indicators.onlineShare}: ${shareOr(ind.onlineShare.ratio)}`,
      `${s.indicators.fullOnlineShare}: ${shareOr(ind.fullOnlineShare.ratio)}`,
      `${s.indicators.onlinePaymentShare}: ${shareOr(ind.onlinePaymentShare.ratio, s.noData)}`,
      format(si.offer, { full: num(d.offer.full), partial: num(d.offer.partial), total: num(d.offer.total) }),
    ],
    satisfaction: [`${s.indicators.satisfaction}: ${shareOr(r.satisfied, sat.none)} (${format(s.indicators.ofRatings, { part: num(r.satisfied.part), whole: num(r.satisfied.whole) })})`],
  };
  const serviceIndex = html`<h2>${si.title}</h2>
<p>${si.lead}</p>
<div class="table-scroll" role="region" tabindex="0" aria-labelledby="service-index-caption">
<table class="data-table" id="service-index">
  <caption id="service-index-caption">${format(si.caption, { period })}</caption>
  <thead><tr><th scope="col">${si.columns.group}</th><th scope="col">${si.columns.points}</th><th scope="col">${si.columns.inputs}</th></tr></thead>
  <tbody>${d.serviceIndex.map((g) => html`<tr><th scope="row">${si.groups[g.key]}</th><td>${format(si.points, { points: g.points })}</td><td><ul class="plain-list">${inputs[g.key].map((i) => html`<li>${i}</li>`)}</ul></td></tr>`)}</tbody>
</table>
</div>`;

  const def = s.definitions;
  const notes = html`<h2>${def.title}</h2>
<ul class="list">
  <li>${def.onlineShare}</li><li>${def.fullOnlineShare}</li><li>${def.onlinePaymentShare}</li><li>${def.onTimeRate}</li><li>${def.satisfaction}</li>
  <li>${def.period}</li><li>${def.targets}</li>
  <li>${def.api} <a href="/api/v1/stats/summary?from=${d.query.from}&amp;to=${d.query.to}">/api/v1/stats/summary</a></li>
</ul>`;

  return html`<p class="stats-scope"><strong>${s.showing}:</strong> ${scope.join(' · ')}</p>
${indicators}
${report}
${monthly}
${byLevel}
${byUnit}
${top}
${satisfaction}
${serviceIndex}
${notes}`;
}
