// The back office as plain pages (GOV.UK patterns): the queue with its tabs and filters, counter
// intake, and a dossier's page offering only the actions its viewer may take now. All of it works
// without JavaScript; a form that fails comes back with an error summary and what was typed.
import { intakeChannels } from '../../domain/channels.ts';
import { type Action, type Status } from '../../domain/dossier-status.ts';
import type { QueueTab } from '../../domain/queue.ts';
import { findAnswer } from '../../domain/form-answers.ts';
import type { FormDefinition } from '../../domain/forms.ts';
import { confirmationPanel, csrfInput, errorMessage, errorSummary, radios, select, successBanner, textarea, textField } from '../../web/components.ts';
import type { PageContext } from '../../web/context.ts';
import { answerText, errorLinks, renderSection, type Area } from '../../web/form-fields.ts';
import { html, type Html } from '../../web/html.ts';
import { format, formatNumber, localName, messages, type Lang } from '../../i18n/index.ts';
import { page } from '../../web/layout.ts';
import type { ProcedureDetail } from '../catalog/catalog.service.ts';
import { vietnamTime } from '../../i18n/index.ts';
import type { DossierView } from '../dossiers/dossiers.service.ts';
import type { QueueItem } from './office.service.ts';
import type { OfficeForm } from './office.forms.ts';
import { resultForm } from './office.results.pages.ts';

export type { QueueTab };
type Option = { value: string; text: string };

type FieldOptions = {
  id: string; name: string; label: string; hint?: string; error?: string; value?: string;
  type?: 'text' | 'date' | 'textarea' | 'select';
  /** For selects: the options, and the text of an empty first one. */
  options?: Option[]; blank?: string;
};

/** A labelled input, text area or select whose id may differ from its name (several forms share a page). */
function field(lang: Lang, f: FieldOptions): Html {
  const described = [f.hint && `${f.id}-hint`, f.error && `${f.id}-error`].filter(Boolean).join(' ');
  const aria = described ? html` aria-describedby="${described}"` : '';
  const err = f.error ? ' input-error' : '';
  const value = f.value ?? '';
  const control =
    f.type === 'textarea'
      ? textarea({ id: f.id, name: f.name, rows: 4, value, error: f.error, describedBy: [f.hint && `${f.id}-hint`, f.error && `${f.id}-error`] })
      : f.type === 'select'
        ? select({ id: f.id, name: f.name, value, blank: f.blank, options: f.options ?? [], error: f.error, describedBy: [f.hint && `${f.id}-hint`, f.error && `${f.id}-error`] })
        : html`<input class="input${f.type === 'date' ? ' input-medium' : ''}${err}" id="${f.id}" name="${f.name}" type="${f.type ?? 'text'}" value="${value}"${aria}>`;
  return html`<div class="form-group${f.error ? ' form-group-error' : ''}">
  <label class="label" for="${f.id}">${f.label}</label>
  ${f.hint ? html`<div class="hint" id="${f.id}-hint">${f.hint}</div>` : ''}
  ${errorMessage(f.error, { id: `${f.id}-error`, lang })}
  ${control}
</div>`;
}


const when = (lang: Lang, iso: string | null) => (iso ? vietnamTime(iso, lang) : '—');

// ---------------------------------------------------------------------------------------------
// The queue

export type QueueFilters = { tab: QueueTab; status: string; unitId: string; procedureId: string };

export type QueuePageData = {
  filters: QueueFilters;
  pageNo: number;
  perPage: number;
  result: { total: number; items: QueueItem[]; counts: Partial<Record<QueueTab, number>> };
  tabs: readonly QueueTab[];
  /** Units of the caller's scope (the filter is shown when there are several) and the procedures they handle. */
  units: Option[];
  procedures: Option[];
  procedureName(id: string): string;
  staffNames: Map<string, string>;
  canIntake: boolean;
};

function queueLink(f: QueueFilters, pageNo = 1): string {
  const qs = new URLSearchParams({ tab: f.tab });
  for (const k of ['status', 'unitId', 'procedureId'] as const) if (f[k]) qs.set(k, f[k]);
  if (pageNo > 1) qs.set('trang', String(pageNo));
  return `/can-bo/ho-so?${qs.toString()}`;
}

/** Overdue or due soon, in words and not in colour alone. */
function dueTag(lang: Lang, item: { overdue: boolean; dueSoon: boolean }): Html | '' {
  const m = messages(lang).office;
  if (item.overdue) return html` <strong class="tag tag-overdue">${m.overdue}</strong>`;
  if (item.dueSoon) return html` <strong class="tag tag-due-soon">${m.dueSoon}</strong>`;
  return '';
}

/** An open supplement request's deadline (after its label in a list), and a tag in words once it has passed. */
function supplementDue(lang: Lang, item: { supplementDueAt: string | null; supplementOverdue: boolean }, labelled = true): Html | '' {
  const m = messages(lang).office;
  if (!item.supplementDueAt) return '';
  return html`${labelled ? `${m.supplementDue}: ` : ''}${when(lang, item.supplementDueAt)}${item.supplementOverdue ? html` <strong class="tag tag-overdue">${m.supplementOverdue}</strong>` : ''}`;
}

export function queuePage(ctx: PageContext, data: QueuePageData): Html {
  const { lang } = ctx;
  const m = messages(lang);
  const o = m.office;
  const { filters: f, result } = data;
  const pages = Math.max(1, Math.ceil(result.total / data.perPage));
  const c = o.columns;
  return page({
    ctx,
    title: `${o.queueTitle}: ${o.tabs[f.tab]}`,
    body: html`<h1>${o.queueTitle}</h1>
${data.canIntake ? html`<p><a class="button button-secondary" role="button" href="/can-bo/tiep-nhan">${o.newIntake}</a> <a href="/can-bo/phan-anh">${messages(ctx.lang).feedback.queueTitle}</a></p>` : ''}
<nav class="tabs" aria-label="${o.tabsLabel}">
  <ul class="tabs-list">${data.tabs.map((t) => html`
    <li><a href="${queueLink({ ...f, tab: t })}"${t === f.tab ? html` aria-current="page"` : ''}>${o.tabs[t]} <span class="tab-count">${formatNumber(lang, result.counts[t] ?? 0)}</span></a></li>`)}
  </ul>
</nav>
<details class="filters"${f.status || f.unitId || f.procedureId ? html` open` : ''}>
  <summary>${o.filters}</summary>
  <form action="/can-bo/ho-so" method="get">
    <input type="hidden" name="tab" value="${f.tab}">
    ${field(lang, { id: 'status', name: 'status', label: o.status, type: 'select', blank: o.any, value: f.status, options: (Object.keys(m.statuses) as Status[]).filter((s) => s !== 'draft').map((s) => ({ value: s, text: m.statuses[s] })) })}
    ${data.units.length > 1 ? field(lang, { id: 'unitId', name: 'unitId', label: o.unit, type: 'select', blank: o.any, value: f.unitId, options: data.units }) : ''}
    ${field(lang, { id: 'procedureId', name: 'procedureId', label: o.procedure, type: 'select', blank: o.any, value: f.procedureId, options: data.procedures })}
    <button class="button button-secondary" type="submit">${o.applyFilters}</button>
    <a href="${queueLink({ tab: f.tab, status: '', unitId: '', procedureId: '' })}">${o.clearFilters}</a>
  </form>
</details>
${data.units.length ? html`<details class="filters register">
  <summary>${o.register}</summary>
  <p class="hint">${o.registerHint}</p>
  <form action="/api/v1/office/register.xlsx" method="get">
    ${data.units.length > 1 ? field(lang, { id: 'register-unit', name: 'unitId', label: o.registerUnit, type: 'select', value: f.unitId || data.units[0]!.value, options: data.units }) : html`<input type="hidden" name="unitId" value="${data.units[0]!.value}">`}
    ${field(lang, { id: 'register-from', name: 'from', label: o.registerFrom, type: 'date' })}
    ${field(lang, { id: 'register-to', name: 'to', label: o.registerTo, type: 'date' })}
    <button class="button button-secondary" type="submit">${o.registerXlsx}</button>
    <button class="button button-secondary" type="submit" formaction="/api/v1/office/register.pdf">${o.registerPdf}</button>
  </form>
</details>` : ''}
${result.items.length === 0
  ? html`<p>${o.empty}</p>`
  : html`<table class="table">
  <caption class="table-caption">${format(o.tableCaption, { tab: o.tabs[f.tab], count: formatNumber(lang, result.total) })}</caption>
  <thead><tr><th scope="col">${c.code}</th><th scope="col">${c.procedure}</th><th scope="col">${c.applicant}</th><th scope="col">${c.received}</th><th scope="col">${c.due}</th><th scope="col">${c.status}</th><th scope="col">${c.assignee}</th></tr></thead>
  <tbody>${result.items.map((i) => html`
    <tr>
      <td data-label="${c.code}"><a href="/can-bo/ho-so/${i.id}">${i.code ?? '—'}</a></td>
      <td data-label="${c.procedure}">${data.procedureName(i.procedureId)}</td>
      <td data-label="${c.applicant}">${i.applicantName || '—'}</td>
      <td data-label="${c.received}">${when(lang, i.submittedAt)}</td>
      <td data-label="${c.due}">${when(lang, i.dueAt)}${dueTag(lang, i)}${i.newDueAt ? html`<br><span class="hint">${o.newDueAt}: ${when(lang, i.newDueAt)}</span>` : ''}</td>
      <td data-label="${c.status}"><span class="badge">${m.statuses[i.status]}</span>${i.supplementDueAt ? html`<br><span class="hint">${supplementDue(lang, i)}</span>` : ''}</td>
      <td data-label="${c.assignee}">${i.assigneeId ? (data.staffNames.get(i.assigneeId) ?? '—') : html`<span class="hint">${o.nobody}</span>`}</td>
    </tr>`)}
  </tbody>
</table>`}
${pages > 1
  ? html`<nav class="pagination" aria-label="${m.search.pagination}">
  ${data.pageNo > 1 ? html`<a rel="prev" href="${queueLink(f, data.pageNo - 1)}">${m.search.previous}</a>` : ''}
  <span>${format(m.search.pageOf, { page: data.pageNo, pages })}</span>
  ${data.pageNo < pages ? html`<a rel="next" href="${queueLink(f, data.pageNo + 1)}">${m.search.next}</a>` : ''}
</nav>`
  : ''}`,
  });
}

// ---------------------------------------------------------------------------------------------
// Counter intake

export function intakeChoosePage(ctx: PageContext, procedures: Option[], error?: string): Html {
  const o = messages(ctx.lang).office;
  return page({
    ctx,
    title: o.intakeTitle,
    hasErrors: !!error,
    body: html`${error ? errorSummary(ctx.lang, [{ href: '#thu-tuc', text: error }]) : ''}
<h1>${o.intakeTitle}</h1>
<p class="lead">${o.intakeLead}</p>
<form action="/can-bo/tiep-nhan" method="get">
  ${field(ctx.lang, { id: 'thu-tuc', name: 'thu-tuc', label: o.procedure, hint: o.procedureHint, type: 'select', blank: o.choose, options: procedures, error })}
  <button class="button" type="submit">${o.continue}</button>
</form>
<p><a href="/can-bo/ho-so">${o.backToQueue}</a></p>`,
  });
}

export type IntakeState = { values: Record<string, unknown>; errors: Record<string, string> };

export function intakeFormPage(ctx: PageContext, p: ProcedureDetail, form: FormDefinition, units: Array<Option & { own?: boolean }>, areas: Area[], today: string, state: IntakeState, postalAddress?: Html): Html {
  const { lang } = ctx;
  const m = messages(lang);
  const o = m.office;
  const value = (k: string) => (typeof state.values[k] === 'string' ? (state.values[k] as string) : '');
  return page({
    ctx,
    title: `${o.intakeTitle}: ${localName(lang, p)}`,
    hasErrors: Object.keys(state.errors).length > 0,
    body: html`${errorSummary(lang, errorLinks(state.errors))}
<span class="caption">${o.intakeTitle}</span>
<h1>${localName(lang, p)}</h1>
<p><a href="/can-bo/tiep-nhan">${o.otherProcedure}</a></p>
<form action="/can-bo/tiep-nhan" method="post" novalidate>
  ${csrfInput(ctx.csrf)}
  <input type="hidden" name="procedureId" value="${p.id}">
  ${units.length > 1 || !units[0]?.own
    ? field(lang, { id: 'unitId', name: 'unitId', label: o.unit, hint: o.unitHint, type: 'select', blank: o.choose, options: units, value: value('unitId') || (units.find((u) => u.own)?.value ?? ''), error: state.errors.unitId })
    : html`<input type="hidden" name="unitId" value="${units[0]?.value ?? ''}">`}
  ${radios(lang, {
    name: 'channel', legend: o.channel, value: value('channel') || 'counter', error: state.errors.channel,
    options: intakeChannels.filter((c) => c === 'counter' || p.postal.submit).map((c) => ({ value: c, text: o.channels[c] })),
  })}
  ${form.sections.map((s) => renderSection(lang, s, state, { areas, form, today }))}
  ${radios(lang, {
    name: 'delivery.method', legend: m.filing.delivery, value: value('delivery.method'), error: state.errors['delivery.method'],
    options: (['counter', 'postal', 'online'] as const).filter((k) => k !== 'postal' || p.postal.return).map((k) => ({ value: k, text: m.filing.deliveryMethods[k] })),
  })}
  ${p.postal.return && postalAddress ? postalAddress : p.postal.return ? textField(lang, { name: 'delivery.address', label: m.filing.deliveryAddress, value: value('delivery.address'), error: state.errors['delivery.address'] }) : ''}
  <button class="button" type="submit">${o.intakeButton}</button>
</form>`,
  });
}

export function intakeDonePage(ctx: PageContext, d: DossierView): Html {
  const o = messages(ctx.lang).office;
  return page({
    ctx,
    title: o.intakeDone,
    body: html`${confirmationPanel(o.intakeDone, o.code, d.code)}
${d.dueAt ? html`<p class="lead">${format(o.dueOn, { date: vietnamTime(d.dueAt, ctx.lang) })}</p>` : ''}
<p>${o.intakeNext}</p>
<ul class="list">
  <li><a href="/api/v1/dossiers/${d.id}/receipt.pdf">${o.documentNames['01']}</a></li>
  <li><a href="/can-bo/ho-so/${d.id}">${o.openDossier}</a></li>
  <li><a href="/can-bo/tiep-nhan">${o.anotherIntake}</a></li>
</ul>`,
  });
}

// ---------------------------------------------------------------------------------------------
// A dossier

/** An action the page offers; forward, transfer and assign come with the staff to choose from. */
export type OfferedAction = { action: Action; staff?: Option[]; role?: string };

/** A failed action: its posted values, and messages by field ('' for one about the whole action). */
export type FailedAction = { action: Action; values: Record<string, string>; errors: Record<string, string> };

export type DossierPageData = {
  d: DossierView;
  procedure: ProcedureDetail;
  form: FormDefinition;
  unitName: string;
  stepName: string | null;
  assigneeName: string | null;
  areaName(code: string): string;
  actions: OfferedAction[];
  canAttachResult: boolean;
  /** Form 01 (the receipt, from the dossiers module) and the office's forms the dossier has come to (office.forms.ts). */
  documents: ReadonlyArray<'01' | OfficeForm>;
  /** The open supplement request's deadline, if one was set, and whether it has passed. */
  supplement: { supplementDueAt: string | null; supplementOverdue: boolean };
  /** The dossier's postal shipments (src/modules/postal), a failed result's flagged for the desk. */
  shipments?: Html | '';
  done?: Action;
  failed?: FailedAction;
};

function fileType(mime: string): string {
  return (mime.split('/')[1] ?? mime).replace(/^jpeg$/, 'jpg').toUpperCase();
}

function actionForm(ctx: PageContext, d: DossierView, a: OfferedAction, failed: FailedAction | undefined): Html {
  const { lang } = ctx;
  const o = messages(lang).office;
  const mine = failed?.action === a.action ? failed : undefined;
  const input = (name: string, opts: Omit<FieldOptions, 'id' | 'name' | 'value' | 'error'>) =>
    field(lang, { id: `${a.action}-${name}`, name, value: mine?.values[name], error: mine?.errors[name], ...opts });
  const note = input('note', { label: o.note, type: 'textarea' });
  const reason = input('note', { label: o.reason, type: 'textarea' });
  const staff = () => input('toUserId', {
    label: a.action === 'assign' ? o.assignTo : o.toUser, hint: a.role && format(o.toUserHint, { role: a.role }),
    type: 'select', blank: o.anyone, options: a.staff ?? [],
  });
  const inputs: Partial<Record<Action, () => Html[]>> = {
    request_supplement: () => [
      input('missing', { label: o.missing, hint: o.missingHint, type: 'textarea' }),
      input('supplementDueAt', { label: o.supplementDueAt, hint: o.supplementDueAtHint, type: 'date' }),
    ],
    refuse: () => [reason],
    suspend: () => [html`<p class="hint">${o.suspendHint}</p>`, reason],
    return_unsupplemented: () => [html`<p class="hint">${o.returnUnsupplementedHint}</p>`, reason],
    apologize: () => [input('newDueAt', { label: o.newDate, type: 'date' }), reason],
    transfer: () => [staff(), note],
    forward: () => [staff(), note],
    assign: () => [staff()],
    return_result: () => [input('receivedBy', { label: o.receivedBy, hint: o.receivedByHint })],
    accept: () => [],
  };
  const fields = inputs[a.action]?.() ?? [note];
  const warning = a.action === 'refuse' || a.action === 'suspend' || a.action === 'return_unsupplemented';
  return html`<section class="action" id="action-${a.action}"${fields.length ? html` aria-labelledby="action-${a.action}-title"` : ''}>
  ${fields.length ? html`<h3 id="action-${a.action}-title">${o.actions[a.action]}</h3>` : ''}
  ${errorMessage(mine?.errors[''])}
  <form action="/can-bo/ho-so/${d.id}/thao-tac" method="post" novalidate>
    ${csrfInput(ctx.csrf)}
    <input type="hidden" name="action" value="${a.action}">
    ${fields}
    <button class="button${warning ? ' button-warning' : ''}" type="submit">${o.actions[a.action]}</button>
  </form>
</section>`;
}

export function dossierPage(ctx: PageContext, data: DossierPageData): Html {
  const { lang } = ctx;
  const m = messages(lang);
  const o = m.office;
  const { d, failed } = data;
  const answers: Record<string, unknown> = { ...d.form, applicant: d.applicant };
  const delivery = d.delivery as { method?: keyof typeof m.filing.deliveryMethods; address?: string };
  const offered = new Set<string>([...data.actions.map((a) => a.action), ...(data.canAttachResult ? ['attach_result'] : [])]);
  // A failed action links to its form's field, or to the form; to the actions if the form is gone.
  const errors = failed
    ? Object.entries(failed.errors).map(([k, text]) => ({
        href: !offered.has(failed.action) ? '#actions' : k ? `#${failed.action}-${k}` : `#action-${failed.action}`,
        text,
      }))
    : [];
  const docName = (key: string) => data.procedure.documents.find((x) => x.key === key)?.name ?? key;
  const row = (label: string, value: Html | string | null | undefined | false) => (value ? html`<div><dt>${label}</dt><dd>${value}</dd></div>` : '');
  return page({
    ctx,
    title: format(o.viewTitle, { code: d.code ?? '' }),
    hasErrors: errors.length > 0,
    body: html`${data.done ? successBanner(format(o.done, { action: o.actions[data.done] })) : ''}${errorSummary(lang, errors)}
<p class="breadcrumbs"><a href="/can-bo/ho-so">${o.backToQueue}</a> · <a href="#actions">${o.actionsTitle}</a></p>
<span class="caption">${localName(lang, data.procedure)}</span>
<h1>${format(o.viewTitle, { code: d.code ?? '' })}</h1>
${data.shipments ?? ''}
<h2>${o.summary}</h2>
<dl class="summary-list">
  ${row(o.status, html`<span class="badge">${m.statuses[d.status]}</span>${d.overdue ? html` <strong class="tag tag-overdue">${o.overdue}</strong>` : ''}`)}
  ${row(o.procedure, localName(lang, data.procedure))}
  ${row(o.unit, data.unitName)}
  ${row(o.channel, o.channels[d.channel as keyof typeof o.channels] ?? d.channel)}
  ${row(o.submittedAt, d.submittedAt && when(lang, d.submittedAt))}
  ${row(o.acceptedAt, d.acceptedAt && when(lang, d.acceptedAt))}
  ${row(o.dueAt, d.dueAt && when(lang, d.dueAt))}
  ${row(o.newDueAt, d.newDueAt && when(lang, d.newDueAt))}
  ${row(o.supplementDue, supplementDue(lang, data.supplement, false))}
  ${row(o.resolvedAt, d.resolvedAt && when(lang, d.resolvedAt))}
  ${row(o.returnedAt, d.returnedAt && when(lang, d.returnedAt))}
  ${row(o.step, data.stepName)}
  ${row(o.assignee, data.assigneeName)}
  ${row(o.delivery, delivery.method && [m.filing.deliveryMethods[delivery.method], delivery.address].filter(Boolean).join(': '))}
</dl>
${data.documents.length
  ? html`<h2>${o.documents}</h2>
<ul class="list">${data.documents.map((n) => html`<li><a href="${n === '01' ? `/api/v1/dossiers/${d.id}/receipt.pdf` : `/api/v1/dossiers/${d.id}/documents/${n}.pdf`}">${o.documentNames[n]}</a></li>`)}</ul>`
  : ''}
<h2>${o.attachments}</h2>
${d.attachments.length
  ? html`<ul class="list">${d.attachments.map((a) => html`<li><a href="/api/v1/dossiers/${d.id}/attachments/${a.id}">${a.name}</a>
  <span class="hint">(${docName(a.document)}; ${format(o.fileMeta, { type: fileType(a.mime), size: formatNumber(lang, Math.ceil(a.size / 1024)) })})</span></li>`)}</ul>`
  : html`<p>${o.noAttachments}</p>`}
<h2>${o.answers}</h2>
${data.form.sections.map((s) => {
  const items = s.fields.map((f) => ({ f, text: answerText(lang, f, findAnswer(answers, f.key), data.areaName) })).filter((x) => x.text);
  return items.length ? html`<h3>${s.title[lang]}</h3><dl class="summary-list">${items.map((x) => html`<div><dt>${x.f.label[lang]}</dt><dd>${x.text}</dd></div>`)}</dl>` : '';
})}
<h2>${o.results}</h2>
${d.results.length
  ? html`<ul class="list">${d.results.map((r) => html`<li><a href="/api/v1/dossiers/${d.id}/results/${r.n}">${r.code}</a>
  <span class="hint">(${r.name}; ${format(o.fileMeta, { type: fileType(r.mime), size: formatNumber(lang, Math.ceil(r.size / 1024)) })})</span></li>`)}</ul>`
  : html`<p>${o.noResults}</p>`}
<h2>${o.history}</h2>
<ol class="timeline">${d.history.map((h) => html`<li><span class="hint">${when(lang, h.at)}</span> ${o.actions[h.action as Action] ?? h.action}
  (${m.account.role[h.actorRole as keyof typeof m.account.role] ?? h.actorRole}) — ${m.statuses[h.status]}${h.note ? html`<br><q>${h.note}</q>` : ''}</li>`)}</ol>
<h2 id="actions" tabindex="-1">${o.actionsTitle}</h2>
${data.actions.length || data.canAttachResult ? '' : html`<p>${o.noActions}</p>`}
${data.canAttachResult ? resultForm(ctx, d.id, failed?.action === 'attach_result' ? failed : undefined) : ''}
${data.actions.map((a) => actionForm(ctx, d, a, failed))}`,
  });
}
