// The catalogue's portal pages: home, search results, a procedure, a document template as PDF.
import type { FastifyPluginAsync } from 'fastify';
import { adminLevels, onlineClasses } from '../../domain/catalog.ts';
import { fail } from '../../errors.ts';
import { pageContext } from '../../http/csrf.ts';
import { attempt } from '../../http/page-kit.ts';
import { sendPage } from '../../http/reply.ts';
import type { Services } from '../../services.ts';
import type { SearchParams } from './catalog.service.ts';
import { homePage, procedurePage, resultsPage } from './catalog.pages.ts';
import { templatePdf } from './catalog.templates.ts';

const pageSize = 20;

/** Page query strings come from people: read leniently, then checked by the same service rules. */
function pageParams(query: Record<string, unknown>): SearchParams {
  const str = (k: string) => (typeof query[k] === 'string' && query[k] !== '' ? (query[k] as string) : undefined);
  const page = Math.min(Math.max(Number.parseInt(str('trang') ?? '1', 10) || 1, 1), 10_000);
  const onlineLevel = Number(str('onlineLevel'));
  return {
    q: str('q'),
    field: str('field'),
    level: adminLevels.find((l) => l === str('level')),
    unitId: str('unitId'),
    onlineClass: onlineClasses.find((c) => c === str('onlineClass')),
    onlineLevel: [2, 3, 4].includes(onlineLevel) ? onlineLevel : undefined,
    audience: ['citizen', 'business'].find((a) => a === str('audience')),
    limit: pageSize,
    offset: (page - 1) * pageSize,
  };
}

export function catalogPageRoutes(services: Services): FastifyPluginAsync {
  const { catalog } = services;
  return async (app) => {
    // Their query strings are read leniently; schema errors would show people JSON terms.
    const pageSchema = { schema: { hide: true } };

    app.get('/', pageSchema, async (req, reply) => sendPage(reply, homePage(pageContext(req, reply), catalog)));

    app.get('/thu-tuc', pageSchema, async (req, reply) => {
      const params = pageParams(req.query as Record<string, unknown>);
      const found = await attempt(req, async () => catalog.search(params));
      if (!found.ok) return sendPage(reply, resultsPage(pageContext(req, reply), catalog, params, { total: 0, items: [] }, found.rejected.error), 400);
      return sendPage(reply, resultsPage(pageContext(req, reply), catalog, params, found.value));
    });

    app.get<{ Params: { id: string } }>('/thu-tuc/:id', pageSchema, async (req, reply) => {
      const detail = await catalog.get(req.params.id);
      // Each named unit's desk hours (reception hours apart from working hours) and same-day cut-off.
      const desks = new Map(await Promise.all((detail.unitScope === 'explicit' ? detail.unitIds : []).map(async (id) => {
        const [{ hours }, { reception, sameDayCutoff }] = await Promise.all([services.calendar.workingHoursOf(id), services.calendar.deadlineSettingsOf(id)]);
        return [id, { hours, reception, sameDayCutoff }] as const;
      })));
      return sendPage(reply, procedurePage(pageContext(req, reply), catalog, detail, services.settings.mode === 'back_office' ? services.settings.nationalPortalUrl : null, desks));
    });

    app.get<{ Params: { id: string; doc: string } }>('/thu-tuc/:id/mau/:doc', pageSchema, async (req, reply) => {
      const detail = await catalog.get(req.params.id);
      const key = req.params.doc.replace(/\.pdf$/, '');
      const doc = detail.documents.find((d) => d.key === key && d.templateUrl);
      if (!doc) fail('not_found');
      const pdf = await templatePdf(req.lang, detail, doc, await catalog.formDefinition(detail.id));
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${detail.id}-${doc.key}.pdf"`)
        .send(pdf);
    });
  };
}
