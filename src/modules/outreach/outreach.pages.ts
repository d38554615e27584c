// Campaign plan pages: the list, a plan (public: warnings, channels, units, activities, the budget
// table with computed totals, downloads), an activity's execution form with its evidence, and the
// report to the People's Committee. The plan's edit form is in outreach.form.pages.ts.
import { budgetTotals } from '../../domain/outreach.ts';
import { csrfInput, errorSummary, formGroup, select, successBanner, textarea } from '../../web/components.ts';
import type { PageContext } from '../../web/context.ts';
import { html, type Html } from '../../web/html.ts';
import { page } from '../../web/layout.ts';
import { format, formatNumber, messages, type Lang } from '../../i18n/index.ts';
import type { PlanReport, PlanView } from './outreach.service.ts';

export const plansPath = '/truyen-thong';
export type State = { values: Record<string, string>; errors: Record<string, string> };
export const emptyState: State = { values: {}, errors: {} };
const day = (d: string | null) => (d ? d.split('-').reverse().join('/') : '');
const vnd = (lang: Lang, n: number | null) => (n === null ? '' : formatNumber(lang, n));
const api = (id: string) => `/api/v1/outreach/plans/${encodeURIComponent(id)}`;

export function plansPage(ctx: PageContext, items: Array<{ id: string; number: string; date: string; title: string }>, canWrite: boolean): Html {
  const m = messages(ctx.lang).outreach;
  return page({
    ctx, title: m.title,
    body: html`<h1>${m.title}</h1><p class="lead">${m.lead}</p>
${canWrite ? html`<p><a class="button" role="button" href="${plansPath}/moi">${m.newPlan}</a></p>` : ''}
${items.length ? html`<ul class="list">${items.map((p) => html`<li><a href="${plansPath}/${p.id}">${p.title}</a><br><span class="hint">${format(m.numberDate, { number: p.number, date: day(p.date) })}</span></li>`)}</ul>` : html`<p>${m.none}</p>`}`,
  });
}

export function warningsBlock(lang: Lang, warnings: PlanView['warnings']): Html | '' {
  if (!warnings.length) return '';
  const m = messages(lang).outreach;
  return html`<div class="notice" role="note" id="warnings"><h2>${m.warningsTitle}</h2><ul>${warnings.map((w) => html`<li data-code="${w.code}">${w.message}</li>`)}</ul></div>`;
}

/** The budget estimate as printed: section and group rows with their totals, the lines, the grand total. */
export function budgetTable(lang: Lang, plan: PlanView): Html {
  const m = messages(lang).outreach;
  const b = plan.budget;
  const t = budgetTotals(b.lines);
  const money = (x: { amount: number; state: number; social: number }) => html`<td>${vnd(lang, x.amount)}</td><td>${vnd(lang, x.state)}</td><td>${vnd(lang, x.social)}</td>`;
  const cols = ['no', 'item', 'duration', 'quantity', 'unitPrice', 'amount', 'state', 'social'] as const;
  return html`<div class="table-scroll" role="region" tabindex="0" aria-labelledby="budget-caption"><table class="data-table" id="budget">
<caption class="table-caption" id="budget-caption">${m.budgetTitle} (${m.currency.toLowerCase()})</caption>
<thead><tr>${cols.map((c) => html`<th scope="col">${m.columns[c]}</th>`)}</tr></thead>
<tbody>${t.sections.map((s) => html`<tr class="total"><th scope="row">${s.key}</th><th scope="row" colspan="4">${s.name}</th>${money(s.total)}</tr>
${s.groups.map((g) => html`${g.key || g.name ? html`<tr class="total"><td>${g.key ?? ''}</td><td colspan="4"><strong>${g.name ?? ''}</strong></td>${money(g.total)}</tr>` : ''}
${g.lines.map((i) => {
    const l = b.lines[i]!;
    return html`<tr><td>${l.no}</td><td>${l.item}${l.note ? html`<br><span class="hint">${l.note}</span>` : ''}</td><td>${l.duration ?? ''}</td><td>${vnd(lang, l.quantity)}</td><td>${vnd(lang, l.unitPrice)}</td>${money(l)}</tr>`;
  })}`)}`)}</tbody>
<tfoot><tr class="total"><th scope="row" colspan="5">${m.grandTotal}</th>${money(b.total)}</tr>
${b.printedTotal ? html`<tr><td colspan="5">${m.printedTotal}</td>${money(b.printedTotal)}</tr>` : ''}</tfoot>
</table></div>`;
}

export function planPage(ctx: PageContext, plan: PlanView, o: { canWrite: boolean; saved?: string; activityState?: State }): Html {
  const m = messages(ctx.lang).outreach;
  const channel = (id: string | null) => plan.channels.find((c) => c.id === id)?.name ?? '';
  const a = m.activity;
  const st = o.activityState ?? emptyState;
  return page({
    ctx, title: plan.title, hasErrors: Object.keys(st.errors).length > 0,
    body: html`${o.saved ? successBanner(o.saved) : ''}${errorSummary(ctx.lang, Object.entries(st.errors).map(([k, text]) => ({ href: `#activity-${k}`, text })))}
<p class="hint">${plan.issuer}</p>
<h1>${plan.title}</h1>
<p class="lead">${format(m.numberDate, { number: plan.number, date: day(plan.date) })}${plan.appendixNumber && plan.appendixNumber !== plan.number ? html` · ${format(m.appendixCites, { number: plan.appendixNumber })}` : ''}</p>
${warningsBlock(ctx.lang, plan.warnings)}
${o.canWrite ? html`<p><a class="button button-secondary" role="button" href="${plansPath}/${plan.id}/sua">${m.edit}</a> <a href="${plansPath}/${plan.id}/bao-cao">${m.report.title}</a></p>` : ''}
<h2>${m.exports}</h2>
<ul class="list"><li><a href="${api(plan.id)}/plan.pdf">${m.pdf}</a></li><li><a href="${api(plan.id)}/budget.xlsx">${m.xlsx}</a></li></ul>
<h2>${m.objectives}</h2><ul class="list">${plan.objectives.map((x) => html`<li>${x}</li>`)}</ul>
<h2>${m.themes}</h2><ul class="list">${plan.themes.map((x) => html`<li>${x}</li>`)}</ul>
<h2>${m.channelsTitle}</h2><ul class="list">${plan.channels.map((c) => html`<li>${c.name}${c.label && c.kind !== 'other' ? html` <span class="hint">(${c.label})</span>` : ''}</li>`)}</ul>
<h2>${m.unitsTitle}</h2><ul class="list">${plan.units.map((u) => html`<li><strong>${m.unitRoles[u.role]}:</strong> ${u.name}${u.tasks.length ? html`<br><span class="hint">${u.tasks.join('; ')}</span>` : ''}</li>`)}</ul>
<h2>${m.activities}</h2>
${plan.activities.length ? html`<div class="table-scroll" role="region" tabindex="0" aria-labelledby="activities-caption"><table class="data-table"><caption class="table-caption visually-hidden" id="activities-caption">${m.activities}</caption>
<thead><tr><th scope="col">${a.title}</th><th scope="col">${a.channel}</th><th scope="col">${a.planned}</th><th scope="col">${a.status}</th><th scope="col">${a.actual}</th><th scope="col">${a.actualSpending}</th></tr></thead>
<tbody>${plan.activities.map((x) => html`<tr><td>${o.canWrite ? html`<a href="${plansPath}/${plan.id}/hoat-dong/${x.id}">${x.title}</a>` : x.title}</td><td>${channel(x.channelId)}</td><td>${day(x.plannedFrom)} – ${day(x.plannedTo)}</td><td>${m.statuses[x.status]}</td><td>${x.actualFrom ? html`${day(x.actualFrom)} – ${day(x.actualTo)}` : ''}</td><td>${vnd(ctx.lang, x.actualSpending)}</td></tr>`)}</tbody></table></div>` : html`<p>${m.noActivities}</p>`}
${o.canWrite ? addActivityForm(ctx, plan, st) : ''}
<h2>${m.budgetTitle}</h2>
${budgetTable(ctx.lang, plan)}
<h2>${m.links}</h2><p>${m.linksNone}</p>`,
  });
}

function field(ctx: PageContext, id: string, name: string, label: string, st: State, type = 'text', hint?: string): Html {
  const error = st.errors[name];
  return formGroup(ctx.lang, { id, label, error, hint }, html`<input class="input${error ? ' input-error' : ''}" id="${id}" name="${name}" type="${type}" value="${st.values[name] ?? ''}"${error ? html` aria-describedby="${id}-error"` : ''}>`);
}

function channelOptions(plan: PlanView) {
  return plan.channels.map((c) => ({ value: c.id, text: c.name }));
}

function addActivityForm(ctx: PageContext, plan: PlanView, st: State): Html {
  const m = messages(ctx.lang).outreach;
  const a = m.activity;
  return html`<form action="${plansPath}/${plan.id}/hoat-dong" method="post" novalidate>${csrfInput(ctx.csrf)}
<h3>${m.addActivity}</h3>
${field(ctx, 'activity-title', 'title', a.title, st)}
${formGroup(ctx.lang, { id: 'activity-channelId', label: a.channel, error: st.errors.channelId }, select({ id: 'activity-channelId', name: 'channelId', value: st.values.channelId, blank: a.noChannel, options: channelOptions(plan) }))}
${field(ctx, 'activity-plannedFrom', 'plannedFrom', a.plannedFrom, st, 'date')}
${field(ctx, 'activity-plannedTo', 'plannedTo', a.plannedTo, st, 'date')}
<button class="button" type="submit">${m.addActivity}</button></form>`;
}

export function activityPage(ctx: PageContext, plan: PlanView, activityId: string, st: State, saved?: string): Html {
  const m = messages(ctx.lang).outreach;
  const a = m.activity;
  const x = plan.activities.find((y) => y.id === activityId)!;
  const values = Object.keys(st.values).length ? st.values : {
    title: x.title, channelId: x.channelId ?? '', plannedFrom: x.plannedFrom, plannedTo: x.plannedTo, status: x.status,
    actualFrom: x.actualFrom ?? '', actualTo: x.actualTo ?? '', actualSpending: x.actualSpending === null ? '' : String(x.actualSpending), note: x.note ?? '',
  };
  const s: State = { values, errors: st.errors };
  const base = `${plansPath}/${plan.id}/hoat-dong/${x.id}`;
  return page({
    ctx, title: `${a.execution}: ${x.title}`, hasErrors: Object.keys(st.errors).length > 0,
    body: html`${saved ? successBanner(saved) : ''}${errorSummary(ctx.lang, Object.entries(st.errors).map(([k, text]) => ({ href: `#activity-${k}`, text })))}
<p><a href="${plansPath}/${plan.id}">${plan.title}</a></p>
<h1>${a.execution}</h1>
<form action="${base}" method="post" novalidate>${csrfInput(ctx.csrf)}
${field(ctx, 'activity-title', 'title', a.title, s)}
${formGroup(ctx.lang, { id: 'activity-channelId', label: a.channel, error: s.errors.channelId }, select({ id: 'activity-channelId', name: 'channelId', value: s.values.channelId, blank: a.noChannel, options: channelOptions(plan) }))}
${field(ctx, 'activity-plannedFrom', 'plannedFrom', a.plannedFrom, s, 'date')}
${field(ctx, 'activity-plannedTo', 'plannedTo', a.plannedTo, s, 'date')}
${formGroup(ctx.lang, { id: 'activity-status', label: a.status, error: s.errors.status }, select({ id: 'activity-status', name: 'status', value: s.values.status, options: (['planned', 'in_progress', 'done', 'cancelled'] as const).map((k) => ({ value: k, text: m.statuses[k] })) }))}
${field(ctx, 'activity-actualFrom', 'actualFrom', a.actualFrom, s, 'date')}
${field(ctx, 'activity-actualTo', 'actualTo', a.actualTo, s, 'date')}
${field(ctx, 'activity-actualSpending', 'actualSpending', a.actualSpending, s, 'text', m.hints.money)}
${formGroup(ctx.lang, { id: 'activity-note', label: a.note, error: s.errors.note }, textarea({ id: 'activity-note', name: 'note', value: s.values.note, rows: 3 }))}
<button class="button" type="submit">${a.update}</button></form>
<h2>${a.evidence}</h2>
${x.evidence.length ? html`<ul class="list">${x.evidence.map((e) => html`<li><a href="${api(plan.id)}/activities/${x.id}/evidence/${e.id}">${e.name}</a> <span class="hint">(${formatNumber(ctx.lang, Math.ceil(e.size / 1024))} KB)</span></li>`)}</ul>` : html`<p>${a.noEvidence}</p>`}
<form action="${base}/minh-chung" method="post" enctype="multipart/form-data" novalidate>${csrfInput(ctx.csrf)}
${formGroup(ctx.lang, { id: 'activity-file', label: a.file, error: s.errors.file }, html`<input class="file-upload" id="activity-file" name="file" type="file" accept="application/pdf,image/*">`)}
<button class="button button-secondary" type="submit">${a.upload}</button></form>`,
  });
}

export function reportPage(ctx: PageContext, r: PlanReport): Html {
  const m = messages(ctx.lang).outreach;
  const t = m.report;
  const pct = (x: number) => `${formatNumber(ctx.lang, Math.round(x * 1000) / 10)}%`;
  const n = (x: number) => formatNumber(ctx.lang, x);
  const u = r.uptake;
  const row = (label: string, p: typeof u.current) => html`<tr><th scope="row">${label}</th><td>${n(p.received)}</td><td>${n(p.online)}</td><td>${pct(p.onlineShare)}</td><td>${pct(p.onTimeRate)}</td></tr>`;
  return page({
    ctx, title: t.title,
    body: html`<p><a href="${plansPath}/${r.plan.id}">${r.plan.title}</a></p>
<h1>${t.title}</h1><p>${t.to}</p>
<p class="lead">${format(t.lead, { number: r.plan.number, date: day(r.plan.date), from: day(r.plan.periodFrom), to: day(r.plan.periodTo) })}</p>
<p><a href="${api(r.plan.id)}/report.pdf">${m.reportPdf}</a></p>
<h2>${t.activities}</h2>
<dl class="summary-list" id="report-activities">
<div><dt>${t.planned}</dt><dd>${n(r.activities.planned)}</dd></div><div><dt>${t.done}</dt><dd>${n(r.activities.done)}</dd></div>
<div><dt>${t.inProgress}</dt><dd>${n(r.activities.inProgress)}</dd></div><div><dt>${t.notStarted}</dt><dd>${n(r.activities.notStarted)}</dd></div><div><dt>${t.cancelled}</dt><dd>${n(r.activities.cancelled)}</dd></div></dl>
<h2>${t.money}</h2>
<dl class="summary-list" id="report-money">
<div><dt>${t.moneyPlanned}</dt><dd>${n(r.money.planned)}</dd></div><div><dt>${t.spent}</dt><dd>${n(r.money.spent)}</dd></div>
<div><dt>${t.remaining}</dt><dd>${n(r.money.remaining)}</dd></div><div><dt>${t.spentShare}</dt><dd>${pct(r.money.spentShare)}</dd></div></dl>
<h2>${t.uptake}</h2><p>${t.uptakeLead}</p>
<div class="table-scroll" role="region" tabindex="0" aria-labelledby="uptake-caption"><table class="data-table" id="uptake"><caption class="table-caption" id="uptake-caption">${t.uptake}</caption>
<thead><tr><th scope="col">${t.period}</th><th scope="col">${t.received}</th><th scope="col">${t.online}</th><th scope="col">${t.onlineShare}</th><th scope="col">${t.onTimeRate}</th></tr></thead>
<tbody>${row(format(t.thisPeriod, { from: day(u.current.from), to: day(u.current.to) }), u.current)}${row(format(t.lastYear, { from: day(u.previous.from), to: day(u.previous.to) }), u.previous)}</tbody>
<tfoot><tr><th scope="row">${t.change}</th><td>${n(u.change.received)}</td><td>${n(u.change.online)}</td><td colspan="2">${format(t.points, { n: formatNumber(ctx.lang, Math.round(u.change.onlineSharePoints * 10) / 10) })}</td></tr></tfoot></table></div>
${warningsBlock(ctx.lang, r.warnings)}`,
  });
}
