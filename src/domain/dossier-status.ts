// A dossier's status is derived from its append-only action log (docs/domain.md §3). This file holds
// the statuses, numbered as the national code list, and the one table of which actor may take
// which action from which state. A state is the status plus the few facts the rules need
// (where a supplement was asked from, at which workflow steps, how many apologies were sent, the
// workflow step…), folded from the log. Services append an action only when this table allows it.
// The few facts that are not in the log (the time now, a supplement's deadline, which unit holds
// each workflow step) come as a DecisionContext, which the service passes when it decides.
import type { Role } from './roles.ts';

export const statuses = {
  draft: 0,
  submitted: 1,
  accepted: 2,
  refused: 3,
  in_process: 4,
  supplement_requested: 5,
  financial_obligation: 6,
  withdrawn: 7,
  suspended: 8,
  resolved: 9,
  returned: 10,
} as const;

export type Status = keyof typeof statuses;

/**
 * End states: no action leads out of them. `suspended` (8, "Dừng xử lý") is one since the 2025 rules:
 * the unit stops processing with a notice (Form 05 of Circular 03/2025/TT-VPCP), and nothing resumes
 * it (docs/domain.md §3.2).
 */
export const terminalStatuses: ReadonlySet<Status> = new Set(['refused', 'withdrawn', 'suspended', 'returned']);

/**
 * Settled: the unit has answered (a result, a refusal, a withdrawal). A stopped (`suspended`) dossier
 * is an end state but not settled: the report counts it as pending within its deadline (docs/domain.md §5).
 */
export const settledStatuses: ReadonlySet<Status> = new Set(['resolved', 'returned', 'refused', 'withdrawn']);

export const actions = [
  'create', 'submit', 'accept', 'request_supplement', 'refuse', 'supplement', 'return_unsupplemented', 'transfer', 'assign', 'forward',
  'return_step', 'recall', 'request_financial_obligation', 'fulfil_financial_obligation', 'suspend', 'resume',
  'attach_result', 'resolve', 'return_result', 'apologize', 'withdraw', 'confirm_withdrawal',
] as const;

export type Action = (typeof actions)[number];

/** Who acts: the applicant (citizen), a staff role, or the system (the national portal, say). */
export type Actor = Role | 'system';

/** What the rules need to know about a dossier, folded from its log. */
export type DossierState = {
  status: Status;
  /** Where an open supplement request came from: the dossier goes back there once supplemented. */
  supplementFrom: 'submitted' | 'in_process' | null;
  /** Supplement requests made after acceptance (docs/domain.md §3.4). */
  processingSupplements: number;
  /**
   * The workflow step at which each of those requests was made: each unit asks once, and the context
   * says which unit holds a step. Absent in states written before this rule: then, as the rule was,
   * one request per dossier.
   */
  supplementSteps?: readonly number[];
  /** Apology letters with a new date: at most one. */
  apologies: number;
  /** The applicant asked to withdraw; reception has not yet confirmed. */
  withdrawalRequested: boolean;
  /** Result documents attached; a dossier is resolved only with one. */
  results: number;
  /** The workflow step the dossier is at, from 0 once transferred for processing. */
  step: number;
};

/**
 * What a decision needs beyond the log. A service deciding now passes it; replaying a recorded log
 * passes none, and the conditions that need it are taken as met (the log already happened).
 */
export type DecisionContext = {
  /** The time of the decision. */
  now?: Date;
  /** The deadline of the open supplement request (dossiers.supplement_due_at), if one was set. */
  supplementDueAt?: string | null;
  /** The unit holding each step of the dossier's workflow (the step's own unit, or the dossier's). */
  stepUnits?: readonly string[];
};

type Rule = {
  from: readonly Status[];
  actors: readonly Actor[];
  /** The status it leads to; the status stays when absent. */
  to?: Status;
  /** A condition beyond the status (once only, after a result…); failing it is an invalid transition. */
  guard?: (s: DossierState, c: DecisionContext | undefined) => boolean;
  /** What else the action changes in the state. */
  apply?: (s: DossierState) => Partial<DossierState>;
};

/** Where the applicant may still withdraw: submitted and not yet answered (not resolved, not ended). */
const withdrawable: Status[] = ['submitted', 'accepted', 'in_process', 'supplement_requested', 'financial_obligation'];
const beingProcessed: Status[] = ['accepted', 'in_process', 'financial_obligation'];
/** Where processing may be stopped (Form 05): the withdrawable states after acceptance. */
const stoppable: Status[] = ['accepted', 'in_process', 'supplement_requested', 'financial_obligation'];

/**
 * Whether the approver may stop the dossier now: always during processing; elsewhere after acceptance
 * only to answer the applicant's open request to withdraw or stop (a supplement asked at intake is
 * before acceptance: nothing to stop there).
 */
function mayStop(s: DossierState): boolean {
  if (s.status === 'in_process') return true;
  if (s.status === 'supplement_requested' && s.supplementFrom !== 'in_process') return false;
  return s.withdrawalRequested;
}
const handlers = ['specialist', 'approver', 'clerk'] as const;

/**
 * Whether the unit at the dossier's current workflow step may still ask for a supplement during
 * processing: each unit once (a second unit of the workflow may ask once too). Without the step
 * units, each step once. A state kept before this rule has no list: one request per dossier.
 */
export function maySupplementHere(s: DossierState, c?: DecisionContext): boolean {
  const asked = s.supplementSteps;
  if (!asked) return s.processingSupplements === 0;
  const unitOf = (n: number) => c?.stepUnits?.[n] ?? `step ${n}`;
  return !asked.some((n) => unitOf(n) === unitOf(s.step));
}

/** Whether an open supplement request's deadline has passed (never without a deadline); met when replaying. */
export function supplementDeadlinePassed(c?: DecisionContext): boolean {
  if (!c?.now) return true;
  return !!c.supplementDueAt && c.now.toISOString() > c.supplementDueAt;
}

/** The transitions of docs/domain.md §3: for each action, the rules tried in order (the first whose `from` matches). */
export const transitions: Record<Action, readonly Rule[]> = {
  create: [{ from: [], to: 'draft', actors: ['citizen', 'postal', 'reception', 'system'] }],
  // Reception submits on the applicant's behalf at the counter; postal staff for dossiers that came by post.
  submit: [{ from: ['draft'], to: 'submitted', actors: ['citizen', 'postal', 'reception', 'system'] }],
  accept: [{ from: ['submitted'], to: 'accepted', actors: ['reception'] }],
  request_supplement: [
    { from: ['submitted'], to: 'supplement_requested', actors: ['reception'], apply: () => ({ supplementFrom: 'submitted' }) },
    {
      from: ['in_process'], to: 'supplement_requested', actors: ['specialist', 'reception'],
      guard: maySupplementHere,
      apply: (s) => ({ supplementFrom: 'in_process', processingSupplements: s.processingSupplements + 1, supplementSteps: [...(s.supplementSteps ?? []), s.step] }),
    },
  ],
  refuse: [{ from: ['submitted'], to: 'refused', actors: ['reception'] }],
  supplement: [{ from: ['supplement_requested'], actors: ['citizen', 'postal', 'reception'], apply: (s) => ({ status: s.supplementFrom ?? 'submitted', supplementFrom: null }) }],
  // Past the supplement deadline the desk returns the dossier with a reason: at intake it is not
  // accepted (refused, Form 03); during processing, processing stops (suspended, Form 05).
  return_unsupplemented: [{
    from: ['supplement_requested'], actors: ['reception'],
    guard: (_s, c) => supplementDeadlinePassed(c),
    apply: (s) => ({ status: s.supplementFrom === 'in_process' ? 'suspended' : 'refused', supplementFrom: null }),
  }],
  transfer: [{ from: ['accepted'], to: 'in_process', actors: ['reception'], apply: () => ({ step: 0 }) }],
  assign: [{ from: ['accepted', 'in_process'], actors: ['reception', 'approver', 'unit_admin'] }],
  forward: [{ from: ['in_process'], actors: [...handlers, 'reception'], apply: (s) => ({ step: s.step + 1 }) }],
  return_step: [{ from: ['in_process'], actors: handlers, guard: (s) => s.step > 0, apply: (s) => ({ step: s.step - 1 }) }],
  recall: [{ from: ['in_process'], actors: [...handlers, 'reception'], guard: (s) => s.step > 0, apply: (s) => ({ step: s.step - 1 }) }],
  request_financial_obligation: [{ from: ['in_process'], to: 'financial_obligation', actors: ['specialist'] }],
  fulfil_financial_obligation: [{ from: ['financial_obligation'], to: 'in_process', actors: ['citizen', 'reception', 'specialist', 'system'] }],
  // Stopping is an end state with Form 05: during processing, or as the answer to the applicant's open
  // request to withdraw or stop (`withdraw`) from any state after acceptance where it could be made.
  suspend: [{ from: stoppable, to: 'suspended', actors: ['approver'], guard: mayStop, apply: () => ({ supplementFrom: null }) }],
  // Kept as an action name (the API contract lists it), but a stopped dossier is an end state: always 409.
  resume: [],
  attach_result: [{ from: ['in_process'], actors: handlers, apply: (s) => ({ results: s.results + 1 }) }],
  resolve: [{ from: ['in_process'], to: 'resolved', actors: ['approver', 'clerk'], guard: (s) => s.results > 0 }],
  return_result: [{ from: ['resolved'], to: 'returned', actors: ['reception', 'postal', 'citizen'] }],
  apologize: [{ from: beingProcessed, actors: ['reception', 'approver'], guard: (s) => s.apologies === 0, apply: (s) => ({ apologies: s.apologies + 1 }) }],
  withdraw: [{ from: withdrawable, actors: ['citizen'], guard: (s) => !s.withdrawalRequested, apply: () => ({ withdrawalRequested: true }) }],
  confirm_withdrawal: [{ from: withdrawable, to: 'withdrawn', actors: ['reception'], guard: (s) => s.withdrawalRequested, apply: () => ({ withdrawalRequested: false }) }],
};

export function isAction(value: unknown): value is Action {
  return typeof value === 'string' && (actions as readonly string[]).includes(value);
}

/** Actions taken through routes of their own (creating, submitting, withdrawing, attaching a result), never through the action form. */
export const ownRouteActions: ReadonlySet<Action> = new Set(['create', 'submit', 'attach_result', 'withdraw']);

/** What POST /dossiers/{id}/actions and the office's action forms take: every other action, in table order. */
export const officeFormActions: readonly Action[] = actions.filter((a) => !ownRouteActions.has(a));

/** The rule state of a dossier before any action beyond its status. */
export const blankState: Omit<DossierState, 'status'> = { supplementFrom: null, processingSupplements: 0, supplementSteps: [], apologies: 0, withdrawalRequested: false, results: 0, step: 0 };

export type Decision = { ok: true; to: Status; next: DossierState } | { ok: false; reason: 'invalid_transition' | 'forbidden' };

/**
 * Whether an actor may take an action from a state (null before the dossier exists), and the
 * state it leads to. A wrong state wins over a wrong actor: 409 before 403. `context` carries what
 * the log does not (the time, a supplement's deadline, the units of the workflow's steps).
 */
export function decide(state: DossierState | null, action: Action, actor: Actor, context?: DecisionContext): Decision {
  const rules = transitions[action].filter((r) => (state === null ? r.from.length === 0 : r.from.includes(state.status)));
  if (!rules.length) return { ok: false, reason: 'invalid_transition' };
  const rule = rules.find((r) => r.actors.includes(actor));
  if (!rule) return { ok: false, reason: 'forbidden' };
  const current: DossierState = state ?? { status: 'draft', ...blankState };
  if (rule.guard && !rule.guard(current, context)) return { ok: false, reason: 'invalid_transition' };
  const next: DossierState = { ...current, ...(rule.to ? { status: rule.to } : {}), ...rule.apply?.(current) };
  return { ok: true, to: next.status, next };
}

/** The actions an actor may take now: what a dossier page offers, and only that. */
export function allowedActions(state: DossierState, actor: Actor, context?: DecisionContext): Action[] {
  return actions.filter((a) => decide(state, a, actor, context).ok);
}

/** The state a log leads to, replaying it through the table; throws on an impossible log. */
export function replay(log: ReadonlyArray<{ action: Action; actor: Actor }>): DossierState {
  let state: DossierState | null = null;
  for (const [i, a] of log.entries()) {
    const d = decide(state, a.action, a.actor);
    if (!d.ok) throw new Error(`action ${i} (${a.action} by ${a.actor}) is not allowed from ${state?.status ?? 'nothing'}`);
    state = d.next;
  }
  if (state === null) throw new Error('an empty log has no state');
  return state;
}

export function statusFromActions(log: ReadonlyArray<{ action: Action; actor: Actor }>): Status {
  return replay(log).status;
}

/** Whether the legal clock stands still: a supplement asked during processing, or a financial obligation (docs/domain.md §4). */
export function clockPaused(state: DossierState): boolean {
  return state.status === 'financial_obligation' || (state.status === 'supplement_requested' && state.supplementFrom === 'in_process');
}

/** Statuses in which a due time can run out: not settled, not ended, and the clock not paused. A stopped dossier is never late. */
export const clockRunning: ReadonlySet<Status> = new Set(['accepted', 'in_process']);

/**
 * `overdue` is derived, never stored: past the due time while the clock runs. While paused the
 * due time is not yet pushed back (that happens when the pause ends), so a paused dossier is not late.
 */
export function isOverdue(status: Status, dueAt: string | null, now: Date): boolean {
  return !!dueAt && clockRunning.has(status) && now.toISOString() > dueAt;
}
