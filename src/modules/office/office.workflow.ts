// The back office's side of a dossier (docs/domain.md §3): counter and postal intake, the intake check
// (accept, ask for a supplement with an optional deadline, refuse), returning a dossier whose
// supplement deadline passed, the workflow steps (transfer, assign, forward, return, recall), pauses,
// stopping (an end state, Form 05), apology, the return of results (attached by ResultsService,
// office.results.ts, coded {code}-KQ{n}), and withdrawal.
// Every action goes through DossiersService.applyAction: the one table decides, the log records.
// What the table needs beyond the log (the time, the supplement deadline, the units of the workflow's
// steps) is given to it here, before the action is recorded (decisionContext).
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import { trackingKey } from '../../domain/dossier-code.ts';
import { intakeChannels, isIntakeChannel } from '../../domain/channels.ts';
import { decide, isAction, officeFormActions, type DecisionContext } from '../../domain/dossier-status.ts';
import { defaultSteps, forwardProblem, stepDueAt, type WorkflowStep } from '../../domain/workflow.ts';
import type { Clock } from '../../domain/time.ts';
import { invalid, type FieldProblem, fail } from '../../errors.ts';
import type { Lang } from '../../i18n/index.ts';
import type { SessionUser } from '../accounts/accounts.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import { findWorkflowTemplate, staffRolesOf } from './office.workflow.queries.ts';
import { stateOf, type DossierRecord, type DossierInput, type DossierView, type DossiersService, type DueCalendar } from '../dossiers/dossiers.service.ts';
import type { DossierViews } from '../dossiers/dossiers.views.ts';

/** What an officer sends with an action (api-v1.md: POST /dossiers/{id}/actions). */
export type ActionRequest = {
  action?: unknown;
  note?: unknown;
  /** request_supplement: the complete list of what is missing. */
  missing?: unknown;
  /** assign, forward, transfer: the person who takes the dossier next. */
  toUserId?: unknown;
  /** apologize: the new date promised (YYYY-MM-DD, or a timestamp). */
  newDueAt?: unknown;
  /** request_supplement: the deadline for the applicant (YYYY-MM-DD, meaning 17:00 that day, or a timestamp); optional. */
  supplementDueAt?: unknown;
  /** return_result: who received the result. */
  receivedBy?: unknown;
};


const text = (v: unknown, max: number): string | null => (typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : null);

export class WorkflowService {
  constructor(
    private readonly db: Db,
    private readonly dossiers: DossiersService,
    private readonly catalog: CatalogService,
    private readonly calendar: DueCalendar,
    private readonly clock: Clock,
    private readonly views: DossierViews,
  ) {}

  /** The steps a procedure's dossiers go through: its own template, the default one, or the built-in default. */
  async steps(procedureId: string): Promise<WorkflowStep[]> {
    const t = await findWorkflowTemplate(this.db, procedureId);
    return t ? t.steps : defaultSteps;
  }

  /**
   * A dossier brought to the desk in person (`counter`) or received by post (`postal`): created,
   * submitted and accepted in one step, with its code and due time. The officer has checked the
   * paper documents, so only the answers are checked here.
   */
  async intake(user: SessionUser, input: DossierInput & { channel?: unknown; receivingUnitId?: unknown }, lang: Lang) {
    const channel = input.channel;
    if (!isIntakeChannel(channel)) throw invalid({ channel: { key: 'notAllowed', params: { allowed: intakeChannels.join(', ') } } });
    const { procedure, unitId } = this.dossiers.procedureAndUnit(input);
    // A dossier that came by post is recorded as taken in by the postal role when the officer holds
    // it over the desk (whatever order the roles were granted in); otherwise by reception.
    const over = (name: 'reception' | 'postal', at: string) => user.roles.find((r) => r.role === name && this.dossiers.covers(r, at));
    const roleAt = (at: string) => (channel === 'postal' ? over('postal', at) : undefined) ?? over('reception', at);
    // The desk that receives: the one asked for, else the competent unit when the officer works
    // there, else the officer's own desk. Receiving is not bound to the administrative boundary
    // (Decree 118/2025): a desk takes in a dossier for another unit and sends it on (docs/domain.md §3.7).
    const asked = typeof input.receivingUnitId === 'string' && input.receivingUnitId ? input.receivingUnitId : null;
    if (asked && !this.catalog.unit(asked)) throw invalid({ receivingUnitId: { key: 'unknownUnit' } });
    const desk = asked ?? (roleAt(unitId) ? unitId : user.roles.find((r) => (r.role === 'reception' || (channel === 'postal' && r.role === 'postal')) && r.unitId)?.unitId);
    const role = desk ? roleAt(desk) : undefined;
    if (!desk || !role) {
      // Staff who may read the unit's dossiers learn they may not do this; anyone else, that the unit is not theirs.
      fail('forbidden');
    }
    const { applicant, form } = await this.dossiers.checkDraft({ ...input, delivery: input.delivery ?? { method: 'counter' } }, procedure.id, true, null);
    const detail = await this.catalog.get(procedure.id);
    const now = this.clock.now();
    const id = randomUUID();
    const key = trackingKey();
    let row!: DossierRecord;
    await this.db.transaction().execute(async (tx) => {
      // The receiving desk issues the code (its identifier, its daily counter) and the receipt.
      const code = await this.dossiers.issueCode(tx, desk, now);
      const by = { actor: role.role, userId: user.id, at: now } as const;
      row = await this.dossiers.insertNew(tx, {
        id, procedure_id: procedure.id, procedure_version: detail.version.number, unit_id: unitId, receiving_unit_id: desk, channel, owner_id: null,
        applicant, form, delivery: input.delivery ?? { method: 'counter' }, lang, external_id: null,
      }, by);
      row = await this.dossiers.applyAction(tx, row, { ...by, action: 'submit', notify: false, set: { code, tracking_key: key, submitted_at: now.toISOString() } });
      row = await this.dossiers.applyAction(tx, row, { action: 'accept', actor: 'reception', userId: user.id, at: now, set: await this.acceptance(row, now, tx) });
    });
    return { id, code: row.code!, status: row.status, trackingKey: key, dueAt: row.due_at, acceptedAt: row.accepted_at };
  }

  /**
   * What the rule table needs to decide on a dossier now, beyond its log: the time, the open
   * supplement request's deadline, and the unit holding each step of its workflow (the step's own
   * unit, or the dossier's), since each unit may ask for a supplement once during processing.
   */
  async decisionContext(row: Pick<DossierRecord, 'procedure_id' | 'unit_id' | 'supplement_due_at'>, now: Date = this.clock.now()): Promise<DecisionContext> {
    const steps = await this.steps(row.procedure_id);
    return { now, supplementDueAt: row.supplement_due_at, stepUnits: steps.map((s) => s.unitId ?? row.unit_id) };
  }

  /** What acceptance sets: the intake time, and the due time from the procedure's processing time under the unit's calendar. */
  private async acceptance(row: DossierRecord, now: Date, db: Db = this.db): Promise<Partial<DossierRecord>> {
    const procedure = this.catalog.find(row.procedure_id);
    const hours = Math.round((procedure?.processingDays ?? 0) * 8);
    // Working days, or calendar days where the procedure's processing time says so (docs/domain.md §4.4).
    const due = await this.calendar.dueAt(row.unit_id, now, hours, db, procedure?.processingDayKind ?? 'working');
    return { accepted_at: now.toISOString(), processing_hours: hours, due_at: due.toISOString() };
  }

  /** An officer's action on a dossier in their scope (api-v1.md): 404 outside it, 403 for a role that may not, 409 in a state that does not allow it. */
  async act(user: SessionUser, id: string, req: ActionRequest): Promise<DossierView> {
    const action = req.action;
    if (!isAction(action) || !officeFormActions.includes(action)) {
      throw invalid({ action: { key: 'notAllowed', params: { allowed: officeFormActions.join(', ') } } });
    }
    const row = await this.dossiers.visible(user, id);
    const { actor, refusal } = this.dossiers.actorFor(user, row, action);
    if (refusal) fail(refusal);
    const now = this.clock.now();
    // The table again, with what only the office knows now (a deadline passed, the unit that asks).
    const context = await this.decisionContext(row, now);
    const decision = decide(stateOf(row), action, actor, context);
    if (!decision.ok) fail(decision.reason);
    const note = text(req.note, 2000);
    const problems: Record<string, FieldProblem> = {};
    const data: Record<string, unknown> = {};
    let set: Partial<DossierRecord> = {};

    switch (action) {
      case 'accept':
        set = await this.acceptance(row, now);
        break;
      case 'request_supplement': {
        const missing = Array.isArray(req.missing) ? req.missing.map((m) => text(m, 500)).filter((m): m is string => !!m) : [];
        if (!missing.length) problems.missing = { key: 'missingList' };
        else if (missing.length > 30) problems.missing = { key: 'tooMany', params: { max: 30 } };
        data.missing = missing;
        // An optional deadline: a real date (or time) after now. Past it the desk may return the dossier.
        let due: string | null = null;
        if (req.supplementDueAt !== undefined && req.supplementDueAt !== null && req.supplementDueAt !== '') {
          due = parseWhen(req.supplementDueAt);
          if (!due) problems.supplementDueAt = { key: 'badDate' };
          else if (due <= now.toISOString()) problems.supplementDueAt = { key: 'supplementDueAfterNow' };
          else data.supplementDueAt = due;
        }
        set.supplement_due_at = due;
        // The unit that asks: during processing, the unit holding the current step (once per unit).
        const state = stateOf(row);
        data.unitId = state.status === 'in_process' ? (context.stepUnits?.[state.step] ?? row.unit_id) : row.receiving_unit_id ?? row.unit_id;
        if (state.status === 'in_process') data.step = state.step;
        break;
      }
      case 'supplement':
        set.supplement_due_at = null;
        break;
      case 'return_unsupplemented':
        if (!note) problems.note = { key: 'reasonRequired' };
        data.supplementDueAt = row.supplement_due_at;
        data.from = stateOf(row).supplementFrom;
        set.supplement_due_at = null;
        break;
      case 'refuse':
        if (!note) problems.note = { key: 'reasonRequired' };
        break;
      case 'suspend':
        if (!note) problems.note = { key: 'reasonRequired' };
        // Form 05 says whether the stop answers the applicant's request to withdraw or stop.
        data.withdrawalRequested = stateOf(row).withdrawalRequested;
        // A stop ends an open supplement request with the rest.
        set.supplement_due_at = null;
        break;
      case 'transfer':
      case 'assign':
      case 'forward': {
        const steps = await this.steps(row.procedure_id);
        const state = stateOf(row);
        const step = action === 'transfer' ? 0 : action === 'forward' ? state.step + 1 : state.step;
        const problem = action === 'forward' ? forwardProblem(steps, state.step, actor) : null;
        if (problem) fail(problem);
        const target = steps[step]!;
        const toUserId = text(req.toUserId, 64);
        if (action === 'assign' && !toUserId) problems.toUserId = { key: 'required' };
        if (toUserId && !(await this.holdsStep(toUserId, row.unit_id, action === 'assign' ? null : target.role))) problems.toUserId = { key: 'notStaffHere' };
        set.assignee_id = toUserId;
        if (action !== 'assign' && row.accepted_at && row.processing_hours !== null) {
          data.step = step;
          data.stepKey = target.key;
          data.stepDueAt = (await stepDueAt(steps, step, (h) => this.calendar.dueAt(row.unit_id, new Date(row.accepted_at!), h), row.processing_hours)).toISOString();
        }
        if (toUserId) data.toUserId = toUserId;
        break;
      }
      case 'return_step':
      case 'recall':
        set.assignee_id = await this.dossiers.previousHolder(row.id, stateOf(row).step - 1);
        data.step = stateOf(row).step - 1;
        break;
      case 'resolve':
        set.resolved_at = now.toISOString();
        break;
      case 'return_result': {
        const receivedBy = text(req.receivedBy, 200);
        if (!receivedBy) problems.receivedBy = { key: 'required' };
        data.receivedBy = receivedBy;
        set.returned_at = now.toISOString();
        break;
      }
      case 'apologize': {
        const newDue = parseWhen(req.newDueAt);
        if (!newDue) problems.newDueAt = { key: 'badDate' };
        else if (row.due_at && newDue <= row.due_at) problems.newDueAt = { key: 'newDueAfterDue' };
        if (!note) problems.note = { key: 'reasonRequired' };
        // At least one working day before the due time (docs/domain.md §4).
        if (row.due_at && (await this.calendar.workingHoursBetween(row.unit_id, now, new Date(row.due_at))) < 8) fail('apology_too_late');
        set.new_due_at = newDue;
        data.newDueAt = newDue;
        data.dueAt = row.due_at;
        break;
      }
      default:
        break;
    }
    if (Object.keys(problems).length) throw invalid(problems);
    await this.db.transaction().execute((tx) => this.dossiers.applyAction(tx, row, { action, actor, userId: user.id, at: now, note, data, set }));
    return this.views.get(user, id);
  }

  /** Whether a person holds a staff role (this one, or any) over the dossier's unit. */
  private async holdsStep(userId: string, unitId: string, role: string | null): Promise<boolean> {
    const roles = await staffRolesOf(this.db, userId);
    return roles.some((r) => (role === null ? r.role !== 'citizen' : r.role === role) && this.dossiers.covers(r, unitId));
  }
}

/** A date (YYYY-MM-DD, meaning the end of that working day at 17:00 in Vietnam) or a timestamp, as ISO UTC. */
function parseWhen(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const s = v.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    const d = new Date(`${s}T17:00:00+07:00`);
    return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s ? null : d.toISOString();
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(s)) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
