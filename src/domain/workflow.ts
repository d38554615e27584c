// Workflow templates (docs/domain.md §3): after intake a dossier goes through steps, each held by a
// role (at the intake unit, or another), each with its share of the legal processing time.
import type { Role } from './roles.ts';

export type WorkflowStep = {
  key: string;
  name: string;
  nameEn: string;
  role: Role;
  /** The unit that holds the step; null: the dossier's own unit. */
  unitId: string | null;
  /** The step's share of the processing time; the shares of a template add up to 1. */
  share: number;
};

/** The usual path at a one-stop unit: a specialist examines, a leader approves, the clerk numbers and issues. */
export const defaultSteps: WorkflowStep[] = [
  { key: 'examine', name: 'Chuyên viên thẩm định', nameEn: 'Examination by a specialist', role: 'specialist', unitId: null, share: 0.6 },
  { key: 'approve', name: 'Lãnh đạo phê duyệt', nameEn: 'Approval by a leader', role: 'approver', unitId: null, share: 0.25 },
  { key: 'issue', name: 'Văn thư vào số, phát hành', nameEn: 'Numbering and issue by the clerk', role: 'clerk', unitId: null, share: 0.15 },
];

/** What is wrong with a template, or null: at least one step, known roles, shares that add up to 1. */
export function templateProblem(steps: readonly WorkflowStep[], isRole: (r: string) => boolean): string | null {
  if (!steps.length) return 'a template needs at least one step';
  if (steps.some((s) => !isRole(s.role) || s.role === 'citizen')) return 'each step needs a staff role';
  if (steps.some((s) => !(s.share > 0))) return 'each step needs a positive share of the time';
  const total = steps.reduce((n, s) => n + s.share, 0);
  if (Math.abs(total - 1) > 0.001) return `the shares add up to ${total.toFixed(3)}, not 1`;
  if (new Set(steps.map((s) => s.key)).size !== steps.length) return 'step keys must differ';
  return null;
}

/** The working hours from acceptance by which a step should be done: its share and those before it. */
export function stepHours(steps: readonly WorkflowStep[], step: number, totalHours: number): number {
  const share = steps.slice(0, step + 1).reduce((n, s) => n + s.share, 0);
  return Math.round(Math.min(1, share) * totalHours * 100) / 100;
}

/** A step's own deadline, through the calendar's due-time function. */
export function stepDueAt(steps: readonly WorkflowStep[], step: number, dueAfter: (hours: number) => Promise<Date>, totalHours: number): Promise<Date> {
  return dueAfter(stepHours(steps, step, totalHours));
}

/**
 * Whether an actor may forward a dossier at a step: there is a next step, and the actor holds the
 * current one (reception may move a dossier on for anyone, as the desk that hands it over).
 */
export function forwardProblem(steps: readonly WorkflowStep[], step: number, actor: string): 'no_next_step' | 'forbidden' | null {
  if (step + 1 >= steps.length) return 'no_next_step';
  if (actor !== 'reception' && steps[step]?.role !== actor) return 'forbidden';
  return null;
}
