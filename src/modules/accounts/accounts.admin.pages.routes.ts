// Page routes for staff security: setting up the second factor (and the gate that keeps a staff
// member whose role requires it on that page until done), the code step of a sign-in, signing out
// everywhere, and the accounts admin page (/quan-tri/tai-khoan) for province and unit administrators.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { secondFactorRules } from '../../domain/accounts.ts';
import { clearSessionCookie, readCookie, setSessionCookie } from '../../http/auth.ts';
import { cookieName, setCookie } from '../../http/cookies.ts';
import { checkCsrf, pageContext } from '../../http/csrf.ts';
import { fail } from '../../errors.ts';
import { attempt, formText, signInFirst } from '../../http/page-kit.ts';
import { sendPage as show } from '../../http/reply.ts';
import type { Services } from '../../services.ts';
import { localName } from '../../i18n/index.ts';
import { AccountsAdminService } from './accounts.admin.service.ts';
import { accountsAdminPage, otpPage, totpSetupPage } from './accounts.admin.pages.ts';
import { safeNext } from './accounts.pages.routes.ts';

export const totpSetupPath = '/tai-khoan/xac-thuc-hai-buoc';
/** What a staff member who must set up the second factor may still reach. */
export const totpSetupAllowed = ['/dang-xuat', '/dang-xuat-moi-noi', '/api/v1/auth/logout', '/api/v1/auth/logout-all', '/api/v1/me', '/api/v1/me/totp', '/api/v1/me/totp/confirm'] as const;
/** The pending sign-in (password right, code still to come): not a session. */
export const pendingSignInCookie = 'motcua_pending';

/** Starts the code step of a sign-in: the pending token in a short cookie, then the code's page. */
export function continueWithCode(reply: FastifyReply, pending: string, next: string): FastifyReply {
  setCookie(reply, pendingSignInCookie, pending, { maxAge: secondFactorRules.pendingSeconds });
  return reply.redirect(`/dang-nhap/ma-xac-thuc?next=${encodeURIComponent(next)}`, 303);
}

export function accountsAdminPageRoutes(services: Services): FastifyPluginAsync {
  const { accounts, accountsAdmin } = services;
  return async (app) => {
    const pageOpts = { schema: { hide: true } };

    const showSetup = async (req: FastifyRequest, reply: FastifyReply, errors: Record<string, string> = {}) => {
      const user = req.user!;
      const setup = await accounts.secondFactor.beginSetup(user.id);
      const qrSvg = await QRCode.toString(setup.uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1, width: 220 });
      return show(reply, totpSetupPage(pageContext(req, reply), { ...setup, qrSvg, required: !!user.totpSetupRequired }, { values: {}, errors }), Object.keys(errors).length ? 400 : 200);
    };
    app.get(totpSetupPath, pageOpts, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      if (req.user.totpEnabled) return reply.redirect('/tai-khoan', 303);
      return showSetup(req, reply);
    });
    app.post(totpSetupPath, pageOpts, async (req, reply) => {
      checkCsrf(req);
      if (!req.user) return signInFirst(req, reply);
      const user = req.user;
      const r = await attempt(req, () => accounts.secondFactor.confirmSetup(user.id, formText(req.body, 'otp')), { field: 'otp' });
      if (!r.ok) return showSetup(req, reply, r.rejected.errors);
      return reply.redirect('/tai-khoan?hai-buoc=1', 303);
    });

    app.get('/dang-nhap/ma-xac-thuc', pageOpts, async (req, reply) => {
      if (!readCookie(req.headers.cookie, cookieName(req, pendingSignInCookie))) return reply.redirect('/dang-nhap', 303);
      return show(reply, otpPage(pageContext(req, reply), safeNext(formText(req.query, 'next'))));
    });
    app.post('/dang-nhap/ma-xac-thuc', pageOpts, async (req, reply) => {
      checkCsrf(req);
      const pending = readCookie(req.headers.cookie, cookieName(req, pendingSignInCookie)) ?? '';
      const next = safeNext(formText(req.body, 'next'));
      const r = await attempt(req, () => accounts.completeSignIn(pending, formText(req.body, 'otp')), { field: 'otp' });
      if (!r.ok) {
        // The pending sign-in is gone (too old, or used): start again from the password.
        if (r.rejected.error.code === 'not_signed_in' || r.rejected.error.code === 'invalid_credentials') return reply.redirect('/dang-nhap', 303);
        if (r.rejected.error.retryAfter) reply.header('retry-after', String(r.rejected.error.retryAfter));
        return show(reply, otpPage(pageContext(req, reply), next, { values: {}, errors: r.rejected.errors }), r.rejected.status);
      }
      setCookie(reply, pendingSignInCookie, '', { maxAge: 0 });
      setSessionCookie(reply, r.value.token, accounts.cookieMaxAge(r.value.user));
      return reply.redirect(next, 303);
    });

    app.post('/dang-xuat-moi-noi', pageOpts, async (req, reply) => {
      checkCsrf(req);
      if (req.user) await accounts.signOutEverywhere(req.user.id);
      clearSessionCookie(reply);
      return reply.redirect('/dang-nhap?da-dang-xuat=1', 303);
    });

    // The accounts admin page.
    const adminOnly = (req: FastifyRequest) => {
      if (!AccountsAdminService.mayAdminister(req.user)) fail('forbidden');
      return req.user!;
    };
    const backTo = (req: FastifyRequest) => {
      const q = formText(req.query, 'q').slice(0, 100);
      return `/quan-tri/tai-khoan?da-luu=1${q ? `&q=${encodeURIComponent(q)}` : ''}`;
    };
    app.get('/quan-tri/tai-khoan', pageOpts, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      const actor = adminOnly(req);
      const query = formText(req.query, 'q').slice(0, 100);
      const unitName = (id: string) => {
        const unit = services.catalog.unit(id);
        return unit ? localName(req.lang, unit) : id;
      };
      return show(reply, accountsAdminPage(pageContext(req, reply), {
        query, unitName, accounts: await accountsAdmin.list(actor, query),
        policies: AccountsAdminService.maySetPolicies(actor) ? await accountsAdmin.policies() : null,
        saved: formText(req.query, 'da-luu') === '1',
      }));
    });
    app.post('/quan-tri/tai-khoan/khoa', pageOpts, async (req, reply) => {
      checkCsrf(req);
      if (!req.user) return signInFirst(req, reply);
      const action = formText(req.body, 'action');
      if (action !== 'disable' && action !== 'enable') fail('bad_request');
      await accountsAdmin.setDisabled(adminOnly(req), { id: formText(req.body, 'userId') }, action === 'disable');
      return reply.redirect(backTo(req), 303);
    });
    app.post('/quan-tri/tai-khoan/thu-hoi', pageOpts, async (req, reply) => {
      checkCsrf(req);
      if (!req.user) return signInFirst(req, reply);
      const unitId = formText(req.body, 'unitId');
      await accountsAdmin.revoke(adminOnly(req), { id: formText(req.body, 'userId') }, formText(req.body, 'role'), unitId || null);
      return reply.redirect(backTo(req), 303);
    });
    app.post('/quan-tri/tai-khoan/dat-lai-hai-buoc', pageOpts, async (req, reply) => {
      checkCsrf(req);
      if (!req.user) return signInFirst(req, reply);
      await accountsAdmin.resetSecondFactor(adminOnly(req), { id: formText(req.body, 'userId') });
      return reply.redirect(backTo(req), 303);
    });
    app.post('/quan-tri/tai-khoan/chinh-sach', pageOpts, async (req, reply) => {
      checkCsrf(req);
      if (!req.user) return signInFirst(req, reply);
      const actor = adminOnly(req);
      if (!AccountsAdminService.maySetPolicies(actor)) fail('forbidden');
      const raw = (req.body as Record<string, unknown> | undefined)?.requireTotp;
      const ticked = new Set((Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string'));
      for (const p of await accountsAdmin.policies()) {
        if (p.requireTotp !== ticked.has(p.role)) await accountsAdmin.setRolePolicy(actor, p.role, ticked.has(p.role));
      }
      return reply.redirect(backTo(req), 303);
    });
  };
}
