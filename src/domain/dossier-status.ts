// A dossier's status is derived from its append-only action log (design.md §4): this file holds
// the statuses, numbered as the national code list, and the one table of which actor may take
// which action from which status. Services append an action only when this table allows it.
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

export const terminalStatuses: ReadonlySet<Status> = new Set(['refused', 'withdrawn', 'returned']);

export type Action =
  | 'create'
  | 'submit'
  | 'accept'
  | 'request_supplement'
  | 'refuse'
  | 'supplement'
  | 'transfer'
  | 'forward'
  | 'return_step'
  | 'recall'
  | 'request_financial_obligation'
  | 'fulfil_financial_obligation'
  | 'suspend'
  | 'resume'
  | 'resolve'
  | 'return_result'
  | 'withdraw'
  | 'confirm_withdrawal';

/** Who acts: the applicant (citizen), a staff role, or the system (the national portal, say). */
export type Actor = Role | 'system';

type Rule = { from: readonly Status[]; to: Status | ((from: Status) => Status); actors: readonly Actor[] };

const nonTerminal: Status[] = (Object.keys(statuses) as Status[]).filter((s) => !terminalStatuses.has(s) && s !== 'draft');

/** The transitions of design.md §4. */
export const transitions: Record<Action, Rule> = {
  create: { from: [], to: 'draft', actors: ['citizen', 'postal', 'reception', 'system'] },
  submit: { from: ['draft'], to: 'submitted', actors: ['citizen', 'postal', 'system'] },
  accept: { from: ['submitted'], to: 'accepted', actors: ['reception'] },
  request_supplement: { from: ['submitted', 'in_process'], to: 'supplement_requested', actors: ['reception', 'specialist'] },
  refuse: { from: ['submitted'], to: 'refused', actors: ['reception'] },
  // After a supplement the dossier goes back where it was asked from (recorded in the log).
  supplement: { from: ['supplement_requested'], to: 'submitted', actors: ['citizen', 'postal'] },
  transfer: { from: ['accepted'], to: 'in_process', actors: ['reception'] },
  forward: { from: ['in_process'], to: 'in_process', actors: ['specialist', 'approver', 'clerk', 'reception'] },
  return_step: { from: ['in_process'], to: 'in_process', actors: ['specialist', 'approver', 'clerk'] },
  recall: { from: ['in_process'], to: 'in_process', actors: ['specialist', 'approver', 'clerk', 'reception'] },
  request_financial_obligation: { from: ['in_process'], to: 'financial_obligation', actors: ['specialist'] },
  fulfil_financial_obligation: { from: ['financial_obligation'], to: 'in_process', actors: ['citizen', 'reception', 'specialist', 'system'] },
  suspend: { from: ['in_process'], to: 'suspended', actors: ['approver'] },
  resume: { from: ['suspended'], to: 'in_process', actors: ['approver'] },
  resolve: { from: ['in_process'], to: 'resolved', actors: ['approver', 'clerk'] },
  return_result: { from: ['resolved'], to: 'returned', actors: ['reception', 'postal', 'citizen'] },
  withdraw: { from: nonTerminal, to: (from) => from, actors: ['citizen'] },
  confirm_withdrawal: { from: nonTerminal, to: 'withdrawn', actors: ['reception'] },
};

export type Decision = { ok: true; to: Status } | { ok: false; reason: 'invalid_transition' | 'forbidden' };

/** Whether an actor may take an action from a status, and where it leads. */
export function decide(from: Status | null, action: Action, actor: Actor): Decision {
  const rule = transitions[action];
  const fromOk = from === null ? rule.from.length === 0 : rule.from.includes(from);
  if (!fromOk) return { ok: false, reason: 'invalid_transition' };
  if (!rule.actors.includes(actor)) return { ok: false, reason: 'forbidden' };
  const to = typeof rule.to === 'function' ? rule.to(from!) : rule.to;
  return { ok: true, to };
}

/** The status a log leads to, replaying it through the table; throws on an impossible log. */
export function statusFromActions(actions: ReadonlyArray<{ action: Action; actor: Actor }>): Status {
  let status: Status | null = null;
  for (const [i, a] of actions.entries()) {
    const d = decide(status, a.action, a.actor);
    if (!d.ok) throw new Error(`action ${i} (${a.action} by ${a.actor}) is not allowed from ${status ?? 'nothing'}`);
    status = d.to;
  }
  if (status === null) throw new Error('an empty log has no status');
  return status;
}
