// The dossiers API, applicant side (docs/api-v1.md): drafts, submission, reading, withdrawal. The
// applicant's pages are in dossiers.pages.routes.ts.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { readUpload } from '../../http/multipart.ts';
import { fail, invalid } from '../../errors.ts';
import type { SessionUser } from '../accounts/accounts.service.ts';
import type { ConsentInput } from '../privacy/privacy.pages.ts';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireUser } from '../../http/auth.ts';
import { sendDocument, sendUpload } from '../../http/reply.ts';
import { IdParams, Limit, Offset, Page, errors } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';
import type { DossierInput } from './dossiers.service.ts';

const Anything = Type.Object({}, { additionalProperties: true });

export const DossierBody = Type.Object({
  procedureId: Type.Optional(Type.String({ maxLength: 200 })),
  unitId: Type.Optional(Type.String({ maxLength: 100, description: 'The competent unit; required when several units handle the procedure' })),
  applicant: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'fullName, idNumber, phone, email, address { line, areaCode }' })),
  form: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'Answers keyed by the form field keys' })),
  delivery: Type.Optional(Type.Object({ method: Type.Optional(Type.String({ maxLength: 20 })), address: Type.Optional(Anything) })),
});

export const DossierView = Type.Object(
  {
    id: Type.String(), code: Type.Union([Type.String(), Type.Null()]), status: Type.String(), statusCode: Type.Integer(),
    channel: Type.String(), procedureId: Type.String(), procedureVersion: Type.Integer(), unitId: Type.String(), receivingUnitId: Type.String({ description: 'The desk that received the dossier; differs from unitId when a desk took it in for another unit (Decree 118/2025)' }),
    applicant: Anything, form: Anything, delivery: Anything,
    attachments: Type.Array(Type.Object({ id: Type.String(), document: Type.String(), name: Type.String(), size: Type.Integer(), mime: Type.String(), sha256: Type.String() })),
    trackingKey: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(), submittedAt: Type.Union([Type.String(), Type.Null()]), acceptedAt: Type.Union([Type.String(), Type.Null()]),
    dueAt: Type.Union([Type.String(), Type.Null()]), resolvedAt: Type.Union([Type.String(), Type.Null()]), returnedAt: Type.Union([Type.String(), Type.Null()]),
    overdue: Type.Boolean(),
    newDueAt: Type.Union([Type.String(), Type.Null()], { description: 'The new date of an apology letter (Form 04), when one was sent' }),
    supplementDueAt: Type.Union([Type.String(), Type.Null()], { description: 'The deadline of an open supplement request, when one was set; past it the desk may return the dossier' }),
    assigneeId: Type.Union([Type.String(), Type.Null()]),
    results: Type.Array(Type.Object({ n: Type.Integer(), code: Type.String({ description: '{code}-KQ{n}' }), name: Type.String(), size: Type.Integer(), mime: Type.String(), sha256: Type.String() })),
    history: Type.Array(Type.Object({ at: Type.String(), action: Type.String(), actorRole: Type.String(), status: Type.String(), note: Type.Union([Type.String(), Type.Null()]) })),
  },
  { $id: 'Dossier' },
);

const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 100 })) });

/** A multipart upload of one attachment: the `document` field and the `file` (the API and the pages). */
export async function readAttachment(attachments: Services['attachments'], req: FastifyRequest, user: SessionUser, id: string, opts: { csrf?: boolean } = {}) {
  const { fields, stored } = await readUpload(req, {
    maxBytes: attachments.limits.maxFileBytes, csrf: opts.csrf,
    receive: (file) => attachments.receiveFile(user, id, file),
    discard: (s) => attachments.discardUpload(s),
  });
  return { documentKey: fields.document, stored };
}

export function dossiersRoutes(services: Services): FastifyPluginAsync {
  const { dossiers, drafts, attachments, views, audit, clock } = services;
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['dossiers'];

    app.post(
      '/api/v1/dossiers',
      {
        schema: {
          tags, summary: 'Start a draft dossier (an Idempotency-Key header makes a retry return the same draft)',
          body: DossierBody, headers: IdempotencyHeaders, response: { 201: DossierView, ...errors(400, 401) },
        },
      },
      async (req, reply) => reply.code(201).send(await drafts.create(requireUser(req), req.body as DossierInput, req.lang, req.headers['idempotency-key'])),
    );

    app.patch(
      '/api/v1/dossiers/:id',
      { schema: { tags, summary: 'Update a draft, and only a draft', params: IdParams, body: DossierBody, response: { 200: DossierView, ...errors(400, 401, 404, 409) } } },
      async (req) => drafts.update(requireUser(req), req.params.id, req.body as DossierInput),
    );

    app.get(
      '/api/v1/dossiers/:id',
      { schema: { tags, summary: 'A dossier, to its applicant and to staff whose scope covers it', params: IdParams, response: { 200: DossierView, ...errors(401, 404) } } },
      async (req) => {
        const user = requireUser(req);
        const view = await views.get(user, req.params.id);
        await audit.recordStaffAccess(user, clock.now(), { kind: 'personal_data_read', subject: `dossier:${req.params.id}`, data: { read: 'dossier' } });
        return view;
      },
    );

    app.post(
      '/api/v1/dossiers/:id/submit',
      {
        schema: {
          tags, summary: 'Submit a draft: checks the form and the required documents, issues the code',
          description: 'Submitting again (a retry) returns the same code; a dossier that has moved on answers 409. Send `consent: true` (or `consentVersion`) once the applicant agreed to the privacy notice: it is recorded for this dossier.',
          params: IdParams,
          response: { 200: Type.Object({ id: Type.String(), code: Type.String(), status: Type.String(), trackingKey: Type.String() }), ...errors(400, 401, 404, 409) },
        },
      },
      async (req) => services.privacy.submitDossier(requireUser(req), req.params.id, req.lang, { consent: req.body as ConsentInput | undefined, channel: 'api', required: false }),
    );

    app.post(
      '/api/v1/dossiers/:id/withdraw',
      {
        schema: {
          tags, summary: 'Ask to withdraw the dossier; reception confirms',
          params: IdParams, body: Type.Optional(Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) })),
          response: { 200: DossierView, ...errors(401, 404, 409) },
        },
      },
      async (req) => drafts.withdraw(requireUser(req), req.params.id, (req.body as { note?: string } | undefined)?.note),
    );

    app.post(
      '/api/v1/dossiers/:id/supplement',
      {
        schema: {
          tags, summary: 'Send the supplement asked for (upload the files first); the dossier goes back to intake or processing',
          params: IdParams, body: Type.Optional(Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) })),
          response: { 200: DossierView, ...errors(401, 403, 404, 409) },
        },
      },
      async (req) => drafts.supplement(requireUser(req), req.params.id, (req.body as { note?: string } | undefined)?.note),
    );

    app.post(
      '/api/v1/dossiers/:id/attachments',
      {
        schema: {
          tags, summary: 'Attach a file to one of the documents of a draft (multipart: `document`, then `file`)',
          description: 'The type is read from the content: PDF, JPEG, PNG, HEIC/HEIF, WebP. 413 over the size limit, 415 for another type.',
          consumes: ['multipart/form-data'], params: IdParams,
          response: {
            201: Type.Object({ id: Type.String(), document: Type.String(), name: Type.String(), size: Type.Integer(), mime: Type.String(), sha256: Type.String() }),
            ...errors(400, 401, 404, 409, 413, 415),
          },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const { documentKey, stored } = await readAttachment(attachments, req, user, req.params.id);
        if (!stored) throw invalid({ file: { key: 'required' } });
        return reply.code(201).send(await attachments.recordUpload(user, req.params.id, documentKey, stored));
      },
    );

    app.get(
      '/api/v1/dossiers/:id/attachments/:attachmentId',
      {
        schema: {
          tags, summary: 'An attached file, for the applicant and the staff whose scope covers the dossier',
          params: Type.Object({ id: Type.String({ maxLength: 64 }), attachmentId: Type.String({ maxLength: 64 }) }),
          response: { ...errors(401, 404) },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const file = await attachments.attachmentFile(user, req.params.id, req.params.attachmentId);
        await audit.recordStaffAccess(user, clock.now(), { kind: 'personal_data_read', subject: `dossier:${req.params.id}`, data: { read: 'attachment', attachmentId: req.params.attachmentId } });
        return sendUpload(reply, file.mime, file.body, file.name);
      },
    );

    app.get(
      '/api/v1/dossiers/:id/acknowledgement.pdf',
      {
        schema: {
          tags, summary: 'The acknowledgement of submission (not yet Form 01), with a QR code of the tracking page',
          description: 'Available once the dossier is submitted (409 for a draft); the receipt (Form 01) comes at acceptance.',
          params: IdParams, produces: ['application/pdf'], response: { ...errors(401, 404, 409) },
        },
      },
      async (req, reply) => {
        return sendDocument(reply, 'application/pdf', await views.acknowledgement(requireUser(req), req.params.id, req.lang), 'giay-xac-nhan-da-nhan-ho-so.pdf');
      },
    );

    app.get(
      '/api/v1/dossiers/:id/receipt.pdf',
      {
        schema: {
          tags, summary: 'The receipt and appointment slip (Form 01 of Circular 03/2025/TT-VPCP), once the dossier is accepted (409 before)',
          params: IdParams, produces: ['application/pdf'], response: { ...errors(401, 404, 409) },
        },
      },
      async (req, reply) => {
        return sendDocument(reply, 'application/pdf', await views.receipt(requireUser(req), req.params.id, req.lang), 'giay-tiep-nhan.pdf');
      },
    );

    app.get(
      '/api/v1/track/:code',
      {
        schema: {
          tags: ['tracking'], summary: 'Public tracking by code and tracking key, with no personal data',
          description: 'A wrong or missing key answers 404, exactly as an unknown code.',
          params: Type.Object({ code: Type.String({ maxLength: 80 }) }),
          querystring: Type.Object({ key: Type.Optional(Type.String({ maxLength: 40 })) }),
          response: {
            200: Type.Object({
              code: Type.String(), status: Type.String(), statusCode: Type.Integer(), statusLabel: Type.String(),
              procedureId: Type.String(), procedureName: Type.String(),
              submittedAt: Type.Union([Type.String(), Type.Null()]), acceptedAt: Type.Union([Type.String(), Type.Null()]),
              dueAt: Type.Union([Type.String(), Type.Null()]), resolvedAt: Type.Union([Type.String(), Type.Null()]),
              history: Type.Array(Type.Object({ at: Type.String(), status: Type.String(), label: Type.String() })),
            }),
            ...errors(404),
          },
        },
      },
      async (req) => views.track(req.params.code, req.query.key, req.lang),
    );

    app.post(
      '/api/v1/inbound/dossiers',
      {
        schema: {
          tags: ['inbound'], summary: 'A dossier the national portal received (API-key auth, idempotent by the sender’s id)',
          description: 'Send `X-Api-Key`. The dossier is created as submitted on channel `national_portal`, with `nationalCode` as its code when given (else a code of ours). '
            + 'Repeating an `externalId`, or a `nationalCode` this sender already sent, answers 200 with the same dossier; a `nationalCode` another sender used, or one of our own dossiers holds, answers 409 `national_code_taken`. '
            + 'Without `nationalCode`, a unit with no agency identifier answers 409 `unit_without_identifier`.',
          headers: Type.Object({ 'x-api-key': Type.Optional(Type.String({ maxLength: 200 })) }),
          body: Type.Object({
            ...DossierBody.properties,
            externalId: Type.String({ maxLength: 100 }),
            nationalCode: Type.Optional(Type.String({
              maxLength: 50,
              description: 'The code the national portal gave the dossier, {identifier}-{YYMMDD}-{NNNN}: an agency identifier NNN.NN.NN.XNN (e.g. 000.00.12.H56) or the portal’s own (e.g. G22.99.08), the day of receipt, a number of 4 or more digits. The dossier keeps it as its code.',
            })),
          }),
          response: {
            201: Type.Object({ id: Type.String(), code: Type.String(), status: Type.String(), trackingKey: Type.String() }),
            200: Type.Object({ id: Type.String(), code: Type.String(), status: Type.String(), trackingKey: Type.String() }),
            ...errors(400, 401, 409),
          },
        },
      },
      async (req, reply) => {
        const key = req.headers['x-api-key'] ?? '';
        const sender = Object.entries(services.settings.inboundKeys).find(([, k]) => k.length === key.length && timingSafeEqual(Buffer.from(k), Buffer.from(key)))?.[0];
        if (!sender) fail('bad_api_key');
        const { created, ...dossier } = await dossiers.receiveInbound(sender, req.body as DossierInput & { externalId: string; nationalCode?: string });
        return reply.code(created ? 201 : 200).send(dossier);
      },
    );

    app.get(
      '/api/v1/me/dossiers',
      { schema: { tags, summary: "The caller's dossiers, newest first", querystring: Type.Object({ limit: Limit, offset: Offset }), response: { 200: Page(DossierView), ...errors(401) } } },
      async (req) => views.listMine(requireUser(req), req.query.limit, req.query.offset),
    );

    // Pages: the filing journey, my dossiers, public tracking.
  };
}
