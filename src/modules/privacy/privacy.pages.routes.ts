// The personal-data pages: the public notice, the download of one's data, and account deletion
// with its confirmation.
import type { FastifyPluginAsync } from 'fastify';
import { clearSessionCookie } from '../../http/auth.ts';
import { checkCsrf, pageContext } from '../../http/csrf.ts';
import { formText, signInFirst } from '../../http/page-kit.ts';
import { sendPage as show } from '../../http/reply.ts';
import { messages } from '../../i18n/index.ts';
import { staffRoles } from '../../domain/roles.ts';
import type { Services } from '../../services.ts';
import { deletedPage, deletePage, noticePage, noticePath } from './privacy.pages.ts';

const staff = new Set<string>(staffRoles);

export function privacyPageRoutes(services: Services): FastifyPluginAsync {
  const { privacy } = services;
  return async (app) => {
    const hide = { schema: { hide: true } };

    app.get(noticePath, hide, async (req, reply) => show(reply, noticePage(pageContext(req, reply))));

    app.get('/tai-khoan/du-lieu.json', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      const data = await privacy.exportData(req.user);
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="du-lieu-ca-nhan-${data.exportedAt.slice(0, 10)}.json"`)
        .type('application/json; charset=utf-8')
        .send(`${JSON.stringify(data, null, 2)}\n`);
    });

    app.get('/tai-khoan/xoa', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      return show(reply, deletePage(pageContext(req, reply), { staff: req.user.roles.some((r) => staff.has(r.role)) }));
    });
    app.post('/tai-khoan/xoa', hide, async (req, reply) => {
      checkCsrf(req);
      if (!req.user) return signInFirst(req, reply);
      if (formText(req.body, 'confirm') !== 'yes') {
        const error = messages(req.lang).fieldErrors.confirmDeletion;
        return show(reply, deletePage(pageContext(req, reply), { staff: false, error }), 400);
      }
      const result = await privacy.deleteAccount(req.user);
      clearSessionCookie(reply);
      req.user = null;
      req.sessionToken = null;
      return show(reply, deletedPage(pageContext(req, reply), result));
    });
  };
}
