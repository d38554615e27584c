// The accounts pages: register, confirm, sign in (also through the identity provider), sign out,
// the account page, and the forgotten-password pair.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { clearSessionCookie, readCookie, setSessionCookie } from '../../http/auth.ts';
import { cookieName, setCookie } from '../../http/cookies.ts';
import { continueWithCode } from './accounts.admin.pages.routes.ts';
import { accountSecurity } from './accounts.admin.pages.ts';
import { checkCsrf, pageContext } from '../../http/csrf.ts';
import { fail } from '../../errors.ts';
import { attempt, formText } from '../../http/page-kit.ts';
import { sendPage as show } from '../../http/reply.ts';
import type { Services } from '../../services.ts';
import { format, localName, messages } from '../../i18n/index.ts';
import { callbackPath, decodePending, encodePending, OidcError, pendingCookie } from './accounts.oidc.ts';
import { consentTicked } from '../privacy/privacy.pages.ts';
import { accountPage, confirmPage, forgotPage, registerPage, resetPage, signInPage } from './accounts.pages.ts';

/** The status of a refused form: 400, or 429 with Retry-After when codes were asked for too often. */
function refusal(reply: FastifyReply, rejected: { error: { retryAfter?: number }; status: number }): number {
  if (rejected.error.retryAfter) reply.header('retry-after', String(rejected.error.retryAfter));
  return rejected.status;
}

/** Only local paths: a sign-in link must not send people to another site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/tai-khoan';
}

export function accountsPageRoutes(services: Services): FastifyPluginAsync {
  const { accounts, oidc } = services;
  const provider = oidc?.name;
  return async (app) => {
    const pageOpts = { schema: { hide: true } };

    app.get('/dang-ky', pageOpts, async (req, reply) => show(reply, registerPage(pageContext(req, reply))));
    app.post('/dang-ky', pageOpts, async (req, reply) => {
      checkCsrf(req);
      const consent = consentTicked(req.body);
      const values = { name: formText(req.body, 'name'), username: formText(req.body, 'username'), consent: consent ? 'yes' : '' };
      const r = await attempt(req, () => accounts.register({ name: values.name, username: values.username, password: formText(req.body, 'password'), lang: req.lang, ip: req.ip, consent }), { field: 'username' });
      if (!r.ok) return show(reply, registerPage(pageContext(req, reply), { values, errors: r.rejected.errors }), refusal(reply, r.rejected));
      await services.privacy.recordConsent(r.value.id, { purpose: 'registration', channel: 'page' });
      return reply.redirect(`/xac-nhan?tai-khoan=${encodeURIComponent(r.value.username)}`, 303);
    });

    app.get('/xac-nhan', pageOpts, async (req, reply) =>
      show(reply, confirmPage(pageContext(req, reply), formText(req.query, 'tai-khoan').slice(0, 254))));
    app.post('/xac-nhan', pageOpts, async (req, reply) => {
      checkCsrf(req);
      const username = formText(req.body, 'username');
      const code = formText(req.body, 'code');
      const r = await attempt(req, () => accounts.confirm({ username, code }), { field: 'code' });
      if (!r.ok) return show(reply, confirmPage(pageContext(req, reply), username, { values: { code }, errors: r.rejected.errors }), 400);
      return reply.redirect(`/dang-nhap?da-xac-nhan=1`, 303);
    });

    app.get('/dang-nhap', pageOpts, async (req, reply) => {
      const m = messages(req.lang).account;
      const q = req.query as Record<string, unknown>;
      const notice = q['da-xac-nhan'] ? m.confirmed : q['doi-mat-khau'] ? m.resetDone : q['da-dang-xuat'] ? m.signedOut : undefined;
      return show(reply, signInPage(pageContext(req, reply), { next: safeNext(q.next), notice, provider }));
    });
    app.post('/dang-nhap', pageOpts, async (req, reply) => {
      checkCsrf(req);
      const username = formText(req.body, 'username');
      const next = safeNext(formText(req.body, 'next'));
      const r = await attempt(req, () => accounts.signIn({ username, password: formText(req.body, 'password'), ip: req.ip, kind: 'cookie' }), { field: 'username' });
      if (!r.ok) {
        const { error, errors, status } = r.rejected;
        if (error.retryAfter) reply.header('retry-after', String(error.retryAfter));
        const unconfirmed = error.code === 'account_not_verified' ? username : undefined;
        return show(reply, signInPage(pageContext(req, reply), { next, state: { values: { username }, errors }, unconfirmed, provider }), status);
      }
      if (r.value.pending !== undefined) return continueWithCode(reply, r.value.pending, next);
      setSessionCookie(reply, r.value.token, accounts.cookieMaxAge(r.value.user));
      return reply.redirect(next, 303);
    });

    // Sign-in through the identity provider (VNeID): off unless OIDC_* is configured.
    const providerProblem = (req: FastifyRequest, reply: FastifyReply, next: string, key: 'providerFailed' | 'providerUnavailable', status: number) => {
      const text = format(messages(req.lang).account[key], { provider: provider! });
      return show(reply, signInPage(pageContext(req, reply), { next, state: { values: {}, errors: { provider: text } }, provider }), status);
    };
    app.get('/dang-nhap/oidc', pageOpts, async (req, reply) => {
      const next = safeNext((req.query as Record<string, unknown>).next);
      if (!oidc) fail('not_found');
      try {
        const { url, pending } = await oidc.start(next);
        setCookie(reply, pendingCookie, encodePending(pending), { maxAge: 600 });
        return reply.redirect(url, 303);
      } catch (err) {
        if (!(err instanceof OidcError)) throw err;
        req.log.warn({ err: err.cause ?? err }, 'identity provider unavailable');
        return providerProblem(req, reply, next, 'providerUnavailable', 503);
      }
    });
    app.get(callbackPath, pageOpts, async (req, reply) => {
      if (!oidc) fail('not_found');
      const pending = decodePending(readCookie(req.headers.cookie, cookieName(req, pendingCookie)));
      setCookie(reply, pendingCookie, '', { maxAge: 0 });
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
      if (!pending) return providerProblem(req, reply, '/tai-khoan', 'providerFailed', 400);
      try {
        const identity = await oidc.finish(query, pending);
        const { token, user } = await accounts.signInWithIdentity(identity, 'cookie');
        setSessionCookie(reply, token, accounts.cookieMaxAge(user));
        return reply.redirect(safeNext(pending.next), 303);
      } catch (err) {
        if (!(err instanceof OidcError)) throw err;
        req.log.warn({ err: err.cause ?? err }, 'identity provider sign-in failed');
        return providerProblem(req, reply, pending.next, err.reason === 'unavailable' ? 'providerUnavailable' : 'providerFailed', err.reason === 'unavailable' ? 503 : 400);
      }
    });

    app.post('/dang-xuat', pageOpts, async (req, reply) => {
      checkCsrf(req);
      if (req.sessionToken) await accounts.signOut(req.sessionToken);
      clearSessionCookie(reply);
      return reply.redirect('/dang-nhap?da-dang-xuat=1', 303);
    });

    app.get('/tai-khoan', pageOpts, async (req, reply) => {
      if (!req.user) return reply.redirect(`/dang-nhap?next=${encodeURIComponent('/tai-khoan')}`, 303);
      const unitName = (id: string) => {
        const unit = services.catalog.unit(id);
        return unit ? localName(req.lang, unit) : id;
      };
      const ctx = pageContext(req, reply);
      const m = messages(req.lang).staffSecurity;
      const notice = formText(req.query, 'hai-buoc') === '1' ? m.enabled : undefined;
      return show(reply, accountPage(ctx, req.user, unitName, accountSecurity(ctx, !!req.user.totpEnabled, req.user.roles.some((r) => r.role !== 'citizen')), notice));
    });

    app.get('/quen-mat-khau', pageOpts, async (req, reply) => show(reply, forgotPage(pageContext(req, reply))));
    app.post('/quen-mat-khau', pageOpts, async (req, reply) => {
      checkCsrf(req);
      const username = formText(req.body, 'username');
      const r = await attempt(req, () => accounts.requestReset({ username, lang: req.lang, ip: req.ip }), { field: 'username' });
      if (!r.ok) return show(reply, forgotPage(pageContext(req, reply), { values: { username }, errors: r.rejected.errors }), refusal(reply, r.rejected));
      return reply.redirect(`/dat-lai-mat-khau?tai-khoan=${encodeURIComponent(username.trim())}`, 303);
    });

    app.get('/dat-lai-mat-khau', pageOpts, async (req, reply) =>
      show(reply, resetPage(pageContext(req, reply), formText(req.query, 'tai-khoan').slice(0, 254))));
    app.post('/dat-lai-mat-khau', pageOpts, async (req, reply) => {
      checkCsrf(req);
      const username = formText(req.body, 'username');
      const code = formText(req.body, 'code');
      const r = await attempt(req, () => accounts.resetPassword({ username, code, password: formText(req.body, 'password'), lang: req.lang }), { field: 'code' });
      if (!r.ok) return show(reply, resetPage(pageContext(req, reply), username, { values: { code }, errors: r.rejected.errors }), 400);
      return reply.redirect('/dang-nhap?doi-mat-khau=1', 303);
    });
  };
}
