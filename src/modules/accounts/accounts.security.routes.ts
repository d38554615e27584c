// The API for staff security: sign out everywhere, and set up the second factor (TOTP).
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireUser } from '../../http/auth.ts';
import { errors } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';

export function accountsSecurityRoutes(services: Services): FastifyPluginAsync {
  const { accounts } = services;
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['accounts'];

    app.post(
      '/api/v1/auth/logout-all',
      { schema: { tags, summary: 'End every session of the signed-in account (sign out everywhere)', response: { 204: Type.Null(), ...errors(401, 403) } } },
      async (req, reply) => {
        await accounts.signOutEverywhere(requireUser(req).id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/v1/me/totp',
      {
        schema: {
          tags, summary: 'Start setting up two-step verification: the secret (base32) and its otpauth:// URI',
          description: 'The same secret comes back until it is confirmed. 409 when two-step verification is on already.',
          response: { 200: Type.Object({ secret: Type.String(), uri: Type.String() }), ...errors(401, 403, 409) },
        },
      },
      async (req) => accounts.secondFactor.beginSetup(requireUser(req).id),
    );

    app.post(
      '/api/v1/me/totp/confirm',
      {
        schema: {
          tags, summary: 'Turn two-step verification on with a first code from the authenticator app',
          body: Type.Object({ otp: Type.String({ maxLength: 12 }) }),
          response: { 204: Type.Null(), ...errors(400, 401, 403, 429) },
        },
      },
      async (req, reply) => {
        await accounts.secondFactor.confirmSetup(requireUser(req).id, req.body.otp);
        return reply.code(204).send(null);
      },
    );
  };
}
