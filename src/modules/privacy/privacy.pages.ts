// Pages for personal data: the public privacy notice, the short notice with its consent checkbox
// that the registration form and the filing check page show, and the account's deletion pages.
import { csrfInput, errorMessage, errorSummary, formGroup } from '../../web/components.ts';
import type { PageContext } from '../../web/context.ts';
import { html, type Html } from '../../web/html.ts';
import { format, messages, type Lang } from '../../i18n/index.ts';
import { page } from '../../web/layout.ts';
import { noticeVersion } from './privacy.service.ts';

export type { ConsentInput } from './privacy.service.ts';

export const noticePath = '/quyen-rieng-tu';
/** The posted field of the consent checkbox, and its value when ticked. */
export const consentField = 'consent';
export const consentTicked = (body: unknown): boolean => (body as Record<string, unknown> | undefined)?.[consentField] === 'yes';

/** The public privacy notice (Decree 13/2023): who, what, why, how long, rights; with its version. */
export function noticePage(ctx: PageContext): Html {
  const m = messages(ctx.lang).privacy;
  return page({
    ctx,
    title: m.title,
    body: html`<h1>${m.title}</h1>
<p class="hint" id="notice-version">${format(m.version, { version: noticeVersion })}</p>
<p class="lead">${m.lead}</p>
${m.sections.map((s) => html`<h2>${s.title}</h2>${s.body.map((p) => html`<p>${p}</p>`)}`)}`,
  });
}

/**
 * The short notice, its link to the full one, and the required consent checkbox (GOV.UK single
 * checkbox in a fieldset). The error, when given, sits in the group so the summary's `#consent` link lands here.
 */
export function consentBlock(lang: Lang, purpose: 'registration' | 'filing', o: { checked?: boolean; error?: string } = {}): Html {
  const m = messages(lang).privacy;
  const label = purpose === 'registration' ? m.consentRegistration : m.consentFiling;
  return formGroup(lang, { error: o.error }, html`
  <fieldset class="fieldset" aria-describedby="consent-notice${o.error ? ' consent-error' : ''}">
    <legend class="fieldset-legend">${m.consentLegend}</legend>
    <p id="consent-notice">${purpose === 'registration' ? m.registrationNotice : m.filingNotice} <a href="${noticePath}" target="_blank" rel="noopener">${m.readNotice}</a></p>
    ${errorMessage(o.error, { id: 'consent-error', lang })}
    <div class="checkboxes"><div class="checkboxes-item">
      <input class="checkboxes-input" id="${consentField}" name="${consentField}" type="checkbox" value="yes"${o.checked ? html` checked` : ''}>
      <label class="label checkboxes-label" for="${consentField}">${label}</label>
    </div></div>
  </fieldset>`);
}

/** The account page's section: download my data, ask for deletion. */
export function accountDataSection(lang: Lang): Html {
  const m = messages(lang).privacy;
  return html`<h2>${m.accountTitle}</h2>
<p>${m.accountLead}</p>
<ul class="list">
  <li><a href="/tai-khoan/du-lieu.json" download>${m.download}</a></li>
  <li><a href="/tai-khoan/xoa">${m.deleteLink}</a></li>
</ul>`;
}

/** The deletion page: what goes, what stays, and a confirmation checkbox. Staff see why they cannot. */
export function deletePage(ctx: PageContext, o: { staff: boolean; error?: string }): Html {
  const m = messages(ctx.lang).privacy;
  return page({
    ctx,
    title: m.deleteTitle,
    hasErrors: Boolean(o.error),
    body: html`${errorSummary(ctx.lang, o.error ? [{ href: '#confirm', text: o.error }] : [])}
<h1>${m.deleteTitle}</h1>
${o.staff
    ? html`<p>${m.deleteStaff}</p>`
    : html`<p class="lead">${m.deleteLead}</p>
<h2>${m.deleteGoes}</h2>
<ul class="list">${m.deleteGoesItems.map((i) => html`<li>${i}</li>`)}</ul>
<h2>${m.deleteStays}</h2>
<ul class="list">${m.deleteStaysItems.map((i) => html`<li>${i}</li>`)}</ul>
<p><a href="/tai-khoan/du-lieu.json" download>${m.deleteDownloadFirst}</a></p>
<form action="/tai-khoan/xoa" method="post" novalidate>
  ${csrfInput(ctx.csrf)}
  ${formGroup(ctx.lang, { error: o.error }, html`
  ${errorMessage(o.error, { id: 'confirm-error', lang: ctx.lang })}
  <div class="checkboxes"><div class="checkboxes-item">
    <input class="checkboxes-input" id="confirm" name="confirm" type="checkbox" value="yes"${o.error ? html` aria-describedby="confirm-error"` : ''}>
    <label class="label checkboxes-label" for="confirm">${m.deleteConfirm}</label>
  </div></div>`)}
  <button class="button button-warning" type="submit">${m.deleteButton}</button>
</form>`}`,
  });
}

export function deletedPage(ctx: PageContext, r: { drafts: number; keptDossiers: number }): Html {
  const m = messages(ctx.lang).privacy;
  return page({
    ctx,
    title: m.deletedTitle,
    body: html`<div class="notice notice-success" role="status"><h1>${m.deletedTitle}</h1></div>
<p>${format(m.deletedBody, { drafts: r.drafts, kept: r.keptDossiers })}</p>`,
  });
}
