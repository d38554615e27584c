// The applicant's pages: start a dossier from a procedure, answer its form, attach documents,
// check the answers and submit, the confirmation and its documents, my dossiers, tracking.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { checkCsrf, csrfField, pageContext } from '../../http/csrf.ts';
import { AppError, invalid } from '../../errors.ts';
import { errorBody } from '../../http/errors.ts';
import { vietnamDay } from '../../domain/time.ts';
import { fieldErrorMessages } from '../../web/form-fields.ts';
import { localName, type Lang } from '../../i18n/index.ts';
import { consentTicked } from '../privacy/privacy.pages.ts';
import { answersPage, checkPage, documentsPage, donePage, myDossiersPage, startPage, trackingPage } from './dossiers.pages.ts';
import { requireUser } from '../../http/auth.ts';
import { signInFirst } from '../../http/page-kit.ts';
import { sendDocument, sendPage } from '../../http/reply.ts';
import type { Services } from '../../services.ts';
import { readAttachment } from './dossiers.routes.ts';
import { addressValues, postalAddressFields, shipmentsSection } from '../postal/postal.pages.ts';

export function dossiersPageRoutes(services: Services): FastifyPluginAsync {
  const { drafts, attachments, views, catalog, units } = services;
  return async (app) => {
    const hide = { schema: { hide: true } };
    const show = sendPage;
    const unitName = (lang: Lang, id: string) => {
      const u = catalog.unit(id);
      return u ? localName(lang, u) : id;
    };
    const demoProvinceArea = () => catalog.unit('tien-giang')?.code ?? '82';
    const areaNames = async () => new Map((await units.currentCommunes(demoProvinceArea())).map((a) => [a.code, a.name]));

    app.get<{ Params: { id: string } }>('/thu-tuc/:id/nop-ho-so', hide, async (req, reply) => {
      const p = await catalog.get(req.params.id);
      if (services.settings.mode === 'back_office') return reply.redirect(services.settings.nationalPortalUrl, 303);
      if (!req.user) return signInFirst(req, reply);
      return show(reply, startPage(pageContext(req, reply), p, p.unitIds.map((id) => ({ id, name: unitName(req.lang, id) }))));
    });
    app.post<{ Params: { id: string } }>('/thu-tuc/:id/nop-ho-so', hide, async (req, reply) => {
      checkCsrf(req);
      const user = requireUser(req);
      const p = await catalog.get(req.params.id);
      const unitId = String((req.body as Record<string, unknown>)?.unitId ?? '') || undefined;
      try {
        const d = await drafts.create(user, { procedureId: p.id, unitId }, req.lang);
        return reply.redirect(`/ho-so/${d.id}/khai`, 303);
      } catch (err) {
        if (!(err instanceof AppError) || !err.fields) throw err;
        const text = Object.values(errorBody(req.lang, err).error.fields ?? {})[0] ?? '';
        return show(reply, startPage(pageContext(req, reply), p, p.unitIds.map((id) => ({ id, name: unitName(req.lang, id) })), text), 400);
      }
    });

    async function answers(req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, state: { values: Record<string, unknown>; errors: Record<string, string>; saved?: boolean }, status = 200) {
      const user = requireUser(req);
      const d = await views.get(user, req.params.id);
      if (d.status !== 'draft') return reply.redirect(`/ho-so/${d.id}/da-nop`, 303);
      const [p, form, areas] = await Promise.all([catalog.get(d.procedureId), catalog.formDefinition(d.procedureId), units.currentCommunes(demoProvinceArea())]);
      const values = Object.keys(state.values).length ? state.values : { ...d.form, applicant: d.applicant, 'delivery.method': (d.delivery as { method?: string }).method, ...addressValues((d.delivery as { address?: unknown }).address) };
      const postalAddress = postalAddressFields(req.lang, services.postal.network, d.receivingUnitId ?? d.unitId, values, state.errors);
      return show(reply, answersPage(pageContext(req, reply), d, p, form, areas, vietnamDay(services.clock.now()), { ...state, values }, postalAddress), status);
    }

    app.get<{ Params: { id: string } }>('/ho-so/:id/khai', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      return answers(req, reply, { values: {}, errors: {} });
    });
    app.post<{ Params: { id: string } }>('/ho-so/:id/khai', hide, async (req, reply) => {
      checkCsrf(req);
      const posted = { ...(req.body as Record<string, unknown>) };
      delete posted[csrfField];
      const problems = await drafts.saveAnswers(requireUser(req), req.params.id, posted);
      // "Show its communes": the answers are kept and the page comes back with the province's communes.
      if (posted.show === 'communes') return answers(req, reply, { values: posted, errors: {} });
      if (Object.keys(problems).length) return answers(req, reply, { values: posted, errors: fieldErrorMessages(req.lang, problems) }, 400);
      return reply.redirect(`/ho-so/${req.params.id}/dinh-kem`, 303);
    });

    async function documents(req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, error?: { document: string; text: string }, status = 200) {
      const d = await views.get(requireUser(req), req.params.id);
      const p = await catalog.get(d.procedureId);
      return show(reply, documentsPage(pageContext(req, reply), d, p, Math.round(attachments.limits.maxFileBytes / 1024 / 1024), error), status);
    }
    app.get<{ Params: { id: string } }>('/ho-so/:id/dinh-kem', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      return documents(req, reply);
    });
    app.post<{ Params: { id: string } }>('/ho-so/:id/dinh-kem', hide, async (req, reply) => {
      const user = requireUser(req);
      let documentKey: string | undefined;
      try {
        const upload = await readAttachment(attachments, req, user, req.params.id, { csrf: true });
        documentKey = upload.documentKey;
        if (!upload.stored) throw invalid({ file: { key: 'chooseFile' } });
        await attachments.recordUpload(user, req.params.id, documentKey, upload.stored);
        return reply.redirect(`/ho-so/${req.params.id}/dinh-kem#file-${documentKey}`, 303);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500 || err.code === 'csrf' || err.status === 404) throw err;
        const body = errorBody(req.lang, err).error;
        const text = Object.values(body.fields ?? {})[0] ?? body.message;
        return documents(req, reply, { document: documentKey ?? '', text }, err.status);
      }
    });

    app.get<{ Params: { id: string } }>('/ho-so/:id/kiem-tra', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      const d = await views.get(req.user, req.params.id);
      const [p, form, names] = await Promise.all([catalog.get(d.procedureId), catalog.formDefinition(d.procedureId), areaNames()]);
      return show(reply, checkPage(pageContext(req, reply), d, p, form, (c) => names.get(c) ?? c));
    });
    app.post<{ Params: { id: string } }>('/ho-so/:id/nop', hide, async (req, reply) => {
      checkCsrf(req);
      const user = requireUser(req);
      try {
        await services.privacy.submitDossier(user, req.params.id, req.lang, { consent: { consent: consentTicked(req.body) }, channel: 'page', required: true });
        return reply.redirect(`/ho-so/${req.params.id}/da-nop`, 303);
      } catch (err) {
        if (!(err instanceof AppError) || !err.fields) throw err;
        const d = await views.get(user, req.params.id);
        const [p, form, names] = await Promise.all([catalog.get(d.procedureId), catalog.formDefinition(d.procedureId), areaNames()]);
        return show(reply, checkPage(pageContext(req, reply), d, p, form, (c) => names.get(c) ?? c, errorBody(req.lang, err).error.fields, consentTicked(req.body)), 400);
      }
    });

    app.get<{ Params: { id: string } }>('/ho-so/:id/da-nop', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      const d = await views.get(req.user, req.params.id);
      if (!d.code) return reply.redirect(`/ho-so/${d.id}/khai`, 303);
      return show(reply, donePage(pageContext(req, reply), d, shipmentsSection(req.lang, await services.postal.forDossier(req.user, d.id))));
    });

    app.get<{ Params: { id: string } }>('/ho-so/:id/giay-xac-nhan.pdf', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      return sendDocument(reply, 'application/pdf', await views.acknowledgement(req.user, req.params.id, req.lang), 'giay-xac-nhan-da-nhan-ho-so.pdf');
    });

    app.get<{ Params: { id: string } }>('/ho-so/:id/giay-tiep-nhan.pdf', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      return sendDocument(reply, 'application/pdf', await views.receipt(req.user, req.params.id, req.lang), 'giay-tiep-nhan.pdf');
    });

    app.get('/ho-so', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      const { items } = await views.listMine(req.user, 100, 0);
      const name = (id: string) => {
        const p = catalog.find(id);
        return p ? localName(req.lang, p) : id;
      };
      return show(reply, myDossiersPage(pageContext(req, reply), items, name));
    });

    const trackingHandler = async (req: FastifyRequest, reply: FastifyReply, code: string) => {
      const key = String((req.query as Record<string, unknown>).key ?? '').slice(0, 40);
      if (!code) return show(reply, trackingPage(pageContext(req, reply), { code: '', key }, null, false));
      try {
        const view = await views.track(code.trim(), key, req.lang);
        return show(reply, trackingPage(pageContext(req, reply), { code, key }, view, false));
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 404) throw err;
        return show(reply, trackingPage(pageContext(req, reply), { code, key }, null, true), 404);
      }
    };
    app.get('/tra-cuu', hide, async (req, reply) => trackingHandler(req, reply, String((req.query as Record<string, unknown>).code ?? '').slice(0, 80)));
    app.get<{ Params: { code: string } }>('/tra-cuu/:code', hide, async (req, reply) => trackingHandler(req, reply, req.params.code.slice(0, 80)));
  };
}
