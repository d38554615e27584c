// Portal pages for accounts: register, confirm the code, sign in, my account, reset the password.
// Plain forms that work without JavaScript; errors come back in a summary with what was typed
// kept (passwords excepted).
import { csrfInput, errorSummary, successBanner, textField } from '../../web/components.ts';
import type { PageContext } from '../../web/context.ts';
import { html, type Html } from '../../web/html.ts';
import { format, messages } from '../../i18n/index.ts';
import { page } from '../../web/layout.ts';
import type { SessionUser } from './accounts.service.ts';
import { accountDataSection, consentBlock } from '../privacy/privacy.pages.ts';

/** What a form page shows again after a failed POST: the values and a message per field. */
export type FormState = { values: Record<string, string>; errors: Record<string, string> };
export const emptyForm: FormState = { values: {}, errors: {} };

function summary(ctx: PageContext, state: FormState): Html {
  return errorSummary(ctx.lang, Object.entries(state.errors).map(([field, text]) => ({ href: `#${field}`, text })));
}

function form(ctx: PageContext, action: string, fields: Html, button: string): Html {
  return html`<form action="${action}" method="post" novalidate>
  ${csrfInput(ctx.csrf)}
  ${fields}
  <button class="button" type="submit">${button}</button>
</form>`;
}

export function registerPage(ctx: PageContext, state: FormState = emptyForm): Html {
  const m = messages(ctx.lang).account;
  return page({
    ctx,
    title: m.registerTitle,
    hasErrors: Object.keys(state.errors).length > 0,
    body: html`${summary(ctx, state)}
<h1>${m.registerTitle}</h1>
<p class="lead">${m.registerLead}</p>
${form(ctx, '/dang-ky', html`
  ${textField(ctx.lang, { name: 'name', label: m.name, value: state.values.name, error: state.errors.name, autocomplete: 'name' })}
  ${textField(ctx.lang, { name: 'username', label: m.username, hint: m.usernameHint, value: state.values.username, error: state.errors.username, autocomplete: 'username', inputmode: 'email' })}
  ${textField(ctx.lang, { name: 'password', label: m.password, hint: m.passwordHint, type: 'password', error: state.errors.password, autocomplete: 'new-password' })}
  ${consentBlock(ctx.lang, 'registration', { checked: state.values.consent === 'yes', error: state.errors.consent })}`, m.registerButton)}
<p>${m.haveAccount} <a href="/dang-nhap">${m.signInButton}</a></p>`,
  });
}

export function confirmPage(ctx: PageContext, username: string, state: FormState = emptyForm): Html {
  const m = messages(ctx.lang).account;
  return page({
    ctx,
    title: m.confirmTitle,
    hasErrors: Object.keys(state.errors).length > 0,
    body: html`${summary(ctx, state)}
<h1>${m.confirmTitle}</h1>
<p class="lead">${format(m.confirmLead, { username })}</p>
${form(ctx, '/xac-nhan', html`
  <input type="hidden" name="username" value="${username}">
  ${textField(ctx.lang, { name: 'code', label: m.code, hint: m.codeHint, value: state.values.code, error: state.errors.code, autocomplete: 'one-time-code', inputmode: 'numeric', width: 'short' })}`, m.confirmButton)}
<p>${m.resendHelp} <a href="/dang-ky">${m.resend}</a></p>`,
  });
}

export type SignInOptions = {
  next: string;
  state?: FormState;
  notice?: string;
  /** The username of an account that still needs its one-time code. */
  unconfirmed?: string;
  /** The identity provider's name (VNeID) when sign-in through it is on. */
  provider?: string;
};

export function signInPage(ctx: PageContext, { next, state = emptyForm, notice, unconfirmed, provider }: SignInOptions): Html {
  const m = messages(ctx.lang).account;
  return page({
    ctx,
    title: m.signInTitle,
    hasErrors: Object.keys(state.errors).length > 0,
    body: html`${notice ? successBanner(notice) : ''}${summary(ctx, state)}
<h1>${m.signInTitle}</h1>
${unconfirmed ? html`<p><a href="/xac-nhan?tai-khoan=${encodeURIComponent(unconfirmed)}">${m.notConfirmed}</a></p>` : ''}
${provider
    ? html`<p><a class="button button-secondary" role="button" id="provider" href="/dang-nhap/oidc?next=${encodeURIComponent(next)}">${format(m.providerButton, { provider })}</a></p>
<p>${m.orPassword}</p>`
    : ''}
${form(ctx, '/dang-nhap', html`
  <input type="hidden" name="next" value="${next}">
  ${textField(ctx.lang, { name: 'username', label: m.username, value: state.values.username, error: state.errors.username, autocomplete: 'username', inputmode: 'email' })}
  ${textField(ctx.lang, { name: 'password', label: m.password, type: 'password', error: state.errors.password, autocomplete: 'current-password' })}`, m.signInButton)}
<p><a href="/quen-mat-khau">${m.forgot}</a></p>
<p>${m.noAccount} <a href="/dang-ky">${m.createAccount}</a></p>`,
  });
}

export function accountPage(ctx: PageContext, user: SessionUser, unitName: (id: string) => string, security: Html | '' = '', notice?: string): Html {
  const m = messages(ctx.lang).account;
  return page({
    ctx,
    title: m.accountTitle,
    body: html`${notice ? successBanner(notice) : ''}<h1>${m.accountTitle}</h1>
<dl class="summary-list">
  <div><dt>${m.name}</dt><dd>${user.name}</dd></div>
  <div><dt>${m.username}</dt><dd>${user.email ?? user.phone ?? user.username}</dd></div>
  <div><dt>${m.roles}</dt><dd><ul class="list">${user.roles.map(
    (r) => html`<li>${m.role[r.role]}${r.unitId ? ` ${format(m.atUnit, { unit: unitName(r.unitId) })}` : ''}</li>`,
  )}</ul></dd></div>
</dl>
<form action="/dang-xuat" method="post">${csrfInput(ctx.csrf)}<button class="button button-secondary" type="submit">${m.signOut}</button></form>
${security}
${accountDataSection(ctx.lang)}`,
  });
}

export function forgotPage(ctx: PageContext, state: FormState = emptyForm): Html {
  const m = messages(ctx.lang).account;
  return page({
    ctx,
    title: m.forgotTitle,
    hasErrors: Object.keys(state.errors).length > 0,
    body: html`${summary(ctx, state)}
<h1>${m.forgotTitle}</h1>
<p>${m.forgotLead}</p>
${form(ctx, '/quen-mat-khau', textField(ctx.lang, { name: 'username', label: m.username, value: state.values.username, error: state.errors.username, autocomplete: 'username', inputmode: 'email' }), m.sendCode)}`,
  });
}

export function resetPage(ctx: PageContext, username: string, state: FormState = emptyForm): Html {
  const m = messages(ctx.lang).account;
  return page({
    ctx,
    title: m.resetTitle,
    hasErrors: Object.keys(state.errors).length > 0,
    body: html`${summary(ctx, state)}
<h1>${m.resetTitle}</h1>
<p>${format(m.resetLead, { username })}</p>
${form(ctx, '/dat-lai-mat-khau', html`
  <input type="hidden" name="username" value="${username}">
  ${textField(ctx.lang, { name: 'code', label: m.code, hint: m.codeHint, value: state.values.code, error: state.errors.code, autocomplete: 'one-time-code', inputmode: 'numeric', width: 'short' })}
  ${textField(ctx.lang, { name: 'password', label: m.newPassword, hint: m.passwordHint, type: 'password', error: state.errors.password, autocomplete: 'new-password' })}`, m.resetButton)}`,
  });
}
