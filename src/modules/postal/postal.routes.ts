// The postal service's API (api-v1.md, "Public postal service"): a dossier's shipments for its
// applicant and staff in scope, the postal operators' events (an API key per operator), the
// shipments of a postal officer's post office, and each unit's excluded procedures.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireUser } from '../../http/auth.ts';
import { fail } from '../../errors.ts';
import { IdParams, StringEnum, errors } from '../../http/schemas.ts';
import { shipmentDirections, shipmentStatuses } from '../../domain/postal.ts';
import type { Services } from '../../services.ts';
import { OperatorKeys } from './postal.network.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const Shipment = Type.Object({
  id: Type.String(), dossierId: Type.String(), direction: StringEnum(shipmentDirections), operator: Type.String(),
  postOfficeId: Nullable(Type.String()), postOfficeName: Nullable(Type.String()), trackingNumber: Nullable(Type.String()),
  feeVnd: Type.Integer({ minimum: 0 }), feeConfirmed: Type.Boolean({ description: 'false: the tariff is illustrative (data/reference/postal/tariff.json)' }),
  address: Type.Union([Type.Object({ line: Type.String(), areaCode: Type.String(), areaName: Type.String() }), Type.Null()], { description: 'The applicant’s delivery address (outbound); null inbound' }),
  status: StringEnum(shipmentStatuses), trouble: Type.Boolean({ description: 'failed or returned to sender: the desk must act' }),
  createdAt: Type.String(), updatedAt: Type.String(),
  returnPending: Type.Optional(Type.Boolean({ description: 'Delivered, but the dossier could not be marked returned (a fee still owed): the desk must act' })),
  events: Type.Array(Type.Object({ status: StringEnum(shipmentStatuses), from: StringEnum(shipmentStatuses), at: Type.String(), source: Type.String(), note: Nullable(Type.String()) })),
}, { $id: 'Shipment' });

export function postalRoutes(services: Services): FastifyPluginAsync {
  const { postal } = services;
  const keys = new OperatorKeys(services.settings.postalOperatorKeys ?? {});
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['postal'];

    app.get('/api/v1/dossiers/:id/shipments', {
      schema: {
        tags, summary: 'A dossier’s shipments through the public postal service (the dossier to the desk, the result to the applicant), with their events',
        description: 'For the applicant and for staff whose scope covers the dossier; 404 to anyone else. Carries the delivery address: never cached.',
        params: IdParams, response: { 200: Type.Object({ items: Type.Array(Shipment) }), ...errors(401, 404) },
      },
    }, async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return { items: await postal.forDossier(requireUser(req), req.params.id) };
    });

    app.post('/api/v1/shipments/:id/events', {
      schema: {
        tags, summary: 'A postal operator reports a shipment’s new status (header X-Api-Key: the operator’s key)',
        description: 'Statuses: picked_up, in_transit, delivered, failed, returned_to_sender, in the order src/domain/postal.ts allows (409 `invalid_transition` otherwise). '
          + 'Idempotent by `eventId`: the same id again answers 200 with `repeated: true` and changes nothing. A wrong or missing key: 401. '
          + 'A shipment of another operator, or none: 404. A delivered result marks the dossier returned.',
        params: IdParams,
        headers: Type.Object({ 'x-api-key': Type.Optional(Type.String({ maxLength: 200 })) }),
        body: Type.Object({
          eventId: Type.String({ maxLength: 64, description: 'The operator’s id of this event' }),
          status: Type.String({ maxLength: 30 }),
          at: Type.Optional(Type.String({ maxLength: 40, description: 'When it happened: ISO 8601 in UTC (2026-11-29T08:30:00Z), not before the shipment was created nor more than 5 minutes ahead (400 otherwise); now by default' })),
          trackingNumber: Type.Optional(Type.String({ maxLength: 40 })),
          note: Type.Optional(Type.String({ maxLength: 500 })),
        }),
        response: {
          200: Type.Object({ id: Type.String(), status: StringEnum(shipmentStatuses), trackingNumber: Nullable(Type.String()), repeated: Type.Boolean() }),
          ...errors(400, 401, 404, 409),
        },
      },
    }, async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const operator = keys.operatorOf(req.headers['x-api-key']);
      if (!operator) fail('bad_api_key');
      const { shipment, repeated } = await postal.receiveEvent(operator, req.params.id, req.body);
      return { id: shipment.id, status: shipment.status, trackingNumber: shipment.trackingNumber, repeated };
    });

    app.get('/api/v1/postal/shipments', {
      schema: {
        tags, summary: 'The shipments of the caller’s post office (postal staff), latest change first',
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ ...Shipment.properties, dossierCode: Nullable(Type.String()) })) }), ...errors(401, 403) },
      },
    }, async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return { items: await postal.forStaff(requireUser(req)) };
    });

    app.get('/api/v1/units/:id/postal-exclusions', {
      schema: {
        tags, summary: 'The procedures a unit does not offer through the public postal service (unit and province administrators)',
        params: IdParams, response: { 200: Type.Object({ unitId: Type.String(), procedureIds: Type.Array(Type.String()) }), ...errors(400, 401, 403) },
      },
    }, async (req) => ({ unitId: req.params.id, procedureIds: await postal.exclusions(requireUser(req), req.params.id) }));

    app.put('/api/v1/units/:id/postal-exclusions', {
      schema: {
        tags, summary: 'Replaces a unit’s list of procedures not offered by post (each one the unit handles)',
        params: IdParams, body: Type.Object({ procedureIds: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 500 }) }),
        response: { 200: Type.Object({ unitId: Type.String(), procedureIds: Type.Array(Type.String()) }), ...errors(400, 401, 403) },
      },
    }, async (req) => ({ unitId: req.params.id, procedureIds: await postal.setExclusions(requireUser(req), req.params.id, req.body.procedureIds) }));
  };
}
