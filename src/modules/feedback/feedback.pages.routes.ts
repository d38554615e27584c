// Satisfaction and feedback pages: rating a dossier, sending and reading feedback, answering it.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { checkCsrf, pageContext } from '../../http/csrf.ts';
import { fail } from '../../errors.ts';
import { attempt, formText, formTexts, signInFirst } from '../../http/page-kit.ts';
import { sendPage } from '../../http/reply.ts';
import type { Services } from '../../services.ts';
import { isSatisfaction, satisfactionOfScore } from '../../domain/stats.ts';
import { localName, type Lang } from '../../i18n/index.ts';
import { feedbackFormPage, feedbackSentPage, officeFeedbackPage, publishedPage, ratingPage } from './feedback.pages.ts';

export function feedbackPageRoutes(services: Services): FastifyPluginAsync {
  const { feedback, catalog } = services;
  const unitName = (lang: Lang, id: string) => {
    const u = catalog.unit(id);
    return u ? localName(lang, u) : id;
  };
  /** The units feedback can go to, in the tree's order. */
  const unitOptions = (lang: Lang) => catalog.allUnits().map((u) => ({ value: u.id, label: localName(lang, u) }));

  return async (app) => {
    const hide = { schema: { hide: true } };

    app.get<{ Params: { id: string } }>('/ho-so/:id/danh-gia', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      const { row, rating } = await feedback.ratingOf(req.user, req.params.id);
      if (row.owner_id !== req.user.id) fail('dossier_not_found');
      const procedure = catalog.find(row.procedure_id);
      const d = { id: row.id, code: row.code, procedureName: procedure ? localName(req.lang, procedure) : row.procedure_id };
      const done = (req.query as Record<string, unknown>).xong !== undefined;
      const rated = rating ? (isSatisfaction(rating.satisfaction) ? rating.satisfaction : satisfactionOfScore(rating.score)) : null;
      return sendPage(reply, ratingPage(pageContext(req, reply), d, { rated, done }));
    });
    app.post<{ Params: { id: string } }>('/ho-so/:id/danh-gia', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      checkCsrf(req);
      const user = req.user;
      const values = formTexts(req.body, ['satisfaction', 'comment']);
      const r = await attempt(req, () => feedback.rate(user, req.params.id, values), { field: 'satisfaction' });
      if (r.ok) return reply.redirect(`/ho-so/${req.params.id}/danh-gia?xong`, 303);
      const { row } = await feedback.ratingOf(user, req.params.id);
      const procedure = catalog.find(row.procedure_id);
      const d = { id: row.id, code: row.code, procedureName: procedure ? localName(req.lang, procedure) : row.procedure_id };
      return sendPage(reply, ratingPage(pageContext(req, reply), d, { state: { values, errors: r.rejected.errors } }), r.rejected.status);
    });

    app.get('/phan-anh', hide, async (req, reply) => {
      const { rows } = await feedback.published(50, 0, req.lang);
      return sendPage(reply, publishedPage(pageContext(req, reply), rows, (id) => unitName(req.lang, id)));
    });
    app.get('/phan-anh/gui', hide, async (req, reply) => sendPage(reply, feedbackFormPage(pageContext(req, reply), unitOptions(req.lang))));
    app.post('/phan-anh/gui', hide, async (req, reply) => {
      checkCsrf(req);
      const values = formTexts(req.body, ['unitId', 'dossierCode', 'subject', 'body', 'name', 'contact']);
      const r = await attempt(req, () => feedback.submit(values), { field: 'subject' });
      if (!r.ok) return sendPage(reply, feedbackFormPage(pageContext(req, reply), unitOptions(req.lang), { values, errors: r.rejected.errors }), 400);
      return reply.redirect('/phan-anh/da-gui', 303);
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
      const user = req.user;
      const values = { answer: formText(req.body, 'answer'), publish: formText(req.body, 'publish') === 'yes' };
      const r = await attempt(req, () => feedback.answer(user, req.params.id, { answer: values.answer, publish: values.publish }, req.lang), { field: 'answer' });
      if (!r.ok) return showQueue(req, reply, { failed: { id: req.params.id, state: { values, errors: r.rejected.errors } } }, 400);
      return reply.redirect('/can-bo/phan-anh?xong', 303);
    });
  };
}
