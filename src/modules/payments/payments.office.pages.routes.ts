// Page routes of the back office's payments (/can-bo/thanh-toan): the lists with cash and refund
// forms, the bank statement import and its result, the review list. Every route checks the
// caller's roles on the server (payments.cash.ts, payments.statement.ts); answers are no-store
// (every /can-bo page and every signed-in answer, src/app.ts).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { checkCsrf, pageContext } from '../../http/csrf.ts';
import { readUpload } from '../../http/multipart.ts';
import { attempt, formText, signInFirst } from '../../http/page-kit.ts';
import { sendPage } from '../../http/reply.ts';
import { fail, invalid } from '../../errors.ts';
import type { PaymentsOffice, OfficeView } from './payments.cash.ts';
import { maxStatementBytes, type StatementService } from './payments.statement.ts';
import { importResultPage, paymentsListPage, reviewPage, statementPage, type Failed } from './payments.office.pages.ts';

type Query = Record<string, string | undefined>;
const offsetOf = (q: Query) => (/^\d{1,6}$/.test(q.tu ?? '') ? Number(q.tu) : 0);

export function paymentsOfficePageRoutes(office: PaymentsOffice, statements: StatementService): FastifyPluginAsync {
  return async (app) => {
    const hide = { schema: { hide: true } };

    const showList = async (req: FastifyRequest, reply: FastifyReply, view: unknown, opts: Parameters<typeof paymentsListPage>[2] = {}, status = 200) => {
      const q = req.query as Query;
      const l = await office.list(req.user!, { view, code: q.ma, offset: offsetOf(q), limit: 50 });
      return sendPage(reply, paymentsListPage(pageContext(req, reply), l, opts), status);
    };

    app.get('/can-bo/thanh-toan', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      const q = req.query as Query;
      const done = q.xong === 'cash' || q.xong === 'refund' ? q.xong : undefined;
      return showList(req, reply, q.xem, { done });
    });

    app.post<{ Params: { id: string } }>('/can-bo/thanh-toan/:id/tien-mat', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      checkCsrf(req);
      const user = req.user;
      const values = { amountVnd: formText(req.body, 'amountVnd') };
      const r = await attempt(req, () => office.recordCash(user, req.params.id, values.amountVnd), { field: 'amountVnd' });
      if (r.ok) return reply.redirect('/can-bo/thanh-toan?xem=paid&xong=cash', 303);
      const failed: Failed = { id: req.params.id, values, errors: r.rejected.errors };
      return showList(req, reply, 'due', { failed }, r.rejected.status);
    });

    app.post<{ Params: { id: string } }>('/can-bo/thanh-toan/:id/hoan-tien', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      checkCsrf(req);
      const user = req.user;
      const values = { note: formText(req.body, 'note') };
      const r = await attempt(req, () => office.refund(user, req.params.id, values.note), { field: 'note' });
      if (r.ok) return reply.redirect('/can-bo/thanh-toan?xem=refund&xong=refund', 303);
      const failed: Failed = { id: req.params.id, values, errors: r.rejected.errors };
      return showList(req, reply, 'refund' as OfficeView, { failed }, r.rejected.status);
    });

    app.get('/can-bo/thanh-toan/sao-ke', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      return sendPage(reply, statementPage(pageContext(req, reply), await statements.recentImports(req.user)));
    });

    app.post('/can-bo/thanh-toan/sao-ke', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      const user = req.user;
      statements.check(user);
      const { stored } = await readUpload<{ name: string; bytes: Buffer }>(req, {
        maxBytes: maxStatementBytes,
        csrf: true,
        async receive({ filename, stream }) {
          const chunks: Buffer[] = [];
          let size = 0;
          for await (const chunk of stream) {
            size += (chunk as Buffer).length;
            if (size > maxStatementBytes) fail('file_too_large');
            chunks.push(chunk as Buffer);
          }
          return { name: filename, bytes: Buffer.concat(chunks) };
        },
        async discard() {},
      });
      const r = await attempt(req, async () => {
        if (!stored?.bytes.length) throw invalid({ file: { key: stored ? 'statementEmpty' : 'chooseFile' } });
        return statements.import(user, stored);
      }, { field: 'file' });
      if (r.ok) return reply.redirect(`/can-bo/thanh-toan/sao-ke/${r.value.import.id}`, 303);
      const failed: Failed = { id: 'file', values: {}, errors: r.rejected.errors };
      return sendPage(reply, statementPage(pageContext(req, reply), await statements.recentImports(user), failed), r.rejected.status);
    });

    app.get<{ Params: { id: string } }>('/can-bo/thanh-toan/sao-ke/:id', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      const { import: imp, lines } = await statements.importLines(req.user, req.params.id);
      return sendPage(reply, importResultPage(pageContext(req, reply), imp, lines));
    });

    const showReview = async (req: FastifyRequest, reply: FastifyReply, opts: Parameters<typeof reviewPage>[2] = {}, status = 200) => {
      const q = req.query as Query;
      const handled = q['da-xu-ly'] !== undefined;
      const r = await statements.review(req.user!, { handled, offset: offsetOf(q), limit: 100 });
      return sendPage(reply, reviewPage(pageContext(req, reply), { ...r, handled }, opts), status);
    };
    app.get('/can-bo/thanh-toan/doi-soat', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      return showReview(req, reply, { done: (req.query as Query).xong !== undefined });
    });
    app.post<{ Params: { id: string } }>('/can-bo/thanh-toan/doi-soat/:id', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      checkCsrf(req);
      const user = req.user;
      const values = { note: formText(req.body, 'note') };
      const r = await attempt(req, () => statements.handle(user, req.params.id, values.note), { field: 'note' });
      if (r.ok) return reply.redirect('/can-bo/thanh-toan/doi-soat?xong', 303);
      return showReview(req, reply, { failed: { id: req.params.id, values, errors: r.rejected.errors } }, r.rejected.status);
    });
  };
}
