// The statistics API (api-v1.md): public figures with no personal data.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Day, StringEnum, errors } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';

const Count = Type.Integer({ minimum: 0 });

export const SummaryView = Type.Object(
  {
    from: Type.String(), to: Type.String(),
    received: Type.Object({ online: Count, direct: Count, postal: Count, carriedOver: Count, total: Count }),
    settled: Type.Object({ early: Count, onTime: Count, late: Count, total: Count }),
    pending: Type.Object({ withinDeadline: Count, overdue: Count, total: Count }),
    onlineShare: Type.Number({ minimum: 0, maximum: 1 }),
    onTimeRate: Type.Number({ minimum: 0, maximum: 1 }),
  },
  { $id: 'StatsSummary' },
);

export function statsRoutes(services: Services): FastifyPluginAsync {
  const { stats } = services;
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/api/v1/stats/summary',
      {
        schema: {
          tags: ['statistics'],
          summary: 'The report table (form II.06a) for a period, a unit with its subtree, a level and a field',
          description: 'received: accepted in the period (online = online and national portal channels; carriedOver = accepted before and not settled by the period\'s start; total excludes carriedOver). '
            + 'settled: resolved or withdrawn after acceptance in the period, against the original due time (an apology\'s new date does not count). pending: at the period\'s end. '
            + 'onlineShare = received.online / received.total; onTimeRate = (early + onTime) / settled.total (0 when there is nothing to divide). Public, no personal data.',
          querystring: Type.Object({
            from: Day, to: Day,
            unitId: Type.Optional(Type.String({ maxLength: 100 })),
            level: Type.Optional(StringEnum(['province', 'district', 'commune'] as const)),
            field: Type.Optional(Type.String({ maxLength: 100 })),
          }),
          response: { 200: SummaryView, ...errors(400) },
        },
      },
      async (req) => stats.summary(req.query),
    );
  };
}
