// Campaign plans, the API (api-v1.md "Outreach"): reading a plan, its PDF and its budget workbook is
// public (a plan is a public document); writing plans and activities, evidence files and the report
// to the People's Committee are for the outreach role (401 signed out, 403 other roles).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { readUpload } from '../../http/multipart.ts';
import { sendDocument, sendUpload } from '../../http/reply.ts';
import { Day, IdParams, Limit, Offset, StringEnum, errors } from '../../http/schemas.ts';
import { activityStatuses, outreachChannels, unitRoles } from '../../domain/outreach.ts';
import { fail } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { budgetXlsx, planPdf, reportPdf } from './outreach.export.ts';
import type { ActivityInput, PlanInput } from './outreach.service.ts';

export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
// Null first: with the server's type coercion, a null tried against a number first would become 0.
const Null = <T extends TSchema>(t: T) => Type.Union([Type.Null(), t]);
const Vnd = Type.Number({ description: 'Whole VND' });
const MoneyView = Type.Object({ amount: Type.Integer(), state: Type.Integer(), social: Type.Integer() });
const Texts = Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 50 });

const LineBody = Type.Object({
  section: Type.String({ maxLength: 20, description: 'A, B…' }), sectionName: Type.Optional(Type.String({ maxLength: 300 })),
  group: Type.Optional(Null(Type.String({ maxLength: 20, description: 'I, II…' }))), groupName: Type.Optional(Null(Type.String({ maxLength: 300 }))),
  no: Type.Optional(Type.Integer({ minimum: 1 })), item: Type.String({ maxLength: 300 }), duration: Type.Optional(Null(Type.String({ maxLength: 100 }))),
  quantity: Type.Optional(Null(Type.Number({ description: 'Null or absent for a lump sum (amount = unit price)' }))),
  unitPrice: Vnd, amount: Type.Number({ description: 'Must equal quantity × unitPrice' }),
  state: Type.Number({ description: 'State budget part' }), social: Type.Number({ description: 'Social contributions part; state + social must equal amount' }),
  note: Type.Optional(Null(Type.String({ maxLength: 1000 }))),
});

export const PlanBody = Type.Object({
  number: Type.String({ maxLength: 50, description: 'e.g. 088/KH-UBND' }),
  appendixNumber: Type.Optional(Null(Type.String({ maxLength: 50, description: 'The number the appendix cites, when it differs (shown as a warning)' }))),
  date: Day, issuer: Type.String({ maxLength: 200 }), title: Type.String({ maxLength: 500 }),
  periodFrom: Day, periodTo: Day,
  objectives: Type.Optional(Texts), themes: Type.Optional(Texts),
  channels: Type.Optional(Type.Array(Type.Object({
    id: Type.Optional(Type.String({ maxLength: 64, description: 'To keep an existing channel (PUT)' })),
    kind: StringEnum(outreachChannels), label: Type.Optional(Null(Type.String({ maxLength: 300, description: 'Free text; required for `other`' }))),
  }), { maxItems: 30 })),
  units: Type.Optional(Type.Array(Type.Object({
    role: StringEnum(unitRoles), unitId: Type.Optional(Null(Type.String({ maxLength: 100, description: 'A unit of GET /units, where one maps' }))),
    name: Type.Optional(Type.String({ maxLength: 200, description: 'Free text, when no unit maps' })), tasks: Type.Optional(Texts),
  }), { maxItems: 50 })),
  budget: Type.Optional(Type.Object({ lines: Type.Array(LineBody, { maxItems: 200 }), printedTotal: Type.Optional(Null(MoneyView)) })),
  discrepancies: Type.Optional(Texts), source: Type.Optional(Null(Type.String({ maxLength: 2000 }))),
});

const EvidenceView = Type.Object({ id: Type.String(), name: Type.String(), mime: Type.String(), size: Type.Integer(), sha256: Type.String(), createdAt: Type.String() });
const ActivityView = Type.Object({
  id: Type.String(), title: Type.String(), channelId: Null(Type.String()), plannedFrom: Type.String(), plannedTo: Type.String(), status: StringEnum(activityStatuses),
  actualFrom: Null(Type.String()), actualTo: Null(Type.String()), actualSpending: Null(Type.Integer()), note: Null(Type.String()), evidence: Type.Array(EvidenceView),
});
const Warning = Type.Object({ code: StringEnum(['number_mismatch', 'printed_total_mismatch', 'source_discrepancy'] as const), message: Type.String() }, { additionalProperties: true });
export const PlanView = Type.Object({
  id: Type.String(), number: Type.String(), appendixNumber: Null(Type.String()), date: Type.String(), issuer: Type.String(), title: Type.String(),
  periodFrom: Type.String(), periodTo: Type.String(), objectives: Type.Array(Type.String()), themes: Type.Array(Type.String()),
  channels: Type.Array(Type.Object({ id: Type.String(), kind: StringEnum(outreachChannels), label: Null(Type.String()), name: Type.String() })),
  units: Type.Array(Type.Object({ role: StringEnum(unitRoles), unitId: Null(Type.String()), name: Type.String(), tasks: Type.Array(Type.String()) })),
  activities: Type.Array(ActivityView),
  budget: Type.Object({
    currency: Type.Literal('VND'),
    lines: Type.Array(Type.Object({
      id: Type.String(), section: Type.String(), sectionName: Type.String(), group: Null(Type.String()), groupName: Null(Type.String()), no: Type.Integer(), item: Type.String(),
      duration: Null(Type.String()), quantity: Null(Type.Integer()), unitPrice: Type.Integer(), amount: Type.Integer(), state: Type.Integer(), social: Type.Integer(), note: Null(Type.String()),
    })),
    sections: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), total: MoneyView, groups: Type.Array(Type.Object({ key: Null(Type.String()), name: Null(Type.String()), total: MoneyView })) })),
    total: MoneyView, printedTotal: Null(MoneyView),
  }, { description: 'Section, group and grand totals are computed from the lines' }),
  links: Type.Array(Type.Object({ slug: Type.String(), channel: Type.String(), activityId: Null(Type.String()), target: Type.String() }), { description: 'Tracked links: always empty for now (a later step adds them)' }),
  warnings: Type.Array(Warning, { description: 'The number cited in the appendix when it differs, a printed total that differs from the computed one, and the source\'s known discrepancies' }),
  discrepancies: Type.Array(Type.String()), source: Null(Type.String()), updatedAt: Type.String(),
});

const ActivityBody = Type.Object({
  title: Type.Optional(Type.String({ maxLength: 300 })), channelId: Type.Optional(Null(Type.String({ maxLength: 64 }))),
  plannedFrom: Type.Optional(Day), plannedTo: Type.Optional(Day), status: Type.Optional(StringEnum(activityStatuses)),
  actualFrom: Type.Optional(Null(Day)), actualTo: Type.Optional(Null(Day)), actualSpending: Type.Optional(Null(Type.Number({ description: 'Whole VND' }))),
  note: Type.Optional(Null(Type.String({ maxLength: 2000 }))),
});
const ActivityParams = Type.Object({ id: Type.String({ maxLength: 64 }), activityId: Type.String({ maxLength: 64 }) });
const EvidenceParams = Type.Object({ ...ActivityParams.properties, evidenceId: Type.String({ maxLength: 64 }) });
const file = (type: string, description: string) => ({ description, content: { [type]: { schema: { type: 'string', format: 'binary' } } } });
const slug = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');

export function outreachRoutes(services: Services): FastifyPluginAsync {
  const { outreach } = services;
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['outreach'];
    const user = (req: FastifyRequest) => req.user;

    app.get('/api/v1/outreach/plans', {
      schema: { tags, summary: 'Campaign plans (public documents), newest first', querystring: Type.Object({ limit: Limit, offset: Offset }),
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(Type.Object({ id: Type.String(), number: Type.String(), date: Type.String(), title: Type.String(), issuer: Type.String(), periodFrom: Type.String(), periodTo: Type.String() })) }) } },
    }, async (req) => outreach.list(req.query.limit, req.query.offset));

    app.get('/api/v1/outreach/plans/:id', {
      schema: { tags, summary: 'A campaign plan with its budget (lines and computed totals), activities, links (none yet) and warnings', params: IdParams, response: { 200: PlanView, ...errors(404) } },
    }, async (req) => outreach.get(req.params.id, req.lang));

    app.post('/api/v1/outreach/plans', {
      schema: { tags, summary: 'Create a plan (outreach role). A budget line whose amount is not quantity × unit price, or whose parts do not add up to it: 400 naming the line', body: PlanBody, response: { 201: PlanView, ...errors(400, 401, 403) } },
    }, async (req, reply) => reply.code(201).send(await outreach.create(user(req), req.body as PlanInput, req.lang)));

    app.put('/api/v1/outreach/plans/:id', {
      schema: { tags, summary: 'Replace a plan\'s text, channels, units and budget lines (outreach role); its activities stay', params: IdParams, body: PlanBody, response: { 200: PlanView, ...errors(400, 401, 403, 404) } },
    }, async (req) => outreach.update(user(req), req.params.id, req.body as PlanInput, req.lang));

    app.post('/api/v1/outreach/plans/:id/activities', {
      schema: { tags, summary: 'Add an activity with its planned dates (outreach role)', params: IdParams, body: ActivityBody, response: { 201: ActivityView, ...errors(400, 401, 403, 404) } },
    }, async (req, reply) => reply.code(201).send(await outreach.addActivity(user(req), req.params.id, req.body as ActivityInput, req.lang)));

    app.patch('/api/v1/outreach/plans/:id/activities/:activityId', {
      schema: { tags, summary: 'Update an activity: status, actual dates, actual spending, note, or its plan (outreach role); fields not sent stay', params: ActivityParams, body: ActivityBody, response: { 200: ActivityView, ...errors(400, 401, 403, 404) } },
    }, async (req) => outreach.updateActivity(user(req), req.params.id, req.params.activityId, req.body as ActivityInput, req.lang));

    app.post('/api/v1/outreach/plans/:id/activities/:activityId/evidence', {
      schema: { tags, summary: 'Upload an evidence file (multipart, part `file`: PDF or photo, checked by content; 413 above the size limit, 415 another type). Outreach role', params: ActivityParams, consumes: ['multipart/form-data'], response: { 201: EvidenceView, ...errors(400, 401, 403, 404, 413, 415) } },
    }, async (req, reply) => {
      const u = user(req);
      if (!u) fail('not_signed_in');
      const { stored } = await readUpload(req, {
        maxBytes: outreach.maxFileBytes,
        receive: (f) => outreach.receiveEvidence(u, req.params.id, req.params.activityId, f),
        discard: (s) => outreach.discardEvidence(s),
      });
      if (!stored) fail('validation', { fields: { file: { key: 'chooseFile' } } });
      return reply.code(201).send(await outreach.recordEvidence(u, req.params.id, req.params.activityId, stored));
    });

    app.get('/api/v1/outreach/plans/:id/activities/:activityId/evidence/:evidenceId', {
      schema: { tags, summary: 'An evidence file (outreach role)', params: EvidenceParams, response: { 200: file('application/octet-stream', 'The file as uploaded'), ...errors(401, 403, 404) } },
    }, async (req, reply) => {
      const f = await outreach.evidenceFile(user(req), req.params.id, req.params.activityId, req.params.evidenceId);
      return sendUpload(reply, f.mime, f.body, f.name);
    });

    app.get('/api/v1/outreach/plans/:id/plan.pdf', {
      schema: { tags, summary: 'The plan and its budget estimate as PDF (public)', params: IdParams, response: { 200: file('application/pdf', 'The plan'), ...errors(404) } },
    }, async (req, reply) => {
      const plan = await outreach.get(req.params.id, req.lang);
      return sendDocument(reply, 'application/pdf', await planPdf(req.lang, plan), `ke-hoach-${slug(plan.number)}.pdf`);
    });

    app.get('/api/v1/outreach/plans/:id/budget.xlsx', {
      schema: { tags, summary: 'The budget estimate as a workbook (public): the totals are formulas with their values', params: IdParams, response: { 200: file(xlsxType, 'The budget'), ...errors(404) } },
    }, async (req, reply) => {
      const plan = await outreach.get(req.params.id, req.lang);
      return sendDocument(reply, xlsxType, await budgetXlsx(req.lang, plan), `du-toan-${slug(plan.number)}.xlsx`);
    });

    const Report = Type.Object({}, { additionalProperties: true, description: 'plan, activities { planned, done, inProgress, notStarted, cancelled }, money { planned, spent, remaining, spentShare }, activityRows, uptake { current, previous, change }, warnings' });
    app.get('/api/v1/outreach/plans/:id/report', {
      schema: { tags, summary: 'The report to the People\'s Committee (outreach role): activities planned and done, money planned and spent, uptake over the plan\'s period against a year before', params: IdParams, response: { 200: Report, ...errors(401, 403, 404) } },
    }, async (req) => outreach.report(user(req), req.params.id, req.lang));

    app.get('/api/v1/outreach/plans/:id/report.pdf', {
      schema: { tags, summary: 'The report to the People\'s Committee as PDF (outreach role)', params: IdParams, response: { 200: file('application/pdf', 'The report'), ...errors(401, 403, 404) } },
    }, async (req, reply) => {
      const r = await outreach.report(user(req), req.params.id, req.lang);
      return sendDocument(reply.header('cache-control', 'private, no-store'), 'application/pdf', await reportPdf(req.lang, r), `bao-cao-${slug(r.plan.number)}.pdf`);
    });
  };
}
