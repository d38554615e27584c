// The public verification page of a result (/xac-thuc/{resultId}), which the QR code on a signed
// result leads to: authentic or not, signed by whom and when, the issuing unit, number and symbol,
// type, date and the file's SHA-256, and nothing about the applicant beyond the result's title.
// Below it, a form (multipart, no JavaScript needed) checks an uploaded copy.
import { numberAndSymbol, isResultType } from '../../domain/results.ts';
import { csrfInput, errorMessage, errorSummary, successBanner } from '../../web/components.ts';
import type { PageContext } from '../../web/context.ts';
import { html, type Html } from '../../web/html.ts';
import { format, messages, vietnamTime } from '../../i18n/index.ts';
import { page } from '../../web/layout.ts';
import type { PublicResult } from './office.results.ts';

/** What the page shows: a result looked up by id (or the one an uploaded copy matched), and the outcome of a check. */
export type VerifyPageData = {
  resultId?: string;
  result?: PublicResult;
  /** The procedure's name: the result's title. */
  title?: string;
  /** After an upload: whether the copy is authentic. */
  copy?: { valid: boolean };
  error?: string;
};

export function verifyPage(ctx: PageContext, data: VerifyPageData): Html {
  const { lang } = ctx;
  const m = messages(lang);
  const v = m.results.verify;
  const r = data.result;
  const id = r?.resultId ?? data.resultId;
  const row = (label: string, value: string | null | undefined) => (value ? html`<div><dt>${label}</dt><dd>${value}</dd></div>` : '');
  const verdict = !r
    ? (data.resultId ? html`<h2>${v.unknown}</h2><p>${format(v.unknownLead, { example: '000.00.00.H00-260101-0001-KQ1' })}</p>` : '')
    : !r.signed
      ? html`<p>${format(v.unsignedLead, { id: r.resultId })}</p>`
      : r.valid
        ? html`<div class="notice notice-success" role="status"><h2>${v.authentic}</h2><p>${format(v.authenticLead, { id: r.resultId })}</p></div>`
        : html`<div class="notice notice-error" role="alert"><h2>${v.notAuthentic}</h2><p>${v.notAuthenticLead}</p></div>`;
  const copy = data.copy
    ? data.copy.valid && r
      ? successBanner(format(v.copyAuthentic, { id: r.resultId }))
      : html`<div class="notice notice-error" role="alert"><h2>${v.notAuthentic}</h2><p>${v.copyNotAuthentic}</p></div>`
    : '';
  const errors = data.error ? [{ href: '#verify-file', text: data.error }] : [];
  return page({
    ctx,
    title: id ? format(v.pageTitle, { id }) : v.title,
    hasErrors: errors.length > 0,
    body: html`${errorSummary(lang, errors)}${copy}
<h1>${v.title}</h1>
${verdict}
${r
  ? html`<dl class="summary-list">
  ${row(v.resultId, r.resultId)}
  ${row(v.procedure, data.title)}
  ${row(v.type, r.type && isResultType(r.type) ? m.results.types[r.type] : r.type)}
  ${row(v.numberSymbol, numberAndSymbol(r.number, r.symbol))}
  ${row(v.issuedOn, r.issuedOn && r.issuedOn.split('-').reverse().join('/'))}
  ${row(v.issuingUnit, r.issuingUnit)}
  ${row(v.signer, r.signer)}
  ${row(v.signedAt, r.signedAt && vietnamTime(r.signedAt, lang))}
  ${row(v.sha256, r.sha256)}
</dl>
${r.demoCertificate ? html`<p class="hint">${v.demo}</p>` : ''}`
  : ''}
<h2>${v.checkCopy}</h2>
<p>${v.checkCopyLead}</p>
<form action="/xac-thuc" method="post" enctype="multipart/form-data" novalidate>
  ${csrfInput(ctx.csrf)}
  <div class="form-group${data.error ? ' form-group-error' : ''}">
    <label class="label" for="verify-file">${v.file}</label>
    ${errorMessage(data.error, { id: 'verify-file-error', lang })}
    <input class="file-input" type="file" id="verify-file" name="file" accept="application/pdf"${data.error ? html` aria-describedby="verify-file-error"` : ''}>
  </div>
  <button class="button" type="submit">${v.check}</button>
</form>`,
  });
}
