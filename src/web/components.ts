// Small shared pieces of markup.
import { html, type Html } from './html.ts';
import { format, formatNumber, messages, type Lang } from '../i18n/index.ts';

export function searchForm(lang: Lang, q: string, error?: string): Html {
  const m = messages(lang);
  return html`<form class="search-form" action="/thu-tuc" method="get" role="search">
  <div class="form-group${error ? ' form-group-error' : ''}">
    <label class="label" for="q">${m.home.searchLabel}</label>
    <div class="hint" id="q-hint">${m.home.searchHint}</div>
    ${error ? html`<p class="error-message" id="q-error"><span class="visually-hidden">${m.errorPage.errorPrefix}</span>${error}</p>` : ''}
    <div class="search-row">
      <input class="input" id="q" name="q" type="search" value="${q}" autocomplete="off" spellcheck="false"
        aria-describedby="q-hint${error ? ' q-error' : ''}">
      <button class="button" type="submit">${m.home.searchButton}</button>
    </div>
  </div>
</form>`;
}

/** GOV.UK error summary: links to each field, shown at the top of the page. */
export function errorSummary(lang: Lang, errors: Array<{ href: string; text: string }>): Html {
  const m = messages(lang);
  if (errors.length === 0) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
  <h2 class="error-summary-title" id="error-summary-title">${m.errorPage.summaryTitle}</h2>
  <ul>${errors.map((e) => html`<li><a href="${e.href}">${e.text}</a></li>`)}</ul>
</div>`;
}

export function formatVnd(lang: Lang, amount: number): string {
  return format(messages(lang).procedure.feeFixed, { amount: formatNumber(lang, amount) });
}

export type FieldOptions = {
  name: string;
  label: string;
  hint?: string;
  type?: 'text' | 'email' | 'tel' | 'password';
  value?: string;
  error?: string;
  autocomplete?: string;
  inputmode?: 'numeric' | 'email' | 'tel' | 'text';
  /** Narrow inputs for short answers such as a six-digit code. */
  width?: 'short';
};

/** A labelled text input with its hint and its error (GOV.UK text input). */
export function textField(lang: Lang, f: FieldOptions): Html {
  const m = messages(lang);
  const describedBy = [f.hint ? `${f.name}-hint` : '', f.error ? `${f.name}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="form-group${f.error ? ' form-group-error' : ''}">
  <label class="label" for="${f.name}">${f.label}</label>
  ${f.hint ? html`<div class="hint" id="${f.name}-hint">${f.hint}</div>` : ''}
  ${f.error ? html`<p class="error-message" id="${f.name}-error"><span class="visually-hidden">${m.errorPage.errorPrefix}</span>${f.error}</p>` : ''}
  <input class="input${f.width === 'short' ? ' input-short' : ''}${f.error ? ' input-error' : ''}" id="${f.name}" name="${f.name}" type="${f.type ?? 'text'}"
    value="${f.type === 'password' ? '' : (f.value ?? '')}"${f.autocomplete ? html` autocomplete="${f.autocomplete}"` : ''}${f.inputmode ? html` inputmode="${f.inputmode}"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''} spellcheck="false">
</div>`;
}

export function csrfInput(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** A green notice at the top of a page: something the person did worked. */
export function successBanner(text: string): Html {
  return html`<div class="notice notice-success" role="status"><p>${text}</p></div>`;
}

/** GOV.UK radios in a fieldset; the first takes `id` (or the name) as its id, so an error summary link lands on it. */
export function radios(lang: Lang, r: { id?: string; name: string; legend: string; value: string; options: Array<{ value: string; text: string }>; error?: string }): Html {
  const id0 = r.id ?? r.name;
  const m = messages(lang);
  return html`<div class="form-group${r.error ? ' form-group-error' : ''}">
  <fieldset class="fieldset"${r.error ? html` aria-describedby="${id0}-error"` : ''}>
    <legend class="fieldset-legend">${r.legend}</legend>
    ${r.error ? html`<p class="error-message" id="${id0}-error"><span class="visually-hidden">${m.errorPage.errorPrefix}</span>${r.error}</p>` : ''}
    <div class="radios">${r.options.map((o, i) => {
      const id = i ? `${id0}-${i + 1}` : id0;
      return html`
      <div class="radios-item"><input class="radios-input" type="radio" id="${id}" name="${r.name}" value="${o.value}"${o.value === r.value ? html` checked` : ''}>
      <label class="label radios-label" for="${id}">${o.text}</label></div>`;
    })}</div>
  </fieldset>
</div>`;
}

/** The GOV.UK confirmation panel: what happened, and the dossier code in large type. */
export function confirmationPanel(title: string, label: string, code: string | null): Html {
  return html`<div class="panel-confirmation">
  <h1 class="panel-title">${title}</h1>
  <div class="panel-body">${label}<br><strong class="dossier-code">${code}</strong></div>
</div>`;
}
