// Pages for paying: a dossier's fees with a "Pay" button per method (a form POST, no JavaScript),
// the page the gateway sends the browser back to (it only shows the state), and the sandbox
// gateway's own page with its three outcomes. Mobile first: one column, full-width buttons.
import { formatNumber, format, messages, vietnamTime } from '../../i18n/index.ts';
import { csrfInput, errorSummary } from '../../web/components.ts';
import type { PageContext } from '../../web/context.ts';
import { html, raw, type Html } from '../../web/html.ts';
import { page } from '../../web/layout.ts';
import type { PaymentRecord } from './payments.queries.ts';
import type { SandboxCheck, SandboxOrder } from './payments.sandbox.ts';
import { sandboxActionPath } from './payments.sandbox.ts';
import type { TransferDetails } from './payments.vietqr.ts';

const vnd = (ctx: PageContext, n: number) => `${formatNumber(ctx.lang, n)} đ`;

/** The fees of a dossier, each with its state and, while owed, a button per method offered. */
export function paymentsList(ctx: PageContext, d: { id: string }, list: readonly PaymentRecord[], methods: readonly string[]): Html {
  const m = messages(ctx.lang).pay;
  if (!list.length) return html`<p>${m.none}</p>`;
  return html`${list.map((p) => {
    const owed = p.status === 'due' || p.status === 'failed' || p.status === 'pending';
    const label = (p.detail.label ?? null) as { vi: string; en: string } | null;
    return html`<div class="summary-card" id="payment-${p.id}">
<h3>${m.purpose[p.purpose]}${label ? html`: ${label[ctx.lang]}` : ''}</h3>
<dl class="summary-list">
<div><dt>${m.amount}</dt><dd><strong>${vnd(ctx, p.amount_vnd)}</strong></dd></div>
<div><dt>${m.due}</dt><dd>${m.stage[p.stage]}</dd></div>
<div><dt>${m.state}</dt><dd><strong class="tag">${m.status[p.status]}</strong>${p.refund_due ? html` · ${m.refundDue}` : ''}</dd></div>
<div><dt>${m.reference}</dt><dd><code>${p.reference}</code></dd></div>
</dl>
${owed ? methods.map((method) => html`<form method="post" action="/ho-so/${d.id}/thanh-toan/${p.id}">${csrfInput(ctx.csrf)}<input type="hidden" name="method" value="${method}"><button class="button" type="submit">${format(m.payWith, { method: m.method[method as 'vnpay'] ?? method })}</button></form>`) : ''}
${p.status === 'paid' || p.status === 'refunded' ? html`<p><a href="/api/v1/dossiers/${d.id}/payments/${p.id}/receipt.pdf" download>${m.receipt}</a></p>` : ''}
</div>`;
  })}`;
}

export function paymentsPage(ctx: PageContext, d: { id: string; code: string | null; procedureName: string }, list: readonly PaymentRecord[], methods: readonly string[], error?: string): Html {
  const m = messages(ctx.lang).pay;
  return page({
    ctx, title: m.title, hasErrors: !!error,
    body: html`${error ? errorSummary(ctx.lang, [{ href: '#payments', text: error }]) : ''}<h1 id="payments">${m.title}</h1><p class="lead">${d.procedureName}${d.code ? html` · <strong>${d.code}</strong>` : ''}</p>
${paymentsList(ctx, d, list, methods)}
<p><a href="/ho-so/${d.id}">${m.backToDossier}</a></p>`,
  });
}

/** A VietQR transfer: the code (an SVG drawn on the server, no script), and the same details to type by hand. */
export function transferPage(ctx: PageContext, d: { id: string; code: string | null }, t: TransferDetails, svg: string): Html {
  const m = messages(ctx.lang).pay;
  return page({
    ctx, title: m.transferTitle,
    body: html`<h1>${m.transferTitle}</h1>${d.code ? html`<p class="lead"><strong>${d.code}</strong></p>` : ''}
${t.payee.illustrative ? html`<p class="notice">${m.transferIllustrative}</p>` : ''}
<p>${m.transferLead}</p>
<figure class="qr-code" role="img" aria-label="${format(m.transferQr, { reference: t.reference })}">${raw(svg)}</figure>
<p>${m.transferByHand}</p>
<dl class="summary-list">
<div><dt>${m.amount}</dt><dd><strong>${vnd(ctx, t.amountVnd)}</strong></dd></div>
<div><dt>${m.bankBin}</dt><dd>${t.payee.bankBin}</dd></div>
<div><dt>${m.accountNo}</dt><dd><code>${t.payee.accountNo}</code></dd></div>
<div><dt>${m.accountName}</dt><dd>${t.payee.accountName}</dd></div>
<div><dt>${m.transferPurpose}</dt><dd><code>${t.reference}</code></dd></div>
</dl>
<p>${m.transferAfter}</p>
<p><a class="button" href="/ho-so/${d.id}/thanh-toan">${m.backToDossier}</a></p>`,
  });
}

/** The browser's return from the gateway: what the signature and the stored state say; nothing changes here. */
export function returnPage(ctx: PageContext, v: { verified: boolean; gatewaySays: 'success' | 'failure' | null; payment: PaymentRecord | null }): Html {
  const m = messages(ctx.lang).pay;
  const text = !v.verified || !v.payment ? m.returnForged
    : v.payment.status === 'paid' ? m.returnPaid
      : v.gatewaySays === 'success' ? m.returnWaiting : m.returnFailed;
  return page({
    ctx, title: m.returnTitle,
    body: html`<h1>${m.returnTitle}</h1>
<div class="${v.payment?.status === 'paid' ? 'success-banner' : 'notice'}" role="status"><p>${text}</p></div>
${v.payment ? html`<p>${m.amount}: <strong>${vnd(ctx, v.payment.amount_vnd)}</strong> · ${m.status[v.payment.status]}</p><p><a class="button" href="/ho-so/${v.payment.dossier_id}/thanh-toan">${m.backToDossier}</a></p>` : ''}`,
  });
}

/** The sandbox gateway's page: the order and the three outcomes, or why the request is refused. */
export function sandboxPage(ctx: PageContext, check: SandboxCheck): Html {
  const m = messages(ctx.lang).pay;
  if (!check.ok) {
    return page({ ctx, title: m.sandboxBad, body: html`<h1>${m.sandboxBad}</h1><p>${m.sandboxReason[check.reason]}</p>` });
  }
  const o: SandboxOrder = check.order;
  const hidden = Object.entries(o.params).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`);
  const button = (outcome: string, text: string) => html`<button class="button${outcome === 'success' ? '' : ' button-secondary'}" type="submit" name="outcome" value="${outcome}">${text}</button>`;
  return page({
    ctx, title: m.sandboxTitle,
    body: html`<h1>${m.sandboxTitle}</h1><p class="notice">${m.sandboxNote}</p>
<dl class="summary-list">
<div><dt>${m.sandboxOrder}</dt><dd><code>${o.txnRef}</code></dd></div>
<div><dt>${m.amount}</dt><dd><strong>${vnd(ctx, o.amountVnd)}</strong></dd></div>
<div><dt>${m.sandboxInfo}</dt><dd>${o.orderInfo}</dd></div>
${o.expiresAt ? html`<div><dt>${m.sandboxExpires}</dt><dd>${vietnamTime(o.expiresAt.toISOString(), ctx.lang)}</dd></div>` : ''}
</dl>
<form method="post" action="${sandboxActionPath}">${hidden}
${button('success', m.sandboxSuccess)} ${button('failure', m.sandboxFailure)} ${button('timeout', m.sandboxTimeout)}
</form>`,
  });
}

export function sandboxTimedOutPage(ctx: PageContext): Html {
  const m = messages(ctx.lang).pay;
  return page({ ctx, title: m.sandboxTitle, body: html`<h1>${m.sandboxTitle}</h1><p>${m.sandboxTimedOut}</p>` });
}
