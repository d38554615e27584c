// The demo's campaign plan: Tiền Giang's plan 088/KH-UBND of 2017, from its vendored transcription
// (data/reference/outreach/), with the appendix's nine budget lines checked as they load (a line
// whose parts do not add up stops the load, naming the line) and the original's discrepancies kept.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import type { OutreachChannel } from '../../domain/outreach.ts';
import { readReference } from '../../reference.ts';
import { parsePlan, type PlanInput } from './outreach.input.ts';
import * as q from './outreach.queries.ts';

export const planFile = 'outreach/plan-088-2017-tien-giang.json';
export const demoPlanId = 'plan-088-2017';

type Line = { no: number; item: string; duration?: string; quantity: number | null; unitPrice: number; amount: number; state: number; social: number; note?: string };
type Source = {
  number: string; issuer: string; date: string; title: string; legalBasis: string[]; objectives: string[]; themes: string[]; channels: string[];
  units: Array<{ name: string; role: string; tasks: string[] }>;
  budget: { sections: Array<{ key: string; name: string; groups: Array<{ key: string | null; name: string | null; lines: Line[] }> }>; printedTotals: { amount: number; state: number; social: number } };
  discrepancies: string[];
};

/** How each channel of the transcription maps onto the fixed list; the printed words stay as the label. */
const channelKinds: Array<[RegExp, OutreachChannel]> = [
  [/^television$/, 'television'], [/^radio$/, 'radio'], [/^newspaper/, 'newspaper'], [/e-newspaper/, 'e_newspaper'],
  [/universities|schools/, 'schools'], [/websites/, 'websites'],
];
/** Units of the transcription that are units of the demo organisation. */
const unitIds: Record<string, string> = { 'Sở Thông tin và Truyền thông': 'so-thong-tin-va-truyen-thong' };

/** The appendix cites the plan under another number (its first discrepancy): the number it gives. */
function appendixNumber(discrepancies: string[]): string | null {
  return /Kế hoạch số ([^\s']+)/.exec(discrepancies[0] ?? '')?.[1] ?? null;
}

export function demoPlanInput(src: Source = readReference<Source>(planFile)): PlanInput {
  return {
    number: src.number, appendixNumber: appendixNumber(src.discrepancies), date: src.date, issuer: src.issuer, title: src.title,
    // The plan is for 2017 and carried out from its signature to the year's end (our reading, docs/data.md).
    periodFrom: src.date, periodTo: `${src.date.slice(0, 4)}-12-31`,
    objectives: src.objectives, themes: src.themes,
    channels: src.channels.map((label) => ({ kind: channelKinds.find(([re]) => re.test(label))?.[1] ?? 'other', label })),
    units: src.units.map((u) => ({ role: u.role === 'lead' ? 'responsible' : 'coordinating', unitId: unitIds[u.name] ?? null, name: u.name, tasks: u.tasks })),
    budget: {
      lines: src.budget.sections.flatMap((s) => s.groups.flatMap((g) => g.lines.map((l) => ({
        section: s.key, sectionName: s.name, group: g.key, groupName: g.name, no: l.no, item: l.item, duration: l.duration ?? null,
        quantity: l.quantity, unitPrice: l.unitPrice, amount: l.amount, state: l.state, social: l.social, note: l.note ?? null,
      })))),
      printedTotal: src.budget.printedTotals,
    },
    discrepancies: src.discrepancies,
    source: `${src.issuer}, ${src.number} (${src.date}); căn cứ: ${src.legalBasis.join('; ')}. Bản chép lại: data/reference/outreach/.`,
  };
}

/** The plan's activities, one per channel and the report; the dates are the demo's, not the plan's. */
const demoActivities: Array<{ title: string; kind: OutreachChannel | null; from: string; to: string }> = [
  { title: 'Sản xuất và phát sóng 10 chuyên mục truyền hình (10 phút mỗi chuyên mục)', kind: 'television', from: '2017-09-01', to: '2017-12-15' },
  { title: 'Tin, bài tuyên truyền trên sóng phát thanh', kind: 'radio', from: '2017-09-01', to: '2017-12-15' },
  { title: '10 chuyên trang trên Báo Ấp Bắc (2 trang mỗi kỳ)', kind: 'newspaper', from: '2017-09-01', to: '2017-12-15' },
  { title: 'Tin, bài trên Báo Ấp Bắc điện tử', kind: 'e_newspaper', from: '2017-09-01', to: '2017-12-31' },
  { title: '6 buổi tuyên truyền cho sinh viên: 200 sinh viên thử dịch vụ công trực tuyến trên điện thoại thông minh', kind: 'schools', from: '2017-10-02', to: '2017-11-30' },
  { title: 'Đăng thông tin trên Cổng thông tin điện tử tỉnh và trang của các cơ quan', kind: 'websites', from: '2017-08-21', to: '2017-12-31' },
  { title: 'Báo cáo kết quả thực hiện cho Ủy ban nhân dân tỉnh', kind: null, from: '2017-12-15', to: '2017-12-31' },
];

/** Loads (or loads again) the 2017 plan; throws naming the file and the line when the data is not sound. */
export async function seedOutreach(db: Db, now: Date): Promise<{ plans: number; budgetLines: number; activities: number }> {
  const input = demoPlanInput();
  // Unit ids are checked against the loaded organisation below, in the transaction.
  const { plan, problems } = parsePlan(input, 'vi', (id) => ({ name: id }));
  if (Object.keys(problems).length) throw new Error(`reference data ${planFile}: ${JSON.stringify(problems)}`);
  const at = now.toISOString();
  await db.transaction().execute(async (tx) => {
    const known = new Set((await tx.selectFrom('units').select('id').execute()).map((u) => u.id));
    plan.units.forEach((u) => {
      if (u.unitId && !known.has(u.unitId)) u.unitId = null;
    });
    const ids = (await tx.selectFrom('outreach_activities').select('id').where('plan_id', '=', demoPlanId).execute()).map((a) => a.id);
    if (ids.length) await tx.deleteFrom('outreach_evidence').where('activity_id', 'in', ids).execute();
    for (const t of ['outreach_activities', 'outreach_budget_lines', 'outreach_channels'] as const) await tx.deleteFrom(t).where('plan_id', '=', demoPlanId).execute();
    await tx.deleteFrom('outreach_plans').where('id', '=', demoPlanId).execute();
    await q.insertPlan(tx, {
      id: demoPlanId, number: plan.number, appendix_number: plan.appendixNumber, date: plan.date, issuer: plan.issuer, title: plan.title,
      period_from: plan.periodFrom, period_to: plan.periodTo, objectives: JSON.stringify(plan.objectives), themes: JSON.stringify(plan.themes),
      units: JSON.stringify(plan.units), discrepancies: JSON.stringify(plan.discrepancies),
      printed_amount: plan.printedTotal?.amount ?? null, printed_state: plan.printedTotal?.state ?? null, printed_social: plan.printedTotal?.social ?? null,
      source: plan.source, created_by: null, created_at: at, updated_at: at,
    });
    const channels = plan.channels.map((c, position) => ({ id: `${demoPlanId}-channel-${position + 1}`, plan_id: demoPlanId, position, kind: c.kind, label: c.label }));
    await q.replaceChannels(tx, demoPlanId, channels);
    await q.replaceLines(tx, demoPlanId, plan.lines.map((l, position) => ({
      id: randomUUID(), plan_id: demoPlanId, position, section: l.section, section_name: l.sectionName, group_key: l.group, group_name: l.groupName, no: l.no,
      item: l.item, duration: l.duration, quantity: l.quantity, unit_price: l.unitPrice, amount: l.amount, state: l.state, social: l.social, note: l.note,
    })));
    for (const [i, a] of demoActivities.entries()) {
      await q.insertActivity(tx, {
        id: `${demoPlanId}-activity-${i + 1}`, plan_id: demoPlanId, position: i + 1, title: a.title, channel_id: channels.find((c) => c.kind === a.kind)?.id ?? null,
        planned_from: a.from, planned_to: a.to, status: 'planned', actual_from: null, actual_to: null, actual_spending: null, note: null, updated_at: at,
      });
    }
  });
  return { plans: 1, budgetLines: plan.lines.length, activities: demoActivities.length };
}
