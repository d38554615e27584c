// Campaign plans (docs/domain.md "Campaigns"): a plan is a public document anyone may read; only
// the outreach role writes plans, carries out their activities and reads the report to the
// People's Committee. The budget's totals are computed from its lines, never stored; the uptake
// figures of the report come from the statistics (StatsService), never from the dossiers.
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Db } from '../../db/connection.ts';
import type { OutreachActivityTable, OutreachBudgetLineTable } from '../../db/schema.ts';
import { allowedForDocuments } from '../../domain/file-types.ts';
import {
  budgetTotals, executionSummary, isActivityStatus, isDay, planWarnings, yearBefore, type ActivityStatus, type Money, type OutreachChannel, type UnitRole,
} from '../../domain/outreach.ts';
import type { Clock } from '../../domain/time.ts';
import { fail, invalid, type FieldProblem } from '../../errors.ts';
import { format, formatNumber, localName, messages, type Lang } from '../../i18n/index.ts';
import type { SessionUser } from '../accounts/accounts.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { UploadLimits } from '../dossiers/dossiers.service.ts';
import { storeUpload, type StoredUpload } from '../dossiers/dossiers.uploads.ts';
import type { FileStorage } from '../files/files.storage.ts';
import type { StatsService } from '../stats/stats.service.ts';
import { parsePlan, money, text, type ParsedPlan, type PlanInput } from './outreach.input.ts';
import * as q from './outreach.queries.ts';

export type { PlanInput } from './outreach.input.ts';
export type ActivityInput = { title?: unknown; channelId?: unknown; plannedFrom?: unknown; plannedTo?: unknown; status?: unknown; actualFrom?: unknown; actualTo?: unknown; actualSpending?: unknown; note?: unknown };

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));
const json = <T>(s: string): T => JSON.parse(s) as T;

/** Whether someone may write plans: a grant of the outreach role (at any unit). */
export function isOutreach(user: SessionUser | null | undefined): boolean {
  return !!user?.roles.some((r) => r.role === 'outreach');
}

function requireOutreach(user: SessionUser | null | undefined): asserts user is SessionUser {
  if (!user) fail('not_signed_in');
  if (!isOutreach(user)) fail('forbidden');
}

/** A plan as the API and the pages show it (api-v1.md, GET /outreach/plans/{id}). */
export function planView(rows: q.PlanRows, lang: Lang) {
  const m = messages(lang).outreach;
  const { plan } = rows;
  const lines = rows.lines.map((l) => ({
    id: l.id, section: l.section, sectionName: l.section_name, group: l.group_key, groupName: l.group_name, no: l.no, item: l.item, duration: l.duration,
    quantity: num(l.quantity), unitPrice: Number(l.unit_price), amount: Number(l.amount), state: Number(l.state), social: Number(l.social), note: l.note,
  }));
  const totals = budgetTotals(lines);
  const printedTotal: Money | null = plan.printed_amount === null ? null : { amount: Number(plan.printed_amount), state: Number(plan.printed_state), social: Number(plan.printed_social) };
  const discrepancies = json<string[]>(plan.discrepancies);
  const fmt = (n: number) => formatNumber(lang, n);
  const warnings = planWarnings({ number: plan.number, appendixNumber: plan.appendix_number, printedTotal, discrepancies }, totals.total).map((w) => ({
    ...w,
    message: w.code === 'number_mismatch' ? format(m.warnings.number_mismatch, { number: w.number, appendixNumber: w.appendixNumber })
      : w.code === 'printed_total_mismatch' ? format(m.warnings.printed_total_mismatch, { printed: fmt(w.printed.amount), computed: fmt(w.computed.amount) })
        : format(m.warnings.source_discrepancy, { note: w.note }),
  }));
  const channelName = (c: { kind: string; label: string | null }) => (c.kind === 'other' ? c.label ?? m.channels.other : (m.channels as Record<string, string>)[c.kind] ?? c.kind);
  return {
    id: plan.id, number: plan.number, appendixNumber: plan.appendix_number, date: plan.date, issuer: plan.issuer, title: plan.title,
    periodFrom: plan.period_from, periodTo: plan.period_to, objectives: json<string[]>(plan.objectives), themes: json<string[]>(plan.themes),
    channels: rows.channels.map((c) => ({ id: c.id, kind: c.kind as OutreachChannel, label: c.label, name: channelName(c) })),
    units: json<Array<{ role: UnitRole; unitId: string | null; name: string; tasks: string[] }>>(plan.units),
    activities: rows.activities.map((a) => ({
      id: a.id, title: a.title, channelId: a.channel_id, plannedFrom: a.planned_from, plannedTo: a.planned_to, status: a.status as ActivityStatus,
      actualFrom: a.actual_from, actualTo: a.actual_to, actualSpending: num(a.actual_spending), note: a.note,
      evidence: rows.evidence.filter((e) => e.activity_id === a.id).map((e) => ({ id: e.id, name: e.name, mime: e.mime, size: e.size, sha256: e.sha256, createdAt: e.created_at })),
    })),
    budget: {
      currency: 'VND' as const, lines,
      sections: totals.sections.map((s) => ({ key: s.key, name: s.name, total: s.total, groups: s.groups.map((g) => ({ key: g.key, name: g.name, total: g.total })) })),
      total: totals.total, printedTotal,
    },
    /** Tracked links per channel and activity: none yet (issue 13, item 2). */
    links: [] as Array<{ slug: string; channel: string; activityId: string | null; target: string }>,
    warnings, discrepancies, source: plan.source, updatedAt: plan.updated_at,
  };
}
export type PlanView = ReturnType<typeof planView>;

export class OutreachService {
  constructor(
    private readonly db: Db,
    private readonly catalog: CatalogService,
    private readonly stats: StatsService,
    private readonly storage: FileStorage,
    private readonly clock: Clock,
    private readonly limits: UploadLimits,
  ) {}

  async list(limit: number, offset: number) {
    const { total, rows } = await q.listPlans(this.db, limit, offset);
    return { total, items: rows.map((p) => ({ id: p.id, number: p.number, date: p.date, title: p.title, issuer: p.issuer, periodFrom: p.period_from, periodTo: p.period_to })) };
  }

  private async rows(id: string): Promise<q.PlanRows> {
    const rows = id.length <= 64 ? await q.findPlan(this.db, id) : null;
    if (!rows) fail('not_found');
    return rows;
  }

  async get(id: string, lang: Lang): Promise<PlanView> {
    return planView(await this.rows(id), lang);
  }

  private parse(input: PlanInput, lang: Lang): ParsedPlan {
    const { plan, problems } = parsePlan(input, lang, (id) => {
      const u = this.catalog.unit(id);
      return u ? { name: localName('vi', u) } : null;
    });
    if (Object.keys(problems).length) throw invalid(problems);
    return plan;
  }

  async create(user: SessionUser | null | undefined, input: PlanInput, lang: Lang, id: string = randomUUID()): Promise<PlanView> {
    requireOutreach(user);
    const p = this.parse(input, lang);
    const now = this.clock.now().toISOString();
    await this.db.transaction().execute(async (tx) => {
      await q.insertPlan(tx, { id, ...this.planColumns(p, now), created_by: user.id, created_at: now });
      await this.children(tx, id, p, []);
    });
    return this.get(id, lang);
  }

  /** Replaces the plan's text, channels (kept by id, or by kind and label), units and budget lines; its activities stay. */
  async update(user: SessionUser | null | undefined, id: string, input: PlanInput, lang: Lang): Promise<PlanView> {
    requireOutreach(user);
    const before = await this.rows(id);
    const p = this.parse(input, lang);
    const known = new Set(before.channels.map((c) => c.id));
    p.channels.forEach((c, i) => {
      if (c.id && !known.has(c.id)) throw invalid({ [`channels.${i}.id`]: { key: 'unknownChannel' } });
    });
    await this.db.transaction().execute(async (tx) => {
      await q.updatePlan(tx, id, this.planColumns(p, this.clock.now().toISOString()));
      await this.children(tx, id, p, before.channels);
    });
    return this.get(id, lang);
  }

  private planColumns(p: ParsedPlan, now: string) {
    return {
      number: p.number, appendix_number: p.appendixNumber, date: p.date, issuer: p.issuer, title: p.title, period_from: p.periodFrom, period_to: p.periodTo,
      objectives: JSON.stringify(p.objectives), themes: JSON.stringify(p.themes), units: JSON.stringify(p.units), discrepancies: JSON.stringify(p.discrepancies),
      printed_amount: p.printedTotal?.amount ?? null, printed_state: p.printedTotal?.state ?? null, printed_social: p.printedTotal?.social ?? null,
      source: p.source, updated_at: now,
    };
  }

  private async children(tx: Db, planId: string, p: ParsedPlan, existing: ReadonlyArray<{ id: string; kind: string; label: string | null }>) {
    const channels = p.channels.map((c, position) => ({
      id: c.id ?? existing.find((e) => e.kind === c.kind && (e.label ?? '') === (c.label ?? ''))?.id ?? randomUUID(), plan_id: planId, position, kind: c.kind, label: c.label,
    }));
    await q.replaceChannels(tx, planId, channels);
    const lines: OutreachBudgetLineTable[] = p.lines.map((l, position) => ({
      id: randomUUID(), plan_id: planId, position, section: l.section, section_name: l.sectionName, group_key: l.group, group_name: l.groupName, no: l.no, item: l.item,
      duration: l.duration, quantity: l.quantity, unit_price: l.unitPrice, amount: l.amount, state: l.state, social: l.social, note: l.note,
    }));
    await q.replaceLines(tx, planId, lines);
  }

  /** An activity's planned and actual fields checked; `base` holds the stored values an update keeps. */
  private activityFields(plan: q.PlanRows, input: ActivityInput, base?: OutreachActivityTable) {
    const problems: Record<string, FieldProblem> = {};
    const pick = (key: keyof ActivityInput, stored: string | null | undefined) => (input[key] === undefined ? stored ?? '' : text(input[key]));
    const title = pick('title', base?.title);
    if (!title) problems.title = { key: 'required' };
    else if (title.length > 300) problems.title = { key: 'tooLong', params: { max: 300 } };
    const channelId = pick('channelId', base?.channel_id) || null;
    if (channelId && !plan.channels.some((c) => c.id === channelId)) problems.channelId = { key: 'unknownChannel' };
    const dates: Record<string, string | null> = {};
    for (const [key, stored, required] of [['plannedFrom', base?.planned_from, true], ['plannedTo', base?.planned_to, true], ['actualFrom', base?.actual_from, false], ['actualTo', base?.actual_to, false]] as const) {
      const v = pick(key, stored);
      if (!v) {
        if (required) problems[key] = { key: 'required' };
      } else if (!isDay(v)) problems[key] = { key: 'badDate' };
      dates[key] = v || null;
    }
    for (const [from, to] of [['plannedFrom', 'plannedTo'], ['actualFrom', 'actualTo']] as const) {
      if (!problems[from] && !problems[to] && dates[from] && dates[to] && dates[to]! < dates[from]!) problems[to] = { key: 'dateTooEarly', params: { min: dates[from]! } };
    }
    const status = pick('status', base?.status) || 'planned';
    if (!isActivityStatus(status)) problems.status = { key: 'notAllowed', params: { allowed: 'planned, in_progress, done, cancelled' } };
    const spendingIn = input.actualSpending === undefined ? num(base?.actual_spending ?? null) : money(input.actualSpending);
    if (spendingIn !== null && (!Number.isSafeInteger(spendingIn) || spendingIn < 0)) problems.actualSpending = { key: 'notInteger' };
    const note = pick('note', base?.note);
    if (note.length > 2000) problems.note = { key: 'tooLong', params: { max: 2000 } };
    if (Object.keys(problems).length) throw invalid(problems);
    return {
      title, channel_id: channelId, planned_from: dates.plannedFrom!, planned_to: dates.plannedTo!, status, actual_from: dates.actualFrom ?? null, actual_to: dates.actualTo ?? null,
      actual_spending: spendingIn, note: note || null, updated_at: this.clock.now().toISOString(),
    };
  }

  async addActivity(user: SessionUser | null | undefined, planId: string, input: ActivityInput, lang: Lang) {
    requireOutreach(user);
    const plan = await this.rows(planId);
    const id = randomUUID();
    const fields = this.activityFields(plan, input);
    await q.insertActivity(this.db, { id, plan_id: planId, position: await q.nextActivityPosition(this.db, planId), ...fields });
    return this.activity(planId, id, lang);
  }

  /** Updates an activity: what is sent changes, what is not sent stays (status, actual dates and spending, note, and the plan fields). */
  async updateActivity(user: SessionUser | null | undefined, planId: string, activityId: string, input: ActivityInput, lang: Lang) {
    requireOutreach(user);
    const plan = await this.rows(planId);
    const base = plan.activities.find((a) => a.id === activityId);
    if (!base) fail('not_found');
    await q.updateActivity(this.db, planId, activityId, this.activityFields(plan, input, base));
    return this.activity(planId, activityId, lang);
  }

  async activity(planId: string, activityId: string, lang: Lang) {
    const a = (await this.get(planId, lang)).activities.find((x) => x.id === activityId);
    if (!a) fail('not_found');
    return a;
  }

  /** Receives an evidence file into storage, checked by content and size as dossiers' files are; the route records or discards it. */
  async receiveEvidence(user: SessionUser | null | undefined, planId: string, activityId: string, file: { filename: string; stream: Readable }): Promise<StoredUpload> {
    requireOutreach(user);
    await this.activity(planId, activityId, 'vi');
    return storeUpload(this.storage, `outreach/${planId}`, file, { allowed: allowedForDocuments, maxBytes: this.limits.maxFileBytes });
  }

  async recordEvidence(user: SessionUser, planId: string, activityId: string, stored: StoredUpload) {
    try {
      const a = await this.activity(planId, activityId, 'vi');
      if (a.evidence.reduce((n, e) => n + e.size, 0) + stored.size > this.limits.maxDossierBytes) fail('dossier_files_too_large');
      const row = { id: randomUUID(), activity_id: activityId, name: stored.name, mime: stored.mime, size: stored.size, sha256: stored.sha256, storage_key: stored.storageKey, created_by: user.id, created_at: this.clock.now().toISOString() };
      await q.insertEvidence(this.db, row);
      return { id: row.id, name: row.name, mime: row.mime, size: row.size, sha256: row.sha256, createdAt: row.created_at };
    } catch (err) {
      await this.discardEvidence(stored);
      throw err;
    }
  }

  async discardEvidence(stored: StoredUpload): Promise<void> {
    await this.storage.delete(stored.storageKey);
  }

  get maxFileBytes(): number {
    return this.limits.maxFileBytes;
  }

  /** An evidence file, for the outreach role only (photos of a session may show people). */
  async evidenceFile(user: SessionUser | null | undefined, planId: string, activityId: string, evidenceId: string) {
    requireOutreach(user);
    const e = evidenceId.length <= 64 ? await q.findEvidence(this.db, planId, activityId, evidenceId) : undefined;
    if (!e) fail('not_found');
    return { name: e.name, mime: e.mime, body: await this.storage.get(e.storage_key) };
  }

  /**
   * The report to the People's Committee: activities planned and done, money planned and spent,
   * and the province's uptake (form II.06a's summary) over the plan's period against the same
   * period a year before. Outreach role only.
   */
  async report(user: SessionUser | null | undefined, id: string, lang: Lang) {
    requireOutreach(user);
    const plan = await this.get(id, lang);
    const period = { from: plan.periodFrom, to: plan.periodTo };
    const before = { from: yearBefore(plan.periodFrom), to: yearBefore(plan.periodTo) };
    const figures = async (p: { from: string; to: string }) => {
      const s = await this.stats.summary(p);
      return { ...p, received: s.received.total, online: s.received.online, onlineShare: s.onlineShare, settled: s.settled.total, onTimeRate: s.onTimeRate };
    };
    const [current, previous] = [await figures(period), await figures(before)];
    return {
      plan: { id: plan.id, number: plan.number, date: plan.date, title: plan.title, issuer: plan.issuer, periodFrom: plan.periodFrom, periodTo: plan.periodTo },
      ...executionSummary(plan.activities, plan.budget.total),
      activityRows: plan.activities.map((a) => ({ title: a.title, status: a.status, plannedFrom: a.plannedFrom, plannedTo: a.plannedTo, actualFrom: a.actualFrom, actualTo: a.actualTo, actualSpending: a.actualSpending })),
      uptake: {
        current, previous,
        change: { received: current.received - previous.received, online: current.online - previous.online, onlineSharePoints: (current.onlineShare - previous.onlineShare) * 100 },
      },
      warnings: plan.warnings,
    };
  }
}
export type PlanReport = Awaited<ReturnType<OutreachService['report']>>;
