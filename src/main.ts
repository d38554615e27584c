// Starting and stopping the server: configuration, database, migrations, services, HTTP.
import pino, { type DestinationStream, type Logger } from 'pino';
import fs from 'node:fs';
import path from 'node:path';
import { demoVnpay, loadConfig, type Config } from './config.ts';
import { openDatabase, type DbHandle } from './db/connection.ts';
import { migrateToLatest } from './db/migrate.ts';
import { isDemoLoaded, seedDemo } from './seed/demo.ts';
import { systemClock, vietnamDay } from './domain/time.ts';
import { buildApp } from './app.ts';
import { createServices, type Services } from './services.ts';
import { loadKeys } from './keys.ts';
import { readReference } from './reference.ts';
import { holidaysFile } from './modules/calendar/calendar.service.ts';
import { loadWorkflowTemplates } from './modules/office/office.templates.ts';
import { createTransports } from './modules/notifications/notifications.transports.ts';
import { NotificationWorker } from './modules/notifications/notifications.worker.ts';
import { createStorage } from './modules/files/files.storage.ts';
import { SyncWorker } from './modules/sync/sync.worker.ts';
import { SyncStandIn } from './modules/sync/sync.standin.ts';
import { defaultSyncTimeoutMs, publicTarget, type StandInView } from './modules/sync/sync.service.ts';
import { randomBytes } from 'node:crypto';
import { illustrativePayee } from './domain/vietqr.ts';

export function openFromConfig(config: Config): DbHandle {
  return openDatabase({ databaseUrl: config.databaseUrl, sqliteFile: path.join(config.dataDir, 'motcua.db') });
}

/** The services as this deployment is configured: the server and every CLI command build them here. */
export function servicesFromConfig(handle: DbHandle, config: Config, log?: Logger, syncStandIn?: StandInView): Services {
  const storage = createStorage({ dataDir: config.dataDir, s3: config.s3 ?? undefined });
  const { keys, generated, file } = loadKeys(config.keys);
  if (generated.length) log?.warn({ generated, file }, `generated ${generated.join(' and ')} for this demo and kept them beside the database; set them in the environment for a real deployment (NODE_ENV=production requires them)`);
  const settings = { mode: config.mode, nationalPortalUrl: config.nationalPortalUrl, inboundKeys: config.inboundKeys, postalOperatorKeys: config.postalOperatorKeys, oidc: config.oidc, nationalSync: config.nationalSync, vietqr: config.vietqr, vnpay: config.vnpay };
  const signing = config.signing ? { p12: fs.readFileSync(config.signing.p12Path), password: config.signing.password } : null;
  return createServices(handle, systemClock, { storage, uploads: config.uploads, publicUrl: config.publicUrl, settings, log, keys, retention: config.retentionDays, syncStandIn, signing });
}

/** Fields whose values never reach a log (OWASP ASVS V7.1.1, V7.1.2, V8.3.5): credentials, keys,
 *  tokens, one-time codes and personal data, at the top of a log object and one level down. */
const secretFields = [
  'password', 'newPassword', 'currentPassword', 'token', 'accessToken', 'refreshToken', 'idToken', 'sessionToken', 'key', 'apiKey',
  'secret', 'clientSecret', 'code', 'totp', 'otp', 'idNumber', 'nationalId', 'cccd', 'phone', 'email', 'text', 'body', 'params',
];

export const logRedactPaths = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]',
  ...secretFields, ...secretFields.map((f) => `*.${f}`),
];

/** A request's URL for the log: the path only. A query string can carry a tracking key, a one-time
 *  code or a search for a name (`/tra-cuu/ABC?key=…` is logged as `/tra-cuu/ABC`). */
export function pathOnly(url: string): string {
  const q = url.search(/[?#]/);
  return q === -1 ? url : url.slice(0, q);
}

type LoggedRequest = { method?: string; url?: string; ip?: string; socket?: { remotePort?: number } };

/** The server's logger: JSON lines on stdout (or `stream`, for tests), with secrets redacted and
 *  request URLs without their query strings. */
export function createLogger(config: Pick<Config, 'logLevel'>, stream?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'motcua' },
    redact: { paths: logRedactPaths, censor: '[Redacted]' },
    serializers: {
      // Fastify's request serializer, without the query string and without the host header.
      req: (req: LoggedRequest) => ({ method: req.method, url: pathOnly(req.url ?? ''), remoteAddress: req.ip, remotePort: req.socket?.remotePort }),
    },
  };
  return stream ? pino(options, stream) : pino(options);
}

/**
 * One warning at start listing the units valid today that receive dossiers but have no electronic
 * agency identifier: intake there fails (409 unit_without_identifier) until one is set. Unit ids
 * and names are not personal data. Answers the units warned of.
 */
export async function warnUnitsWithoutIdentifier(services: Pick<Services, 'units'>, log: Pick<Logger, 'warn'>, now: Date): Promise<string[]> {
  const missing = await services.units.unitsWithoutIdentifier(vietnamDay(now));
  const units = missing.map((u) => `${u.id} (${u.name})`);
  if (units.length) log.warn({ units }, `${units.length} unit(s) have no electronic agency identifier and cannot issue dossier codes until one is set`);
  return units;
}

/** Opens the certificate results are signed with; warns when it is the self-signed demo one. Answers whether it is. */
export async function warnDemoSigning(services: Pick<Services, 'results'>, log: Pick<Logger, 'warn'>): Promise<boolean> {
  const cert = await services.results.signing.certificate();
  if (cert.demo) log.warn({ signer: cert.signer, sha256: cert.sha256 }, 'results are signed with a self-signed demo certificate, kept sealed in the database: set SIGNING_P12 and SIGNING_P12_PASSWORD to sign with a real one');
  return cert.demo;
}

export async function serve(opts: { demo: boolean }): Promise<void> {
  let config = loadConfig();
  const log = createLogger(config);
  const handle = openFromConfig(config);
  const applied = await migrateToLatest(handle.db);
  if (applied.length) log.info({ applied }, 'migrations applied');
  if (opts.demo && !(await isDemoLoaded(handle.db))) {
    log.info('loading the demo data (first start)');
    log.info(await seedDemo(handle.db, systemClock.now()), 'demo data loaded');
  }
  // A demo without a national receiver reports to an in-process stand-in, shown on /quan-tri/dong-bo-quoc-gia.
  let standIn: SyncStandIn | null = null;
  if (opts.demo && !config.nationalSync) {
    standIn = await SyncStandIn.start({ key: randomBytes(24).toString('base64url'), keep: 1000 });
    config = { ...config, nationalSync: { url: standIn.url, key: standIn.key, timeoutMs: defaultSyncTimeoutMs } };
    log.info({ url: standIn.url }, 'national sync: NATIONAL_SYNC_URL is unset, so this demo reports dossier changes to an in-process stand-in receiver');
  }
  // A demo without a VietQR payee shows a made-up one, marked as such on every page that shows it.
  if (opts.demo && !config.vietqr) {
    config = { ...config, vietqr: illustrativePayee };
    log.info('VietQR: VIETQR_* is unset, so this demo shows an illustrative payee account (marked as such; it receives nothing)');
  }
  // A demo without VNPay pays through Một Cửa's own sandbox gateway (a demo terminal; no money moves).
  if (opts.demo && !config.vnpay) {
    config = { ...config, vnpay: demoVnpay(config.publicUrl) };
    log.info('VNPay: VNPAY_* is unset, so this demo pays through the built-in sandbox gateway (no money moves)');
  }
  const services = servicesFromConfig(handle, config, log, standIn ?? undefined);
  await services.catalog.load();
  await warnUnitsWithoutIdentifier(services, log, systemClock.now());
  // The signing certificate is opened (a bad SIGNING_P12_PASSWORD stops the start), or the demo one made and kept.
  await warnDemoSigning(services, log);
  // The instance that applied the migrations recomputes the statistics when one of them asks for it.
  if (applied.length) {
    const rebuilt = await services.stats.rebuildIfNeeded();
    if (rebuilt) log.info(rebuilt, 'statistics rebuilt after the migrations');
  }
  // The official days off are reference data, loaded (once per year) with or without the demo.
  await services.calendar.seedFromJson(readReference(holidaysFile));
  // Workflow templates are configuration kept as data: the file wins at every start.
  const workflows = await loadWorkflowTemplates(handle.db, systemClock.now());
  if (workflows.skipped.length) log.warn({ skipped: workflows.skipped }, 'workflow templates for procedures this catalogue lacks were skipped');
  const app = await buildApp({ services, logger: log, publicUrl: config.publicUrl, trustProxy: config.trustProxy });
  const refresh = config.catalogRefreshMs
    ? setInterval(() => services.catalog.refreshIfChanged().catch((err) => log.warn({ err }, 'catalogue refresh failed')), config.catalogRefreshMs)
    : undefined;
  refresh?.unref();
  const transports = createTransports({ mode: config.notifyMode, smtpUrl: config.smtpUrl, from: config.mailFrom, sms: config.sms, log });
  const worker = new NotificationWorker({ ...transports, db: handle.db, clock: systemClock, log });
  worker.start(config.outboxPollMs);
  const syncWorker = config.nationalSync ? new SyncWorker({ db: handle.db, clock: systemClock, settings: config.nationalSync, log }) : null;
  syncWorker?.start(config.outboxPollMs);
  // Once a day, the retention rules (motcua purge does the same by hand): abandoned drafts and orphan
  // files, expired sessions, idle sign-in counters, old outbox rows, old feedback contacts, old sent
  // national sync events.
  const sweep = setInterval(() => {
    services.retention.purge().then((r) => log.info({ purged: r }, 'retention rules applied'), (err) => log.warn({ err }, 'retention purge failed'));
  }, 24 * 3600_000);
  sweep.unref();
  // Every hour from 07:00 Vietnam time: handlers hear of late and soon-due dossiers, once a day each.
  const remind = setInterval(() => {
    if (new Date(Date.now() + 7 * 3600_000).getUTCHours() < 7) return;
    services.office.remindHandlers().then((r) => r.dossiers && log.info(r, 'due-date reminders written'), (err) => log.warn({ err }, 'reminders failed'));
  }, 3600_000);
  remind.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing requests in flight');
    clearInterval(refresh);
    clearInterval(sweep);
    clearInterval(remind);
    const force = setTimeout(() => {
      log.error('shutdown took over 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    await app.close();
    await worker.stop();
    await syncWorker?.stop();
    await standIn?.close();
    await handle.close();
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  log.info(
    { database: handle.location, dialect: handle.dialect, procedures: services.catalog.size, notifications: config.notifyMode, nationalSync: config.nationalSync ? publicTarget(config.nationalSync.url) : 'off' },
    `Một Cửa is serving ${config.publicUrl}`,
  );
}
