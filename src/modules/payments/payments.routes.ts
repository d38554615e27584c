// Payments: the API (docs/api-v1.md "Payments"): a dossier's payments, starting one, its receipt,
// and VNPay's IPN. Answers about a dossier carry personal data: no-store (app.ts marks /api/v1/dossiers).
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireUser } from '../../http/auth.ts';
import { sendDocument } from '../../http/reply.ts';
import { StringEnum, errors } from '../../http/schemas.ts';
import { paymentMethods, paymentStatuses, purposes, stages } from '../../domain/fees.ts';
import type { Services } from '../../services.ts';

const PaymentItem = Type.Object({
  id: Type.String(), purpose: StringEnum(purposes), stage: StringEnum(stages), amountVnd: Type.Integer(),
  status: StringEnum(paymentStatuses), method: Type.Union([StringEnum(paymentMethods), Type.Null()]),
  reference: Type.String({ description: 'Typed in a bank transfer\'s description (VietQR); printed on the receipt' }),
  receiptNo: Type.Union([Type.String(), Type.Null()]), paidAt: Type.Union([Type.String(), Type.Null()]),
  refundDue: Type.Boolean(), receiptUrl: Type.Optional(Type.String()),
});
const Params = Type.Object({ id: Type.String({ maxLength: 64 }), paymentId: Type.String({ maxLength: 64 }) });

export function paymentsRoutes(services: Services): FastifyPluginAsync {
  const { payments, vnpay } = services;
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['payments'];

    app.get('/api/v1/dossiers/:id/payments', {
      schema: {
        tags, summary: 'A dossier\'s payment requests: for its applicant and staff in scope (404 otherwise)',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: Type.Object({ items: Type.Array(PaymentItem) }), ...errors(401, 404) },
      },
    }, async (req) => {
      const { payments: list } = await payments.visibleFor(requireUser(req), req.params.id);
      return { items: list.map((p) => payments.view(p)) };
    });

    app.post('/api/v1/dossiers/:id/payments', {
      schema: {
        tags, summary: 'An officer asks for a financial obligation during processing: the dossier pauses (status 6) with a payment request due before processing',
        description: 'Staff who may take `request_financial_obligation` on the dossier (403 otherwise, 404 out of scope). Paying it (online, or cash at the counter) '
          + 'ends the obligation (`fulfil_financial_obligation` by the system) and the clock runs again. 400 `fields.amountVnd` for a missing or bad amount.',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        body: Type.Object({
          amountVnd: Type.Unknown({ description: 'A positive whole number of đồng' }),
          purpose: Type.Optional(Type.String({ maxLength: 20, description: 'fee (lệ phí, the default) | charge (phí)' })),
          note: Type.Optional(Type.String({ maxLength: 1000 })),
        }),
        response: { 201: Type.Object({ id: Type.String() }), ...errors(400, 401, 403, 404, 409) },
      },
    }, async (req, reply) => {
      const id = await payments.requestObligation(requireUser(req), req.params.id, req.body);
      return reply.status(201).send({ id });
    });

    app.post('/api/v1/dossiers/:id/payments/:paymentId/start', {
      schema: {
        tags, summary: 'The applicant starts paying: a redirect to the gateway (vnpay), or a QR payload and reference (vietqr)',
        description: 'vnpay: `redirectUrl` carries the signed vnp_* parameters; its vnp_TxnRef is what the IPN refers to. Two starts at once give one attempt '
          + '(the same URL). 404 for a dossier the caller does not own (403 for staff who can see it), 409 `payment_already_paid`, `payment_not_due`, '
          + '`payment_method_unavailable` (VNPay not configured).',
        params: Params,
        body: Type.Object({ method: Type.String({ maxLength: 20, description: 'vnpay | vietqr' }) }),
        response: {
          200: Type.Union([Type.Object({ redirectUrl: Type.String() }), Type.Object({ qrPayload: Type.String(), reference: Type.String() })]),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    }, async (req) => payments.start(requireUser(req), req.params.id, req.params.paymentId, req.body.method, { lang: req.lang, ip: req.ip }));

    app.get('/api/v1/dossiers/:id/payments/:paymentId/receipt.pdf', {
      schema: {
        tags, summary: 'The electronic receipt (biên lai điện tử) of a paid payment, PDF; 409 `payment_not_paid` before',
        params: Params, response: errors(401, 404, 409),
      },
    }, async (req, reply) => {
      const { dossier, payment } = await payments.paidFor(requireUser(req), req.params.id, req.params.paymentId);
      const pdf = await payments.receipt(dossier, payment, req.lang);
      return sendDocument(reply.header('cache-control', 'no-store'), 'application/pdf', pdf, `bien-lai-${payment.receipt_series}-${payment.receipt_no}.pdf`);
    });

    app.get('/api/v1/payments/vnpay/ipn', {
      schema: {
        tags, summary: 'VNPay\'s IPN (server to server): the only way a VNPay payment is marked paid',
        description: 'Answers `{RspCode, Message}` with status 200: 00 confirmed (paid, or the failed attempt recorded), 01 order not found, 02 already confirmed, '
          + '04 invalid amount, 97 invalid signature (nothing changes), 99 other.',
        response: { 200: Type.Object({ RspCode: Type.String(), Message: Type.String() }) },
      },
    }, async (req, reply) => {
      reply.header('cache-control', 'no-store');
      if (!vnpay) return { RspCode: '99', Message: 'VNPay is not configured' };
      return vnpay.ipn(req.query as Record<string, unknown>);
    });
  };
}
