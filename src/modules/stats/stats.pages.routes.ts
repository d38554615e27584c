// The public statistics dashboard's page (/thong-ke). Its query string comes from people: read
// leniently, checked by the same rules as the API (StatsService.summary), and a refused value
// comes back in its field with a 400 and an error summary.
import type { FastifyPluginAsync } from 'fastify';
import { vietnamDay } from '../../domain/time.ts';
import { pageContext } from '../../http/csrf.ts';
import { attempt } from '../../http/page-kit.ts';
import { sendPage } from '../../http/reply.ts';
import type { Services } from '../../services.ts';
import { dashboardPage, type DashboardValues } from './stats.pages.ts';

/** The default period: the last twelve months, this one included, up to today (Vietnam time). */
export function defaultPeriod(now: Date): { from: string; to: string } {
  const to = vietnamDay(now);
  const y = Number(to.slice(0, 4));
  const m = Number(to.slice(5, 7)) - 11;
  return { from: new Date(Date.UTC(y, m - 1, 1)).toISOString().slice(0, 10), to };
}

export function statsPageRoutes(services: Pick<Services, 'dashboard' | 'catalog' | 'clock'>): FastifyPluginAsync {
  const { dashboard, catalog, clock } = services;
  return async (app) => {
    app.get('/thong-ke', { schema: { hide: true } }, async (req, reply) => {
      const query = req.query as Record<string, unknown>;
      const str = (k: string) => (typeof query[k] === 'string' ? (query[k] as string).trim().slice(0, 200) : '');
      const period = defaultPeriod(clock.now());
      const values: DashboardValues = { from: str('from') || period.from, to: str('to') || period.to, unitId: str('unitId'), level: str('level'), field: str('field') };
      const ctx = pageContext(req, reply);
      const r = await attempt(req, () => dashboard.build(values));
      if (!r.ok) return sendPage(reply, dashboardPage(ctx, catalog, values, null, r.rejected.error), 400);
      return sendPage(reply, dashboardPage(ctx, catalog, values, r.value));
    });
  };
}
