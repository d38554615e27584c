// The public verification page of results: /xac-thuc/{resultId} (where the QR code leads) and the
// upload of a copy to check (/xac-thuc, multipart with the form token first). No sign-in.
import type { FastifyPluginAsync } from 'fastify';
import { pageContext } from '../../http/csrf.ts';
import { attempt } from '../../http/page-kit.ts';
import { readUpload } from '../../http/multipart.ts';
import { sendPage } from '../../http/reply.ts';
import { invalid } from '../../errors.ts';
import { localName } from '../../i18n/index.ts';
import type { Services } from '../../services.ts';
import type { PublicResult } from './office.results.ts';
import { verifyPage } from './office.verify.pages.ts';

export function verifyPageRoutes(services: Services): FastifyPluginAsync {
  const { results, catalog, attachments } = services;
  return async (app) => {
    const hide = { schema: { hide: true } };
    const title = (lang: 'vi' | 'en', r: PublicResult | undefined) => {
      const p = r && catalog.find(r.procedureId);
      return p ? localName(lang, p) : r?.procedureId;
    };

    app.get('/xac-thuc', hide, async (req, reply) => sendPage(reply, verifyPage(pageContext(req, reply), {})));

    app.get<{ Params: { resultId: string } }>('/xac-thuc/:resultId', hide, async (req, reply) => {
      const id = req.params.resultId.slice(0, 80);
      const result = await results.publicView(id);
      return sendPage(reply, verifyPage(pageContext(req, reply), { resultId: id, result, title: title(req.lang, result) }), result ? 200 : 404);
    });

    app.post('/xac-thuc', hide, async (req, reply) => {
      const r = await attempt(req, async () => {
        let copy: Buffer | undefined;
        await readUpload(req, {
          maxBytes: attachments.limits.maxFileBytes, csrf: true,
          receive: async (file) => (copy = await results.readCopy(file)),
          discard: async () => {},
        });
        if (!copy?.length) throw invalid({ file: { key: 'chooseFile' } });
        return results.verify(copy);
      }, { field: 'file' });
      if (!r.ok) return sendPage(reply, verifyPage(pageContext(req, reply), { error: r.rejected.errors.file ?? Object.values(r.rejected.errors)[0] }), r.rejected.status);
      const { valid, result } = r.value;
      return sendPage(reply, verifyPage(pageContext(req, reply), { result, title: title(req.lang, result), copy: { valid } }));
    });
  };
}
