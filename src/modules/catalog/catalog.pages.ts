// Portal pages of the catalogue: home, search results with filters, the procedure page.
import { errorSummary, formGroup, formatVnd, searchForm, select as selectControl } from '../../web/components.ts';
import { html, type Html } from '../../web/html.ts';
import { format, formatNumber, localName, messages, type Lang, type Messages } from '../../i18n/index.ts';
import { page } from '../../web/layout.ts';
import type { PageContext } from '../../web/context.ts';
import type { AppError } from '../../errors.ts';
import { adminLevels, onlineClasses } from '../../domain/catalog.ts';
import type { WorkingHours } from '../../domain/calendar.ts';
import type { CatalogService, ProcedureDetail, ProcedureSummary, SearchParams } from './catalog.service.ts';


function badge(m: Messages, p: ProcedureSummary): Html {
  return html`<span class="badge badge-${p.onlineClass}">${m.onlineClasses[p.onlineClass]}</span>`;
}

function processingTime(m: Messages, p: ProcedureSummary): string {
  const days = p.processingDays;
  if (days === 0) return m.procedure.sameDay;
  return format(p.processingDayKind === 'calendar' ? m.procedure.calendarDays : m.procedure.workingDays, { days });
}

function feeText(lang: Lang, m: Messages, fee: number | null): string {
  if (fee === null) return m.procedure.feeByCouncil;
  return fee === 0 ? m.procedure.free : formatVnd(lang, fee);
}

function procedureItem(lang: Lang, m: Messages, p: ProcedureSummary): Html {
  return html`<li class="result">
  <h3 class="result-title"><a href="/thu-tuc/${p.id}">${localName(lang, p)}</a></h3>
  <p class="result-meta">${badge(m, p)} <span>${m.levels[p.level]}</span> · <span>${lang === 'en' ? p.fieldNameEn : p.fieldName}</span></p>
  <p class="result-meta">${processingTime(m, p)} · ${feeText(lang, m, p.feeVnd)}</p>
</li>`;
}

export function homePage(ctx: PageContext, catalog: CatalogService): Html {
  const { lang } = ctx;
  const m = messages(lang);
  return page({
    ctx,
    title: m.home.title,
    body: html`<h1>${m.home.title}</h1>
<p class="lead">${m.home.lead}</p>
${searchForm(lang, '')}
<p class="hint">${format(m.home.catalogueSize, { count: formatNumber(lang, catalog.size) })}</p>
<h2>${m.home.mostUsed}</h2>
<ul class="results">${catalog.mostUsed(10).map((p) => procedureItem(lang, m, p))}</ul>
<h2>${m.home.byLevel}</h2>
<ul class="link-list">${adminLevels.map((l) => html`<li><a href="/thu-tuc?level=${l}">${m.levels[l]}</a></li>`)}</ul>`,
  });
}

function select(lang: Lang, id: string, label: string, value: string | number | undefined, options: Array<{ value: string; text: string }>, anyText: string): Html {
  return formGroup(lang, { id, label }, html`
  ${selectControl({ id, value, blank: anyText, options })}`);
}

function pageLink(params: SearchParams, pageNo: number): string {
  const qs = new URLSearchParams();
  for (const k of ['q', 'field', 'level', 'unitId', 'onlineClass', 'onlineLevel', 'audience'] as const) {
    const v = params[k];
    if (v !== undefined && v !== '') qs.set(k, String(v));
  }
  if (pageNo > 1) qs.set('trang', String(pageNo));
  return `/thu-tuc?${qs.toString()}`;
}

export function resultsPage(
  ctx: PageContext,
  catalog: CatalogService,
  params: SearchParams,
  found: { total: number; items: ProcedureSummary[] },
  error?: AppError,
): Html {
  const { lang } = ctx;
  const m = messages(lang);
  const q = params.q ?? '';
  const problems = Object.entries(error?.fields ?? {}).map(([k, p]) => ({
    href: `#${k === 'q' ? 'q' : k}`,
    text: format(m.fieldErrors[p.key], p.params ?? {}),
  }));
  const qError = problems.find((p) => p.href === '#q')?.text;
  const title = q ? m.search.title : m.search.titleAll;
  const pages = Math.max(1, Math.ceil(found.total / params.limit));
  const current = Math.floor(params.offset / params.limit) + 1;
  const units = catalog.handlingUnits();
  return page({
    ctx,
    title,
    hasErrors: problems.length > 0,
    body: html`${errorSummary(lang, problems)}
<h1>${title}</h1>
${searchForm(lang, q, qError)}
<details class="filters"${params.field || params.level || params.onlineClass || params.audience || params.unitId ? html` open` : ''}>
  <summary>${m.search.filters}</summary>
  <form action="/thu-tuc" method="get">
    <input type="hidden" name="q" value="${q}">
    ${select(lang, 'field', m.search.field, params.field, catalog.fields().map((f) => ({ value: f.key, text: localName(lang, f) })), m.search.any)}
    ${select(lang, 'level', m.search.level, params.level, adminLevels.map((l) => ({ value: l, text: m.levels[l] })), m.search.any)}
    ${select(lang, 'onlineClass', m.search.onlineClass, params.onlineClass, onlineClasses.map((c) => ({ value: c, text: m.onlineClasses[c] })), m.search.any)}
    ${select(lang, 'audience', m.search.audience, params.audience, (['citizen', 'business'] as const).map((a) => ({ value: a, text: m.audiences[a] })), m.search.any)}
    ${select(lang, 'unitId', m.search.unit, params.unitId, units.map((u) => ({ value: u.id, text: localName(lang, u) })), m.search.any)}
    <button class="button button-secondary" type="submit">${m.search.applyFilters}</button>
    <a href="${q ? `/thu-tuc?q=${encodeURIComponent(q)}` : '/thu-tuc'}">${m.search.clearFilters}</a>
  </form>
</details>
${error
  ? ''
  : found.total === 0
    ? html`<h2>${format(m.search.noResults, { q })}</h2><p>${m.search.noResultsHelp}</p>`
    : html`<h2 class="results-count">${q ? format(m.search.resultsFor, { count: found.total, q }) : format(m.search.resultsAll, { count: found.total })}</h2>
<ul class="results">${found.items.map((p) => procedureItem(lang, m, p))}</ul>
${pages > 1
  ? html`<nav class="pagination" aria-label="${m.search.pagination}">
  ${current > 1 ? html`<a rel="prev" href="${pageLink(params, current - 1)}">${m.search.previous}</a>` : ''}
  <span>${format(m.search.pageOf, { page: current, pages })}</span>
  ${current < pages ? html`<a rel="next" href="${pageLink(params, current + 1)}">${m.search.next}</a>` : ''}
</nav>`
  : ''}`}`,
  });
}

/** A unit's desk hours for the "where to file" list: its reception hours, or its working hours when it receives only then. */
export type DeskHours = { hours: WorkingHours; reception: WorkingHours | null; sameDayCutoff: string };

const weekMondayFirst = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

function deskHoursText(m: Messages, desk: DeskHours): string {
  const week = desk.reception ?? desk.hours;
  return weekMondayFirst.filter((d) => week[d].length)
    .map((d) => `${m.calendarAdmin.weekdays[d]} ${week[d].map((p) => `${p.from}–${p.to}`).join(', ')}`).join('; ');
}

function whereToFile(lang: Lang, m: Messages, catalog: CatalogService, p: ProcedureDetail, desks: ReadonlyMap<string, DeskHours>): Html {
  if (p.unitScope === 'all-communes') return html`<p>${m.procedure.allCommunes}</p>`;
  if (p.unitScope === 'all-districts') return html`<p>${m.procedure.allDistricts}</p>`;
  return html`<ul class="list">${p.unitIds.map((id) => catalog.unit(id)).filter((u) => u !== undefined).map((u) => {
    const desk = desks.get(u.id);
    return html`<li>${localName(lang, u)}${desk ? html`<br><span class="hint">${format(m.procedure.receptionHours, { hours: deskHoursText(m, desk) })}${desk.reception ? html` ${m.procedure.receptionNotWorking}` : ''}${p.processingDays === 0 ? html` ${format(m.procedure.sameDayCutoff, { time: desk.sameDayCutoff })}` : ''}</span>` : ''}</li>`;
  })}</ul>`;
}

export function procedurePage(
  ctx: PageContext, catalog: CatalogService, p: ProcedureDetail, nationalPortalUrl: string | null = null, desks: ReadonlyMap<string, DeskHours> = new Map(),
): Html {
  const { lang } = ctx;
  const m = messages(lang);
  const name = localName(lang, p);
  const fieldsBySection = p.form.sections.map((s) => ({ title: lang === 'en' ? s.titleEn : s.title, fields: p.form.fields.filter((f) => f.section === s.key) }));
  return page({
    ctx,
    title: name,
    body: html`<nav class="breadcrumbs" aria-label="${m.procedure.breadcrumbLabel}"><a href="/thu-tuc">${m.procedure.breadcrumb}</a></nav>
<h1>${name}</h1>
${lang === 'en' ? html`<p class="hint" lang="vi">${p.name}</p>` : ''}
<p>${badge(m, p)} <span class="badge">${m.onlineLevels[p.onlineLevel]}</span></p>
${p.uncertain ? html`<p class="notice">${m.procedure.uncertain}</p>` : ''}
<dl class="summary-list">
  <div><dt>${m.procedure.code}</dt><dd>${p.code}</dd></div>
  <div><dt>${m.procedure.field}</dt><dd>${lang === 'en' ? p.fieldNameEn : p.fieldName}</dd></div>
  <div><dt>${m.procedure.level}</dt><dd>${m.levels[p.level]}</dd></div>
  <div><dt>${m.procedure.whoCanFile}</dt><dd>${m.audiences[p.audience]}</dd></div>
  <div><dt>${m.procedure.processingTime}</dt><dd>${processingTime(m, p)}${p.processingNote ? html`<br><span class="hint">${p.processingNote}</span>` : ''}</dd></div>
  <div><dt>${m.procedure.fees}</dt><dd>${p.fees.map((f) => html`${feeText(lang, m, f.amountVnd)}${f.note ? html`<br><span class="hint">${f.note}</span>` : ''}`)}</dd></div>
</dl>
${p.onlineClass === 'none'
  ? html`<p class="notice">${m.procedure.fileAtCounter}</p>`
  : nationalPortalUrl
    ? html`<p><a class="button button-start" role="button" href="${nationalPortalUrl}">${m.procedure.fileOnNationalPortal}</a></p>`
    : html`<p><a class="button button-start" role="button" href="/thu-tuc/${p.id}/nop-ho-so">${m.procedure.fileOnline}</a></p>`}
<h2>${m.procedure.result}</h2>
<p>${p.result}</p>
<h2>${m.procedure.documents}</h2>
<ol class="documents">${p.documents.map(
  (d) => html`<li>${d.name}
  <span class="hint">(${d.original ? m.procedure.original : m.procedure.copy}; ${d.required ? m.procedure.requiredDoc : m.procedure.optionalDoc})</span>
  ${d.templateUrl ? html`<br><a href="${d.templateUrl}" download>${m.procedure.downloadTemplate}<span class="visually-hidden">: ${d.name}</span></a>` : ''}</li>`,
)}</ol>
<h2>${m.procedure.whereToFile}</h2>
${whereToFile(lang, m, catalog, p, desks)}
<h2>${m.procedure.postal}</h2>
<ul class="list">
  <li>${p.postal.submit ? m.procedure.postalSubmit : m.procedure.postalNoSubmit}</li>
  <li>${p.postal.return ? m.procedure.postalReturn : m.procedure.postalNoReturn}</li>
</ul>
<h2>${m.procedure.legalBasis}</h2>
<ul class="list">${p.legalBasis.map((l) => html`<li>${l}</li>`)}</ul>
<details>
  <summary>${m.procedure.formFields}</summary>
  ${fieldsBySection.map((s) => html`<h3>${s.title}</h3><ul class="list">${s.fields.map((f) => html`<li>${lang === 'en' ? f.labelEn : f.label}${f.required ? '' : html` <span class="hint">(${m.procedure.optionalDoc})</span>`}</li>`)}</ul>`)}
</details>
<p class="hint">${format(m.procedure.version, { version: p.version.number, date: p.version.publishedAt.slice(0, 10) })}</p>`,
  });
}
