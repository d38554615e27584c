// The personal-data API (Decree 13/2023): the notice in force, a copy of the caller's data as JSON,
// and the request to delete the account. Both answers carry personal data: never cached.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireUser } from '../../http/auth.ts';
import { errors } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';
import { noticePath } from './privacy.pages.ts';

const Loose = (description: string) => Type.Object({}, { additionalProperties: true, description });

export const PersonalDataView = Type.Object({
  exportedAt: Type.String(),
  noticeVersion: Type.String(),
  account: Loose('id, name, username, email, phone, verifiedAt, createdAt, roles'),
  identities: Type.Array(Loose('issuer, subject, createdAt')),
  sessions: Type.Array(Loose('kind, createdAt, expiresAt, lastSeenAt (never the token)')),
  consents: Type.Array(Loose('purpose (registration, dossier), dossierId, noticeVersion, channel, givenAt, withdrawnAt')),
  dossiers: Type.Array(Loose('as GET /api/v1/dossiers/{id}: applicant, answers, attachments with SHA-256, results, history')),
  ratings: Type.Array(Loose('dossierId, dossierCode, satisfaction (very_satisfied, satisfied, dissatisfied), score (1–5, the older scale; null when not given), comment, createdAt')),
  feedback: Type.Array(Loose('feedback sent with the account’s email or phone, with its answer')),
});

export function privacyRoutes(services: Services): FastifyPluginAsync {
  const { privacy } = services;
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['privacy'];

    app.get(
      '/api/v1/privacy/notice',
      {
        schema: {
          tags, summary: 'The privacy notice in force: send its version as `consentVersion` (or `consent: true`) when registering or submitting',
          response: { 200: Type.Object({ version: Type.String(), url: Type.String() }) },
        },
      },
      async () => ({ version: privacy.noticeVersion, url: noticePath }),
    );

    app.get(
      '/api/v1/me/data',
      {
        schema: {
          tags, summary: 'Everything held about the caller, as one JSON document (Decree 13/2023 right of access); the export is audited',
          response: { 200: PersonalDataView, ...errors(401) },
        },
      },
      async (req, reply) => {
        const data = await privacy.exportData(requireUser(req));
        reply.header('cache-control', 'no-store');
        return data;
      },
    );

    app.post(
      '/api/v1/me/delete-request',
      {
        schema: {
          tags, summary: 'Delete the caller’s account at once: drafts, sessions, identities and contacts go; submitted dossiers stay, the account pseudonymised',
          description: 'Citizens only (staff accounts are closed by an administrator: 403). Every session of the account ends. The request is audited.',
          response: { 200: Type.Object({ deleted: Type.Boolean(), drafts: Type.Integer(), keptDossiers: Type.Integer() }), ...errors(401, 403) },
        },
      },
      async (req, reply) => {
        const r = await privacy.deleteAccount(requireUser(req));
        reply.header('cache-control', 'no-store');
        return { deleted: true, ...r };
      },
    );
  };
}
