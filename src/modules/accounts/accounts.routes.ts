// The accounts API: register, confirm with a one-time code, sign in and out, reset a password.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clearSessionCookie, readCookie, requireUser, setSessionCookie } from '../../http/auth.ts';
import { checkCsrf, pageContext } from '../../http/csrf.ts';
import { AppError, fail } from '../../errors.ts';
import { errorBody } from '../../http/errors.ts';
import { sendPage } from '../../http/reply.ts';
import { errors } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';
import { format, localName, messages } from '../../i18n/index.ts';
import { callbackPath, decodePending, encodePending, OidcError, pendingCookie } from './accounts.oidc.ts';
import { accountPage, confirmPage, forgotPage, registerPage, resetPage, signInPage, type FormState } from './accounts.pages.ts';

const Username = Type.String({ maxLength: 254, description: 'An email address or a Vietnamese mobile number' });
const Password = Type.String({ maxLength: 200 });

export const UserView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  username: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  roles: Type.Array(Type.Object({ role: Type.String(), unitId: Type.Union([Type.String(), Type.Null()]) })),
});

const toView = (u: { id: string; name: string; username: string; email: string | null; phone: string | null; roles: Array<{ role: string; unitId: string | null }> }) => ({
  id: u.id, name: u.name, username: u.username, email: u.email, phone: u.phone, roles: u.roles.map((r) => ({ role: r.role, unitId: r.unitId })),
});

/** Only local paths: a sign-in link must not send people to another site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/tai-khoan';
}

/** A service error as form errors: field problems as they are, other errors on `field`. */
function formErrors(req: FastifyRequest, err: unknown, field: string): Record<string, string> {
  if (!(err instanceof AppError) || err.status >= 500 || err.code === 'csrf') throw err;
  const body = errorBody(req.lang, err).error;
  return body.fields ?? { [field]: body.message };
}

const str = (body: unknown, key: string): string => {
  const v = (body as Record<string, unknown> | undefined)?.[key];
  return typeof v === 'string' ? v : '';
};

export function accountsRoutes(services: Services): FastifyPluginAsync {
  const { accounts, oidc } = services;
  const provider = oidc?.name;
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['accounts'];

    app.post(
      '/api/v1/auth/register',
      {
        schema: {
          tags, summary: 'Register a citizen account; a one-time code goes to the email or phone',
          body: Type.Object({ username: Username, password: Password, name: Type.String({ maxLength: 200 }) }),
          response: { 201: Type.Object({ id: Type.String(), username: Type.String(), sentTo: Type.String() }), ...errors(400, 409) },
        },
      },
      async (req, reply) => reply.code(201).send(await accounts.register({ ...req.body, lang: req.lang })),
    );

    app.post(
      '/api/v1/auth/confirm',
      {
        schema: {
          tags, summary: 'Confirm the email or phone with the one-time code',
          body: Type.Object({ username: Username, code: Type.String({ maxLength: 12 }) }),
          response: { 200: Type.Object({ confirmed: Type.Boolean() }), ...errors(400) },
        },
      },
      async (req) => {
        await accounts.confirm(req.body);
        return { confirmed: true };
      },
    );

    app.post(
      '/api/v1/auth/login',
      {
        schema: {
          tags, summary: 'Sign in; the token goes in `Authorization: Bearer <token>`',
          description: 'Wrong credentials answer 401 whether or not the user exists. After repeated failures, 429 with Retry-After.',
          body: Type.Object({ username: Type.String({ maxLength: 254 }), password: Password }),
          response: { 200: Type.Object({ token: Type.String(), user: UserView }), ...errors(400, 401, 403, 429) },
        },
      },
      async (req) => {
        const { token, user } = await accounts.signIn({ ...req.body, ip: req.ip, kind: 'bearer' });
        return { token, user: toView(user) };
      },
    );

    app.post(
      '/api/v1/auth/logout',
      { schema: { tags, summary: 'End this session', response: { 204: Type.Null(), ...errors(401) } } },
      async (req, reply) => {
        requireUser(req);
        await accounts.signOut(req.sessionToken!);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/v1/me',
      { schema: { tags, summary: 'The signed-in account', response: { 200: UserView, ...errors(401) } } },
      async (req) => toView(requireUser(req)),
    );

    app.post(
      '/api/v1/auth/password-reset',
      {
        schema: {
          tags, summary: 'Send a password-reset code (the answer is the same whether or not the account exists)',
          body: Type.Object({ username: Username }),
          response: { 202: Type.Object({ sent: Type.Boolean() }), ...errors(400) },
        },
      },
      async (req, reply) => {
        await accounts.requestReset({ username: req.body.username, lang: req.lang });
        return reply.code(202).send({ sent: true });
      },
    );

    app.post(
      '/api/v1/auth/password-reset/confirm',
      {
        schema: {
          tags, summary: 'Set a new password with the reset code; every session of the account ends',
          body: Type.Object({ username: Username, code: Type.String({ maxLength: 12 }), password: Password }),
          response: { 200: Type.Object({ reset: Type.Boolean() }), ...errors(400) },
        },
      },
      async (req) => {
        await accounts.resetPassword(req.body);
        return { reset: true };
      },
    );

    // Pages
    const pageOpts = { schema: { hide: true } };
    const show = sendPage;
    const secure = (req: FastifyRequest) => req.protocol === 'https';

    app.get('/dang-ky', pageOpts, async (req, reply) => show(reply, registerPage(pageContext(req, reply))));
    app.post('/dang-ky', pageOpts, async (req, reply) => {
      checkCsrf(req);
      const values = { name: str(req.body, 'name'), username: str(req.body, 'username') };
      try {
        const r = await accounts.register({ ...values, password: str(req.body, 'password'), lang: req.lang });
        return reply.redirect(`/xac-nhan?tai-khoan=${encodeURIComponent(r.username)}`, 303);
      } catch (err) {
        const state: FormState = { values, errors: formErrors(req, err, 'username') };
        return show(reply, registerPage(pageContext(req, reply), state), 400);
      }
    });

    app.get('/xac-nhan', pageOpts, async (req, reply) =>
      show(reply, confirmPage(pageContext(req, reply), str(req.query, 'tai-khoan').slice(0, 254))));
    app.post('/xac-nhan', pageOpts, async (req, reply) => {
      checkCsrf(req);
      const username = str(req.body, 'username');
      const code = str(req.body, 'code');
      try {
        await accounts.confirm({ username, code });
        return reply.redirect(`/dang-nhap?da-xac-nhan=1`, 303);
      } catch (err) {
        return show(reply, confirmPage(pageContext(req, reply), username, { values: { code }, errors: formErrors(req, err, 'code') }), 400);
      }
    });

    app.get('/dang-nhap', pageOpts, async (req, reply) => {
      const m = messages(req.lang).account;
      const q = req.query as Record<string, unknown>;
      const notice = q['da-xac-nhan'] ? m.confirmed : q['doi-mat-khau'] ? m.resetDone : q['da-dang-xuat'] ? m.signedOut : undefined;
      return show(reply, signInPage(pageContext(req, reply), { next: safeNext(q.next), notice, provider }));
    });
    app.post('/dang-nhap', pageOpts, async (req, reply) => {
      checkCsrf(req);
      const username = str(req.body, 'username');
      const next = safeNext(str(req.body, 'next'));
      try {
        const { token } = await accounts.signIn({ username, password: str(req.body, 'password'), ip: req.ip, kind: 'cookie' });
        setSessionCookie(reply, token, secure(req));
        return reply.redirect(next, 303);
      } catch (err) {
        if (err instanceof AppError && err.retryAfter) reply.header('retry-after', String(err.retryAfter));
        const unconfirmed = err instanceof AppError && err.code === 'account_not_verified' ? username : undefined;
        const state: FormState = { values: { username }, errors: formErrors(req, err, 'username') };
        return show(reply, signInPage(pageContext(req, reply), { next, state, unconfirmed, provider }), err instanceof AppError ? err.status : 400);
      }
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
        reply.header('set-cookie', `${pendingCookie}=${encodePending(pending)}; Path=/dang-nhap/oidc; Max-Age=600; HttpOnly; SameSite=Lax${secure(req) ? '; Secure' : ''}`);
        return reply.redirect(url, 303);
      } catch (err) {
        if (!(err instanceof OidcError)) throw err;
        req.log.warn({ err: err.cause ?? err }, 'identity provider unavailable');
        return providerProblem(req, reply, next, 'providerUnavailable', 503);
      }
    });
    app.get(callbackPath, pageOpts, async (req, reply) => {
      if (!oidc) fail('not_found');
      const pending = decodePending(readCookie(req.headers.cookie, pendingCookie));
      reply.header('set-cookie', `${pendingCookie}=; Path=/dang-nhap/oidc; Max-Age=0; HttpOnly; SameSite=Lax`);
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
      if (!pending) return providerProblem(req, reply, '/tai-khoan', 'providerFailed', 400);
      try {
        const identity = await oidc.finish(query, pending);
        const { token } = await accounts.signInWithIdentity(identity, 'cookie');
        setSessionCookie(reply, token, secure(req));
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
      return show(reply, accountPage(pageContext(req, reply), req.user, unitName));
    });

    app.get('/quen-mat-khau', pageOpts, async (req, reply) => show(reply, forgotPage(pageContext(req, reply))));
    app.post('/quen-mat-khau', pageOpts, async (req, reply) => {
      checkCsrf(req);
      const username = str(req.body, 'username');
      try {
        await accounts.requestReset({ username, lang: req.lang });
        return reply.redirect(`/dat-lai-mat-khau?tai-khoan=${encodeURIComponent(username.trim())}`, 303);
      } catch (err) {
        return show(reply, forgotPage(pageContext(req, reply), { values: { username }, errors: formErrors(req, err, 'username') }), 400);
      }
    });

    app.get('/dat-lai-mat-khau', pageOpts, async (req, reply) =>
      show(reply, resetPage(pageContext(req, reply), str(req.query, 'tai-khoan').slice(0, 254))));
    app.post('/dat-lai-mat-khau', pageOpts, async (req, reply) => {
      checkCsrf(req);
      const username = str(req.body, 'username');
      const code = str(req.body, 'code');
      try {
        await accounts.resetPassword({ username, code, password: str(req.body, 'password') });
        return reply.redirect('/dang-nhap?doi-mat-khau=1', 303);
      } catch (err) {
        return show(reply, resetPage(pageContext(req, reply), username, { values: { code }, errors: formErrors(req, err, 'code') }), 400);
      }
    });
  };
}
