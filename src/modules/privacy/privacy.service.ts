// Personal data under Decree 13/2023/NĐ-CP: the privacy notice's version, the consents given to
// it (at registration and at each filing), and the data subject's requests: a copy of their data
// as JSON, and deletion of what the law allows (drafts, sessions, identities, contacts), the
// account kept pseudonymised because submitted dossiers are records of the state's procedures.
// Both requests are written to the audit log. docs/privacy.md says what is kept and why.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import type { Clock } from '../../domain/time.ts';
import { staffRoles } from '../../domain/roles.ts';
import { isSatisfaction, satisfactionOfScore, type Satisfaction } from '../../domain/stats.ts';
import { fail, invalid } from '../../errors.ts';
import type { Lang } from '../../i18n/index.ts';
import type { SessionUser } from '../accounts/accounts.service.ts';
import { appendAudit } from '../audit/audit.service.ts';
import type { DraftsService } from '../dossiers/dossiers.drafts.ts';
import type { DossierView, DossierViews } from '../dossiers/dossiers.views.ts';
import * as q from './privacy.queries.ts';

/** The privacy notice in force (its date): a new wording of `privacy.notice` in the i18n files gets a new version. */
export const noticeVersion = '2026-12-03';

export type ConsentPurpose = 'registration' | 'dossier';

/** What a request's body says about consent: `consent: true`, or the notice version the client showed. */
export type ConsentInput = { consent?: boolean; consentVersion?: string };

export type Consent = { purpose: ConsentPurpose; dossierId: string | null; noticeVersion: string; channel: string; givenAt: string; withdrawnAt: string | null };

export type PersonalData = {
  exportedAt: string;
  noticeVersion: string;
  account: { id: string; name: string; username: string; email: string | null; phone: string | null; verifiedAt: string | null; createdAt: string; roles: Array<{ role: string; unitId: string | null }> };
  identities: Array<{ issuer: string; subject: string; createdAt: string }>;
  sessions: Array<{ kind: string; createdAt: string; expiresAt: string; lastSeenAt: string }>;
  consents: Consent[];
  dossiers: DossierView[];
  /** `satisfaction` on the national three-level scale; `score` (1–5, the older scale) null when it was not given. */
  ratings: Array<{ dossierId: string; dossierCode: string | null; satisfaction: Satisfaction | null; score: number | null; comment: string | null; createdAt: string }>;
  feedback: Array<{ id: string; unitId: string; procedureId: string | null; dossierCode: string | null; name: string; contact: string; subject: string; body: string; createdAt: string; status: string; answer: string | null; answeredAt: string | null; published: boolean }>;
};

const staff = new Set<string>(staffRoles);

export class PrivacyService {
  constructor(
    private readonly db: Db,
    private readonly views: DossierViews,
    private readonly drafts: DraftsService,
    private readonly clock: Clock,
    /** AUDIT_KEY: appendAudit signs the chain's head with it (added by the audit-anchor change). */
    private readonly auditKey: Buffer,
  ) {}

  readonly noticeVersion = noticeVersion;

  /**
   * The notice version a request consents to, or null when it says nothing (API clients written
   * before consent existed keep working; the pages always ask). A version other than the one in
   * force is refused: the person was shown an old notice.
   */
  consentAsked(input: ConsentInput | undefined): string | null {
    // The submit API reads an optional body without a schema: anything but an object says nothing.
    const body: ConsentInput = input && typeof input === 'object' ? input : {};
    if (body.consentVersion !== undefined) {
      if (body.consentVersion !== noticeVersion) throw invalid({ consentVersion: { key: 'consentOutdated', params: { version: noticeVersion } } });
      return noticeVersion;
    }
    if (body.consent !== undefined && typeof body.consent !== 'boolean') throw invalid({ consent: { key: 'invalid' } });
    return body.consent === true ? noticeVersion : null;
  }

  /** Records that a person consented to the notice, for registration or for one dossier. */
  async recordConsent(userId: string, c: { purpose: ConsentPurpose; dossierId?: string | null; channel: 'page' | 'api'; version?: string }): Promise<void> {
    await q.insertConsent(this.db, {
      id: randomUUID(), user_id: userId, purpose: c.purpose, dossier_id: c.dossierId ?? null,
      notice_version: c.version ?? noticeVersion, channel: c.channel, given_at: this.clock.now().toISOString(),
    });
  }

  /**
   * Submits a draft (through the drafts service) and records the consent given for it. The pages
   * require consent (`required`); the API records it when the body carries it. A refused consent
   * version fails before anything is submitted.
   */
  async submitDossier(user: SessionUser, id: string, lang: Lang, o: { consent: ConsentInput | undefined; channel: 'page' | 'api'; required: boolean }) {
    const version = this.consentAsked(o.consent);
    if (o.required && !version) throw invalid({ consent: { key: 'consentRequired' } });
    const submitted = await this.drafts.submit(user, id, lang);
    if (version && !(await q.hasDossierConsent(this.db, user.id, id))) {
      await this.recordConsent(user.id, { purpose: 'dossier', dossierId: id, channel: o.channel, version });
    }
    return submitted;
  }

  async consents(userId: string): Promise<Consent[]> {
    return (await q.consentsOf(this.db, userId)).map((r) => ({
      purpose: r.purpose as ConsentPurpose, dossierId: r.dossier_id, noticeVersion: r.notice_version, channel: r.channel, givenAt: r.given_at, withdrawnAt: r.withdrawn_at,
    }));
  }

  /** Everything Một Cửa holds about the signed-in person, as one JSON document; the export is audited. */
  async exportData(user: SessionUser): Promise<PersonalData> {
    const now = this.clock.now().toISOString();
    const account = await q.findAccount(this.db, user.id);
    if (!account) fail('not_signed_in');
    const dossiers: DossierView[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await this.views.listMine(user, 100, offset);
      dossiers.push(...page.items);
      if (page.items.length < 100) break;
    }
    const contacts = contactsOf(account);
    const [identities, sessions, consents, ratings, feedback] = await Promise.all([
      q.identitiesOf(this.db, user.id), q.sessionsOf(this.db, user.id), this.consents(user.id), q.ratingsOf(this.db, user.id), q.feedbackFrom(this.db, contacts),
    ]);
    await this.db.transaction().execute((tx) =>
      appendAudit(tx, { at: now, kind: 'personal_data_export', actorId: user.id, subject: `user:${user.id}`, data: { dossiers: dossiers.length } }, this.auditKey));
    return {
      exportedAt: now,
      noticeVersion,
      account: {
        id: account.id, name: account.name, username: account.username, email: account.email, phone: account.phone,
        verifiedAt: account.verified_at, createdAt: account.created_at, roles: user.roles.map((r) => ({ role: r.role, unitId: r.unitId })),
      },
      identities: identities.map((i) => ({ issuer: i.issuer, subject: i.subject, createdAt: i.created_at })),
      sessions: sessions.map((s) => ({ kind: s.kind, createdAt: s.created_at, expiresAt: s.expires_at, lastSeenAt: s.last_seen_at })),
      consents,
      dossiers,
      ratings: ratings.map((r) => {
        // A rating on the three-level scale alone stores score 0 (the column cannot be empty): not a score.
        const score = r.score >= 1 ? r.score : null;
        const satisfaction = isSatisfaction(r.satisfaction) ? r.satisfaction : score !== null ? satisfactionOfScore(score) : null;
        return { dossierId: r.dossier_id, dossierCode: r.code, satisfaction, score, comment: r.comment, createdAt: r.created_at };
      }),
      feedback: feedback.map((f) => ({
        id: f.id, unitId: f.unit_id, procedureId: f.procedure_id, dossierCode: f.dossier_code, name: f.name, contact: f.contact, subject: f.subject, body: f.body,
        createdAt: f.created_at, status: f.status, answer: f.answer, answeredAt: f.answered_at, published: f.published === 1,
      })),
    };
  }

  /**
   * A citizen's request to delete their data, carried out at once: drafts and their files go (through
   * the drafts service), then, in one transaction, sessions, identities, codes and contacts, and the
   * account is pseudonymised; submitted dossiers and their logs stay as the state's records. Staff
   * accounts are closed by an administrator, not here (403).
   */
  async deleteAccount(user: SessionUser): Promise<{ drafts: number; keptDossiers: number }> {
    if (user.roles.some((r) => staff.has(r.role))) fail('forbidden');
    const account = await q.findAccount(this.db, user.id);
    if (!account || account.deleted_at) fail('not_signed_in');
    const drafts = await this.drafts.discardDraftsOf(user.id);
    const keptDossiers = (await this.views.listMine(user, 1, 0)).total;
    const now = this.clock.now().toISOString();
    await this.db.transaction().execute(async (tx) => {
      await q.pseudonymise(tx, { id: account.id, username: account.username, contacts: contactsOf(account) }, now);
      await appendAudit(tx, { at: now, kind: 'deletion_request', actorId: user.id, subject: `user:${user.id}`, data: { drafts, keptDossiers } }, this.auditKey);
    });
    return { drafts, keptDossiers };
  }
}

function contactsOf(account: { username: string; email: string | null; phone: string | null }): string[] {
  return [...new Set([account.username, account.email, account.phone].filter((c): c is string => !!c))];
}
