// The HTTP side of the composition root: the Fastify application with its plugins, language, the
// one error handler, OpenAPI, and every feature's routes. main.ts and the tests both build it here,
// so what is tested is what runs. src/http/ holds the pieces; this file puts them together.
import { calendarRoutes } from './modules/calendar/calendar.routes.ts';
import { calendarPageRoutes } from './modules/calendar/calendar.pages.routes.ts';
import { officeApiRoutes } from './modules/office/office.routes.ts';
import { statsRoutes } from './modules/stats/stats.routes.ts';
import { statsPageRoutes } from './modules/stats/stats.pages.routes.ts';
import { statsExportRoutes } from './modules/stats/stats.export.routes.ts';
import { feedbackRoutes } from './modules/feedback/feedback.routes.ts';
import { feedbackPageRoutes } from './modules/feedback/feedback.pages.routes.ts';
import { officePageRoutes } from './modules/office/office.pages.routes.ts';
import { resultsApiRoutes } from './modules/office/office.results.routes.ts';
import { verifyPageRoutes } from './modules/office/office.verify.pages.routes.ts';
import { privacyRoutes } from './modules/privacy/privacy.routes.ts';
import { privacyPageRoutes } from './modules/privacy/privacy.pages.routes.ts';
import { syncPageRoutes } from './modules/sync/sync.pages.routes.ts';
import { outreachRoutes } from './modules/outreach/outreach.routes.ts';
import { outreachPageRoutes } from './modules/outreach/outreach.pages.routes.ts';
import { postalRoutes } from './modules/postal/postal.routes.ts';
import { postalPageRoutes } from './modules/postal/postal.pages.routes.ts';
import { paymentsRoutes } from './modules/payments/payments.routes.ts';
import { paymentsPageRoutes } from './modules/payments/payments.pages.routes.ts';
import { paymentsOfficePageRoutes } from './modules/payments/payments.office.pages.routes.ts';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import { isLang, langFromHeader, messages, type Lang } from './i18n/index.ts';
import { errorPage, notFoundPage } from './web/pages.ts';
import { AppError, type FieldProblem, fail } from './errors.ts';
import { errorBody } from './http/errors.ts';
import { apiSecurityHeaders, holdsPersonalData, pageSecurityHeaders } from './http/security.ts';
import type { Services } from './services.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { unitsRoutes } from './modules/units/units.routes.ts';
import { catalogRoutes } from './modules/catalog/catalog.routes.ts';
import { catalogPageRoutes } from './modules/catalog/catalog.pages.routes.ts';
import { accountsRoutes } from './modules/accounts/accounts.routes.ts';
import { accountsPageRoutes } from './modules/accounts/accounts.pages.routes.ts';
import { dossiersRoutes } from './modules/dossiers/dossiers.routes.ts';
import { dossiersPageRoutes } from './modules/dossiers/dossiers.pages.routes.ts';
import { authenticate, secondFactorGate } from './http/auth.ts';
import { cookieName, secureCookiesFor, setCookie } from './http/cookies.ts';
import { accountsAdminPageRoutes, totpSetupPath, totpSetupAllowed } from './modules/accounts/accounts.admin.pages.routes.ts';
import { accountsSecurityRoutes } from './modules/accounts/accounts.security.routes.ts';
import { apiCsrfHook, pageContext } from './http/csrf.ts';

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
    /** Whether the request is for the JSON API (errors answer in JSON) or a page (errors answer in HTML). */
    isApi: boolean;
  }
}

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Logger, TypeBoxTypeProvider>;

const staticDir = fileURLToPath(new URL('./web/static/', import.meta.url));

/** `trustProxy` (TRUST_PROXY): whose X-Forwarded-For gives the client's address (`req.ip`, which sign-in limits count by); off by default. */
export type AppOptions = { services: Services; logger: Logger | false; publicUrl: string; trustProxy?: boolean | number | string[] };

export async function buildApp({ services, logger, publicUrl, trustProxy = false }: AppOptions): Promise<App> {
  const app = Fastify({
    // A number of hops becomes proxy-addr's test (Fastify's types name no number).
    trustProxy: typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : trustProxy,
    loggerInstance: logger || undefined,
    // A long query string is answered by the schema (q is at most 200 characters), not by the socket.
    routerOptions: { maxParamLength: 300 },
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: true, useDefaults: true } },
    frameworkErrors: (err, req, reply) => {
      const isApi = req.url.startsWith('/api/');
      const lang = langFromHeader(req.headers['accept-language']);
      sendError(reply, isApi, lang, err.code === 'FST_ERR_BAD_URL' ? new AppError('bad_encoding') : new AppError('bad_request'));
    },
    clientErrorHandler: (err, socket) => {
      // Headers too large (a huge query string) or malformed: a clean 400, never a raw socket reset.
      if (!socket.writable) return socket.destroy();
      const tooLong = (err as NodeJS.ErrnoException).code === 'HPE_HEADER_OVERFLOW';
      const body = JSON.stringify({ error: { code: tooLong ? 'request_too_long' : 'bad_request', message: messages('vi').errors[tooLong ? 'request_too_long' : 'bad_request'] } });
      socket.end(`HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest('lang', 'vi');
  app.decorateRequest('isApi', false);
  app.decorateRequest('secureCookies', false);
  const secureCookies = secureCookiesFor(publicUrl);
  app.addHook('onRequest', async (req, reply) => {
    req.isApi = req.url.startsWith('/api/') || req.url === '/openapi.json';
    req.secureCookies = secureCookies;
    reply.headers(req.isApi ? apiSecurityHeaders : pageSecurityHeaders);
    const rawQuery = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
    if (req.isApi) {
      req.lang = langFromHeader(req.headers['accept-language']);
    } else {
      const asked = /(?:^|&)lang=(vi|en)(?:&|$)/.exec(rawQuery)?.[1];
      const kept = req.headers.cookie && new RegExp(`(?:^|;\\s*)${cookieName(req, 'lang')}=(vi|en)`).exec(req.headers.cookie)?.[1];
      req.lang = isLang(asked) ? asked : isLang(kept) ? kept : 'vi';
      if (asked) setCookie(reply, 'lang', asked, { maxAge: 31536000, httpOnly: false });
    }
    try {
      decodeURIComponent(rawQuery.replace(/\+/g, ' '));
    } catch {
      fail('bad_encoding');
    }
  });

  await app.register(formbody);
  // One file per request; the size is capped again while the file streams into storage.
  await app.register(multipart, {
    limits: { files: 1, fields: 10, fieldSize: 10_000, parts: 12, fileSize: services.attachments.limits.maxFileBytes + 1 },
  });
  await app.register(fastifyStatic, { root: staticDir, prefix: '/static/', maxAge: '1d' });
  await app.register(swagger, {
    // Shared schemas appear under their own names (ProcedureSummary, Error), not def-0, def-1.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Một Cửa API',
        version: '1',
        description: 'The HTTP API of Một Cửa, an open-source platform for a Vietnamese province’s online public services.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      servers: [{ url: publicUrl }],
      components: { schemas: {} },
    },
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const appError = toAppError(err);
    // A framework error keeps the 4xx status it came with; the code only picks the words.
    const status = err instanceof AppError || err.validation ? appError.status : (err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : appError.status);
    if (status >= 500) req.log.error({ err }, 'request failed');
    sendError(reply, req.isApi, req.lang, appError, status);
  });
  app.setNotFoundHandler((req, reply) => {
    if (req.isApi) return sendError(reply, true, req.lang, new AppError('route_not_found'));
    return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage(pageContext(req, reply)).value);
  });

  app.decorateRequest('user', null);
  app.decorateRequest('sessionToken', null);
  app.addHook('preHandler', authenticate(services.accounts));
  app.addHook('preHandler', secondFactorGate(totpSetupPath, totpSetupAllowed));
  app.addHook('preHandler', apiCsrfHook(publicUrl));
  // Answers with personal data are never kept by a browser or a proxy (ASVS V8.2.1); the public
  // catalogue, statistics and static files stay cacheable.
  app.addHook('onSend', async (req, reply, payload) => {
    if (!reply.hasHeader('cache-control') && (req.user || holdsPersonalData(req.url))) reply.header('cache-control', 'no-store');
    return payload;
  });
  await app.register(healthRoutes(services));
  await app.register(accountsRoutes(services));
  await app.register(accountsPageRoutes(services));
  await app.register(accountsAdminPageRoutes(services));
  await app.register(accountsSecurityRoutes(services));
  await app.register(dossiersRoutes(services));
  await app.register(dossiersPageRoutes(services));
  await app.register(unitsRoutes(services));
  await app.register(catalogRoutes(services));
  await app.register(catalogPageRoutes(services));
  await app.register(calendarRoutes(services));
  await app.register(calendarPageRoutes(services));
  await app.register(officeApiRoutes(services));
  await app.register(statsRoutes(services));
  await app.register(statsPageRoutes(services));
  await app.register(statsExportRoutes(services));
  await app.register(feedbackRoutes(services));
  await app.register(feedbackPageRoutes(services));
  await app.register(officePageRoutes(services));
  await app.register(resultsApiRoutes(services));
  await app.register(verifyPageRoutes(services));
  await app.register(privacyRoutes(services));
  await app.register(privacyPageRoutes(services));
  await app.register(syncPageRoutes(services));
  await app.register(outreachRoutes(services));
  await app.register(outreachPageRoutes(services));
  await app.register(postalRoutes(services));
  await app.register(postalPageRoutes(services));
  await app.register(paymentsRoutes(services));
  await app.register(paymentsPageRoutes(services, publicUrl));
  await app.register(paymentsOfficePageRoutes(services.paymentsOffice, services.statements));

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}

const frameworkStatuses: Record<string, AppError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: new AppError('too_large'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: new AppError('unsupported_media_type'),
  FST_ERR_BAD_URL: new AppError('bad_encoding'),
};

function toAppError(err: FastifyError): AppError {
  if (err instanceof AppError) return err;
  if (err.validation) return new AppError('validation', { fields: fieldsFromValidation(err) });
  const known = err.code && frameworkStatuses[err.code];
  if (known) return known;
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return new AppError(err.statusCode === 404 ? 'not_found' : 'bad_request');
  return new AppError('internal');
}

/** Turns JSON-schema errors into the API's `fields`, keyed by the parameter's path. */
function fieldsFromValidation(err: FastifyError): Record<string, FieldProblem> {
  const fields: Record<string, FieldProblem> = {};
  for (const v of err.validation ?? []) {
    const params = v.params as Record<string, unknown>;
    const missing = v.keyword === 'required' ? String(params.missingProperty) : null;
    const at = [v.instancePath.replace(/^\//, '').replace(/\//g, '.'), missing].filter(Boolean).join('.') || (err.validationContext ?? 'request');
    if (fields[at]) continue;
    fields[at] = problemOf(v.keyword, params, (v as { parentSchema?: Record<string, unknown> }).parentSchema);
  }
  return fields;
}

function problemOf(keyword: string, params: Record<string, unknown>, schema: Record<string, unknown> | undefined): FieldProblem {
  switch (keyword) {
    case 'required': return { key: 'required' };
    case 'maxLength': return { key: 'tooLong', params: { max: Number(params.limit) } };
    case 'minLength': return { key: 'tooShort', params: { min: Number(params.limit) } };
    case 'maximum': return { key: 'tooBig', params: { max: Number(params.limit) } };
    case 'minimum': return { key: 'tooSmall', params: { min: Number(params.limit) } };
    case 'enum': return { key: 'notAllowed', params: { allowed: ((params.allowedValues ?? schema?.enum ?? []) as unknown[]).join(', ') } };
    case 'type': return params.type === 'integer' ? { key: 'notInteger' } : { key: 'invalid' };
    case 'format': return params.format === 'date' ? { key: 'badDate' } : { key: 'invalid' };
    case 'additionalProperties': return { key: 'notAllowedHere' };
    default: return { key: 'invalid' };
  }
}

function sendError(reply: FastifyReply, isApi: boolean, lang: Lang, e: AppError, status = e.status): FastifyReply {
  reply.code(status);
  if (e.retryAfter) reply.header('retry-after', String(e.retryAfter));
  if (isApi) return reply.type('application/json; charset=utf-8').send(errorBody(lang, e));
  const req: FastifyRequest = reply.request;
  // Framework errors come before the hooks that know the language and the user.
  const ctx = { lang, url: req.url, user: req.user ? { name: req.user.name } : null, csrf: '' };
  if (status === 404) return reply.type('text/html; charset=utf-8').send(notFoundPage(ctx).value);
  return reply.type('text/html; charset=utf-8').send(errorPage(ctx, e).value);
}

