// Small shared pieces of markup.
import { html, type Html } from './html.ts';
import { format, formatNumber, messages, type Lang } from '../i18n/index.ts';

export function searchForm(lang: Lang, q: string, error?: string): Html {
  const m = messages(lang);
  return html`<form class="search-form" action="/thu-tuc" method="get" role="search">
  ${formGroup(lang, { id: 'q', label: m.home.searchLabel, hint: m.home.searchHint, error }, html`
    <div class="search-row">
      <input class="input" id="q" name="q" type="search" value="${q}" autocomplete="off" spellcheck="false"
        aria-describedby="q-hint${error ? ' q-error' : ''}">
      <button class="button" type="submit">${m.home.searchButton}</button>
    </div>`)}
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
  return formGroup(lang, { id: f.name, label: f.label, hint: f.hint, error: f.error }, html`
  <input class="input${f.width === 'short' ? ' input-short' : ''}${f.error ? ' input-error' : ''}" id="${f.name}" name="${f.name}" type="${f.type ?? 'text'}"
    value="${f.type === 'password' ? '' : (f.value ?? '')}"${f.autocomplete ? html` autocomplete="${f.autocomplete}"` : ''}${f.inputmode ? html` inputmode="${f.inputmode}"` : ''}${describedBy([f.hint && `${f.name}-hint`, f.error && `${f.name}-error`])} spellcheck="false">`);
}

/** `aria-describedby` naming the ids given (a hint, an error message…), or nothing when there are none. */
export function describedBy(ids: Array<string | false | null | undefined>): Html | '' {
  const list = ids.filter(Boolean).join(' ');
  return list ? html` aria-describedby="${list}"` : '';
}

/**
 * A field's error message (GOV.UK): `id` should be the control's id + `-error`, named by its
 * aria-describedby. With `lang`, screen readers hear "Lỗi:"/"Error:" first. Nothing when no text.
 */
export function errorMessage(text: string | undefined | null | false, o: { id?: string; lang?: Lang } = {}): Html | '' {
  if (!text) return '';
  const prefix = o.lang ? html`<span class="visually-hidden">${messages(o.lang).errorPage.errorPrefix}</span>` : '';
  return o.id ? html`<p class="error-message" id="${o.id}">${prefix}${text}</p>` : html`<p class="error-message">${prefix}${text}</p>`;
}

/**
 * A GOV.UK form group around a control: the red bar when in error; with `label`, the label (for
 * `id`), the hint (`id-hint`) and the error message (`id-error`) above the control.
 */
export function formGroup(
  lang: Lang,
  g: { id?: string; label?: string; labelClass?: string; hint?: string; hintId?: string; error?: string; invalid?: boolean },
  ...content: Array<Html | ''>
): Html {
  const bad = Boolean(g.error || g.invalid);
  return html`<div class="form-group${bad ? ' form-group-error' : ''}">
  ${g.label ? html`<label class="label${g.labelClass ? ` ${g.labelClass}` : ''}" for="${g.id}">${g.label}</label>` : ''}
  ${g.hint ? html`<div class="hint" id="${g.hintId ?? `${g.id}-hint`}">${g.hint}</div>` : ''}
  ${g.label || g.hint ? errorMessage(g.error, { id: `${g.id}-error`, lang }) : ''}${content}
</div>`;
}

export type SelectOption = { value: string; text: string };

/** A select: an optional empty first choice, options (optionally in groups), the one matching `value` selected. */
export function select(o: {
  id: string; name?: string; value?: string | number;
  options: Array<SelectOption | { label?: string; options: SelectOption[] }>;
  blank?: string; extra?: Html | ''; error?: unknown; describedBy?: Array<string | false | null | undefined>;
}): Html {
  const value = String(o.value ?? '');
  const option = (x: SelectOption) => html`<option value="${x.value}"${x.value === value ? html` selected` : ''}>${x.text}</option>`;
  return html`<select class="select${o.error ? ' input-error' : ''}" id="${o.id}" name="${o.name ?? o.id}"${describedBy(o.describedBy ?? [])}>
    ${o.blank !== undefined ? html`<option value="">${o.blank}</option>` : ''}${o.extra ?? ''}
    ${o.options.map((x) => ('options' in x ? (x.label ? html`<optgroup label="${x.label}">${x.options.map(option)}</optgroup>` : x.options.map(option)) : option(x)))}
  </select>`;
}

/** A text area; its text is escaped like any other. */
export function textarea(o: { id: string; name?: string; value?: string; rows?: number; error?: unknown; describedBy?: Array<string | false | null | undefined> }): Html {
  return html`<textarea class="textarea${o.error ? ' input-error' : ''}" id="${o.id}" name="${o.name ?? o.id}" rows="${o.rows ?? 4}"${describedBy(o.describedBy ?? [])}>${o.value ?? ''}</textarea>`;
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
  return formGroup(lang, { error: r.error }, html`
  <fieldset class="fieldset"${describedBy([r.error && `${id0}-error`])}>
    <legend class="fieldset-legend">${r.legend}</legend>
    ${errorMessage(r.error, { id: `${id0}-error`, lang })}
    <div class="radios">${r.options.map((o, i) => {
      const id = i ? `${id0}-${i + 1}` : id0;
      return html`
      <div class="radios-item"><input class="radios-input" type="radio" id="${id}" name="${r.name}" value="${o.value}"${o.value === r.value ? html` checked` : ''}>
      <label class="label radios-label" for="${id}">${o.text}</label></div>`;
    })}</div>
  </fieldset>`);
}

/** The GOV.UK confirmation panel: what happened, and the dossier code in large type. */
export function confirmationPanel(title: string, label: string, code: string | null): Html {
  return html`<div class="panel-confirmation">
  <h1 class="panel-title">${title}</h1>
  <div class="panel-body">${label}<br><strong class="dossier-code">${code}</strong></div>
</div>`;
}
