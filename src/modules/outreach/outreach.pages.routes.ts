// Campaign plan pages: the list and a plan are public; adding and editing plans, carrying out
// activities (with evidence uploads, CSRF checked before a byte is stored) and the report are for
// the outreach role (sign in first when signed out, 403 for other roles).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { checkCsrf, pageContext } from '../../http/csrf.ts';
import { readUpload } from '../../http/multipart.ts';
import { attempt, formTexts, signInFirst } from '../../http/page-kit.ts';
import { sendPage } from '../../http/reply.ts';
import { fail } from '../../errors.ts';
import { localName, messages } from '../../i18n/index.ts';
import type { Services } from '../../services.ts';
import { formErrors, formValues, inputOfForm, planFormPage, valuesOfPlan } from './outreach.form.pages.ts';
import { activityPage, emptyState, planPage, plansPage, plansPath, reportPage, type State } from './outreach.pages.ts';
import { isOutreach } from './outreach.service.ts';

type Params = { id: string };
type ActivityParams = { id: string; aid: string };
const activityKeys = ['title', 'channelId', 'plannedFrom', 'plannedTo', 'status', 'actualFrom', 'actualTo', 'actualSpending', 'note'] as const;

export function outreachPageRoutes(services: Services): FastifyPluginAsync {
  const { outreach, catalog } = services;
  return async (app) => {
    const hide = { schema: { hide: true } };
    /** Signed in with the outreach role; otherwise the sign-in page (false) or 403. */
    const writer = (req: FastifyRequest, reply: FastifyReply): boolean => {
      if (!req.user) {
        signInFirst(req, reply);
        return false;
      }
      if (!isOutreach(req.user)) fail('forbidden');
      return true;
    };
    const units = (req: FastifyRequest) => catalog.allUnits().map((u) => ({ value: u.id, text: localName(req.lang, u) }));
    const flag = (req: FastifyRequest) => (req.query as Record<string, unknown>).xong;
    const showPlan = async (req: FastifyRequest<{ Params: Params }>, reply: FastifyReply, activityState?: State, status = 200) => {
      const plan = await outreach.get(req.params.id, req.lang);
      const m = messages(req.lang).outreach;
      const saved = flag(req) === 'ke-hoach' ? m.saved : flag(req) === 'hoat-dong' ? m.activity.added : undefined;
      return sendPage(reply, planPage(pageContext(req, reply), plan, { canWrite: isOutreach(req.user), saved, activityState }), status);
    };

    app.get(plansPath, hide, async (req, reply) => {
      const { items } = await outreach.list(100, 0);
      return sendPage(reply, plansPage(pageContext(req, reply), items, isOutreach(req.user)));
    });

    app.get(`${plansPath}/moi`, hide, async (req, reply) => {
      if (!writer(req, reply)) return reply;
      return sendPage(reply, planFormPage(pageContext(req, reply), { state: emptyState, units: units(req) }));
    });
    app.post(`${plansPath}/moi`, hide, async (req, reply) => {
      checkCsrf(req);
      if (!writer(req, reply)) return reply;
      const values = formValues(req.body);
      const r = await attempt(req, () => outreach.create(req.user, inputOfForm(values), req.lang), { field: 'number' });
      if (r.ok) return reply.redirect(`${plansPath}/${r.value.id}?xong=ke-hoach`, 303);
      return sendPage(reply, planFormPage(pageContext(req, reply), { state: { values, errors: formErrors(r.rejected.errors) }, units: units(req) }), r.rejected.status);
    });

    app.get<{ Params: Params }>(`${plansPath}/:id`, hide, async (req, reply) => showPlan(req, reply));

    app.get<{ Params: Params }>(`${plansPath}/:id/sua`, hide, async (req, reply) => {
      if (!writer(req, reply)) return reply;
      const plan = await outreach.get(req.params.id, req.lang);
      return sendPage(reply, planFormPage(pageContext(req, reply), { plan, state: { values: valuesOfPlan(plan), errors: {} }, units: units(req) }));
    });
    app.post<{ Params: Params }>(`${plansPath}/:id/sua`, hide, async (req, reply) => {
      checkCsrf(req);
      if (!writer(req, reply)) return reply;
      const plan = await outreach.get(req.params.id, req.lang);
      const values = formValues(req.body);
      const r = await attempt(req, () => outreach.update(req.user, plan.id, inputOfForm(values), req.lang), { field: 'number' });
      if (r.ok) return reply.redirect(`${plansPath}/${plan.id}?xong=ke-hoach`, 303);
      return sendPage(reply, planFormPage(pageContext(req, reply), { plan, state: { values, errors: formErrors(r.rejected.errors) }, units: units(req) }), r.rejected.status);
    });

    app.post<{ Params: Params }>(`${plansPath}/:id/hoat-dong`, hide, async (req, reply) => {
      checkCsrf(req);
      if (!writer(req, reply)) return reply;
      const values = formTexts(req.body, activityKeys);
      const r = await attempt(req, () => outreach.addActivity(req.user, req.params.id, { title: values.title, channelId: values.channelId, plannedFrom: values.plannedFrom, plannedTo: values.plannedTo }, req.lang), { field: 'title' });
      if (r.ok) return reply.redirect(`${plansPath}/${req.params.id}?xong=hoat-dong`, 303);
      return showPlan(req, reply, { values, errors: r.rejected.errors }, r.rejected.status);
    });

    const showActivity = async (req: FastifyRequest<{ Params: ActivityParams }>, reply: FastifyReply, state: State, status = 200, saved?: string) => {
      const plan = await outreach.get(req.params.id, req.lang);
      if (!plan.activities.some((a) => a.id === req.params.aid)) fail('not_found');
      return sendPage(reply, activityPage(pageContext(req, reply), plan, req.params.aid, state, saved), status);
    };
    app.get<{ Params: ActivityParams }>(`${plansPath}/:id/hoat-dong/:aid`, hide, async (req, reply) => {
      if (!writer(req, reply)) return reply;
      const m = messages(req.lang).outreach.activity;
      return showActivity(req, reply, emptyState, 200, flag(req) === 'cap-nhat' ? m.updated : flag(req) === 'minh-chung' ? m.uploaded : undefined);
    });
    app.post<{ Params: ActivityParams }>(`${plansPath}/:id/hoat-dong/:aid`, hide, async (req, reply) => {
      checkCsrf(req);
      if (!writer(req, reply)) return reply;
      const values = formTexts(req.body, activityKeys);
      const r = await attempt(req, () => outreach.updateActivity(req.user, req.params.id, req.params.aid, values, req.lang), { field: 'status' });
      if (r.ok) return reply.redirect(`${plansPath}/${req.params.id}/hoat-dong/${req.params.aid}?xong=cap-nhat`, 303);
      return showActivity(req, reply, { values, errors: r.rejected.errors }, r.rejected.status);
    });
    app.post<{ Params: ActivityParams }>(`${plansPath}/:id/hoat-dong/:aid/minh-chung`, hide, async (req, reply) => {
      if (!writer(req, reply)) return reply;
      const user = req.user!;
      const r = await attempt(req, async () => {
        const { stored } = await readUpload(req, {
          maxBytes: outreach.maxFileBytes, csrf: true,
          receive: (f) => outreach.receiveEvidence(user, req.params.id, req.params.aid, f),
          discard: (s) => outreach.discardEvidence(s),
        });
        if (!stored) fail('validation', { fields: { file: { key: 'chooseFile' } } });
        return outreach.recordEvidence(user, req.params.id, req.params.aid, stored);
      }, { field: 'file' });
      if (r.ok) return reply.redirect(`${plansPath}/${req.params.id}/hoat-dong/${req.params.aid}?xong=minh-chung`, 303);
      return showActivity(req, reply, { values: {}, errors: r.rejected.errors }, r.rejected.status);
    });

    app.get<{ Params: Params }>(`${plansPath}/:id/bao-cao`, hide, async (req, reply) => {
      if (!writer(req, reply)) return reply;
      return sendPage(reply, reportPage(pageContext(req, reply), await outreach.report(req.user, req.params.id, req.lang)));
    });
  };
}
