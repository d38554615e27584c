// Pages of the public postal service: postal staff's shipments (/can-bo/buu-chinh, recording a
// tracking number or a status, the handover to the desk), and the unit administrator's procedures
// not offered by post (/can-bo/buu-chinh/loai-tru). Permissions are checked by the service.
import type { FastifyPluginAsync } from 'fastify';
import { checkCsrf, pageContext } from '../../http/csrf.ts';
import { attempt, formText, signInFirst } from '../../http/page-kit.ts';
import { sendPage } from '../../http/reply.ts';
import { fail } from '../../errors.ts';
import { localName, type Lang } from '../../i18n/index.ts';
import type { SessionUser } from '../accounts/accounts.service.ts';
import type { Services } from '../../services.ts';
import { exclusionsPage, staffPage } from './postal.pages.ts';

export function postalPageRoutes(services: Services): FastifyPluginAsync {
  const { postal, catalog } = services;
  return async (app) => {
    const hide = { schema: { hide: true } };

    app.get('/can-bo/buu-chinh', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      const items = await postal.forStaff(req.user);
      return sendPage(reply, staffPage(pageContext(req, reply), postal.officesOf(req.user), items, { done: (req.query as Record<string, unknown>).xong !== undefined }));
    });
    app.post<{ Params: { id: string } }>('/can-bo/buu-chinh/:id', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      checkCsrf(req);
      const user = req.user;
      const values = { trackingNumber: formText(req.body, 'trackingNumber').trim(), status: formText(req.body, 'status') };
      const r = await attempt(req, () => postal.recordByStaff(user, req.params.id, { trackingNumber: values.trackingNumber || undefined, status: values.status || undefined }), { field: 'trackingNumber' });
      if (r.ok) return reply.redirect('/can-bo/buu-chinh?xong', 303);
      const items = await postal.forStaff(user);
      return sendPage(reply, staffPage(pageContext(req, reply), postal.officesOf(user), items, { failed: { id: req.params.id, errors: r.rejected.errors, values } }), r.rejected.status);
    });

    const units = (req: { user: SessionUser }, lang: Lang) =>
      catalog.allUnits().filter((u) => postal.mayEditExclusions(req.user, u.id)).map((u) => ({ value: u.id, text: localName(lang, u) }));
    const procedures = (unitId: string, lang: Lang) =>
      catalog.search({ unitId, limit: 1000, offset: 0 }).items.map((p) => ({ id: p.id, name: localName(lang, p) }));

    app.get('/can-bo/buu-chinh/loai-tru', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      const mine = units({ user: req.user }, req.lang);
      if (!mine.length) fail('forbidden');
      const asked = String((req.query as Record<string, unknown>).unitId ?? '').slice(0, 100);
      const unitId = asked || mine[0]!.value;
      const excluded = await postal.exclusions(req.user, unitId);
      return sendPage(reply, exclusionsPage(pageContext(req, reply), mine, unitId, procedures(unitId, req.lang), excluded, { saved: (req.query as Record<string, unknown>).xong !== undefined }));
    });
    app.post('/can-bo/buu-chinh/loai-tru', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      checkCsrf(req);
      const unitId = String((req.query as Record<string, unknown>).unitId ?? '').slice(0, 100);
      const raw = (req.body as Record<string, unknown> | undefined)?.procedureIds;
      const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((x): x is string => typeof x === 'string');
      await postal.setExclusions(req.user, unitId, ids);
      return reply.redirect(`/can-bo/buu-chinh/loai-tru?unitId=${encodeURIComponent(unitId)}&xong`, 303);
    });
  };
}
