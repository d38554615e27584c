// The back office's payment pages (docs/domain.md §8.2): owed / paid / to refund with cash and
// refund forms, the bank statement import and its result, the review list. No script needed.
import { csrfInput, errorSummary, formGroup, successBanner, textarea } from '../../web/components.ts';
import { formatVnd } from '../../web/components.ts';
import type { PageContext } from '../../web/context.ts';
import { html, type Html } from '../../web/html.ts';
import { page } from '../../web/layout.ts';
import { format, messages, vietnamTime } from '../../i18n/index.ts';
import type { OfficeView } from './payments.cash.ts';
import type { ImportRecord, LineRecord, OfficeItem } from './payments.statement.queries.ts';

type M = ReturnType<typeof messages>['paymentsOffice'];
/** A form turned down: which row, what was typed, the messages per field. */
export type Failed = { id: string; values: Record<string, string>; errors: Record<string, string> };

const label = <K extends string>(table: Record<K, string>, key: string | null) => (key && key in table ? table[key as K] : key ?? '—');

function nav(m: M): Html {
  return html`<p><a href="/can-bo/thanh-toan/sao-ke">${m.statementLink}</a> · <a href="/can-bo/thanh-toan/doi-soat">${m.reviewLink}</a></p>`;
}

function summaryOf(ctx: PageContext, failed?: Failed): Html | '' {
  return failed ? errorSummary(ctx.lang, Object.entries(failed.errors).map(([k, text]) => ({ href: `#${k}-${failed.id}`, text }))) : '';
}

export function paymentsListPage(ctx: PageContext, l: { view: OfficeView; code?: string; total: number; limit: number; offset: number; items: OfficeItem[] },
  opts: { done?: 'cash' | 'refund'; failed?: Failed } = {}): Html {
  const m = messages(ctx.lang).paymentsOffice;
  const link = (view: OfficeView, offset = 0) => `/can-bo/thanh-toan?xem=${view}${l.code ? `&ma=${encodeURIComponent(l.code)}` : ''}${offset ? `&tu=${offset}` : ''}`;
  const tabs = html`<nav aria-label="${m.title}"><ul class="tabs">${(['due', 'paid', 'refund'] as const).map((v) =>
    html`<li><a href="${link(v)}"${v === l.view ? html` aria-current="page"` : ''}>${m.views[v]}</a></li>`)}</ul></nav>`;
  const filter = html`<form method="get" action="/can-bo/thanh-toan"><input type="hidden" name="xem" value="${l.view}">
  ${formGroup(ctx.lang, { id: 'ma', label: m.filterCode }, html`<input class="input" id="ma" name="ma" type="text" value="${l.code ?? ''}">`)}
  <button class="button button-secondary" type="submit">${m.filter}</button></form>`;
  const c = m.columns;
  const action = (i: OfficeItem) => {
    const f = opts.failed?.id === i.id ? opts.failed : undefined;
    if (l.view === 'due') {
      return html`<form method="post" action="/can-bo/thanh-toan/${i.id}/tien-mat" novalidate>${csrfInput(ctx.csrf)}
  ${formGroup(ctx.lang, { id: `amountVnd-${i.id}`, label: m.cashAmount, error: f?.errors.amountVnd }, html`<input class="input" id="amountVnd-${i.id}" name="amountVnd" type="text" inputmode="numeric" value="${f?.values.amountVnd ?? ''}">`)}
  <button class="button" type="submit">${m.recordCash}</button></form>`;
    }
    if (l.view === 'refund') {
      return html`<form method="post" action="/can-bo/thanh-toan/${i.id}/hoan-tien" novalidate>${csrfInput(ctx.csrf)}
  ${formGroup(ctx.lang, { id: `note-${i.id}`, label: m.refundNote, error: f?.errors.note }, textarea({ id: `note-${i.id}`, name: 'note', rows: 2, value: f?.values.note ?? '' }))}
  <button class="button" type="submit">${m.markRefunded}</button></form>`;
    }
    return '';
  };
  const pager = html`<p>${l.offset > 0 ? html`<a href="${link(l.view, Math.max(l.offset - l.limit, 0))}">${m.previous}</a> ` : ''}${l.offset + l.limit < l.total ? html`<a href="${link(l.view, l.offset + l.limit)}">${m.next}</a>` : ''}</p>`;
  return page({
    ctx, title: `${m.title}: ${m.views[l.view]}`, hasErrors: !!opts.failed,
    body: html`${opts.done ? successBanner(opts.done === 'cash' ? m.cashDone : m.refundDone) : ''}${summaryOf(ctx, opts.failed)}
<h1>${m.title}</h1>${nav(m)}${tabs}${filter}
<p>${format(m.total, { count: l.total })}</p>
${l.items.length ? html`<div class="table-scroll" role="region" tabindex="0" aria-label="${m.views[l.view]}"><table class="data-table" id="payments">
  <thead><tr><th scope="col">${c.dossier}</th><th scope="col">${c.purpose}</th><th scope="col">${c.amount}</th><th scope="col">${c.status}</th><th scope="col">${c.method}</th><th scope="col">${c.reference}</th><th scope="col">${c.receipt}</th>${l.view === 'paid' ? '' : html`<th scope="col">${c.action}</th>`}</tr></thead>
  <tbody>${l.items.map((i) => html`<tr id="payment-${i.id}" data-payment="${i.id}">
    <td><a href="/can-bo/ho-so/${i.dossier_id}">${i.code ?? i.dossier_id}</a></td><td>${label(m.purposes, i.purpose)}</td><td>${formatVnd(ctx.lang, i.amount_vnd)}</td>
    <td>${label(m.statuses, i.status)}</td><td>${label(m.methods, i.method)}</td><td><code>${i.reference}</code></td>
    <td>${i.receipt_no && (i.status === 'paid' || i.status === 'refunded') ? html`<a href="/api/v1/dossiers/${i.dossier_id}/payments/${i.id}/receipt.pdf">${m.printReceipt} ${i.receipt_series}/${i.receipt_no}</a>` : '—'}</td>
    ${l.view === 'paid' ? '' : html`<td>${action(i)}</td>`}</tr>`)}</tbody></table></div>${pager}` : html`<p>${m.none}</p>`}`,
  });
}

export function statementPage(ctx: PageContext, imports: ImportRecord[], failed?: Failed): Html {
  const m = messages(ctx.lang).paymentsOffice;
  return page({
    ctx, title: m.statementTitle, hasErrors: !!failed,
    body: html`${failed ? errorSummary(ctx.lang, Object.entries(failed.errors).map(([k, text]) => ({ href: `#${k}`, text }))) : ''}
<h1>${m.statementTitle}</h1>${nav(m)}
<p>${m.statementHint}</p>
<form method="post" action="/can-bo/thanh-toan/sao-ke" enctype="multipart/form-data" novalidate>${csrfInput(ctx.csrf)}
  ${formGroup(ctx.lang, { id: 'file', label: m.statementFile, error: failed?.errors.file }, html`<input class="file-upload" id="file" name="file" type="file" accept=".csv,text/csv">`)}
  <button class="button" type="submit">${m.importButton}</button>
</form>
${imports.length ? html`<h2>${m.recentImports}</h2><ul class="list">${imports.map((i) => html`<li><a href="/can-bo/thanh-toan/sao-ke/${i.id}">${vietnamTime(i.imported_at, ctx.lang)} · ${i.file_name}</a>: ${counts(m, i)}</li>`)}</ul>` : ''}`,
  });
}

const counts = (m: M, i: ImportRecord) => format(m.counts, { lines: i.lines, applied: i.applied, review: i.review, duplicates: i.duplicates, outgoing: i.outgoing });

function linesTable(ctx: PageContext, lines: LineRecord[], handle: boolean, failed?: Failed): Html {
  const m = messages(ctx.lang).paymentsOffice;
  const c = m.lineColumns;
  return html`<div class="table-scroll" role="region" tabindex="0" aria-label="${m.reviewTitle}"><table class="data-table" id="statement-lines">
  <thead><tr><th scope="col">${c.line}</th><th scope="col">${c.date}</th><th scope="col">${c.amount}</th><th scope="col">${c.description}</th><th scope="col">${c.txn}</th><th scope="col">${c.outcome}</th></tr></thead>
  <tbody>${lines.map((l) => html`<tr id="line-${l.id}" data-line="${l.bank_txn_id}" data-outcome="${l.outcome}">
    <td>${l.line_no}</td><td>${l.booked_on}</td><td>${formatVnd(ctx.lang, l.amount_vnd)}</td><td>${l.description}</td><td><code>${l.bank_txn_id}</code></td>
    <td>${label(m.outcomes, l.outcome)}${l.reason ? html`: ${label(m.reasons, l.reason)}` : ''}${l.reference ? html` (<code>${l.reference}</code>)` : ''}
    ${l.handled_at ? html`<p class="hint">${format(m.handledBy, { at: vietnamTime(l.handled_at, ctx.lang), note: l.handled_note ?? '' })}</p>` : ''}
    ${handle && l.outcome === 'review' && !l.handled_at ? html`<form method="post" action="/can-bo/thanh-toan/doi-soat/${l.id}" novalidate>${csrfInput(ctx.csrf)}
      ${formGroup(ctx.lang, { id: `note-${l.id}`, label: m.handledNote, error: failed?.id === l.id ? failed.errors.note : undefined }, textarea({ id: `note-${l.id}`, name: 'note', rows: 2, value: failed?.id === l.id ? failed.values.note ?? '' : '' }))}
      <button class="button" type="submit">${m.markHandled}</button></form>` : ''}</td></tr>`)}</tbody></table></div>`;
}

export function importResultPage(ctx: PageContext, imp: ImportRecord, lines: LineRecord[]): Html {
  const m = messages(ctx.lang).paymentsOffice;
  const title = format(m.importResult, { file: imp.file_name });
  return page({
    ctx, title,
    body: html`<h1>${title}</h1>${nav(m)}<p id="counts">${counts(m, imp)}</p>${lines.length ? linesTable(ctx, lines, false) : ''}`,
  });
}

export function reviewPage(ctx: PageContext, r: { total: number; items: LineRecord[]; handled: boolean }, opts: { done?: boolean; failed?: Failed } = {}): Html {
  const m = messages(ctx.lang).paymentsOffice;
  return page({
    ctx, title: m.reviewTitle, hasErrors: !!opts.failed,
    body: html`${opts.done ? successBanner(m.handledDone) : ''}${summaryOf(ctx, opts.failed)}
<h1>${m.reviewTitle}</h1>${nav(m)}<p>${m.reviewHint}</p>
<p><a href="/can-bo/thanh-toan/doi-soat${r.handled ? '' : '?da-xu-ly'}">${r.handled ? m.showOpen : m.showHandled}</a></p>
<p>${format(m.total, { count: r.total })}</p>
${r.items.length ? linesTable(ctx, r.items, !r.handled, opts.failed) : html`<p>${m.none}</p>`}`,
  });
}
