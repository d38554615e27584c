// How long the portal keeps what it no longer needs (Decree 13/2023/NĐ-CP: personal data kept only
// as long as its purpose needs; OWASP ASVS V8.3.8). One table of rules with their defaults, each
// overridable by an environment variable (config.ts reads them, README.md lists them). Each rule is
// carried out by the module that owns the data, through its service: this service only runs them,
// daily in the server (main.ts) and on demand with `motcua purge`.
export const retentionRules = {
  drafts: { env: 'DRAFT_RETENTION_DAYS', days: 30, what: 'drafts untouched this long are deleted with their files (and files no dossier records)' },
  sessions: { env: 'SESSION_RETENTION_DAYS', days: 1, what: 'sessions expired this long ago are deleted' },
  throttle: { env: 'THROTTLE_RETENTION_DAYS', days: 1, what: 'sign-in failure counters untouched this long (and not locking) are deleted' },
  outboxSent: { env: 'OUTBOX_RETENTION_DAYS', days: 30, what: 'sent messages are deleted this long after sending' },
  outboxFailed: { env: 'OUTBOX_FAILED_RETENTION_DAYS', days: 90, what: 'failed messages are deleted this long after they were written' },
  feedbackContacts: { env: 'FEEDBACK_CONTACT_RETENTION_DAYS', days: 90, what: 'the name and contact on answered feedback are cleared this long after the answer' },
  syncSent: { env: 'SYNC_EVENT_RETENTION_DAYS', days: 90, what: 'events delivered to the national portal are deleted this long after sending (pending ones never are)' },
} as const;

export type RetentionRule = keyof typeof retentionRules;
export type RetentionDays = Record<RetentionRule, number>;

export const defaultRetentionDays: RetentionDays = Object.fromEntries(
  Object.entries(retentionRules).map(([rule, r]) => [rule, r.days]),
) as RetentionDays;

/** What each owning service does for a rule, given the rule's days (each service reads its clock). */
export type RetentionTasks = {
  drafts(days: number): Promise<{ drafts: number; files: number }>;
  sessions(days: number): Promise<number>;
  throttle(days: number): Promise<number>;
  outbox(sentDays: number, failedDays: number): Promise<{ sent: number; failed: number }>;
  feedbackContacts(days: number): Promise<number>;
  syncSent(days: number): Promise<number>;
};

export type PurgeResult = { drafts: number; files: number; sessions: number; throttle: number; outboxSent: number; outboxFailed: number; feedbackContacts: number; syncSent: number };

export class RetentionService {
  readonly days: RetentionDays;

  constructor(private readonly tasks: RetentionTasks, days: Partial<RetentionDays> = {}) {
    this.days = { ...defaultRetentionDays, ...days };
  }

  /** Runs every rule once; returns how many rows (and files) each removed or cleared. */
  async purge(): Promise<PurgeResult> {
    const d = this.days;
    const { drafts, files } = await this.tasks.drafts(d.drafts);
    const sessions = await this.tasks.sessions(d.sessions);
    const throttle = await this.tasks.throttle(d.throttle);
    const outbox = await this.tasks.outbox(d.outboxSent, d.outboxFailed);
    const feedbackContacts = await this.tasks.feedbackContacts(d.feedbackContacts);
    const syncSent = await this.tasks.syncSent(d.syncSent);
    return { drafts, files, sessions, throttle, outboxSent: outbox.sent, outboxFailed: outbox.failed, feedbackContacts, syncSent };
  }
}
