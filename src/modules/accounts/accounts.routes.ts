// The accounts API: register, confirm with a one-time code, sign in and out, reset a password.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireUser } from '../../http/auth.ts';
import { errors } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';

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

export function accountsRoutes(services: Services): FastifyPluginAsync {
  const { accounts } = services;
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['accounts'];

    app.post(
      '/api/v1/auth/register',
      {
        schema: {
          tags, summary: 'Register a citizen account; a one-time code goes to the email or phone',
          description: 'Send `consent: true` (or `consentVersion`, from GET /api/v1/privacy/notice) once the person agreed to the privacy notice: it is recorded. docs/privacy.md says why it is not required here.',
          body: Type.Object({
            username: Username, password: Password, name: Type.String({ maxLength: 200 }),
            consent: Type.Optional(Type.Boolean()), consentVersion: Type.Optional(Type.String({ maxLength: 20 })),
          }),
          response: { 201: Type.Object({ id: Type.String(), username: Type.String(), sentTo: Type.String() }), ...errors(400, 409, 429) },
        },
      },
      async (req, reply) => {
        const { consent, consentVersion, ...input } = req.body;
        const version = services.privacy.consentAsked({ consent, consentVersion });
        const created = await accounts.register({ ...input, lang: req.lang, ip: req.ip });
        if (version) await services.privacy.recordConsent(created.id, { purpose: 'registration', channel: 'api', version });
        return reply.code(201).send(created);
      },
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
          description: 'Wrong credentials answer 401 whether or not the user exists. After repeated failures, 429 with Retry-After. An account with two-step verification on must send `otp` (the 6-digit code from its authenticator app): without it, 401 `otp_required`; a wrong or reused code, 400 with `fields.otp`.',
          body: Type.Object({ username: Type.String({ maxLength: 254 }), password: Password, otp: Type.Optional(Type.String({ maxLength: 12 })) }),
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
          response: { 202: Type.Object({ sent: Type.Boolean() }), ...errors(400, 429) },
        },
      },
      async (req, reply) => {
        await accounts.requestReset({ username: req.body.username, lang: req.lang, ip: req.ip });
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
        await accounts.resetPassword({ ...req.body, lang: req.lang });
        return { reset: true };
      },
    );
  };
}
