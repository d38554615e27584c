// The dossier page's form to attach a result: its type, number and symbol, date of issue and the
// file (multipart; the form token and the fields come before the file). A form turned down comes
// back with each message beside its field and what was typed.
import { resultTypes } from '../../domain/results.ts';
import { csrfInput, errorMessage, formGroup, select, describedBy } from '../../web/components.ts';
import type { PageContext } from '../../web/context.ts';
import { html, type Html } from '../../web/html.ts';
import { messages } from '../../i18n/index.ts';

/** What the officer typed, and the message for each field, after a failed attempt. */
export type ResultFormState = { values: Record<string, string>; errors: Record<string, string> };

/** The fields the result form posts beside the file. */
export const resultFormFields = ['type', 'number', 'symbol', 'issuedOn'] as const;

export function resultForm(ctx: PageContext, dossierId: string, failed: ResultFormState | undefined): Html {
  const { lang } = ctx;
  const m = messages(lang);
  const w = m.results.form;
  const value = (k: string) => failed?.values[k] ?? '';
  const error = (k: string) => failed?.errors[k];
  const id = (k: string) => `attach_result-${k}`;
  const text = (k: 'number' | 'symbol' | 'issuedOn', label: string, hint: string, type = 'text', width = ' input-short') =>
    formGroup(lang, { id: id(k), label, hint, error: error(k) }, html`
      <input class="input${width}${error(k) ? ' input-error' : ''}" id="${id(k)}" name="${k}" type="${type}" value="${value(k)}"${describedBy([`${id(k)}-hint`, error(k) && `${id(k)}-error`])} spellcheck="false">`);
  return html`<section class="action" id="action-attach_result" aria-labelledby="action-attach_result-title">
  <h3 id="action-attach_result-title">${m.office.actions.attach_result}</h3>
  ${errorMessage(error(''))}
  <p class="hint">${w.signedNote}</p>
  <form action="/can-bo/ho-so/${dossierId}/ket-qua" method="post" enctype="multipart/form-data" novalidate>
    ${csrfInput(ctx.csrf)}
    ${formGroup(lang, { id: id('type'), label: w.type, error: error('type') },
      select({ id: id('type'), name: 'type', value: value('type'), blank: '', error: error('type'), describedBy: [error('type') && `${id('type')}-error`],
        options: resultTypes.map((t) => ({ value: t, text: m.results.types[t] })) }))}
    ${text('number', w.number, w.numberHint)}
    ${text('symbol', w.symbol, w.symbolHint, 'text', '')}
    ${text('issuedOn', w.issuedOn, w.issuedOnHint, 'date')}
    <div class="form-group${error('file') ? ' form-group-error' : ''}">
      <label class="label" for="${id('file')}">${m.office.resultFile}</label>
      ${errorMessage(error('file'), { id: `${id('file')}-error`, lang })}
      <input class="file-input" type="file" id="${id('file')}" name="file" accept="application/pdf,image/jpeg,image/png"${error('file') ? html` aria-describedby="${id('file')}-error"` : ''}>
    </div>
    <button class="button button-secondary" type="submit">${m.office.actions.attach_result}</button>
  </form>
</section>`;
}
