// SQL for campaign plans: the plan row, its channels, activities, budget lines and evidence files.
import type { Db } from '../../db/connection.ts';
import type { OutreachActivityTable, OutreachBudgetLineTable, OutreachChannelTable, OutreachEvidenceTable, OutreachPlanTable } from '../../db/schema.ts';

export type PlanRows = {
  plan: OutreachPlanTable;
  channels: OutreachChannelTable[];
  activities: OutreachActivityTable[];
  lines: OutreachBudgetLineTable[];
  evidence: OutreachEvidenceTable[];
};

export async function listPlans(db: Db, limit: number, offset: number) {
  const [{ n } = { n: 0 }] = await db.selectFrom('outreach_plans').select((eb) => eb.fn.countAll<number>().as('n')).execute();
  const rows = await db.selectFrom('outreach_plans').selectAll().orderBy('date', 'desc').orderBy('id').limit(limit).offset(offset).execute();
  return { total: Number(n), rows };
}

export async function findPlan(db: Db, id: string): Promise<PlanRows | null> {
  const plan = await db.selectFrom('outreach_plans').selectAll().where('id', '=', id).executeTakeFirst();
  if (!plan) return null;
  const [channels, activities, lines] = await Promise.all([
    db.selectFrom('outreach_channels').selectAll().where('plan_id', '=', id).orderBy('position').execute(),
    db.selectFrom('outreach_activities').selectAll().where('plan_id', '=', id).orderBy('position').orderBy('id').execute(),
    db.selectFrom('outreach_budget_lines').selectAll().where('plan_id', '=', id).orderBy('position').execute(),
  ]);
  const evidence = activities.length
    ? await db.selectFrom('outreach_evidence').selectAll().where('activity_id', 'in', activities.map((a) => a.id)).orderBy('created_at').orderBy('id').execute()
    : [];
  return { plan, channels, activities, lines, evidence };
}

export async function insertPlan(db: Db, plan: OutreachPlanTable): Promise<void> {
  await db.insertInto('outreach_plans').values(plan).execute();
}

export async function updatePlan(db: Db, id: string, set: Omit<OutreachPlanTable, 'id' | 'created_at' | 'created_by'>): Promise<void> {
  await db.updateTable('outreach_plans').set(set).where('id', '=', id).execute();
}

/**
 * The plan's channels become `channels`: rows whose id is kept are updated, new ones inserted, the
 * rest deleted (their activities lose the channel, as the foreign key says).
 */
export async function replaceChannels(db: Db, planId: string, channels: OutreachChannelTable[]): Promise<void> {
  const keep = channels.map((c) => c.id);
  let del = db.deleteFrom('outreach_channels').where('plan_id', '=', planId);
  if (keep.length) del = del.where('id', 'not in', keep);
  // SQLite enforces "set null" only with foreign keys on; clear the references first on both dialects.
  let clear = db.updateTable('outreach_activities').set({ channel_id: null }).where('plan_id', '=', planId);
  if (keep.length) clear = clear.where((eb) => eb.or([eb('channel_id', 'is', null), eb('channel_id', 'not in', keep)]));
  await clear.execute();
  await del.execute();
  for (const c of channels) {
    const r = await db.updateTable('outreach_channels').set({ position: c.position, kind: c.kind, label: c.label }).where('id', '=', c.id).where('plan_id', '=', planId).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) await db.insertInto('outreach_channels').values(c).execute();
  }
}

export async function replaceLines(db: Db, planId: string, lines: OutreachBudgetLineTable[]): Promise<void> {
  await db.deleteFrom('outreach_budget_lines').where('plan_id', '=', planId).execute();
  if (lines.length) await db.insertInto('outreach_budget_lines').values(lines).execute();
}

export async function insertActivity(db: Db, row: OutreachActivityTable): Promise<void> {
  await db.insertInto('outreach_activities').values(row).execute();
}

export async function nextActivityPosition(db: Db, planId: string): Promise<number> {
  const r = await db.selectFrom('outreach_activities').select((eb) => eb.fn.max<number>('position').as('p')).where('plan_id', '=', planId).executeTakeFirst();
  return Number(r?.p ?? 0) + 1;
}

export async function updateActivity(db: Db, planId: string, id: string, set: Partial<Omit<OutreachActivityTable, 'id' | 'plan_id'>>): Promise<void> {
  await db.updateTable('outreach_activities').set(set).where('id', '=', id).where('plan_id', '=', planId).execute();
}

export async function insertEvidence(db: Db, row: OutreachEvidenceTable): Promise<void> {
  await db.insertInto('outreach_evidence').values(row).execute();
}

export async function findEvidence(db: Db, planId: string, activityId: string, id: string) {
  return db.selectFrom('outreach_evidence')
    .innerJoin('outreach_activities', 'outreach_activities.id', 'outreach_evidence.activity_id')
    .selectAll('outreach_evidence')
    .where('outreach_evidence.id', '=', id).where('outreach_evidence.activity_id', '=', activityId).where('outreach_activities.plan_id', '=', planId)
    .executeTakeFirst();
}

export async function planByNumber(db: Db, number: string) {
  return db.selectFrom('outreach_plans').select('id').where('number', '=', number).executeTakeFirst();
}
