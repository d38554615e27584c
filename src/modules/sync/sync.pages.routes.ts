// The national sync's administrator page: province administrators only (403 for every other
// role, sign-in first for visitors), and its one form, "send the waiting events now" (CSRF).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { checkCsrf, pageContext } from '../../http/csrf.ts';
import { formText, signInFirst } from '../../http/page-kit.ts';
import { sendPage } from '../../http/reply.ts';
import { fail } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { syncAdminPage, syncPagePath } from './sync.pages.ts';

function provinceAdminOnly(req: FastifyRequest): void {
  if (!req.user?.roles.some((r) => r.role === 'province_admin')) fail('forbidden');
}

export function syncPageRoutes(services: Services): FastifyPluginAsync {
  const { sync, clock } = services;
  return async (app) => {
    const hide = { schema: { hide: true } };
    app.get(syncPagePath, hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      provinceAdminOnly(req);
      return sendPage(reply, syncAdminPage(pageContext(req, reply), { status: await sync.status(), now: clock.now(), retried: formText(req.query, 'xong') === '1' }));
    });
    app.post(`${syncPagePath}/gui-lai`, hide, async (req, reply) => {
      checkCsrf(req);
      if (!req.user) return signInFirst(req, reply);
      provinceAdminOnly(req);
      const due = await sync.retryNow();
      req.log.info({ due, by: req.user.id }, 'national sync: waiting events made due now');
      return reply.redirect(`${syncPagePath}?xong=1`, 303);
    });
  };
}
