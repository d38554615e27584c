// The one-stop office: the queue of dossiers in a staff member's scope (tabs, filters, counts),
// the daily due-date reminders to handlers, and the documents the desk prints (Forms 02–06).
import type { Db } from '../../db/connection.ts';
import { allowedActions, clockRunning, isOverdue, type Action, type Status } from '../../domain/dossier-status.ts';
import { covers, dossierReaders, unitsCovered, type Grant } from '../../domain/roles.ts';
import { vietnamDay, type Clock } from '../../domain/time.ts';
import { forwardProblem } from '../../domain/workflow.ts';
import { isQueueTab, queueTabs, statusTab, type QueueTab } from '../../domain/queue.ts';
import { fail } from '../../errors.ts';
import { localName, messages, type Lang } from '../../i18n/index.ts';
import type { Outbox, SessionUser } from '../accounts/accounts.service.ts';
import type { CalendarService } from '../calendar/calendar.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import { deskMay, type DossierRecord, type DossiersService } from '../dossiers/dossiers.service.ts';
import type { DossierViews } from '../dossiers/dossiers.views.ts';
import type { WorkflowService } from './office.workflow.ts';
import type { DocumentHeader } from './office.documents.ts';
import { officeDocuments, type OfficeForm } from './office.forms.ts';
import * as q from './office.queries.ts';
import { buildRegister, type RegisterData, type RegisterQuery } from './office.register.ts';


export type QueueQuery = { tab?: string; status?: string; unitId?: string; procedureId?: string; overdue?: boolean; assignedTo?: string; limit: number; offset: number };

export type QueueItem = {
  id: string; code: string | null; status: Status; statusCode: number; procedureId: string; procedureName: string;
  unitId: string; channel: string; applicantName: string; submittedAt: string | null; acceptedAt: string | null;
  dueAt: string | null; newDueAt: string | null; overdue: boolean;
  /** Due by the end of the second working day from now (the due-soon tab), not yet late. */
  dueSoon: boolean;
  /** The deadline of an open supplement request, if one was set. */
  supplementDueAt: string | null;
  /** A supplement was asked with a deadline that has passed: the desk may return the dossier (return_unsupplemented). */
  supplementOverdue: boolean;
  assigneeId: string | null; step: number;
};


/** An open supplement request's deadline, and whether it has passed (only while the supplement is asked). */
export function supplementDeadline(r: Pick<DossierRecord, 'status' | 'supplement_due_at'>, now: Date): { supplementDueAt: string | null; supplementOverdue: boolean } {
  const due = r.status === 'supplement_requested' ? r.supplement_due_at : null;
  return { supplementDueAt: due, supplementOverdue: !!due && now.toISOString() > due };
}

export class OfficeService {
  constructor(
    private readonly db: Db,
    private readonly catalog: CatalogService,
    private readonly dossiers: DossiersService,
    private readonly workflow: WorkflowService,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    private readonly publicUrl: string,
    private readonly views: DossierViews,
  ) {}

  /** What opens a dossier's sealed personal columns (the engine's: one DATA_KEY for every reader). */
  get sealer() {
    return this.dossiers.sealer;
  }

  /** The grants of a user that read dossiers; 403 for anyone with none (citizens, outreach). */
  readerGrants(user: SessionUser): Grant[] {
    const grants = user.roles.filter((r) => dossierReaders.has(r.role));
    if (!grants.length) fail('forbidden');
    return grants;
  }

  /** Form 07, the register of the dossiers a unit received in a period, for staff whose scope covers the unit (office.register.ts). */
  register(user: SessionUser, query: RegisterQuery, lang: Lang): Promise<RegisterData> {
    return buildRegister({ db: this.db, catalog: this.catalog, sealer: this.dossiers.sealer }, this.readerGrants(user), query, lang);
  }

  /** The units whose dossiers the user may see. */
  scope(user: SessionUser): string[] {
    return unitsCovered(this.readerGrants(user), this.catalog.allUnits());
  }

  /** The end of the second working day from now: what "due within 2 working days" means. */
  private async dueSoonBy(unitId: string | null, now: Date): Promise<string> {
    return (await this.calendar.dueAt(unitId, now, 2)).toISOString();
  }

  /**
   * A page of the queue: the dossiers of the caller's scope in one tab, soonest due first, with
   * the count of every tab. `unitId` narrows the scope; a unit outside it shows nothing (never
   * another commune's dossiers).
   */
  async queue(user: SessionUser, query: QueueQuery) {
    const scope = this.scope(user);
    const grants = this.readerGrants(user);
    const unitIds = query.unitId ? (grants.some((g) => covers(g, query.unitId!, (id) => this.catalog.unit(id)?.parentId)) ? [query.unitId] : []) : scope;
    const tab: QueueTab = query.overdue ? 'overdue' : query.assignedTo === 'me' ? 'mine' : isQueueTab(query.tab) ? query.tab : query.status ? statusTab(query.status) : 'open';
    const now = this.clock.now();
    // A scope that covers every unit (the province with its subtree) needs no unit condition.
    const everyUnit = !query.unitId && unitIds.length === this.catalog.allUnits().length;
    // Desks where the user receives (reception, postal): what they took in for other units stays in their queue (Decree 118/2025).
    const deskUnitIds = query.unitId ? [] : unitsCovered(user.roles.filter((r) => r.role === 'reception' || r.role === 'postal'), this.catalog.allUnits());
    const base = {
      unitIds: everyUnit ? ('all' as const) : unitIds, deskUnitIds, userId: user.id, now: now.toISOString(), dueSoonBy: await this.dueSoonBy(unitIds.length === 1 ? unitIds[0]! : null, now),
      closedSince: new Date(now.getTime() - 30 * 86400_000).toISOString(), procedureId: query.procedureId,
    };
    const empty = Object.fromEntries(queueTabs.map((t) => [t, 0])) as Record<QueueTab, number>;
    if (!unitIds.length) return { total: 0, items: [], counts: empty, tab, scope: unitIds };
    const filter: q.QueueFilter = { ...base, tab, status: query.status };
    const counts = await q.queueCounts(this.db, base);
    const [rows, total] = await Promise.all([
      q.queuePage(this.db, filter, query.limit, query.offset, this.dossiers.sealer),
      // Without a status filter an open tab's size is already among the counts.
      tab !== 'closed' && !query.status ? Promise.resolve(counts[tab]) : q.countInTab(this.db, filter),
    ]);
    const items: QueueItem[] = rows.map((r) => {
      const procedure = this.catalog.find(r.procedure_id);
      const applicant = r.applicant;
      const status = r.status;
      return {
        id: r.id, code: r.code, status, statusCode: r.status_code, procedureId: r.procedure_id,
        procedureName: procedure ? procedure.name : r.procedure_id, unitId: r.unit_id, channel: r.channel,
        applicantName: applicant.fullName ?? '', submittedAt: r.submitted_at, acceptedAt: r.accepted_at, dueAt: r.due_at,
        newDueAt: r.new_due_at, overdue: isOverdue(status, r.due_at, now),
        dueSoon: clockRunning.has(status) && !!r.due_at && r.due_at >= base.now && r.due_at <= base.dueSoonBy, assigneeId: r.assignee_id, step: r.state.step,
        ...supplementDeadline(r, now),
      };
    });
    return { total, items, counts: counts as Record<Exclude<QueueTab, 'closed'>, number>, tab, scope: unitIds };
  }

  /**
   * The actions the caller may take on a dossier now, under any of their roles over its unit: the
   * rule table's, less a forward that the workflow template does not allow (no next step, or a
   * step the caller does not hold).
   */
  async actionsFor(user: SessionUser, row: Pick<DossierRecord, 'owner_id' | 'unit_id' | 'receiving_unit_id' | 'procedure_id' | 'state' | 'supplement_due_at'>): Promise<Action[]> {
    const state = row.state;
    const context = await this.workflow.decisionContext(row, this.clock.now());
    if (row.owner_id === user.id) return allowedActions(state, 'citizen', context);
    const steps = await this.workflow.steps(row.procedure_id);
    const found = new Set<Action>();
    for (const g of user.roles) {
      if (g.role === 'citizen' || !covers(g, row.unit_id, (id) => this.catalog.unit(id)?.parentId)) continue;
      for (const a of allowedActions(state, g.role, context)) if (a !== 'forward' || !forwardProblem(steps, state.step, g.role)) found.add(a);
    }
    // The desk that received it for another unit keeps the desk's part (docs/domain.md §3.7).
    for (const role of this.dossiers.deskRoles(user, row)) for (const a of allowedActions(state, role, context)) if (deskMay(a, state.status)) found.add(a);
    return [...found];
  }

  /** Staff who could take a dossier at a unit (its own staff, and those holding an ancestor with the subtree). */
  async staffFor(unitId: string, roles: readonly string[]) {
    const chain: string[] = [];
    for (let u = this.catalog.unit(unitId); u; u = u.parentId ? this.catalog.unit(u.parentId) : undefined) chain.push(u.id);
    const rows = await q.staffOfUnits(this.db, chain, roles);
    return rows.filter((r) => r.unit_id === unitId || r.subtree === 1);
  }

  /**
   * A document the desk prints for a dossier (Circular 03/2025/TT-VPCP): Form 02 after a supplement
   * request, 03 after a refusal, 04 after an apology, 05 once processing stopped, 06 (the
   * process-control sheet) once accepted.
   * 409 when the dossier has not come to it.
   */
  async document(user: SessionUser, id: string, form: OfficeForm, lang: Lang): Promise<Buffer> {
    const row = await this.dossiers.visible(user, id);
    if (row.owner_id === user.id && officeDocuments[form].readers === 'staff') fail('forbidden');
    const log = await this.views.actionLog(row.id);
    const names = await q.userNames(this.db, log.flatMap((a) => [a.actor_id ?? '', (a.data as { toUserId?: string }).toUserId ?? '']).filter(Boolean));
    const unit = this.catalog.unit(row.unit_id);
    const procedure = this.catalog.find(row.procedure_id);
    const header: DocumentHeader = {
      unitName: unit ? localName(lang, unit) : row.unit_id,
      agencyName: unit ? (lang === 'en' ? unit.agencyNameEn : unit.agencyName) : null,
      code: row.code ?? '',
      trackingUrl: row.code && row.tracking_key ? this.dossiers.trackingUrl(row.code, row.tracking_key) : this.publicUrl,
      applicantName: row.applicant.fullName ?? '',
      procedureName: procedure ? localName(lang, procedure) : row.procedure_id,
    };
    const doc = officeDocuments[form];
    if (!doc.applies({ status: row.status, actions: log.map((a) => a.action), acceptedAt: row.accepted_at, dueAt: row.due_at })) fail('invalid_transition');
    return doc.render({
      lang, messages: messages(lang), header, acceptedAt: row.accepted_at ?? '', dueAt: row.due_at ?? '', log, names,
      steps: () => this.workflow.steps(row.procedure_id),
    });
  }

  /**
   * Once a day: each handler hears, in one message, of their dossiers that are late or due within
   * two working days. The handler is the person assigned; with nobody assigned, the unit's
   * reception desk. A dossier is mentioned once a day at most, however often the job runs.
   */
  async remindHandlers(lang: Lang = 'vi'): Promise<{ messages: number; dossiers: number }> {
    const now = this.clock.now();
    const today = vietnamDay(now);
    const dueSoonBy = await this.dueSoonBy(null, now);
    const due = await q.dueForReminder(this.db, dueSoonBy, today, 5000);
    const byHandler = new Map<string, { overdue: string[]; dueSoon: string[] }>();
    for (const d of due) {
      const handlers = d.assignee_id ? [d.assignee_id] : (await this.staffFor(d.unit_id, ['reception'])).map((s) => s.id);
      const late = d.due_at! < now.toISOString();
      const procedure = this.catalog.find(d.procedure_id);
      const line = `- ${d.code} (${procedure ? localName(lang, procedure) : d.procedure_id}): ${late ? messages(lang).office.overdueSince : messages(lang).office.dueBy} ${vietnamDay(new Date(d.due_at!))}`;
      for (const h of handlers) {
        const entry = byHandler.get(h) ?? byHandler.set(h, { overdue: [], dueSoon: [] }).get(h)!;
        (late ? entry.overdue : entry.dueSoon).push(line);
      }
    }
    let sent = 0;
    await this.db.transaction().execute(async (tx) => {
      const people = await q.contactsOf(tx, [...byHandler.keys()]);
      for (const p of people) {
        const entry = byHandler.get(p.id)!;
        const recipient = p.email ?? p.phone;
        if (!recipient) continue;
        await this.outbox.enqueue(tx, {
          channel: p.email ? 'email' : 'sms', recipient, template: 'dossier_due_reminder', lang, now,
          params: {
            name: p.name, overdue: String(entry.overdue.length), dueSoon: String(entry.dueSoon.length),
            list: [...entry.overdue, ...entry.dueSoon].join('\n'), queueUrl: `${this.publicUrl}/can-bo/ho-so?tab=overdue`,
          },
        });
        sent++;
      }
      for (const d of due) await q.markReminded(tx, d.id, today);
    });
    return { messages: sent, dossiers: due.length };
  }
}

