// Liveness and readiness: 200 once the database answers.
import { sql } from 'kysely';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../../services.ts';
import { fail } from '../../errors.ts';

export function healthRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/healthz',
      { schema: { tags: ['health'], summary: 'Whether the server and its database answer', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
      async () => {
        try {
          await sql`select 1`.execute(services.handle.db);
        } catch {
          fail('unavailable');
        }
        return { status: 'ok' as const };
      },
    );
  };
}
