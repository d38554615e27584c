// Wires the features' services to one database and clock. Routes and the CLI receive this.
import type { Logger } from 'pino';
import type { DbHandle } from './db/connection.ts';
import type { Clock } from './domain/time.ts';
import { CatalogService } from './modules/catalog/catalog.service.ts';
import { recordMiss } from './modules/catalog/catalog.queries.ts';
import { UnitsService } from './modules/units/units.service.ts';
import { AccountsService, type Outbox } from './modules/accounts/accounts.service.ts';
import { SecondFactor } from './modules/accounts/accounts.totp.ts';
import type { SessionLimits } from './domain/accounts.ts';
import { AccountsAdminService } from './modules/accounts/accounts.admin.service.ts';
import { OidcLogin, type OidcSettings } from './modules/accounts/accounts.oidc.ts';
import { enqueue } from './modules/notifications/notifications.queries.ts';
import { DossiersService, type UploadLimits } from './modules/dossiers/dossiers.service.ts';
import { DraftsService } from './modules/dossiers/dossiers.drafts.ts';
import { AttachmentsService } from './modules/dossiers/dossiers.attachments.ts';
import { DossierViews } from './modules/dossiers/dossiers.views.ts';
import { WorkflowService } from './modules/office/office.workflow.ts';
import { ResultsService } from './modules/office/office.results.ts';
import { ResultSigning, type SigningSettings } from './modules/office/office.signing.ts';
import { CalendarService } from './modules/calendar/calendar.service.ts';
import { OfficeService } from './modules/office/office.service.ts';
import { AuditService } from './modules/audit/audit.service.ts';
import { StatsService, recordPaymentSettled } from './modules/stats/stats.service.ts';
import { DashboardService } from './modules/stats/stats.dashboard.ts';
import { StatsExportService } from './modules/stats/stats.export.ts';
import { FeedbackService } from './modules/feedback/feedback.service.ts';
import { OutreachService } from './modules/outreach/outreach.service.ts';
import type { FileStorage } from './modules/files/files.storage.ts';
import type { Keys } from './keys.ts';
import { AesSealer, type Sealer } from './domain/sealed.ts';
import { RetentionService, type RetentionDays } from './modules/retention/retention.service.ts';
import { AccountsRetention } from './modules/accounts/accounts.retention.ts';
import { FeedbackRetention } from './modules/feedback/feedback.retention.ts';
import { NotificationsService } from './modules/notifications/notifications.service.ts';
import { PrivacyService } from './modules/privacy/privacy.service.ts';
import { PostalService } from './modules/postal/postal.service.ts';
import { PostalNetwork, loadPostOffices, loadTariff } from './modules/postal/postal.network.ts';
import { NationalSync, type NationalSyncSettings, type StandInView } from './modules/sync/sync.service.ts';
import type { VietQrPayee } from './domain/vietqr.ts';
import { VietQrMethod } from './modules/payments/payments.vietqr.ts';
import { PaymentsOffice } from './modules/payments/payments.cash.ts';
import { StatementService } from './modules/payments/payments.statement.ts';
import { PaymentsService } from './modules/payments/payments.service.ts';
import { VnpayMethod, type VnpaySettings } from './modules/payments/payments.vnpay.ts';
import { VnpaySandbox } from './modules/payments/payments.sandbox.ts';

export type Services = {
  handle: DbHandle;
  /** The secrets kept outside the database: personal-data encryption and the audit anchor. */
  keys: Keys;
  storage: FileStorage;
  settings: Settings;
  clock: Clock;
  units: UnitsService;
  catalog: CatalogService;
  accounts: AccountsService;
  /** Administering accounts: disable, enable, revoke roles, require the second factor per role. */
  accountsAdmin: AccountsAdminService;
  /** The dossier engine: every change of a dossier goes through it. */
  dossiers: DossiersService;
  drafts: DraftsService;
  attachments: AttachmentsService;
  views: DossierViews;
  workflow: WorkflowService;
  /** Result documents: attached, stamped and signed (PDF), downloaded, verified (docs/domain.md §7.3). */
  results: ResultsService;
  calendar: CalendarService;
  office: OfficeService;
  audit: AuditService;
  stats: StatsService;
  dashboard: DashboardService;
  statsExport: StatsExportService;
  feedback: FeedbackService;
  /** Campaign plans: budget, activities, evidence, the report to the People's Committee (docs/domain.md §8). */
  outreach: OutreachService;
  /** The retention rules (drafts, sessions, throttle rows, outbox, feedback contacts, sent sync events), run daily and by `motcua purge`. */
  retention: RetentionService;
  /** Consents to the privacy notice and the data subject's requests (Decree 13/2023). */
  privacy: PrivacyService;
  oidc: OidcLogin | null;
  /** The national sync: every change of a dossier reported to the national portal (docs/national-sync.md). */
  sync: NationalSync;
  /** The public postal service (Decision 45/2016): shipments, operator events, exclusions (docs/domain.md §9). */
  postal: PostalService;
  /** Payments (docs/domain.md "Payments"): requests per dossier, settling, receipts, refunds; methods registered below. */
  payments: PaymentsService;
  /** VNPay when configured (VNPAY_*), or the sandbox gateway; null: VNPay is not offered. */
  vnpay: VnpayMethod | null;
  /** Một Cửa's own VNPay sandbox gateway, when VNPAY_URL points at it (the demo, tests, practice). */
  vnpaySandbox: VnpaySandbox | null;
  /** VietQR transfers when VIETQR_* is set (or the demo's illustrative payee); null: VietQR is not offered. */
  vietqr: VietQrMethod | null;
  /** The back office's payment lists, cash at the counter, refunds paid back (docs/domain.md §8.2). */
  paymentsOffice: PaymentsOffice;
  /** Bank statements imported to reconcile VietQR transfers (docs/domain.md §8.2). */
  statements: StatementService;
};

/** Messages leave through the outbox table, in the transaction of the change they report. */
export const outbox: Outbox = { enqueue };

/** How this deployment runs: the full citizen portal, or a back office fed by the national portal. */
export type Settings = {
  mode: 'full' | 'back_office';
  nationalPortalUrl: string;
  inboundKeys: Record<string, string>;
  /** POSTAL_OPERATOR_KEYS: each postal operator's API key for POST /api/v1/shipments/{id}/events. */
  postalOperatorKeys?: Record<string, string>;
  /** Sign-in through an OpenID Connect provider (VNeID), when configured. */
  oidc?: OidcSettings | null;
  /** The national sync's receiver; null or absent: the sync is off and records nothing. */
  nationalSync?: NationalSyncSettings | null;
  /** The VietQR payee (docs/domain.md §8.2); null or absent: VietQR is not offered. */
  vietqr?: VietQrPayee | null;
  /** VNPay's terminal (VNPAY_TMN_CODE, VNPAY_HASH_SECRET, VNPAY_URL); null or absent: VNPay is not offered. */
  vnpay?: VnpaySettings | null;
};

export const defaultSettings: Settings = { mode: 'full', nationalPortalUrl: 'https://dichvucong.gov.vn', inboundKeys: {} };

export type ServiceOptions = { storage: FileStorage; uploads: UploadLimits; publicUrl: string; settings?: Settings; log?: Logger; keys: Keys; /** Session lifetimes (src/domain/accounts.ts by default; tests that move the clock by days pass longer ones). */ sessionLimits?: SessionLimits; retention?: Partial<RetentionDays>;
  /** Seals personal data at rest: AES-256-GCM under keys.data unless given (the benchmark passes a PlainSealer to measure the cost). */
  sealer?: Sealer;
  /** The demo's in-process receiver of the national sync, shown on the sync's admin page. */
  syncStandIn?: StandInView;
  /** The PKCS#12 certificate results are signed with (SIGNING_P12); absent: the demo certificate kept in the database. */
  signing?: SigningSettings | null };

export function createServices(handle: DbHandle, clock: Clock, { storage, uploads, publicUrl, settings = defaultSettings, log, keys, sessionLimits, retention: retentionDays, sealer = new AesSealer(keys.data, keys.previousData), syncStandIn, signing }: ServiceOptions): Services {
  const units = new UnitsService(handle.db);
  const catalog = new CatalogService(handle.db, units, clock, (query) => {
    recordMiss(handle.db, query, clock.now().toISOString()).catch((err) => log?.warn({ err }, 'could not record a search miss'));
  });
  const accounts = new AccountsService(handle.db, units, clock, outbox, keys.audit, new SecondFactor(handle.db, clock, sealer, keys.audit), sessionLimits);
  const accountsAdmin = new AccountsAdminService(handle.db, units, accounts, clock, keys.audit);
  const calendar = new CalendarService(handle.db, clock, keys.audit);
  // The sync reads dossiers through their service, bound late: the dossiers service records its changes through the sync.
  const sync = new NationalSync(handle.db, catalog, clock, settings.nationalSync ?? null, {
    results: (id) => dossiers.results(id), reported: (by, db) => dossiers.reported(by, db), hold: (tx, id) => dossiers.hold(tx, id),
  }, syncStandIn ?? null);
  const dossiers = new DossiersService(handle.db, catalog, units, clock, outbox, calendar.forDossiers(), publicUrl, keys.audit, sealer, sync);
  const views = new DossierViews(handle.db, dossiers, catalog, units, clock);
  const drafts = new DraftsService(handle.db, dossiers, views, catalog, storage, clock, settings.mode === 'back_office');
  const attachments = new AttachmentsService(handle.db, dossiers, catalog, storage, clock, uploads);
  const workflow = new WorkflowService(handle.db, dossiers, catalog, calendar.forDossiers(), clock, views);
  const results = new ResultsService(handle.db, dossiers, catalog, storage, clock, new ResultSigning(handle.db, sealer, signing ?? null, () => clock.now()), publicUrl, uploads.maxFileBytes);
  const office = new OfficeService(handle.db, catalog, dossiers, workflow, calendar, clock, outbox, publicUrl, views);
  const oidc = settings.oidc ? new OidcLogin(settings.oidc, publicUrl) : null;
  const stats = new StatsService(handle.db, catalog);
  const postal = new PostalService(handle.db, dossiers, catalog, new PostalNetwork(loadPostOffices(), loadTariff(), catalog), clock, sealer);
  dossiers.observe(postal);
  const payments = new PaymentsService(handle.db, dossiers, catalog, clock, keys.audit);
  dossiers.observe(payments);
  payments.onSettled(recordPaymentSettled);
  const vnpay = settings.vnpay ? new VnpayMethod(payments, settings.vnpay, clock, publicUrl) : null;
  if (vnpay) payments.register(vnpay);
  const vietqr = settings.vietqr ? new VietQrMethod(payments, settings.vietqr) : null;
  if (vietqr) payments.register(vietqr);
  const paymentsOffice = new PaymentsOffice(handle.db, payments, dossiers, catalog, clock, keys.audit);
  const statements = new StatementService(handle.db, payments, clock);
  // The sandbox keeps its own copy of the terminal's code and secret, as a real gateway would.
  const vnpaySandbox = settings.vnpay?.sandbox ? new VnpaySandbox({ tmnCode: settings.vnpay.tmnCode, hashSecret: settings.vnpay.hashSecret }, clock) : null;
  return { payments, vnpay, vnpaySandbox, vietqr, paymentsOffice, statements, postal, handle, keys, storage, settings, clock, units, catalog, accounts, accountsAdmin, dossiers, drafts, attachments, views, workflow, results, calendar, office, audit: new AuditService(handle.db, keys.audit), stats,
    feedback: new FeedbackService(handle.db, dossiers, catalog, clock, outbox, publicUrl), oidc, sync,
    privacy: new PrivacyService(handle.db, views, drafts, clock, keys.audit),
    dashboard: new DashboardService(handle.db, catalog, stats),
    retention: retentionService(handle, clock, drafts, sync, retentionDays),
    outreach: new OutreachService(handle.db, catalog, stats, storage, clock, uploads),
    statsExport: new StatsExportService(handle.db, stats, catalog, office, clock) };
}

/** Each retention rule carried out by the module that owns the data. */
function retentionService(handle: DbHandle, clock: Clock, drafts: DraftsService, sync: NationalSync, days?: Partial<RetentionDays>): RetentionService {
  const accounts = new AccountsRetention(handle.db, clock);
  const feedback = new FeedbackRetention(handle.db, clock);
  const notifications = new NotificationsService(handle.db, clock);
  return new RetentionService({
    drafts: (d) => drafts.sweep(d),
    sessions: (d) => accounts.purgeSessions(d),
    throttle: (d) => accounts.purgeThrottle(d),
    outbox: (sent, failed) => notifications.purge(sent, failed),
    feedbackContacts: (d) => feedback.clearContacts(d),
    syncSent: (d) => sync.purgeSent(d),
  }, days);
}
