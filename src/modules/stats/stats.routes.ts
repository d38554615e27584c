// The statistics API (api-v1.md): public figures with no personal data.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Day, StringEnum, errors } from '../../http/schemas.ts';
import { localName } from '../../i18n/index.ts';
import type { Services } from '../../services.ts';
import { reportBy, type ReportRow } from './stats.export.ts';
import type { Summary } from '../../domain/stats.ts';

const Count = Type.Integer({ minimum: 0 });
const Share = Type.Number({ minimum: 0, maximum: 1 });

const Received = Type.Object({
  online: Count, direct: Count, postal: Count,
  carriedOver: Type.Integer({ minimum: 0, description: 'Accepted before the period and not settled by its start (“Số kỳ trước chuyển qua”)' }),
  total: Type.Integer({ minimum: 0, description: 'Accepted in the period: online + direct + postal; carried-over dossiers excluded' }),
  grandTotal: Type.Integer({ minimum: 0, description: 'Dossiers to settle in the period: carriedOver + total (form II.06a’s “Tổng số”)' }),
});
const Settled = Type.Object({ early: Count, onTime: Count, late: Count, total: Count });
const Pending = Type.Object({
  withinDeadline: Type.Integer({ minimum: 0, description: 'Pending at the period’s end, not yet due, or paused (supplement, financial obligation) or stopped (suspended)' }),
  overdue: Count, total: Count,
});
const Satisfaction = Type.Object(
  {
    verySatisfied: Count, satisfied: Count, dissatisfied: Count, total: Count,
    satisfiedShare: Type.Number({ minimum: 0, maximum: 1, description: '(verySatisfied + satisfied) / total; 0 without ratings' }),
  },
  { description: 'Ratings given in the period on the national three-level scale (older five-level ratings mapped: 5 very satisfied, 3–4 satisfied, 1–2 dissatisfied)' },
);
const Payments = Type.Object(
  {
    paidTotal: Type.Integer({ minimum: 0, description: 'Dossiers whose first payment was settled in the period (any method)' }),
    paidOnline: Type.Integer({ minimum: 0, description: 'Dossiers whose first online payment (VNPay or VietQR) was settled in the period' }),
    onlineShare: Type.Number({ minimum: 0, maximum: 1, description: 'paidOnline / paidTotal; 0 when nothing was paid' }),
  },
  { description: 'Payments settled in the period, per dossier (docs/domain.md §5.3). Added in issue 12.' },
);
const Returned = Type.Object(
  { postal: Type.Integer({ minimum: 0, description: 'Results returned by post in the period: return_result by the postal actor (a delivered outbound shipment, or postal staff handing it over)' }) },
  { description: 'Results returned, by channel (docs/domain.md §5.2, §9). Added in issue 12.' },
);
const figures = { received: Received, settled: Settled, pending: Pending, onlineShare: Share, onTimeRate: Share, satisfaction: Satisfaction, payments: Payments, returned: Returned };

const TableRow = Type.Object({
  key: Type.String({ description: 'by=unit: the unit’s id; by=field: the field’s key' }),
  name: Type.String(), nameEn: Type.String(),
  own: Type.Boolean({ description: 'by=unit: the chosen unit’s own dossiers, apart from the units below it' }),
  ...figures,
});

const DeskRow = Type.Object({
  unitId: Type.String({ description: 'The receiving desk’s unit' }), name: Type.String(), nameEn: Type.String(),
  received: Type.Object({ online: Count, direct: Count, postal: Count, total: Count }),
});

export const SummaryView = Type.Object(
  {
    from: Type.String(), to: Type.String(),
    ...figures,
    rows: Type.Optional(Type.Array(TableRow, { description: 'With by=unit or by=field: the table’s rows, adding up to the figures above' })),
    desks: Type.Optional(Type.Array(DeskRow, { description: 'With by=desk: the dossiers received in the period per receiving desk (desks that received none left out)' })),
    desksTotal: Type.Optional(Type.Object({ online: Count, direct: Count, postal: Count, total: Count })),
  },
  { $id: 'StatsSummary' },
);

export function statsRoutes(services: Services): FastifyPluginAsync {
  const { stats, statsExport, catalog } = services;
  const names = (by: 'unit' | 'field', key: string) => {
    const named = by === 'field' ? catalog.fields().find((f) => f.key === key) : catalog.unit(key);
    return { name: named ? localName('vi', named) : key, nameEn: named ? localName('en', named) : key };
  };
  const row = (by: 'unit' | 'field', r: ReportRow) => ({ key: r.key, ...names(by, r.key), own: r.own, ...(r.figures as Summary) });
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/api/v1/stats/summary',
      {
        schema: {
          tags: ['statistics'],
          summary: 'The report table (form II.06a) for a period, a unit with its subtree, a level and a field',
          description: 'received: accepted in the period (online = online and national portal channels; carriedOver = accepted before and not settled by the period\'s start; total excludes carriedOver; '
            + 'grandTotal = carriedOver + total, the form\'s "Tổng số"). settled: resolved, or withdrawn after acceptance (always on time), in the period, against the original due time (an apology\'s new date does not count). '
            + 'pending: at the period\'s end; a dossier paused (supplement, financial obligation) or stopped (suspended) then is within the deadline. satisfaction: ratings given in the period on the three-level scale. '
            + 'onlineShare = received.online / received.total; onTimeRate = (early + onTime) / settled.total (0 when there is nothing to divide). '
            + 'by=unit or by=field adds `rows` (the units below the chosen one, or the fields); by=desk adds `desks`, the dossiers received per receiving desk, with unitId choosing the desks. Public, no personal data.',
          querystring: Type.Object({
            from: Day, to: Day,
            unitId: Type.Optional(Type.String({ maxLength: 100 })),
            level: Type.Optional(StringEnum(['province', 'district', 'commune'] as const)),
            field: Type.Optional(Type.String({ maxLength: 100 })),
            by: Type.Optional(StringEnum(reportBy, { description: 'Add the rows by unit, by field (lĩnh vực) or by receiving desk' })),
          }),
          response: { 200: SummaryView, ...errors(400) },
        },
      },
      async (req) => {
        const { by, ...query } = req.query;
        const summary = await stats.summary(query);
        if (!by) return summary;
        const table = await statsExport.report({ ...query, by });
        if (table.by === 'desk') {
          return { ...summary, desks: table.rows.map((r) => ({ unitId: r.key, ...names('unit', r.key), received: r.received })), desksTotal: table.total };
        }
        return { ...summary, rows: table.rows.map((r) => row(table.by as 'unit' | 'field', r)) };
      },
    );
  };
}
