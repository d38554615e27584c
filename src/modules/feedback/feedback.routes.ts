// Satisfaction and feedback: the API (the pages are in feedback.pages.routes.ts).
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireUser } from '../../http/auth.ts';
import { IdParams, Limit, Offset, StringEnum, errors } from '../../http/schemas.ts';
import { satisfactionLevels } from '../../domain/stats.ts';
import type { Services } from '../../services.ts';
import { localName, type Lang } from '../../i18n/index.ts';

const Nullable = (t: ReturnType<typeof Type.String>) => Type.Union([t, Type.Null()]);
const PublishedItem = Type.Object({
  id: Type.String(), unitId: Type.String(), unitName: Type.String(), subject: Type.String(), body: Type.String(),
  createdAt: Type.String(), answer: Nullable(Type.String()), answeredAt: Nullable(Type.String()),
});

export function feedbackRoutes(services: Services): FastifyPluginAsync {
  const { feedback, catalog } = services;
  const unitName = (lang: Lang, id: string) => {
    const u = catalog.unit(id);
    return u ? localName(lang, u) : id;
  };

  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['feedback'];

    app.post(
      '/api/v1/dossiers/:id/rating',
      {
        schema: {
          tags,
          summary: 'The applicant rates the service once the result was returned, on the national three-level scale',
          description: '`satisfaction`: very_satisfied (rất hài lòng), satisfied (hài lòng) or dissatisfied (không hài lòng). The older five-level `score` is still accepted instead '
            + '(5 → very_satisfied, 3–4 → satisfied, 1–2 → dissatisfied); sent together, they must agree (400 otherwise). The answer\'s `score` is null when none was sent. '
            + '409 before the result was returned, or when the dossier was rated already.',
          params: IdParams,
          body: Type.Object({
            satisfaction: Type.Optional(StringEnum(satisfactionLevels, { description: 'The national three-level scale; required unless `score` is sent' })),
            score: Type.Optional(Type.Integer({ minimum: 1, maximum: 5, description: 'Deprecated: the older five-level score, mapped to `satisfaction`' })),
            comment: Type.Optional(Type.String({ maxLength: 1000 })),
          }),
          response: {
            201: Type.Object({
              dossierId: Type.String(),
              satisfaction: StringEnum(satisfactionLevels),
              score: Type.Union([Type.Integer({ minimum: 1, maximum: 5 }), Type.Null()]),
              comment: Nullable(Type.String()),
            }),
            ...errors(400, 401, 403, 404, 409),
          },
        },
      },
      async (req, reply) => reply.code(201).send(await feedback.rate(requireUser(req), req.params.id, req.body)),
    );

    app.post(
      '/api/v1/feedback',
      {
        schema: {
          tags, summary: 'Feedback (phản ánh, kiến nghị) to a unit, from anyone',
          body: Type.Object({
            unitId: Type.String({ maxLength: 100 }), procedureId: Type.Optional(Type.String({ maxLength: 200 })), dossierCode: Type.Optional(Type.String({ maxLength: 40 })),
            name: Type.String({ maxLength: 100 }), contact: Type.String({ maxLength: 254, description: 'An email address or a Vietnamese mobile number, for the answer; never published' }),
            subject: Type.String({ maxLength: 200 }), body: Type.String({ maxLength: 4000 }),
          }),
          response: { 201: Type.Object({ id: Type.String() }), ...errors(400) },
        },
      },
      async (req, reply) => reply.code(201).send(await feedback.submit(req.body)),
    );

    app.get(
      '/api/v1/feedback',
      {
        schema: {
          tags, summary: 'Answered feedback the units published (no names or contacts)',
          querystring: Type.Object({ limit: Limit, offset: Offset }),
          response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(PublishedItem) }) },
        },
      },
      async (req) => {
        const { total, rows } = await feedback.published(req.query.limit, req.query.offset, req.lang);
        return {
          total,
          items: rows.map((r) => ({ id: r.id, unitId: r.unit_id, unitName: unitName(req.lang, r.unit_id), subject: r.subject, body: r.body, createdAt: r.created_at, answer: r.answer, answeredAt: r.answered_at })),
        };
      },
    );

    app.get(
      '/api/v1/office/feedback',
      {
        schema: {
          tags, summary: 'Feedback to the units the caller answers for (reception, unit and province administrators), unanswered first',
          querystring: Type.Object({ limit: Limit, offset: Offset }),
          response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(Type.Object({}, { additionalProperties: true })) }), ...errors(401, 403) },
        },
      },
      async (req) => {
        const { total, rows } = await feedback.queue(requireUser(req), req.query.limit, req.query.offset);
        return { total, items: rows };
      },
    );

    app.post(
      '/api/v1/office/feedback/:id/answer',
      {
        schema: {
          tags, summary: 'Answer feedback; the sender hears of it; `publish` shows it on the public page',
          params: IdParams, body: Type.Object({ answer: Type.String({ maxLength: 4000 }), publish: Type.Optional(Type.Boolean()) }),
          response: { 200: Type.Object({}, { additionalProperties: true }), ...errors(400, 401, 403, 404) },
        },
      },
      async (req) => feedback.answer(requireUser(req), req.params.id, req.body, req.lang),
    );
  };
}
