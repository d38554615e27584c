// The citizen's filing journey as plain pages (GOV.UK patterns): start, answers, documents, check
// your answers, confirmation; then "my dossiers" and public tracking. Every step works without
// JavaScript and keeps what was typed when something needs fixing.
import type { FormDefinition } from '../../domain/forms.ts';
import { confirmationPanel, csrfInput, errorMessage, errorSummary, select, successBanner, textField } from '../../web/components.ts';
import type { PageContext } from '../../web/context.ts';
import { answerText, errorLinks, renderSection, type Area } from '../../web/form-fields.ts';
import { html, type Html } from '../../web/html.ts';
import { format, formatNumber, localName, messages } from '../../i18n/index.ts';
import { page } from '../../web/layout.ts';
import type { ProcedureDetail } from '../catalog/catalog.service.ts';
import type { DossierView, TrackingView } from './dossiers.service.ts';
import { consentBlock } from '../privacy/privacy.pages.ts';
import { vietnamTime } from '../../i18n/index.ts';


export function startPage(ctx: PageContext, p: ProcedureDetail, units: Array<{ id: string; name: string }>, error?: string): Html {
  const m = messages(ctx.lang).filing;
  return page({
    ctx,
    title: `${m.title}: ${localName(ctx.lang, p)}`,
    hasErrors: !!error,
    body: html`${error ? errorSummary(ctx.lang, [{ href: '#unitId', text: error }]) : ''}
<span class="caption">${m.title}</span>
<h1>${localName(ctx.lang, p)}</h1>
<p class="lead">${m.startLead}</p>
<form action="/thu-tuc/${p.id}/nop-ho-so" method="post">
  ${csrfInput(ctx.csrf)}
  ${units.length > 1
    ? html`<div class="form-group${error ? ' form-group-error' : ''}">
    <label class="label" for="unitId">${m.chooseUnit}</label>
    <div class="hint" id="unitId-hint">${m.chooseUnitHint}</div>
    ${errorMessage(error, { id: 'unitId-error' })}
    ${select({ id: 'unitId', blank: '', options: units.map((u) => ({ value: u.id, text: u.name })), describedBy: ['unitId-hint', error && 'unitId-error'] })}
  </div>`
    : ''}
  <button class="button button-start" type="submit">${m.start}</button>
</form>
<p><a href="/thu-tuc/${p.id}">${m.back}</a></p>`,
  });
}

export type AnswersState = { values: Record<string, unknown>; errors: Record<string, string>; saved?: boolean };

export function answersPage(ctx: PageContext, d: DossierView, p: ProcedureDetail, form: FormDefinition, areas: Area[], today: string, state: AnswersState, postalAddress?: Html): Html {
  const m = messages(ctx.lang).filing;
  const method = String(state.values['delivery.method'] ?? (d.delivery as { method?: string }).method ?? '');
  const errors = Object.keys(state.errors).length > 0;
  return page({
    ctx,
    title: m.answersTitle,
    hasErrors: errors,
    body: html`${state.saved ? successBanner(m.saved) : ''}${errorSummary(ctx.lang, errorLinks(state.errors))}
<span class="caption">${localName(ctx.lang, p)} · ${format(m.step, { n: 1 })}</span>
<h1>${m.answersTitle}</h1>
<form action="/ho-so/${d.id}/khai" method="post" novalidate>
  ${csrfInput(ctx.csrf)}
  ${form.sections.map((s) => renderSection(ctx.lang, s, state, { areas, form, today }))}
  <div class="form-group${state.errors['delivery.method'] ? ' form-group-error' : ''}">
    <fieldset class="fieldset" id="delivery.method" aria-describedby="${state.errors['delivery.method'] ? 'delivery.method-error' : ''}">
      <legend class="legend">${m.delivery}</legend>
      ${errorMessage(state.errors['delivery.method'], { id: 'delivery.method-error' })}
      ${(['online', 'counter', 'postal'] as const)
        .filter((k) => k !== 'postal' || p.postal.return)
        .map((k, i) => html`<div class="choice"><input class="choice-input" type="radio" id="delivery.method${i ? `-${i + 1}` : ''}" name="delivery.method" value="${k}"${method === k ? html` checked` : ''}>
      <label class="choice-label" for="delivery.method${i ? `-${i + 1}` : ''}">${m.deliveryMethods[k]}</label></div>`)}
    </fieldset>
  </div>
  ${p.postal.return && postalAddress ? postalAddress : p.postal.return
    ? textField(ctx.lang, { name: 'delivery.address', label: m.deliveryAddress, value: String(state.values['delivery.address'] ?? (d.delivery as { address?: string }).address ?? ''), error: state.errors['delivery.address'], autocomplete: 'street-address' })
    : ''}
  <button class="button" type="submit">${m.saveContinue}</button>
</form>`,
  });
}

export function documentsPage(ctx: PageContext, d: DossierView, p: ProcedureDetail, maxMb: number, error?: { document: string; text: string }): Html {
  const m = messages(ctx.lang).filing;
  return page({
    ctx,
    title: m.documentsTitle,
    hasErrors: !!error,
    body: html`${error ? errorSummary(ctx.lang, [{ href: `#file-${error.document}`, text: error.text }]) : ''}
<span class="caption">${localName(ctx.lang, p)} · ${format(m.step, { n: 2 })}</span>
<h1>${m.documentsTitle}</h1>
<p>${format(m.documentsLead, { mb: maxMb })}</p>
${p.documents.map((doc) => {
  const files = d.attachments.filter((a) => a.document === doc.key);
  const err = error?.document === doc.key ? error.text : undefined;
  return html`<section class="document" aria-labelledby="doc-${doc.key}">
  <h2 class="document-title" id="doc-${doc.key}">${doc.name} <span class="hint">(${doc.required ? m.required : m.optional})</span></h2>
  ${files.length ? html`<ul class="list">${files.map((f) => html`<li>${f.name} <span class="hint">(${formatNumber(ctx.lang, Math.ceil(f.size / 1024))} KB)</span></li>`)}</ul>` : html`<p class="hint">${m.noFile}</p>`}
  <form action="/ho-so/${d.id}/dinh-kem" method="post" enctype="multipart/form-data">
    ${csrfInput(ctx.csrf)}
    <input type="hidden" name="document" value="${doc.key}">
    <div class="form-group${err ? ' form-group-error' : ''}">
      <label class="label" for="file-${doc.key}">${format(m.chooseFile, { document: doc.name })}</label>
      ${errorMessage(err, { id: `file-${doc.key}-error` })}
      <input class="file-input" type="file" id="file-${doc.key}" name="file" accept="application/pdf,image/jpeg,image/png,image/heic,image/heif,image/webp"${err ? html` aria-describedby="file-${doc.key}-error"` : ''}>
    </div>
    <button class="button button-secondary" type="submit">${m.upload}</button>
  </form>
</section>`;
})}
<p><a class="button" role="button" href="/ho-so/${d.id}/kiem-tra">${m.continue}</a></p>`,
  });
}

export function checkPage(ctx: PageContext, d: DossierView, p: ProcedureDetail, form: FormDefinition, areaName: (c: string) => string, errors: Record<string, string> = {}, consentGiven = false): Html {
  const m = messages(ctx.lang).filing;
  const answers: Record<string, unknown> = { ...d.form };
  for (const [k, v] of Object.entries(d.applicant)) answers[`applicant.${k}`] = v;
  const method = (d.delivery as { method?: keyof typeof m.deliveryMethods }).method;
  // Errors on answers link back to the question; errors on documents to the documents page.
  const links = Object.entries(errors).map(([key, text]) => ({
    href: key === 'consent' ? '#consent' : key.startsWith('documents.') ? `/ho-so/${d.id}/dinh-kem#file-${key.slice(10)}` : `/ho-so/${d.id}/khai#${key.replace(/^form\./, '')}`,
    text,
  }));
  return page({
    ctx,
    title: m.checkTitle,
    hasErrors: links.length > 0,
    body: html`${errorSummary(ctx.lang, links)}
<span class="caption">${localName(ctx.lang, p)} · ${format(m.step, { n: 3 })}</span>
<h1>${m.checkTitle}</h1>
${form.sections.map(
  (s) => html`<h2>${s.title[ctx.lang]}</h2>
<dl class="summary-list">${s.fields
    .filter((f) => answers[f.key] !== undefined && answers[f.key] !== '')
    .map((f) => html`<div><dt>${f.label[ctx.lang]}</dt><dd>${answerText(ctx.lang, f, answers[f.key], areaName)}</dd>
  <dd class="summary-action"><a href="/ho-so/${d.id}/khai#${f.key}">${m.change}<span class="visually-hidden"> ${f.label[ctx.lang]}</span></a></dd></div>`)}</dl>`,
)}
<h2>${m.files}</h2>
<dl class="summary-list">${p.documents.map((doc) => {
  const files = d.attachments.filter((a) => a.document === doc.key);
  return html`<div><dt>${doc.name}</dt><dd>${files.map((f) => f.name).join(', ') || '—'}</dd>
  <dd class="summary-action"><a href="/ho-so/${d.id}/dinh-kem#file-${doc.key}">${m.change}<span class="visually-hidden"> ${doc.name}</span></a></dd></div>`;
})}</dl>
<h2>${m.delivery}</h2>
<p>${method ? m.deliveryMethods[method] : '—'}</p>
<p>${m.submitLead}</p>
<form action="/ho-so/${d.id}/nop" method="post" novalidate>
  ${csrfInput(ctx.csrf)}
  ${consentBlock(ctx.lang, 'filing', { checked: consentGiven, error: errors.consent })}
  <button class="button" type="submit">${m.submit}</button>
</form>`,
  });
}

export function donePage(ctx: PageContext, d: DossierView, shipments: Html | '' = ''): Html {
  const m = messages(ctx.lang).filing;
  return page({
    ctx,
    title: m.doneTitle,
    body: html`${confirmationPanel(m.doneTitle, m.yourCode, d.code)}
<p>${format(m.trackingKey, { key: d.trackingKey ?? '' })}</p>
${shipments}
<h2>${m.whatNext}</h2>
<p>${m.next1}</p>
<p>${m.next2}</p>
<ul class="list">
  <li><a href="/ho-so/${d.id}/giay-xac-nhan.pdf">${m.acknowledgement}</a></li>
  <li><a href="/ho-so/${d.id}/thanh-toan">${messages(ctx.lang).pay.title}</a></li>
  <li><a href="/tra-cuu/${encodeURIComponent(d.code ?? '')}?key=${d.trackingKey ?? ''}">${m.track}</a></li>
  <li><a href="/ho-so">${m.myDossiers}</a></li>
</ul>`,
  });
}

export function myDossiersPage(ctx: PageContext, items: DossierView[], procedureName: (id: string) => string): Html {
  const m = messages(ctx.lang);
  const f = m.filing;
  return page({
    ctx,
    title: f.myDossiers,
    body: html`<h1>${f.myDossiers}</h1>
${items.length === 0 ? html`<p>${f.myDossiersEmpty}</p>` : ''}
<ul class="results">${items.map(
  (d) => html`<li class="result">
  <h2 class="result-title">${procedureName(d.procedureId)}</h2>
  <p class="result-meta">${d.code ? html`<strong>${d.code}</strong> · ` : ''}<span class="badge">${m.statuses[d.status]}</span></p>
  ${d.supplementDueAt ? html`<p>${f.supplementDueAt}: ${vietnamTime(d.supplementDueAt, ctx.lang)}</p>` : ''}
  ${d.status === 'draft' ? html`<p><a href="/ho-so/${d.id}/khai">${f.continueDraft}</a></p>` : html`<p><a href="/ho-so/${d.id}/giay-xac-nhan.pdf">${f.acknowledgement}</a>${d.acceptedAt ? html` · <a href="/ho-so/${d.id}/giay-tiep-nhan.pdf">${f.receipt}</a>` : ''} · <a href="/ho-so/${d.id}/thanh-toan">${m.pay.title}</a></p>`}
  ${(d.status === 'resolved' || d.status === 'returned') && d.results.length ? html`<p class="hint">${f.downloadResultNote}</p><ul class="plain-list">${d.results.map((r) => html`<li><a href="/api/v1/dossiers/${d.id}/results/${r.n}" download>${format(f.downloadResult, { code: r.code })}</a></li>`)}</ul>` : ''}
  ${d.status === 'returned' ? html`<p><a href="/ho-so/${d.id}/danh-gia">${m.feedback.rate}</a></p>` : ''}
  <details><summary>${f.timeline}</summary>
    <ol class="timeline">${d.history.map((h) => html`<li><span class="hint">${vietnamTime(h.at, ctx.lang)}</span> ${f.actions[h.action as keyof typeof f.actions] ?? h.action} — ${m.statuses[h.status]}</li>`)}</ol>
  </details>
</li>`,
)}</ul>`,
  });
}

export function trackingPage(ctx: PageContext, values: { code: string; key: string }, view: TrackingView | null, notFound: boolean): Html {
  const m = messages(ctx.lang);
  const t = m.tracking;
  return page({
    ctx,
    title: t.title,
    hasErrors: notFound,
    body: html`${notFound ? errorSummary(ctx.lang, [{ href: '#code', text: t.notFound }]) : ''}
<h1>${t.title}</h1>
${view
  ? html`<dl class="summary-list">
  <div><dt>${t.code}</dt><dd><strong>${view.code}</strong></dd></div>
  <div><dt>${t.procedure}</dt><dd>${view.procedureName}</dd></div>
  <div><dt>${t.status}</dt><dd><span class="badge">${view.statusLabel}</span></dd></div>
  ${view.submittedAt ? html`<div><dt>${t.submittedAt}</dt><dd>${vietnamTime(view.submittedAt, ctx.lang)}</dd></div>` : ''}
  ${view.acceptedAt ? html`<div><dt>${t.acceptedAt}</dt><dd>${vietnamTime(view.acceptedAt, ctx.lang)}</dd></div>` : ''}
  ${view.dueAt ? html`<div><dt>${t.dueAt}</dt><dd>${vietnamTime(view.dueAt, ctx.lang)}</dd></div>` : ''}
  ${view.resolvedAt ? html`<div><dt>${t.resolvedAt}</dt><dd>${vietnamTime(view.resolvedAt, ctx.lang)}</dd></div>` : ''}
</dl>
<h2>${t.history}</h2>
<ol class="timeline">${view.history.map((h) => html`<li><span class="hint">${vietnamTime(h.at, ctx.lang)}</span> ${h.label}</li>`)}</ol>`
  : html`<p>${t.lead}</p>
<form action="/tra-cuu" method="get">
  ${textField(ctx.lang, { name: 'code', label: t.code, hint: t.codeHint, value: values.code, error: notFound ? t.notFound : undefined })}
  ${textField(ctx.lang, { name: 'key', label: t.key, hint: t.keyHint, value: values.key, width: 'short' })}
  <button class="button" type="submit">${t.button}</button>
</form>`}`,
  });
}

