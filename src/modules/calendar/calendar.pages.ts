// The working calendar's admin page (docs/domain.md §4): a year's days off and swapped working days, where
// each comes from, and the forms that edit them, the default working hours and a unit's own hours.
// Plain GOV.UK forms that work without JavaScript; a failed form comes back with an error summary
// and what was typed.
import { weekdays, type Weekday, type WorkingHours } from '../../domain/calendar.ts';
import { csrfInput, errorMessage, errorSummary, formGroup, radios, select, successBanner } from '../../web/components.ts';
import type { PageContext } from '../../web/context.ts';
import { html, type Html } from '../../web/html.ts';
import { format, messages, type Lang } from '../../i18n/index.ts';
import { page } from '../../web/layout.ts';
import type { HolidayTable } from './calendar.service.ts';

type Option = { value: string; text: string };

/** The week as an office reads it: Monday first. */
export const weekOrder: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The forms of the page, as the routes name a failed one. */
export type CalendarForm = 'day' | 'remove' | 'official' | 'hours' | 'unitHours' | 'reception';
export type FailedForm = { form: CalendarForm; values: Record<string, string>; errors: Record<string, string> };
export type Done = { what: 'day' | 'removed' | 'official' | 'hours' | 'unitHours' | 'reception'; date?: string };

/** A unit's same-day cut-off and reception hours (null: it receives during its working hours). */
export type DeadlineSettings = { sameDayCutoff: string; reception: WorkingHours | null; own: boolean };

export type CalendarPageData = {
  table: HolidayTable;
  /** A province admin edits days and the default hours; a unit admin only their units' hours. */
  canEditDays: boolean;
  defaultHours: WorkingHours;
  /** The units whose hours the viewer may edit, and the one shown. */
  units: Option[];
  unit: { id: string; name: string; hours: WorkingHours; own: boolean; deadline: DeadlineSettings } | null;
  done?: Done;
  failed?: FailedForm;
};

/** 14/02/2026: the way dates are written in Vietnam (and in British English). */
export function displayDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

const weekdayOf = (date: string) => weekdays[new Date(`${date}T00:00:00Z`).getUTCDay()]!;

/** Periods as typed in the hours fields: `07:00-11:30, 13:30-17:00`. */
export const periodsText = (periods: ReadonlyArray<{ from: string; to: string }>) => periods.map((p) => `${p.from}-${p.to}`).join(', ');

/** A labelled text input whose id may differ from its name (the hours forms share field names). */
function input(lang: Lang, f: { id: string; name: string; label: string; hint?: string; hintId?: string; value?: string; error?: string; width?: 'medium' }): Html {
  const hintId = f.hintId ?? (f.hint ? `${f.id}-hint` : '');
  const described = [hintId, f.error && `${f.id}-error`].filter(Boolean).join(' ');
  return formGroup(lang, { id: f.id, label: f.label, hint: f.hint, hintId, error: f.error }, html`
  <input class="input${f.width === 'medium' ? ' input-medium' : ''}${f.error ? ' input-error' : ''}" id="${f.id}" name="${f.name}" type="text" value="${f.value ?? ''}"${described ? html` aria-describedby="${described}"` : ''} spellcheck="false">`);
}


/** The field ids of a form, by the names its errors are keyed on (an error summary links to them). */
export function fieldId(form: CalendarForm, name: string): string {
  if (form === 'hours' && (weekdays as readonly string[]).includes(name)) return `hours-${name}`;
  if (form === 'unitHours') return (weekdays as readonly string[]).includes(name) ? `unit-${name}` : name === 'mode' ? 'unit-mode' : 'don-vi';
  if (form === 'reception') return (weekdays as readonly string[]).includes(name) ? `reception-${name}` : 'cutoff';
  if (form === 'official') return 'mark-official';
  if (form === 'remove') return 'days';
  return name;
}

/** The seven hours fields of a form: the typed values after a failure, else the hours in force. */
function hoursFields(lang: Lang, prefix: string, hours: WorkingHours, failed: FailedForm | undefined): Html[] {
  const c = messages(lang).calendarAdmin;
  return weekOrder.map((d) => input(lang, {
    id: `${prefix}-${d}`, name: d, label: c.weekdays[d], hintId: `${prefix}-hint`, width: 'medium',
    value: failed ? (failed.values[d] ?? '') : periodsText(hours[d]), error: failed?.errors[d],
  }));
}

/** The hours of a week, read only. */
function hoursList(lang: Lang, hours: WorkingHours): Html {
  const c = messages(lang).calendarAdmin;
  return html`<dl class="summary-list">${weekOrder.map((d) => html`
  <div><dt>${c.weekdays[d]}</dt><dd>${hours[d].length ? periodsText(hours[d]).replace(/-/g, '–') : c.closed}</dd></div>`)}
</dl>`;
}

function doneText(lang: Lang, done: Done, year: number, unitName: string): string {
  const c = messages(lang).calendarAdmin.done;
  const date = done.date ? displayDate(done.date) : '';
  if (done.what === 'day') return format(c.day, { date });
  if (done.what === 'removed') return format(c.removed, { date });
  if (done.what === 'official') return format(c.official, { year });
  if (done.what === 'hours') return c.hours;
  if (done.what === 'reception') return format(c.reception, { unit: unitName });
  return format(c.unitHours, { unit: unitName });
}

export function calendarPage(ctx: PageContext, data: CalendarPageData): Html {
  const { lang } = ctx;
  const c = messages(lang).calendarAdmin;
  const { table, failed } = data;
  const { year } = table;
  const mine = (form: CalendarForm) => (failed?.form === form ? failed : undefined);
  const day = mine('day');
  const dayValue = (k: string) => day?.values[k] ?? '';
  const summary = failed ? Object.entries(failed.errors).map(([k, text]) => ({ href: `#${fieldId(failed.form, k)}`, text })) : [];
  const yearLink = (y: number) => `/quan-tri/lich?nam=${y}${data.unit ? `&don-vi=${encodeURIComponent(data.unit.id)}` : ''}`;
  const canMark = data.canEditDays && table.source !== 'official';
  return page({
    ctx,
    title: `${c.title} ${year}`,
    hasErrors: summary.length > 0,
    body: html`${errorSummary(lang, summary)}${data.done ? successBanner(doneText(lang, data.done, year, data.unit?.name ?? '')) : ''}
<span class="caption">${c.caption}</span>
<h1>${c.title} ${year}</h1>
<p class="lead">${c.lead}</p>
<nav class="pagination year-nav" aria-label="${c.yearNav}">
  ${year > 1900 ? html`<a rel="prev" href="${yearLink(year - 1)}">${format(c.previousYear, { year: year - 1 })}</a>` : ''}
  <span aria-current="page">${year}</span>
  ${year < 2199 ? html`<a rel="next" href="${yearLink(year + 1)}">${format(c.nextYear, { year: year + 1 })}</a>` : ''}
</nav>
<div class="notice${table.source === 'official' ? ' notice-success' : ''}" id="year-source"><p>${format(table.source === 'official' ? c.official : c.statutory, { year })}</p></div>

<h2 id="days" tabindex="-1">${c.daysTitle}</h2>
${errorMessage(mine('remove')?.errors[''])}
${table.days.length === 0
  ? html`<p>${c.noDays}</p>`
  : html`<table class="table calendar-table">
  <caption class="table-caption">${format(c.daysCaption, { year })}</caption>
  <thead><tr><th scope="col">${c.columns.date}</th><th scope="col">${c.columns.weekday}</th><th scope="col">${c.columns.name}</th><th scope="col">${c.columns.kind}</th><th scope="col">${c.columns.source}</th>${data.canEditDays ? html`<th scope="col">${c.columns.action}</th>` : ''}</tr></thead>
  <tbody>${table.days.map((d) => html`
    <tr class="day-${d.kind}">
      <td data-label="${c.columns.date}"><time datetime="${d.date}">${displayDate(d.date)}</time></td>
      <td data-label="${c.columns.weekday}">${c.weekdays[weekdayOf(d.date)]}</td>
      <td data-label="${c.columns.name}"${lang === 'en' && !d.nameEn ? html` lang="vi"` : ''}>${lang === 'en' ? (d.nameEn ?? d.name) : d.name}</td>
      <td data-label="${c.columns.kind}"><strong class="tag tag-${d.kind}">${c.kinds[d.kind]}</strong></td>
      <td data-label="${c.columns.source}">${c.sources[d.source]}</td>
      ${data.canEditDays ? html`<td data-label="${c.columns.action}"><form class="inline" action="/quan-tri/lich/ngay/xoa" method="post">${csrfInput(ctx.csrf)}
        <input type="hidden" name="date" value="${d.date}"><button class="button-link" type="submit">${c.remove}<span class="visually-hidden"> ${format(c.removeDay, { date: displayDate(d.date) })}</span></button></form></td>` : ''}
    </tr>`)}
  </tbody>
</table>`}

${data.canEditDays ? html`<h2>${c.dayTitle}</h2>
<p>${c.dayLead}</p>
<form action="/quan-tri/lich/ngay" method="post" novalidate>
  ${csrfInput(ctx.csrf)}
  ${input(lang, { id: 'date', name: 'date', label: c.date, hint: c.dateHint, value: dayValue('date'), error: day?.errors.date, width: 'medium' })}
  ${radios(lang, {
    id: 'kind', name: 'kind', legend: c.kind, value: dayValue('kind') || 'off', error: day?.errors.kind,
    options: (['off', 'work'] as const).map((k) => ({ value: k, text: c.kinds[k] })),
  })}
  ${input(lang, { id: 'name', name: 'name', label: c.name, hint: c.nameHint, value: dayValue('name'), error: day?.errors.name })}
  ${input(lang, { id: 'nameEn', name: 'nameEn', label: c.nameEn, value: dayValue('nameEn'), error: day?.errors.nameEn })}
  <button class="button" type="submit">${c.saveDay}</button>
</form>

<h2>${c.officialTitle}</h2>
${canMark
  ? html`<form action="/quan-tri/lich/chinh-thuc" method="post">
  ${csrfInput(ctx.csrf)}
  <input type="hidden" name="nam" value="${year}">
  <p class="hint" id="mark-official-hint">${c.officialHint}</p>
  ${mine('official') ? errorMessage(Object.values(mine('official')!.errors).join(' ')) : ''}
  <button class="button button-secondary" type="submit" id="mark-official" aria-describedby="mark-official-hint">${format(c.markOfficial, { year })}</button>
</form>`
  : html`<p>${format(c.official, { year })}</p>`}` : ''}

<h2>${c.hoursTitle}</h2>
<p>${c.hoursLead}</p>
${data.canEditDays
  ? html`<form action="/quan-tri/lich/gio-lam-viec" method="post" novalidate>
  ${csrfInput(ctx.csrf)}
  <input type="hidden" name="nam" value="${year}">
  <p class="hint" id="hours-hint">${c.hoursHint}</p>
  ${hoursFields(lang, 'hours', data.defaultHours, mine('hours'))}
  <button class="button" type="submit">${c.saveHours}</button>
</form>`
  : html`${hoursList(lang, data.defaultHours)}<p class="hint">${c.hoursReadOnly}</p>`}

${data.unit ? unitSection(ctx, data, year) : ''}`,
  });
}

function unitSection(ctx: PageContext, data: CalendarPageData, year: number): Html {
  const { lang } = ctx;
  const c = messages(lang).calendarAdmin;
  const unit = data.unit!;
  const failed = data.failed?.form === 'unitHours' ? data.failed : undefined;
  const mode = failed ? (failed.values.mode ?? '') : unit.own ? 'own' : 'default';
  return html`<h2 id="unit-hours" tabindex="-1">${c.unitTitle}</h2>
${data.units.length > 1
  ? html`<form action="/quan-tri/lich" method="get" class="unit-choice">
  <input type="hidden" name="nam" value="${year}">
  ${formGroup(lang, { id: 'don-vi', label: c.unit, error: failed?.errors.unitId }, html`
    ${select({ id: 'don-vi', value: unit.id, options: data.units, describedBy: [failed?.errors.unitId && 'don-vi-error'] })}`)}
  <button class="button button-secondary" type="submit">${c.showUnit}</button>
</form>`
  : ''}
<form action="/quan-tri/lich/gio-lam-viec/don-vi" method="post" novalidate>
  ${csrfInput(ctx.csrf)}
  <input type="hidden" name="nam" value="${year}">
  <input type="hidden" name="unitId" value="${unit.id}">
  ${radios(lang, {
    id: 'unit-mode', name: 'mode', legend: format(c.unitHoursOf, { unit: unit.name }), value: mode, error: failed?.errors.mode,
    options: [{ value: 'default', text: c.useDefault }, { value: 'own', text: c.ownHours }],
  })}
  <div class="conditional">
    <p class="hint" id="unit-hint">${c.hoursHint}</p>
    ${hoursFields(lang, 'unit', unit.hours, failed)}
  </div>
  <button class="button" type="submit">${c.saveUnitHours}</button>
</form>
${receptionSection(ctx, unit, year, data.failed?.form === 'reception' ? data.failed : undefined)}`;
}

/**
 * A unit's reception hours (a Saturday-morning desk: not working time, deadlines do not count them)
 * and its same-day cut-off: shown beside its working hours, and the form that edits both.
 */
function receptionSection(ctx: PageContext, unit: NonNullable<CalendarPageData['unit']>, year: number, failed: FailedForm | undefined): Html {
  const { lang } = ctx;
  const c = messages(lang).calendarAdmin;
  const { sameDayCutoff, reception } = unit.deadline;
  const none = { sun: [], mon: [], tue: [], wed: [], thu: [], fri: [], sat: [] };
  return html`<h2 id="reception" tabindex="-1">${format(c.receptionOf, { unit: unit.name })}</h2>
<p>${c.receptionLead}</p>
<p>${format(c.cutoffNow, { time: sameDayCutoff })}</p>
${reception ? hoursList(lang, reception) : html`<p>${c.receptionSameAsWorking}</p>`}
<form action="/quan-tri/lich/tiep-nhan/don-vi" method="post" novalidate>
  ${csrfInput(ctx.csrf)}
  <input type="hidden" name="nam" value="${year}">
  <input type="hidden" name="unitId" value="${unit.id}">
  ${input(lang, { id: 'cutoff', name: 'cutoff', label: c.cutoff, hint: c.cutoffHint, width: 'medium',
    value: failed ? (failed.values.cutoff ?? '') : unit.deadline.own ? sameDayCutoff : '', error: failed?.errors.cutoff })}
  <p class="hint" id="reception-hint">${c.receptionHint}</p>
  ${hoursFields(lang, 'reception', reception ?? none, failed)}
  <button class="button" type="submit">${c.saveReception}</button>
</form>`;
}
