// GET /api/v1/units: the organisation tree, optionally as it stood on a day.
import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { unitKinds } from '../../domain/units.ts';
import { Day, Limit, Offset, Page, StringEnum, errors } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';

export const UnitItem = Type.Object({
  id: Type.String(),
  code: Type.String({ description: 'GSO code for territorial units; an abbreviation for departments' }),
  identifier: Type.Union([Type.String(), Type.Null()], {
    description: 'Electronic agency identifier (mã định danh, Decision 20/2020/QĐ-TTg), NNN.NN.NN.XNN: the prefix of its dossier codes. Null: none yet, so the unit cannot issue dossier codes',
  }),
  name: Type.String(),
  nameEn: Type.String(),
  kind: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
  validFrom: Type.Union([Type.String(), Type.Null()], { description: 'First day the unit exists; null when it predates the records' }),
  validTo: Type.Union([Type.String(), Type.Null()], { description: 'Last day the unit exists; null while it exists' }),
  successorIds: Type.Array(Type.String()),
});

export const UnitsQuery = Type.Object({
  kind: Type.Optional(StringEnum(unitKinds)),
  parentId: Type.Optional(Type.String({ maxLength: 100 })),
  at: Type.Optional({ ...Day, description: 'Only units that existed on this day; all versions when absent' }),
  limit: Limit,
  offset: Offset,
});
export type UnitsQuery = Static<typeof UnitsQuery>;

export function unitsRoutes(services: Services): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/api/v1/units',
      {
        schema: {
          tags: ['organisation'],
          summary: 'Units of the organisation (time-versioned)',
          querystring: UnitsQuery,
          response: { 200: Page(UnitItem), ...errors(400) },
        },
      },
      async (req) => services.units.list(req.query),
    );
  };
}
