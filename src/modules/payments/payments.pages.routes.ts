// Page routes for paying (payments.pages.ts): a dossier's fees and the "Pay" form, the gateway's
// browser return (shows the state, never pays), and the sandbox gateway when it is on.
import type { AddressInfo } from 'node:net';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { checkCsrf, pageContext } from '../../http/csrf.ts';
import { attempt, formText, signInFirst } from '../../http/page-kit.ts';
import { sendPage } from '../../http/reply.ts';
import { localName } from '../../i18n/index.ts';
import type { Services } from '../../services.ts';
import { paymentsPage, returnPage, sandboxPage, sandboxTimedOutPage, transferPage } from './payments.pages.ts';
import { vietQrSvg } from './payments.vietqr.ts';
import { sandboxActionPath, sandboxOutcomes, sandboxPath, type SandboxOutcome } from './payments.sandbox.ts';

/** Where this server listens, for the sandbox's IPN: a real HTTP request to ourselves (PUBLIC_URL when unknown). */
function listeningBase(req: FastifyRequest, publicUrl: string): string {
  const a = req.server.server.address() as AddressInfo | string | null;
  if (!a || typeof a === 'string') return publicUrl;
  const host = a.address === '0.0.0.0' || a.address === '::' ? '127.0.0.1' : a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return `http://${host}:${a.port}`;
}

export function paymentsPageRoutes(services: Services, publicUrl: string): FastifyPluginAsync {
  const { payments, vnpay, vnpaySandbox, vietqr, catalog } = services;
  return async (app) => {
    const hide = { schema: { hide: true } };
    const noStore = { 'cache-control': 'no-store' };

    /** The fees page of a dossier the user may see; only its applicant gets the "Pay" buttons. */
    const show = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, status = 200, error?: string) => {
      const { dossier, payments: list } = await payments.visibleFor(req.user!, req.params.id);
      const procedure = catalog.find(dossier.procedure_id);
      const d = { id: dossier.id, code: dossier.code, procedureName: procedure ? localName(req.lang, procedure) : dossier.procedure_id };
      return sendPage(reply.headers(noStore), paymentsPage(pageContext(req, reply), d, list, dossier.owner_id === req.user!.id ? payments.offered() : [], error), status);
    };

    app.get<{ Params: { id: string } }>('/ho-so/:id/thanh-toan', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      return show(req, reply);
    });

    app.post<{ Params: { id: string; paymentId: string } }>('/ho-so/:id/thanh-toan/:paymentId', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      checkCsrf(req);
      const user = req.user;
      const r = await attempt(req, () => payments.start(user, req.params.id, req.params.paymentId, formText(req.body, 'method'), { lang: req.lang, ip: req.ip }), { field: 'method' });
      if (!r.ok) return show(req, reply, r.rejected.status, Object.values(r.rejected.errors)[0]);
      if ('redirectUrl' in r.value) return reply.redirect(r.value.redirectUrl, 303);
      return reply.redirect(`/ho-so/${req.params.id}/thanh-toan/${req.params.paymentId}/chuyen-khoan`, 303);
    });

    // A VietQR transfer started by the applicant: the code and the details to type (only while it is pending by VietQR).
    app.get<{ Params: { id: string; paymentId: string } }>('/ho-so/:id/thanh-toan/:paymentId/chuyen-khoan', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      const { dossier, payments: list } = await payments.visibleFor(req.user, req.params.id);
      const p = list.find((x) => x.id === req.params.paymentId);
      if (!vietqr || !p || dossier.owner_id !== req.user.id || p.status !== 'pending' || p.method !== 'vietqr') return reply.redirect(`/ho-so/${req.params.id}/thanh-toan`, 303);
      const details = vietqr.details(p);
      return sendPage(reply.headers(noStore), transferPage(pageContext(req, reply), { id: dossier.id, code: dossier.code }, details, await vietQrSvg(details.qrPayload)));
    });

    app.get('/thanh-toan/vnpay/ket-qua', hide, async (req, reply) => {
      const view = vnpay ? await vnpay.returned(req.query as Record<string, unknown>) : { verified: false, gatewaySays: null, payment: null };
      return sendPage(reply.headers(noStore), returnPage(pageContext(req, reply), view));
    });

    if (!vnpaySandbox) return;
    app.get(sandboxPath, hide, async (req, reply) => {
      const check = vnpaySandbox.check(req.query as Record<string, unknown>);
      return sendPage(reply.headers(noStore), sandboxPage(pageContext(req, reply), check), check.ok ? 200 : 400);
    });
    app.post(sandboxActionPath, hide, async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const check = vnpaySandbox.check(body);
      if (!check.ok) return sendPage(reply.headers(noStore), sandboxPage(pageContext(req, reply), check), 400);
      const outcome = (sandboxOutcomes as readonly string[]).includes(String(body.outcome)) ? (body.outcome as SandboxOutcome) : 'failure';
      const done = await vnpaySandbox.finish(check.order, outcome, `${listeningBase(req, publicUrl)}/api/v1/payments/vnpay/ipn`);
      if (!done.returnTo) return sendPage(reply.headers(noStore), sandboxTimedOutPage(pageContext(req, reply)));
      return reply.redirect(done.returnTo, 303);
    });
  };
}
