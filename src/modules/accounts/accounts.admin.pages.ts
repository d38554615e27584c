// Pages for staff security: the second factor's setup and sign-in step, and the accounts admin
// page (/quan-tri/tai-khoan): search, disable or enable, revoke a role, reset the second factor,
// and (province administrators) which roles require the second factor.
import { csrfInput, errorSummary, successBanner, textField } from '../../web/components.ts';
import type { PageContext } from '../../web/context.ts';
import { html, raw, type Html } from '../../web/html.ts';
import { format, messages } from '../../i18n/index.ts';
import { page } from '../../web/layout.ts';
import type { Role } from '../../domain/roles.ts';
import type { AccountSummary } from './accounts.admin.service.ts';
import { emptyForm, type FormState } from './accounts.pages.ts';

function summary(ctx: PageContext, state: FormState): Html {
  return errorSummary(ctx.lang, Object.entries(state.errors).map(([field, text]) => ({ href: `#${field}`, text })));
}

const otpField = (ctx: PageContext, state: FormState) => {
  const s = messages(ctx.lang).staffSecurity;
  return textField(ctx.lang, { name: 'otp', label: s.otp, hint: s.otpHint, error: state.errors.otp, autocomplete: 'one-time-code', inputmode: 'numeric', width: 'short' });
};

/** Setting up the second factor: the QR code (inline SVG), the secret as text and the otpauth URI, and the first code. */
export function totpSetupPage(ctx: PageContext, setup: { secret: string; uri: string; qrSvg: string; required: boolean }, state: FormState = emptyForm): Html {
  const s = messages(ctx.lang).staffSecurity;
  // The secret in groups of four, as authenticator apps show it.
  const grouped = setup.secret.replace(/(.{4})(?=.)/g, '$1 ');
  return page({
    ctx,
    title: s.setupTitle,
    hasErrors: Object.keys(state.errors).length > 0,
    body: html`${summary(ctx, state)}
<h1>${s.setupTitle}</h1>
${setup.required ? html`<div class="notice" role="status"><p>${s.setupRequired}</p></div>` : ''}
<p class="lead">${s.setupLead}</p>
<figure class="qr" role="img" aria-label="${s.qrAlt}">${raw(setup.qrSvg)}</figure>
<dl class="summary-list">
  <div><dt>${s.secret}</dt><dd><code id="secret">${grouped}</code></dd></div>
  <div><dt>${s.uri}</dt><dd><code class="break">${setup.uri}</code></dd></div>
</dl>
<form action="/tai-khoan/xac-thuc-hai-buoc" method="post" novalidate>
  ${csrfInput(ctx.csrf)}
  ${otpField(ctx, state)}
  <button class="button" type="submit">${s.confirmSetup}</button>
</form>
<form action="/dang-xuat" method="post">${csrfInput(ctx.csrf)}<button class="button button-secondary" type="submit">${messages(ctx.lang).account.signOut}</button></form>`,
  });
}

/** The second step of a sign-in: the code from the app. */
export function otpPage(ctx: PageContext, next: string, state: FormState = emptyForm): Html {
  const s = messages(ctx.lang).staffSecurity;
  return page({
    ctx,
    title: s.otpTitle,
    hasErrors: Object.keys(state.errors).length > 0,
    body: html`${summary(ctx, state)}
<h1>${s.otpTitle}</h1>
<p class="lead">${s.otpLead}</p>
<form action="/dang-nhap/ma-xac-thuc" method="post" novalidate>
  ${csrfInput(ctx.csrf)}
  <input type="hidden" name="next" value="${next}">
  ${otpField(ctx, state)}
  <button class="button" type="submit">${s.otpButton}</button>
</form>`,
  });
}

/** The account page's security part: the second factor and signing out everywhere. */
export function accountSecurity(ctx: PageContext, totpEnabled: boolean, staff: boolean): Html {
  const s = messages(ctx.lang).staffSecurity;
  return html`${staff
    ? html`<h2>${s.secondFactorTitle}</h2>
<p>${totpEnabled ? s.secondFactorOn : s.secondFactorOff}</p>
${totpEnabled ? '' : html`<p><a class="button button-secondary" role="button" href="/tai-khoan/xac-thuc-hai-buoc">${s.setUp}</a></p>`}`
    : ''}
<h2>${s.sessionsTitle}</h2>
<p>${s.sessionsLead}</p>
<form action="/dang-xuat-moi-noi" method="post">${csrfInput(ctx.csrf)}<button class="button button-warning" type="submit">${s.signOutEverywhere}</button></form>`;
}

export type AdminView = {
  query: string;
  accounts: AccountSummary[];
  unitName: (id: string) => string;
  /** The per-role policies, shown to province administrators only. */
  policies: Array<{ role: Role; requireTotp: boolean }> | null;
  saved: boolean;
};

function inlineForm(ctx: PageContext, action: string, fields: Record<string, string>, label: string, cls = 'button-secondary'): Html {
  return html`<form class="inline-form" action="${action}" method="post">${csrfInput(ctx.csrf)}${Object.entries(fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}<button class="button ${cls}" type="submit">${label}</button></form>`;
}

export function accountsAdminPage(ctx: PageContext, v: AdminView): Html {
  const a = messages(ctx.lang).accountsAdmin;
  const m = messages(ctx.lang).account;
  const back = v.query ? `?q=${encodeURIComponent(v.query)}` : '';
  return page({
    ctx,
    title: a.title,
    body: html`${v.saved ? successBanner(a.saved) : ''}
<h1>${a.title}</h1>
<p class="lead">${a.lead}</p>
<form action="/quan-tri/tai-khoan" method="get" role="search">
  ${textField(ctx.lang, { name: 'q', label: a.search, value: v.query })}
  <button class="button button-secondary" type="submit">${a.searchButton}</button>
</form>
${v.accounts.length
    ? html`<div class="table-scroll"><table class="table">
  <caption class="table-caption visually-hidden">${a.title}</caption>
  <thead><tr><th scope="col">${a.name}</th><th scope="col">${a.username}</th><th scope="col">${a.roles}</th><th scope="col">${a.status}</th><th scope="col">${a.actions}</th></tr></thead>
  <tbody>${v.accounts.map((u) => html`
    <tr>
      <th scope="row">${u.name}</th>
      <td>${u.username}</td>
      <td><ul class="list">${u.roles.map((r) => html`<li>${m.role[r.role]}${r.unitId ? ` ${format(m.atUnit, { unit: v.unitName(r.unitId) })}` : ''}
        ${inlineForm(ctx, `/quan-tri/tai-khoan/thu-hoi${back}`, { userId: u.id, role: r.role, unitId: r.unitId ?? '' }, format(a.revoke, { role: m.role[r.role], name: u.name }), 'button-warning')}</li>`)}</ul></td>
      <td>${u.disabled ? html`<strong class="tag tag-overdue">${a.disabled}</strong>` : a.active}${u.totpEnabled ? html`<br>${a.totpOn}` : ''}</td>
      <td>${u.disabled
        ? inlineForm(ctx, `/quan-tri/tai-khoan/khoa${back}`, { userId: u.id, action: 'enable' }, format(a.enable, { name: u.name }))
        : inlineForm(ctx, `/quan-tri/tai-khoan/khoa${back}`, { userId: u.id, action: 'disable' }, format(a.disable, { name: u.name }), 'button-warning')}
        ${u.totpEnabled ? inlineForm(ctx, `/quan-tri/tai-khoan/dat-lai-hai-buoc${back}`, { userId: u.id }, format(a.resetTotp, { name: u.name })) : ''}</td>
    </tr>`)}
  </tbody>
</table></div>`
    : html`<p>${a.none}</p>`}
${v.policies
    ? html`<h2>${a.policiesTitle}</h2>
<p>${a.policiesLead}</p>
<form action="/quan-tri/tai-khoan/chinh-sach" method="post">
  ${csrfInput(ctx.csrf)}
  <fieldset class="fieldset">
    <legend class="fieldset-legend">${a.policiesLegend}</legend>
    <div class="checkboxes">${v.policies.map((p) => html`
      <div class="checkboxes-item"><input class="checkboxes-input" type="checkbox" id="totp-${p.role}" name="requireTotp" value="${p.role}"${p.requireTotp ? html` checked` : ''}>
      <label class="label checkboxes-label" for="totp-${p.role}">${m.role[p.role]}</label></div>`)}</div>
  </fieldset>
  <button class="button" type="submit">${a.savePolicies}</button>
</form>`
    : ''}`,
  });
}
