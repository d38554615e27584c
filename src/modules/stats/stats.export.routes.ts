// Exports of the statistics (api-v1.md): the report table as XLSX and CSV (public, figures only),
// the dossiers behind a column (staff over those units: personal data), and the open dataset.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireUser } from '../../http/auth.ts';
import { Day, StringEnum, errors } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';
import type { Lang } from '../../i18n/index.ts';
import { listColumns, openDataCsv, reportBy } from './stats.export.ts';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const csvType = 'text/csv; charset=utf-8';

const ReportQuery = Type.Object({
  from: Day, to: Day,
  unitId: Type.Optional(Type.String({ maxLength: 100, description: 'A unit: the table has a row per unit directly below it, each with its subtree. Without it, the whole province.' })),
  level: Type.Optional(StringEnum(['province', 'district', 'commune'] as const, { description: 'The level of the procedures counted' })),
  field: Type.Optional(Type.String({ maxLength: 100, description: 'The field (lĩnh vực) of the procedures counted' })),
  lang: Type.Optional(StringEnum(['vi', 'en'] as const, { description: 'The language of the file (default: Vietnamese, or Accept-Language)' })),
});

const TableQuery = Type.Object({
  ...ReportQuery.properties,
  by: Type.Optional(StringEnum(reportBy, {
    description: 'The rows: `unit` (default) the units below the chosen one; `field` a row per field (lĩnh vực) of the catalogue, in the layout of form II.06a; '
      + '`desk` the dossiers received in the period per receiving desk (unitId then chooses the desks).',
  })),
});

const ListQuery = Type.Object({
  ...ReportQuery.properties,
  column: StringEnum(listColumns, { description: 'The column of the report table whose dossiers to list' }),
});

const file = (type: string, description: string) => ({ description, content: { [type]: { schema: { type: 'string', format: 'binary' } } } });

const Count = Type.Integer({ minimum: 0 });

const OpenDataRowView = Type.Object(
  {
    year: Type.Integer(), month: Type.Integer({ minimum: 1, maximum: 12 }),
    unitId: Type.String({ description: 'The unit’s stable id (GET /api/v1/units)' }),
    unitCode: Type.String({ description: 'The unit’s administrative code' }),
    unitName: Type.String(), unitNameEn: Type.String(),
    parentUnitId: Type.Union([Type.String(), Type.Null()]),
    level: StringEnum(['province', 'district', 'commune'] as const, { description: 'The unit’s administrative level (a department counts as provincial)' }),
    receivedOnline: Count, receivedDirect: Count, receivedPostal: Count,
    carriedOver: Type.Integer({ minimum: 0, description: 'Accepted before the month and not settled by its start' }),
    receivedTotal: Type.Integer({ minimum: 0, description: 'Accepted in the month (online + direct + postal; carried-over dossiers excluded)' }),
    settledEarly: Count, settledOnTime: Count, settledLate: Count, settledTotal: Count,
    pendingWithinDeadline: Count,
    pendingOverdue: Type.Integer({ minimum: 0, description: 'Pending at the month’s end, with a due day on or before it' }),
    pendingTotal: Count,
    // Added in issue 11: last, so that the dataset's columns keep their positions.
    receivedGrandTotal: Type.Integer({ minimum: 0, description: 'Dossiers to settle in the month: carried over + received in the month (form II.06a’s “Tổng số”); added in issue 11, after the earlier columns' }),
  },
  { $id: 'OpenDataReportRow', description: 'A unit’s own dossiers (not those of the units below it) in one month' },
);

const OpenDataView = Type.Object(
  {
    year: Type.Integer(),
    asOf: Type.String({ description: 'The Vietnam day the figures were read (the current year changes until it ends)' }),
    months: Type.Integer({ description: 'How many months the dataset holds: 12, or up to the current month' }),
    rows: Type.Array(OpenDataRowView),
  },
  { $id: 'OpenDataReport' },
);

/** A file to download. The names are ASCII already; RFC 6266 `filename*` still says UTF-8. */
function download(reply: FastifyReply, type: string, bytes: Buffer, filename: string): FastifyReply {
  return reply.type(type).header('content-disposition', `attachment; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(filename)}`).send(bytes);
}

export function statsExportRoutes(services: Services): FastifyPluginAsync {
  const exports = services.statsExport;
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const tableDescription = 'by=unit (default): the rows are the units directly below the chosen unit (for the whole province: its departments and district-level units), each counting its subtree, '
      + 'with a row for the chosen unit’s own dossiers when it has any, and the total (equal to GET /api/v1/stats/summary). Columns: received online, at the counter or by post, carried over, '
      + 'total newly received (carried over excluded), grand total (carried over + newly received); settled early, on time, late, total; pending within and over the deadline, total. '
      + 'by=field: form II.06a’s own layout, a row per field (lĩnh vực) and the total; columns in the form’s order: dossiers to settle (total = carried over + newly received; newly received online; '
      + 'at the counter or by post; carried over), settled (total, early, on time, late), pending (total, within the deadline, overdue). by=desk: the dossiers received in the period per receiving desk '
      + '(online, at the counter, by post, total), whichever unit is competent for them. Public: figures only, no personal data.';

    for (const ext of ['xlsx', 'csv'] as const) {
      app.get(
        `/api/v1/stats/report.${ext}`,
        {
          schema: {
            tags: ['statistics'],
            summary: ext === 'xlsx' ? 'The report table (form II.06a) as a formatted workbook, headers in Vietnamese' : 'The report table (form II.06a) as CSV (UTF-8 with BOM)',
            description: tableDescription,
            querystring: TableQuery,
            response: { 200: file(ext === 'xlsx' ? xlsxType : csvType, 'The report table'), ...errors(400) },
          },
        },
        async (req, reply) => {
          const { lang: asked, ...query } = req.query;
          const lang: Lang = asked ?? req.lang;
          const table = await exports.report(query);
          const bytes = ext === 'xlsx' ? await exports.reportXlsx(table, lang) : exports.reportCsv(table, lang);
          return download(reply, ext === 'xlsx' ? xlsxType : csvType, bytes, exports.fileName(lang, 'report', table, ext));
        },
      );

      app.get(
        `/api/v1/stats/dossiers.${ext}`,
        {
          schema: {
            tags: ['statistics'],
            summary: `The dossiers behind a column of the report table, as ${ext === 'xlsx' ? 'a workbook' : 'CSV'} (staff only: personal data)`,
            description: 'Each dossier that the column counts for the period, unit, level and field, by the same rule (its length equals the figure): code, procedure, unit, channel, applicant, '
              + 'accepted at, due at, settled at, status; times in Vietnam time. For staff who read dossiers, over the units they cover: 401 without a session, 403 for citizens, outreach, '
              + 'or a unit outside the caller’s scope. Without unitId, the caller’s whole scope.',
            querystring: ListQuery,
            response: { 200: file(ext === 'xlsx' ? xlsxType : csvType, 'The dossier list'), ...errors(400, 401, 403) },
          },
        },
        async (req, reply) => {
          const { lang: asked, ...query } = req.query;
          const lang: Lang = asked ?? req.lang;
          const user = requireUser(req);
          const list = await exports.dossierList(user, query);
          // An export with personal data is recorded: who, which list, how many rows (never the rows).
          await services.audit.recordStaffAccess(user, services.clock.now(), {
            kind: 'personal_data_export', subject: `export:dossiers.${ext}`, data: { column: list.column, from: list.from, to: list.to, unitId: list.unitId ?? null, level: list.level ?? null, field: list.field ?? null, rows: list.items.length },
          });
          const bytes = ext === 'xlsx' ? await exports.listXlsx(list, lang) : exports.listCsv(list, lang);
          reply.header('cache-control', 'private, no-store');
          return download(reply, ext === 'xlsx' ? xlsxType : csvType, bytes, exports.fileName(lang, 'list', list, ext));
        },
      );
    }

    const openDescription = 'A stable dataset for the smart city and anyone else: for a year (default: the current one), one row per unit and month with the figures of the report table (form II.06a) '
      + 'for that unit’s own dossiers, so rows add up without counting twice: received (online, direct, postal, carried over, total, grand total), settled (early, on time, late, total), pending at the month’s end '
      + '(within, over the deadline, total). Flows (received, settled) add up over months; stocks (carried over, grand total, pending) do not: the year’s carried over is January’s, its pending is the last month’s. '
      + 'Units with no received dossier by the year’s end are left out. Counts only: no names, no dossier codes, no personal data. Cached for an hour; open to any origin.';
    const YearQuery = Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 9999, description: 'Default: the current year' })) });

    app.get(
      '/api/v1/open-data/report.json',
      {
        schema: {
          tags: ['open data'],
          summary: 'Open data: the report table (form II.06a) by unit and month for a year, as JSON',
          description: openDescription,
          querystring: YearQuery,
          response: { 200: OpenDataView, ...errors(400) },
        },
      },
      async (req, reply) => {
        const data = await exports.openData(req.query.year);
        reply.header('cache-control', 'public, max-age=3600').header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin');
        return data;
      },
    );

    app.get(
      '/api/v1/open-data/report.csv',
      {
        schema: {
          tags: ['open data'],
          summary: 'Open data: the report table (form II.06a) by unit and month for a year, as CSV',
          description: `${openDescription} CSV: UTF-8 with BOM, comma-separated, a header row with the JSON field names.`,
          querystring: YearQuery,
          response: { 200: file(csvType, 'The dataset'), ...errors(400) },
        },
      },
      async (req, reply) => {
        const data = await exports.openData(req.query.year);
        reply.header('cache-control', 'public, max-age=3600').header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin');
        return download(reply, csvType, openDataCsv(data), `motcua-open-data-ii06a-${data.year}.csv`);
      },
    );
  };
}
