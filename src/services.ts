// Wires the features' services to one database and clock. Routes and the CLI receive this.
import type { Logger } from 'pino';
import type { DbHandle } from './db/connection.ts';
import type { Clock } from './domain/time.ts';
import { CatalogService } from './modules/catalog/catalog.service.ts';
import { recordMiss } from './modules/catalog/catalog.queries.ts';
import { UnitsService } from './modules/units/units.service.ts';
import { AccountsService, type Outbox } from './modules/accounts/accounts.service.ts';
import { OidcLogin, type OidcSettings } from './modules/accounts/accounts.oidc.ts';
import { enqueue } from './modules/notifications/notifications.queries.ts';
import { DossiersService, type UploadLimits } from './modules/dossiers/dossiers.service.ts';
import { DraftsService } from './modules/dossiers/dossiers.drafts.ts';
import { AttachmentsService } from './modules/dossiers/dossiers.attachments.ts';
import { DossierViews } from './modules/dossiers/dossiers.views.ts';
import { WorkflowService } from './modules/office/office.workflow.ts';
import { CalendarService } from './modules/calendar/calendar.service.ts';
import { OfficeService } from './modules/office/office.service.ts';
import { AuditService } from './modules/audit/audit.service.ts';
import { StatsService } from './modules/stats/stats.service.ts';
import { DashboardService } from './modules/stats/stats.dashboard.ts';
import { StatsExportService } from './modules/stats/stats.export.ts';
import { FeedbackService } from './modules/feedback/feedback.service.ts';
import type { FileStorage } from './modules/files/files.storage.ts';
import type { Keys } from './keys.ts';

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
  /** The dossier engine: every change of a dossier goes through it. */
  dossiers: DossiersService;
  drafts: DraftsService;
  attachments: AttachmentsService;
  views: DossierViews;
  workflow: WorkflowService;
  calendar: CalendarService;
  office: OfficeService;
  audit: AuditService;
  stats: StatsService;
  dashboard: DashboardService;
  statsExport: StatsExportService;
  feedback: FeedbackService;
  oidc: OidcLogin | null;
};

/** Messages leave through the outbox table, in the transaction of the change they report. */
export const outbox: Outbox = { enqueue };

/** How this deployment runs: the full citizen portal, or a back office fed by the national portal. */
export type Settings = {
  mode: 'full' | 'back_office';
  nationalPortalUrl: string;
  inboundKeys: Record<string, string>;
  /** Sign-in through an OpenID Connect provider (VNeID), when configured. */
  oidc?: OidcSettings | null;
};

export const defaultSettings: Settings = { mode: 'full', nationalPortalUrl: 'https://dichvucong.gov.vn', inboundKeys: {} };

export type ServiceOptions = { storage: FileStorage; uploads: UploadLimits; publicUrl: string; settings?: Settings; log?: Logger; keys: Keys };

export function createServices(handle: DbHandle, clock: Clock, { storage, uploads, publicUrl, settings = defaultSettings, log, keys }: ServiceOptions): Services {
  const units = new UnitsService(handle.db);
  const catalog = new CatalogService(handle.db, units, clock, (query) => {
    recordMiss(handle.db, query, clock.now().toISOString()).catch((err) => log?.warn({ err }, 'could not record a search miss'));
  });
  const accounts = new AccountsService(handle.db, units, clock, outbox);
  const calendar = new CalendarService(handle.db, clock);
  const dossiers = new DossiersService(handle.db, catalog, units, clock, outbox, calendar.forDossiers(), publicUrl);
  const views = new DossierViews(handle.db, dossiers, catalog, units, clock);
  const drafts = new DraftsService(handle.db, dossiers, views, catalog, storage, clock, settings.mode === 'back_office');
  const attachments = new AttachmentsService(handle.db, dossiers, catalog, storage, clock, uploads);
  const workflow = new WorkflowService(handle.db, dossiers, catalog, calendar.forDossiers(), storage, clock, uploads.maxFileBytes, views);
  const office = new OfficeService(handle.db, catalog, dossiers, workflow, calendar, clock, outbox, publicUrl, views);
  const oidc = settings.oidc ? new OidcLogin(settings.oidc, publicUrl) : null;
  const stats = new StatsService(handle.db, catalog);
  return { handle, keys, storage, settings, clock, units, catalog, accounts, dossiers, drafts, attachments, views, workflow, calendar, office, audit: new AuditService(handle.db), stats,
    feedback: new FeedbackService(handle.db, dossiers, catalog, clock, outbox, publicUrl), oidc,
    dashboard: new DashboardService(handle.db, catalog, stats),
    statsExport: new StatsExportService(handle.db, stats, catalog, office, clock) };
}
