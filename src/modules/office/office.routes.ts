// The office API (api-v1.md, "Dossiers: office side"): the queue, the register (Form 07), counter and postal intake,
// actions on a dossier, result documents. Every route checks the caller's roles and scope.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireUser } from '../../http/auth.ts';
import { invalid } from '../../errors.ts';
import { readUpload } from '../../http/multipart.ts';
import { sendDocument, sendUpload } from '../../http/reply.ts';
import { Day, IdParams, Limit, Offset, StringEnum, errors } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';
import { DossierBody, DossierView } from '../dossiers/dossiers.routes.ts';
import type { ActionRequest } from './office.workflow.ts';
import type { DossierInput } from '../dossiers/dossiers.service.ts';
import { intakeChannels } from '../../domain/channels.ts';
import { queueTabs } from '../../domain/queue.ts';
import { officeForms, type OfficeForm } from './office.forms.ts';
import { officeFormActions } from '../../domain/dossier-status.ts';
import { registerPdf, registerXlsx } from './office.register.ts';
import { resultTypes } from '../../domain/results.ts';

const Nullable = (t: ReturnType<typeof Type.String>) => Type.Union([t, Type.Null()]);

const QueueItem = Type.Object({
  id: Type.String(), code: Nullable(Type.String()), status: Type.String(), statusCode: Type.Integer(),
  procedureId: Type.String(), procedureName: Type.String(), unitId: Type.String(), channel: Type.String(), applicantName: Type.String(),
  submittedAt: Nullable(Type.String()), acceptedAt: Nullable(Type.String()), dueAt: Nullable(Type.String()), newDueAt: Nullable(Type.String()),
  overdue: Type.Boolean(), dueSoon: Type.Boolean(), assigneeId: Nullable(Type.String()), step: Type.Integer(),
  supplementDueAt: Nullable(Type.String({ description: 'The deadline of an open supplement request, if one was set' })),
  supplementOverdue: Type.Boolean({ description: 'A supplement was asked with a deadline that has passed: reception may return the dossier (return_unsupplemented)' }),
});

const Result = Type.Object({
  n: Type.Integer(), code: Type.String({ description: '{code}-KQ{n}: the result id' }), name: Type.String(), size: Type.Integer(), mime: Type.String(),
  sha256: Type.String({ description: 'SHA-256 of the stored file: the signed one for a PDF' }),
  number: Type.String(), symbol: Nullable(Type.String()), type: StringEnum(resultTypes), issuedOn: Type.String(), issuingUnit: Nullable(Type.String()),
  signed: Type.Boolean({ description: 'true for a PDF, stamped with the verification QR code and signed; other files are stored unsigned' }),
  signer: Nullable(Type.String()), signedAt: Nullable(Type.String()), certSha256: Nullable(Type.String()), demoCertificate: Type.Boolean(), verifyUrl: Type.String(),
});

export function officeApiRoutes(services: Services): FastifyPluginAsync {
  const { office, workflow } = services;
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['office'];

    app.get(
      '/api/v1/office/queue',
      {
        schema: {
          tags, summary: 'The dossiers within the caller’s scope, soonest due first, with the count of each tab',
          description: 'Tabs: open, intake (waiting for the intake check), processing, paused, to_return, overdue, due_soon (within 2 working days), mine, closed.',
          querystring: Type.Object({
            tab: Type.Optional(StringEnum(queueTabs)),
            status: Type.Optional(Type.String({ maxLength: 30 })),
            unitId: Type.Optional(Type.String({ maxLength: 100 })),
            procedureId: Type.Optional(Type.String({ maxLength: 200 })),
            overdue: Type.Optional(Type.Boolean()),
            assignedTo: Type.Optional(StringEnum(['me'] as const)),
            limit: Limit, offset: Offset,
          }),
          response: {
            200: Type.Object({ total: Type.Integer(), items: Type.Array(QueueItem), tab: Type.String(), counts: Type.Record(Type.String(), Type.Integer()) }),
            ...errors(400, 401, 403),
          },
        },
      },
      async (req) => {
        const { scope: _scope, ...page } = await office.queue(requireUser(req), req.query);
        return page;
      },
    );

    for (const kind of ['xlsx', 'pdf'] as const) {
      app.get(
        `/api/v1/office/register.${kind}`,
        {
          schema: {
            tags, summary: `The dossier register (Form 07 of Circular 03/2025/TT-VPCP) of a unit for a period, as ${kind.toUpperCase()}`,
            description: 'One row per dossier the unit received (submitted) from `from` to `to` (Vietnam days, both included): code, applicant, procedure, received, due, first transfer (to whom, when), result, returned, notes. For staff whose scope covers the unit (403 otherwise); not cached.',
            querystring: Type.Object({ unitId: Type.String({ maxLength: 100 }), from: Day, to: Day }),
            produces: [kind === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/pdf'],
            response: { ...errors(400, 401, 403) },
          },
        },
        async (req, reply) => {
          const data = await office.register(requireUser(req), req.query, req.lang);
          const name = `so-theo-doi-ho-so-${data.unitId}-${data.from}-${data.to}.${kind}`;
          reply.header('cache-control', 'no-store');
          return kind === 'xlsx'
            ? sendDocument(reply, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', await registerXlsx(req.lang, data), name)
            : sendDocument(reply, 'application/pdf', await registerPdf(req.lang, data), name);
        },
      );
    }

    app.post(
      '/api/v1/office/dossiers',
      {
        schema: {
          tags, summary: 'Counter or postal intake: the dossier is created and accepted in one step',
          body: Type.Object({ ...DossierBody.properties, channel: StringEnum(intakeChannels), receivingUnitId: Type.Optional(Type.String({ maxLength: 64, description: 'The desk that receives (Decree 118/2025: any desk, for any unit): a unit where the officer holds reception (postal for the post); by default the competent unit when the officer works there, else their own desk' })) }),
          response: {
            201: Type.Object({ id: Type.String(), code: Type.String(), status: Type.String(), trackingKey: Type.String(), dueAt: Nullable(Type.String()), acceptedAt: Nullable(Type.String()) }),
            ...errors(400, 401, 403, 409),
          },
        },
      },
      async (req, reply) => reply.code(201).send(await workflow.intake(requireUser(req), req.body as DossierInput & { channel: string; receivingUnitId?: string }, req.lang)),
    );

    app.post(
      '/api/v1/dossiers/:id/actions',
      {
        schema: {
          tags, summary: 'An officer’s action on a dossier',
          description: 'accept, request_supplement (`missing`, optional `supplementDueAt`: a date after now), supplement (documents handed in at the desk), refuse (`note`), '
            + 'return_unsupplemented (`note`; reception, once the supplement deadline has passed: refused at intake, stopped during processing), transfer, assign (`toUserId`), forward (`toUserId`), return_step, recall, '
            + 'request_financial_obligation, fulfil_financial_obligation, suspend (`note`; an end state, Form 05), resume (always 409: a stopped dossier is an end state since the 2025 rules), resolve (after a result is attached), '
            + 'return_result (`receivedBy`), apologize (`newDueAt`, `note`), confirm_withdrawal. 409 `invalid_transition` when the state does not allow it; 403 for a role that may not.',
          params: IdParams,
          body: Type.Object({
            action: StringEnum(officeFormActions),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
            missing: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 50 })),
            toUserId: Type.Optional(Type.String({ maxLength: 64 })),
            newDueAt: Type.Optional(Type.String({ maxLength: 40 })),
            supplementDueAt: Type.Optional(Type.String({ maxLength: 40, description: 'request_supplement: the deadline for the applicant, YYYY-MM-DD (17:00 that day) or a timestamp, after now' })),
            receivedBy: Type.Optional(Type.String({ maxLength: 200 })),
          }),
          response: { 200: DossierView, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (req) => workflow.act(requireUser(req), req.params.id, req.body as ActionRequest),
    );

    app.post(
      '/api/v1/dossiers/:id/results',
      {
        schema: {
          tags, summary: 'Attach a result document (multipart `file`, `number`, `symbol`, `type`, optional `issuedOn`), coded {code}-KQ{n}',
          description: 'A PDF is stamped with the QR code of its verification page and digitally signed (PKCS#7); other files are stored unsigned. '
            + '`type`: ' + resultTypes.join(', ') + '; `symbol` is required for decision, written_answer and refusal; `issuedOn` YYYY-MM-DD, today by default, not later. 400 with `fields` otherwise.',
          consumes: ['multipart/form-data'], params: IdParams,
          response: { 201: Result, ...errors(400, 401, 403, 404, 409, 413, 415) },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const { stored, fields } = await readUpload(req, {
          maxBytes: services.attachments.limits.maxFileBytes,
          receive: (file) => services.results.receive(user, req.params.id, file),
          discard: (s) => services.results.discard(s),
        });
        if (!stored) throw invalid({ file: { key: 'required' } });
        return reply.code(201).send(await services.results.attach(user, req.params.id, stored, fields));
      },
    );

    app.get(
      '/api/v1/dossiers/:id/documents/:form',
      {
        schema: {
          tags, summary: 'A printed document (PDF): 02 supplement request, 03 refusal, 04 apology and new date, 05 notice that processing stopped, 06 process-control sheet',
          params: Type.Object({ id: Type.String({ maxLength: 64 }), form: StringEnum(officeForms.map((f) => `${f}.pdf`)) }),
          produces: ['application/pdf'],
          response: { ...errors(401, 403, 404, 409) },
        },
      },
      async (req, reply) => {
        const form = req.params.form.slice(0, 2) as OfficeForm;
        const pdf = await office.document(requireUser(req), req.params.id, form, req.lang);
        return sendDocument(reply, 'application/pdf', pdf, `mau-${form}.pdf`);
      },
    );

    app.get(
      '/api/v1/dossiers/:id/results/:n',
      {
        schema: {
          tags, summary: 'A result document (the signed PDF): for staff over the dossier, and for its applicant once resolved',
          description: 'The applicant’s first download of a signed result of a resolved dossier whose result goes back online returns the dossier (return_result by the citizen).',
          params: Type.Object({ id: Type.String({ maxLength: 64 }), n: Type.Integer({ minimum: 1, maximum: 1000 }) }),
          response: { ...errors(401, 404) },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const r = await services.results.file(user, req.params.id, req.params.n);
        await services.audit.recordStaffAccess(user, services.clock.now(), { kind: 'personal_data_read', subject: `dossier:${req.params.id}`, data: { read: 'result', n: req.params.n } });
        return sendUpload(reply, r.mime, r.body, `${r.code}${extensionOf(r.name)}`);
      },
    );
  };
}

function extensionOf(name: string): string {
  const m = /\.[a-z0-9]{1,5}$/i.exec(name);
  return m ? m[0].toLowerCase() : '';
}
