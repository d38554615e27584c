// Satisfaction and feedback: an applicant rates a returned dossier on the national three-level
// scale (counted in the daily statistics); anyone may send feedback (phản ánh, kiến nghị) to a unit, which answers it
// from its queue and may publish the answer.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import { parseUsername } from '../../domain/accounts.ts';
import { covers } from '../../domain/roles.ts';
import type { Clock } from '../../domain/time.ts';
import { invalid, type FieldProblem, fail } from '../../errors.ts';
import { messages, type Lang } from '../../i18n/index.ts';
import { stripPersonalData } from '../../domain/personal-text.ts';
import type { Outbox, SessionUser } from '../accounts/accounts.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { DossiersService } from '../dossiers/dossiers.service.ts';
import { isSatisfaction, satisfactionOfScore, type Satisfaction } from '../../domain/stats.ts';
import { recordRating } from '../stats/stats.service.ts';
import * as q from './feedback.queries.ts';

/** Who answers feedback for a unit: its one-stop desk and its administrators. */
const answerers = new Set(['reception', 'unit_admin', 'province_admin']);

export type FeedbackInput = { unitId?: unknown; procedureId?: unknown; dossierCode?: unknown; name?: unknown; contact?: unknown; subject?: unknown; body?: unknown };

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

export class FeedbackService {
  constructor(
    private readonly db: Db,
    private readonly dossiers: DossiersService,
    private readonly catalog: CatalogService,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    /** The portal's address, for the link in the answer's message. */
    private readonly publicUrl: string,
  ) {}

  /**
   * The applicant's rating of their dossier, once its result was returned; one per dossier. The
   * national three-level scale (`satisfaction`); the older five-level `score` is still taken and
   * mapped (5 very satisfied, 3–4 satisfied, 1–2 dissatisfied). Given both, they must agree. The
   * row keeps the score when one was given, else 0 (`ratings.score` cannot be empty).
   */
  async rate(user: SessionUser, dossierId: string, input: { satisfaction?: unknown; score?: unknown; comment?: unknown }) {
    const row = await this.dossiers.visible(user, dossierId);
    if (row.owner_id !== user.id) fail('forbidden');
    const given = input.score !== undefined && input.score !== null && input.score !== '';
    const score = given ? Number(input.score) : null;
    const chosen = input.satisfaction === undefined || input.satisfaction === null || input.satisfaction === '' ? null : input.satisfaction;
    const comment = text(input.comment);
    const problems: Record<string, FieldProblem> = {};
    if (score !== null && (!Number.isInteger(score) || score < 1 || score > 5)) problems.score = { key: 'chooseOne' };
    if ((chosen !== null && !isSatisfaction(chosen)) || (chosen === null && score === null)) problems.satisfaction = { key: 'chooseSatisfaction' };
    else if (chosen !== null && score !== null && !problems.score && satisfactionOfScore(score) !== chosen) problems.satisfaction = { key: 'satisfactionMismatch' };
    if (comment.length > 1000) problems.comment = { key: 'tooLong', params: { max: 1000 } };
    if (Object.keys(problems).length) throw invalid(problems);
    const satisfaction: Satisfaction = isSatisfaction(chosen) ? chosen : satisfactionOfScore(score!);
    if (row.status !== 'returned') fail('invalid_transition');
    if (await q.findRating(this.db, row.id)) fail('already_rated');
    const now = this.clock.now();
    await this.db.transaction().execute(async (tx) => {
      await q.insertRating(tx, { dossier_id: row.id, score: score ?? 0, satisfaction, comment: comment || null, created_at: now.toISOString() });
      await recordRating(tx, row, satisfaction, now);
    });
    return { dossierId: row.id, satisfaction, score, comment: comment || null };
  }

  async ratingOf(user: SessionUser, dossierId: string) {
    const row = await this.dossiers.visible(user, dossierId);
    return { row, rating: await q.findRating(this.db, row.id) };
  }

  ratedAmong(ids: readonly string[]): Promise<Set<string>> {
    return q.ratedAmong(this.db, ids);
  }

  /** Feedback from anyone, signed in or not, to a unit. */
  async submit(input: FeedbackInput): Promise<{ id: string }> {
    const f = {
      unitId: text(input.unitId), procedureId: text(input.procedureId), dossierCode: text(input.dossierCode),
      name: text(input.name), contact: text(input.contact), subject: text(input.subject), body: text(input.body),
    };
    const problems: Record<string, FieldProblem> = {};
    if (!f.unitId) problems.unitId = { key: 'required' };
    else if (!this.catalog.unit(f.unitId)) problems.unitId = { key: 'unknownUnit' };
    if (f.procedureId && !this.catalog.find(f.procedureId)) problems.procedureId = { key: 'unknownProcedure' };
    if (f.dossierCode.length > 40) problems.dossierCode = { key: 'tooLong', params: { max: 40 } };
    for (const [key, max] of [['name', 100], ['subject', 200], ['body', 4000]] as const) {
      if (!f[key]) problems[key] = { key: 'required' };
      else if (f[key].length > max) problems[key] = { key: 'tooLong', params: { max } };
    }
    const contact = parseUsername(f.contact);
    if (!f.contact) problems.contact = { key: 'required' };
    else if (!contact) problems.contact = { key: 'badUsername' };
    if (Object.keys(problems).length) throw invalid(problems);
    const id = randomUUID();
    await q.insertFeedback(this.db, {
      id, unit_id: f.unitId, procedure_id: f.procedureId || null, dossier_code: f.dossierCode || null, name: f.name, contact: contact!.value,
      subject: f.subject, body: f.body, created_at: this.clock.now().toISOString(), status: 'new', answer: null, answered_at: null,
      answered_by: null, published: 0,
    });
    return { id };
  }

  /** The units whose feedback a user answers; 403 for anyone who answers none. */
  private answerScope(user: SessionUser): string[] {
    const grants = user.roles.filter((r) => answerers.has(r.role));
    if (!grants.length) fail('forbidden');
    return this.catalog.allUnits().filter((u) => grants.some((g) => covers(g, u.id, (id) => this.catalog.unit(id)?.parentId))).map((u) => u.id);
  }

  /** Feedback to the units a staff member answers for, unanswered first. */
  async queue(user: SessionUser, limit: number, offset: number) {
    return q.feedbackForUnits(this.db, this.answerScope(user), limit, offset);
  }

  /** The unit answers; the sender hears of it by email or SMS; a published answer appears on the public page. */
  async answer(user: SessionUser, id: string, input: { answer?: unknown; publish?: unknown }, lang: Lang) {
    const scope = this.answerScope(user);
    const item = id.length <= 64 ? await q.findFeedback(this.db, id) : undefined;
    if (!item || !scope.includes(item.unit_id)) fail('not_found');
    const answer = text(input.answer);
    if (!answer) throw invalid({ answer: { key: 'required' } });
    if (answer.length > 4000) throw invalid({ answer: { key: 'tooLong', params: { max: 4000 } } });
    const now = this.clock.now();
    const contact = parseUsername(item.contact);
    await this.db.transaction().execute(async (tx) => {
      await q.answerFeedback(tx, id, { answer, answered_at: now.toISOString(), answered_by: user.id, published: input.publish === true || input.publish === 'yes' ? 1 : 0 });
      if (contact) {
        await this.outbox.enqueue(tx, {
          channel: contact.kind === 'email' ? 'email' : 'sms', recipient: contact.value, template: 'feedback_answered', lang, now,
          params: { name: item.name, subject: item.subject, answer, url: `${this.publicUrl}/phan-anh` },
        });
      }
    });
    return q.findFeedback(this.db, id);
  }

  /**
   * Answered feedback the units published: no sender's name or contact, and any ID number, phone
   * number or email address written in the subject, the text or the answer replaced by a marker.
   */
  async published(limit: number, offset: number, lang: Lang = 'vi') {
    const { total, rows } = await q.publishedFeedback(this.db, limit, offset);
    const marker = messages(lang).feedback.personalDataRemoved;
    const strip = (t: string) => stripPersonalData(t, marker);
    return { total, rows: rows.map((r) => ({ ...r, subject: strip(r.subject), body: strip(r.body), answer: r.answer === null ? null : strip(r.answer) })) };
  }
}
