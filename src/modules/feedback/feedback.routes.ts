// Satisfaction and feedback: the API and the pages.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireUser } from '../../http/auth.ts';
import { checkCsrf, pageContext } from '../../http/csrf.ts';
import { AppError, fail } from '../../errors.ts';
import { errorBody } from '../../http/errors.ts';
import { sendPage } from '../../http/reply.ts';
import { Limit, Offset, errors } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';
import { localName, type Lang } from '../../i18n/index.ts';
import { IdParams } from '../dossiers/dossiers.routes.ts';
import { feedbackFormPage, feedbackSentPage, officeFeedbackPage, publishedPage, ratingPage } from './feedback.pages.ts';

const Nullable = (t: ReturnType<typeof Type.String>) => Type.Union([t, Type.Null()]);
const PublishedItem = Type.Object({
  id: Type.String(), unitId: Type.String(), unitName: Type.String(), subject: Type.String(), body: Type.String(),
  createdAt: Type.String(), answer: Nullable(Type.String()), answeredAt: Nullable(Type.String()),
});

/** A service error as form errors: field problems by field, anything else on `field`. */
function formErrors(req: FastifyRequest, err: unknown, field: string): Record<string, string> {
  if (!(err instanceof AppError) || err.status >= 500 || err.status === 404 || err.code === 'csrf') throw err;
  const body = errorBody(req.lang, err).error;
  return body.fields ?? { [field]: body.message };
}

export function feedbackRoutes(services: Services): FastifyPluginAsync {
  const { feedback, catalog } = services;
  const unitName = (lang: Lang, id: string) => {
    const u = catalog.unit(id);
    return u ? localName(lang, u) : id;
  };
  /** The units feedback can go to, in the tree's order. */
  const unitOptions = (lang: Lang) => catalog.allUnits().map((u) => ({ value: u.id, label: localName(lang, u) }));
  const signInFirst = (req: FastifyRequest, reply: FastifyReply) => reply.redirect(`/dang-nhap?next=${encodeURIComponent(req.url)}`, 303);
  const body = (req: FastifyRequest) => (req.body ?? {}) as Record<string, unknown>;

  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['feedback'];

    app.post(
      '/api/v1/dossiers/:id/rating',
      {
        schema: {
          tags, summary: 'The applicant rates the service once the result was returned: 5 rất hài lòng … 1 rất không hài lòng',
          params: IdParams,
          body: Type.Object({ score: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: 1000 })) }),
          response: { 201: Type.Object({ dossierId: Type.String(), score: Type.Integer(), comment: Nullable(Type.String()) }), ...errors(400, 401, 403, 404, 409) },
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
        const { total, rows } = await feedback.published(req.query.limit, req.query.offset);
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

    // Pages
    const hide = { schema: { hide: true } };

    app.get<{ Params: { id: string } }>('/ho-so/:id/danh-gia', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      const { row, rating } = await feedback.ratingOf(req.user, req.params.id);
      if (row.owner_id !== req.user.id) fail('dossier_not_found');
      const procedure = catalog.find(row.procedure_id);
      const d = { id: row.id, code: row.code, procedureName: procedure ? localName(req.lang, procedure) : row.procedure_id };
      const done = (req.query as Record<string, unknown>).xong !== undefined;
      return sendPage(reply, ratingPage(pageContext(req, reply), d, { rated: rating?.score ?? null, done }));
    });
    app.post<{ Params: { id: string } }>('/ho-so/:id/danh-gia', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      checkCsrf(req);
      const values = { score: body(req).score, comment: body(req).comment };
      try {
        await feedback.rate(req.user, req.params.id, values);
        return reply.redirect(`/ho-so/${req.params.id}/danh-gia?xong`, 303);
      } catch (err) {
        const errors = formErrors(req, err, 'score');
        const { row } = await feedback.ratingOf(req.user, req.params.id);
        const procedure = catalog.find(row.procedure_id);
        const d = { id: row.id, code: row.code, procedureName: procedure ? localName(req.lang, procedure) : row.procedure_id };
        return sendPage(reply, ratingPage(pageContext(req, reply), d, { state: { values, errors } }), err instanceof AppError ? err.status : 400);
      }
    });

    app.get('/phan-anh', hide, async (req, reply) => {
      const { rows } = await feedback.published(50, 0);
      return sendPage(reply, publishedPage(pageContext(req, reply), rows, (id) => unitName(req.lang, id)));
    });
    app.get('/phan-anh/gui', hide, async (req, reply) => sendPage(reply, feedbackFormPage(pageContext(req, reply), unitOptions(req.lang))));
    app.post('/phan-anh/gui', hide, async (req, reply) => {
      checkCsrf(req);
      const values = Object.fromEntries(['unitId', 'dossierCode', 'subject', 'body', 'name', 'contact'].map((k) => [k, typeof body(req)[k] === 'string' ? body(req)[k] : '']));
      try {
        await feedback.submit(values);
        return reply.redirect('/phan-anh/da-gui', 303);
      } catch (err) {
        return sendPage(reply, feedbackFormPage(pageContext(req, reply), unitOptions(req.lang), { values, errors: formErrors(req, err, 'subject') }), 400);
      }
    });
    app.get('/phan-anh/da-gui', hide, async (req, reply) => sendPage(reply, feedbackSentPage(pageContext(req, reply))));

    const showQueue = async (req: FastifyRequest, reply: FastifyReply, opts: Parameters<typeof officeFeedbackPage>[3] = {}, status = 200) => {
      const { rows } = await feedback.queue(req.user!, 100, 0);
      return sendPage(reply, officeFeedbackPage(pageContext(req, reply), rows, (id) => unitName(req.lang, id), opts), status);
    };
    app.get('/can-bo/phan-anh', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      return showQueue(req, reply, { done: (req.query as Record<string, unknown>).xong !== undefined });
    });
    app.post<{ Params: { id: string } }>('/can-bo/phan-anh/:id/tra-loi', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      checkCsrf(req);
      const values = { answer: typeof body(req).answer === 'string' ? body(req).answer : '', publish: body(req).publish === 'yes' };
      try {
        await feedback.answer(req.user, req.params.id, { answer: values.answer, publish: values.publish }, req.lang);
        return reply.redirect('/can-bo/phan-anh?xong', 303);
      } catch (err) {
        return showQueue(req, reply, { failed: { id: req.params.id, state: { values, errors: formErrors(req, err, 'answer') } } }, 400);
      }
    });
  };
}
