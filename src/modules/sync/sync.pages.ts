// The national sync's administrator page (/quan-tri/dong-bo-quoc-gia): the backlog, the failing
// events, the last delivery, a button to send the waiting events now, and in a demo what the
// in-process stand-in receiver got.
import { csrfInput, successBanner } from '../../web/components.ts';
import type { PageContext } from '../../web/context.ts';
import { html, type Html } from '../../web/html.ts';
import { page } from '../../web/layout.ts';
import { format, formatNumber, messages, vietnamTime, type Lang } from '../../i18n/index.ts';
import type { Action, Status } from '../../domain/dossier-status.ts';
import type { SyncStatus } from './sync.service.ts';

export const syncPagePath = '/quan-tri/dong-bo-quoc-gia';

/** How long ago, in words: minutes, hours and minutes, or days and hours. */
export function age(lang: Lang, ms: number): string {
  const s = messages(lang).nationalSync;
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return format(s.ageMinutes, { minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return format(s.ageHours, { hours, minutes: minutes % 60 });
  return format(s.ageDays, { days: Math.floor(hours / 24), hours: hours % 24 });
}

function actionName(lang: Lang, name: unknown): string {
  const m = messages(lang);
  if (name === 'snapshot') return m.nationalSync.snapshot;
  return typeof name === 'string' ? ((m.office.actions as Record<string, string>)[name as Action] ?? name) : '';
}

function statusName(lang: Lang, status: unknown): string {
  return typeof status === 'string' ? ((messages(lang).statuses as Record<string, string>)[status as Status] ?? status) : '';
}

export function syncAdminPage(ctx: PageContext, v: { status: SyncStatus; now: Date; retried: boolean }): Html {
  const s = messages(ctx.lang).nationalSync;
  const st = v.status;
  const when = (iso: string | null) => (iso ? html`<time datetime="${iso}">${vietnamTime(iso, ctx.lang)}</time>` : s.never);
  const received = st.standIn ? st.standIn.recent(20) : [];
  return page({
    ctx,
    title: s.title,
    body: html`${v.retried ? successBanner(s.retried) : ''}
<h1>${s.title}</h1>
<p class="lead">${s.lead}</p>
${st.enabled
    ? html`<dl class="summary-list">
  <div><dt>${s.target}</dt><dd><code class="break">${st.standIn ? format(s.standInTarget, { url: st.target ?? '' }) : st.target}</code></dd></div>
</dl>`
    : html`<div class="notice" role="status"><p>${s.off}</p></div>`}
<h2>${s.backlogTitle}</h2>
<dl class="summary-list" id="backlog">
  <div><dt>${s.pending}</dt><dd>${formatNumber(ctx.lang, st.pending)}</dd></div>
  <div><dt>${s.oldestPending}</dt><dd>${st.oldestPendingAt ? html`${age(ctx.lang, v.now.getTime() - Date.parse(st.oldestPendingAt))} (${when(st.oldestPendingAt)})` : s.none}</dd></div>
  <div><dt>${s.failing}</dt><dd>${formatNumber(ctx.lang, st.failing)}</dd></div>
  <div><dt>${s.sent}</dt><dd>${formatNumber(ctx.lang, st.sent)}</dd></div>
  <div><dt>${s.lastSuccess}</dt><dd>${when(st.lastSentAt)}</dd></div>
</dl>
${st.pending
    ? html`<form action="${syncPagePath}/gui-lai" method="post">${csrfInput(ctx.csrf)}<button class="button" type="submit">${s.retryNow}</button></form>`
    : ''}
<h2>${s.failuresTitle}</h2>
${st.failures.length
    ? html`<p>${s.failuresLead}</p>
<div class="table-scroll"><table class="table" id="failures">
  <caption class="table-caption visually-hidden">${s.failuresTitle}</caption>
  <thead><tr><th scope="col">${s.code}</th><th scope="col">${s.seq}</th><th scope="col">${s.attempts}</th><th scope="col">${s.lastError}</th><th scope="col">${s.lastAttempt}</th><th scope="col">${s.nextAttempt}</th></tr></thead>
  <tbody>${st.failures.map((f) => html`
    <tr><th scope="row">${f.code ?? f.dossierId}</th><td>${f.seq}</td><td>${f.attempts}</td><td>${f.lastError ?? ''}</td><td>${when(f.lastAttemptAt)}</td><td>${when(f.nextAttemptAt)}</td></tr>`)}
  </tbody>
</table></div>`
    : html`<p>${s.noFailures}</p>`}
${st.standIn
    ? html`<h2>${s.standInTitle}</h2>
${received.length
    ? html`<p>${format(s.standInLead, { count: received.length, repeats: st.standIn.repeats })}</p>
<div class="table-scroll"><table class="table" id="stand-in">
  <caption class="table-caption visually-hidden">${s.standInTitle}</caption>
  <thead><tr><th scope="col">${s.receivedAt}</th><th scope="col">${s.code}</th><th scope="col">${s.seq}</th><th scope="col">${s.status}</th><th scope="col">${s.action}</th></tr></thead>
  <tbody>${received.map((r) => html`
    <tr><td>${when(r.receivedAt)}</td><th scope="row">${r.event.code ?? ''}</th><td>${r.event.seq ?? ''}</td><td>${statusName(ctx.lang, r.event.status)}</td><td>${actionName(ctx.lang, r.event.action?.name)}</td></tr>`)}
  </tbody>
</table></div>`
    : html`<p>${s.standInEmpty}</p>`}`
    : ''}`,
  });
}
