// The office's own tables for the workflow: the templates of steps per procedure, and the staff
// roles a hand-over checks. Templates are loaded from data/reference/workflows/ (office.templates.ts).
import type { Db } from '../../db/connection.ts';
import type { Role } from '../../domain/roles.ts';
import type { WorkflowStep } from '../../domain/workflow.ts';

export type WorkflowTemplate = { id: string; procedureId: string | null; name: string; steps: WorkflowStep[] };

/** A procedure's own workflow template, or else the default one (procedure_id null); undefined before any is loaded. */
export async function findWorkflowTemplate(db: Db, procedureId: string): Promise<WorkflowTemplate | undefined> {
  const rows = await db
    .selectFrom('workflow_templates')
    .selectAll()
    .where((eb) => eb.or([eb('procedure_id', '=', procedureId), eb('procedure_id', 'is', null)]))
    .execute();
  const row = rows.find((r) => r.procedure_id === procedureId) ?? rows[0];
  return row && { id: row.id, procedureId: row.procedure_id, name: row.name, steps: JSON.parse(row.steps) as WorkflowStep[] };
}

/** Replaces every template with the given ones, in one transaction. */
export async function replaceWorkflowTemplates(db: Db, templates: WorkflowTemplate[], now: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('workflow_templates').execute();
    if (!templates.length) return;
    await tx.insertInto('workflow_templates').values(templates.map((t) => ({
      id: t.id, procedure_id: t.procedureId, name: t.name, steps: JSON.stringify(t.steps), updated_at: now,
    }))).execute();
  });
}

/** The ids a template may name: procedures of the catalogue and units of the organisation. */
export async function knownIds(db: Db): Promise<{ procedures: Set<string>; units: Set<string> }> {
  const [procedures, units] = await Promise.all([
    db.selectFrom('procedures').select('id').execute(),
    db.selectFrom('units').select('id').execute(),
  ]);
  return { procedures: new Set(procedures.map((p) => p.id)), units: new Set(units.map((u) => u.id)) };
}

export async function staffRolesOf(db: Db, userId: string): Promise<Array<{ role: Role; unitId: string | null; subtree: boolean }>> {
  const rows = await db.selectFrom('user_roles').select(['role', 'unit_id', 'subtree']).where('user_id', '=', userId).execute();
  return rows.map((r) => ({ role: r.role as Role, unitId: r.unit_id, subtree: r.subtree === 1 }));
}
