// Workflow templates from data/reference/workflows/workflows.json: the file is the authority,
// loaded at every start (and with the demo data). A template that breaks a rule stops the load
// with a message naming it; one for a procedure this catalogue lacks is skipped and reported.
import type { Db } from '../../db/connection.ts';
import { isRole } from '../../domain/roles.ts';
import { templateProblem, type WorkflowStep } from '../../domain/workflow.ts';
import { readReference } from '../../reference.ts';
import { knownIds, replaceWorkflowTemplates } from './office.workflow.queries.ts';

type Template = { name: string; steps: WorkflowStep[] };
export type WorkflowsFile = { version: string; default: Template; procedures: Record<string, Template> };

export const workflowsFile = 'workflows/workflows.json';

export async function loadWorkflowTemplates(db: Db, now: Date, file: WorkflowsFile = readReference<WorkflowsFile>(workflowsFile)): Promise<{ loaded: number; skipped: string[] }> {
  const known = await knownIds(db);
  const skipped = Object.keys(file.procedures).filter((id) => !known.procedures.has(id));
  const entries: Array<[string | null, Template]> = [[null, file.default], ...Object.entries(file.procedures).filter(([id]) => known.procedures.has(id))];
  for (const [procedureId, t] of entries) {
    const where = `workflow template ${procedureId ?? 'default'}`;
    const problem = templateProblem(t.steps, isRole);
    if (problem) throw new Error(`${where}: ${problem}`);
    const stranger = t.steps.find((s) => s.unitId && !known.units.has(s.unitId));
    if (stranger) throw new Error(`${where}: step ${stranger.key} names unit ${stranger.unitId}, which does not exist`);
  }
  await replaceWorkflowTemplates(db, entries.map(([procedureId, t]) => ({ id: procedureId ?? 'default', procedureId, name: t.name, steps: t.steps })), now.toISOString());
  return { loaded: entries.length, skipped };
}
