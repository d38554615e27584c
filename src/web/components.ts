// Small shared pieces of markup.
import { html, type Html } from './html.ts';
import { format, formatNumber, messages, type Lang } from './i18n/index.ts';

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
