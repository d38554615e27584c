// The catalogue's API: procedures and fields (its portal pages are in catalog.pages.routes.ts).
import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { adminLevels, audiences, onlineClasses } from '../../domain/catalog.ts';
import { sendJsonBytes } from '../../http/reply.ts';
import { Limit, Offset, Page, StringEnum, errors } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';
import { maxQueryLength, type SearchParams } from './catalog.service.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const ProcedureSummary = Type.Object(
  {
    id: Type.String(),
    code: Type.String(),
    name: Type.String(),
    nameEn: Type.String(),
    field: Type.String({ description: 'Field key (lĩnh vực)' }),
    fieldName: Type.String(),
    fieldNameEn: Type.String(),
    level: StringEnum(adminLevels),
    onlineClass: StringEnum(onlineClasses),
    onlineLevel: Type.Integer({ minimum: 2, maximum: 4 }),
    audience: StringEnum(audiences),
    processingDays: Type.Number({ description: 'Days, in the unit of processingDayKind; 0 means within the day' }),
    processingDayKind: StringEnum(['working', 'calendar'], { description: 'working days (the default) or calendar days' }),
    feeVnd: Type.Union([Type.Integer(), Type.Null()], { description: 'null when the provincial council sets the fee' }),
    unitScope: Type.String(),
    unitIds: Type.Array(Type.String()),
  },
  { $id: 'ProcedureSummary' },
);

const ProcedureDetail = Type.Object({
    ...ProcedureSummary.properties,
    documents: Type.Array(
      Type.Object({
        key: Type.String(), name: Type.String(), required: Type.Boolean(), original: Type.Boolean(), copies: Type.Integer(),
        templateUrl: Nullable(Type.String()),
      }),
    ),
    form: Type.Object({
      version: Type.Integer(),
      legalForm: Nullable(Type.String()),
      sections: Type.Array(Type.Object({ key: Type.String(), title: Type.String(), titleEn: Type.String() })),
      fields: Type.Array(
        Type.Object(
          { key: Type.String(), label: Type.String(), labelEn: Type.String(), type: Type.String(), required: Type.Boolean(), section: Type.String() },
          { additionalProperties: true },
        ),
      ),
    }),
    fees: Type.Array(
      Type.Object({
        kind: Type.String(), amountVnd: Type.Union([Type.Integer(), Type.Null()]), collect: Type.String(), note: Nullable(Type.String()),
      }),
    ),
    legalBasis: Type.Array(Type.String()),
    result: Type.String(),
    processingNote: Nullable(Type.String()),
    postal: Type.Object({ submit: Type.Boolean(), return: Type.Boolean() }),
    uncertain: Type.Boolean(),
    version: Type.Object({ number: Type.Integer(), publishedAt: Type.String() }),
});

export const ProceduresQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: maxQueryLength, description: 'Words to search for; tone marks optional, small typos tolerated' })),
  field: Type.Optional(Type.String({ maxLength: 100, description: 'Field key (see /api/v1/fields) or its name' })),
  level: Type.Optional(StringEnum(adminLevels)),
  unitId: Type.Optional(Type.String({ maxLength: 100 })),
  onlineClass: Type.Optional(StringEnum(onlineClasses)),
  onlineLevel: Type.Optional(Type.Integer({ enum: [2, 3, 4] })),
  audience: Type.Optional(StringEnum(['citizen', 'business'] as const)),
  limit: Limit,
  offset: Offset,
});
type ProceduresQuery = Static<typeof ProceduresQuery>;

export function catalogRoutes(services: Services): FastifyPluginAsync {
  const { catalog } = services;
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/api/v1/procedures',
      {
        schema: {
          tags: ['catalogue'],
          summary: 'Search and filter the procedure catalogue',
          description: 'With `q`, items are ranked by relevance; the search ignores tone marks, treats đ as d and tolerates small typos.',
          querystring: ProceduresQuery,
          response: { 200: Page(ProcedureSummary), ...errors(400) },
        },
      },
      async (req, reply) => sendJsonBytes(reply, catalog.searchJson(req.query as ProceduresQuery & SearchParams)),
    );

    app.get(
      '/api/v1/procedures/:id',
      {
        schema: {
          tags: ['catalogue'],
          summary: 'One procedure, as currently published',
          params: Type.Object({ id: Type.String({ maxLength: 200 }) }),
          response: { 200: ProcedureDetail, ...errors(404) },
        },
      },
      async (req) => catalog.get(req.params.id),
    );

    app.get(
      '/api/v1/fields',
      {
        schema: {
          tags: ['catalogue'],
          summary: 'Fields (lĩnh vực) of the catalogue, with their procedure counts',
          response: { 200: Page(Type.Object({ key: Type.String(), name: Type.String(), nameEn: Type.String(), count: Type.Integer() })) },
        },
      },
      async () => {
        const items = catalog.fields();
        return { total: items.length, items };
      },
    );
  };
}
