// Workflow templates from data/reference/workflows/workflows.json: the file is the authority,
// loaded at every start (and with the demo data). A template that breaks a rule stops the load
// with a message naming it; one for a procedure this catalogue lacks is skipped and reported.
import type { Db } from '../connection.ts';
import { isRole } from '../../domain/roles.ts';
import { templateProblem, type WorkflowStep } from '../../domain/workflow.ts';
import { readReference } from './files.ts';

type Template = { name: string; steps: WorkflowStep[] };
export type WorkflowsFile = { version: string; default: Template; procedures: Record<string, Template> };

export const workflowsFile = 'workflows/workflows.json';

export async function loadWorkflowTemplates(db: Db, now: Date, file: WorkflowsFile = readReference<WorkflowsFile>(workflowsFile)): Promise<{ loaded: number; skipped: string[] }> {
  const known = new Set((await db.selectFrom('procedures').select('id').execute()).map((p) => p.id));
  const units = new Set((await db.selectFrom('units').select('id').execute()).map((u) => u.id));
  const skipped = Object.keys(file.procedures).filter((id) => !known.has(id));
  const entries: Array<[string | null, Template]> = [[null, file.default], ...Object.entries(file.procedures).filter(([id]) => known.has(id))];
  for (const [procedureId, t] of entries) {
    const where = `workflow template ${procedureId ?? 'default'}`;
    const problem = templateProblem(t.steps, isRole);
    if (problem) throw new Error(`${where}: ${problem}`);
    const stranger = t.steps.find((s) => s.unitId && !units.has(s.unitId));
    if (stranger) throw new Error(`${where}: step ${stranger.key} names unit ${stranger.unitId}, which does not exist`);
  }
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('workflow_templates').execute();
    await tx.insertInto('workflow_templates').values(entries.map(([procedureId, t]) => ({
      id: procedureId ?? 'default', procedure_id: procedureId, name: t.name, steps: JSON.stringify(t.steps), updated_at: now.toISOString(),
    }))).execute();
  });
  return { loaded: entries.length, skipped };
}
