// The public verification API of signed results (api-v1.md, "Results"): an uploaded copy is valid
// when its SHA-256 is that of a stored signed result and its embedded signature verifies. No sign-in.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { invalid } from '../../errors.ts';
import { readUpload } from '../../http/multipart.ts';
import { errors } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';

const VerifyAnswer = Type.Object({
  valid: Type.Boolean({ description: 'true: the bytes are those of a signed result held here, and its signature (byte range digest, PKCS#7 over the signed attributes) verifies' }),
  resultId: Type.Optional(Type.String({ description: '{code}-KQ{n}' })),
  code: Type.Optional(Type.String({ description: 'The dossier code' })),
  signer: Type.Optional(Type.String({ description: 'The signing certificate subject’s common name' })),
  signedAt: Type.Optional(Type.String({ description: 'ISO 8601 UTC' })),
});

export function resultsApiRoutes(services: Services): FastifyPluginAsync {
  const { results } = services;
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.post(
      '/api/v1/results/verify',
      {
        schema: {
          tags: ['results'], summary: 'Verify a copy of a signed result (multipart `file`)',
          description: 'Public. `valid: false` for any file that is not, byte for byte, a signed result held here with a signature that verifies (one changed byte is enough). '
            + 'Results that are not PDFs are stored unsigned and never verify.',
          consumes: ['multipart/form-data'],
          response: { 200: VerifyAnswer, ...errors(400, 413) },
        },
      },
      async (req, reply) => {
        let copy: Buffer | undefined;
        await readUpload(req, {
          maxBytes: services.attachments.limits.maxFileBytes,
          receive: async (file) => (copy = await results.readCopy(file)),
          discard: async () => {},
        });
        if (!copy?.length) throw invalid({ file: { key: 'required' } });
        const { result: _, ...answer } = await results.verify(copy);
        return reply.header('cache-control', 'no-store').send(answer);
      },
    );
  };
}
