// Reading a plan as typed (the API's JSON or a page's form, already gathered into the same shape):
// text trimmed, numbers read as whole VND, every problem collected under the field's JSON path
// (`budget.lines.2.amount`), each budget line's problem naming the line (src/domain/outreach.ts).
import type { FieldProblem } from '../../errors.ts';
import { messages, type Lang } from '../../i18n/index.ts';
import {
  checkBudget, isDay, isOutreachChannel, lineLabel, unitRoles, type BudgetLine, type Money, type OutreachChannel, type UnitRole,
} from '../../domain/outreach.ts';

export type PlanInput = {
  number?: unknown; appendixNumber?: unknown; date?: unknown; issuer?: unknown; title?: unknown; periodFrom?: unknown; periodTo?: unknown;
  objectives?: unknown; themes?: unknown; channels?: unknown; units?: unknown; discrepancies?: unknown; source?: unknown;
  budget?: { lines?: unknown; printedTotal?: unknown } | unknown;
};

export type ChannelIn = { id: string | null; kind: OutreachChannel; label: string | null };
export type UnitIn = { role: UnitRole; unitId: string | null; name: string; tasks: string[] };

export type ParsedPlan = {
  number: string; appendixNumber: string | null; date: string; issuer: string; title: string; periodFrom: string; periodTo: string;
  objectives: string[]; themes: string[]; channels: ChannelIn[]; units: UnitIn[]; lines: BudgetLine[];
  printedTotal: Money | null; discrepancies: string[]; source: string | null;
};

export const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');
const optional = (v: unknown): string | null => text(v) || null;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const texts = (v: unknown): string[] => list(v).map(text).filter(Boolean);

/**
 * A sum of money or a count: a JSON integer, or text of digits (a page's field), where spaces,
 * dots and commas between groups of three are thousands separators (6.000.000). Empty is null;
 * anything else is NaN, which the budget check names.
 */
export function money(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  const s = text(v);
  if (!s) return null;
  if (/^\d+$/.test(s)) return Number(s);
  if (/^\d{1,3}([., ]\d{3})+$/.test(s)) return Number(s.replace(/[., ]/g, ''));
  return Number.NaN;
}

function moneyOf(v: unknown): Money | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const m = { amount: money(o.amount), state: money(o.state), social: money(o.social) };
  return m.amount !== null && m.state !== null && m.social !== null && [m.amount, m.state, m.social].every(Number.isSafeInteger) ? (m as Money) : null;
}

const limits = { number: 50, title: 500, issuer: 200, item: 300, short: 100, entry: 1000 } as const;

/** The plan read from its input, and the problems keyed by field path; `unitKnown` says whether a unit id exists. */
export function parsePlan(input: PlanInput, lang: Lang, unitKnown: (id: string) => { name: string } | null): { plan: ParsedPlan; problems: Record<string, FieldProblem> } {
  const m = messages(lang).outreach;
  const problems: Record<string, FieldProblem> = {};
  const need = (key: string, v: string, max: number) => {
    if (!v) problems[key] = { key: 'required' };
    else if (v.length > max) problems[key] = { key: 'tooLong', params: { max } };
  };
  const day = (key: string, v: string) => {
    if (!v) problems[key] = { key: 'required' };
    else if (!isDay(v)) problems[key] = { key: 'badDate' };
  };
  const plan: ParsedPlan = {
    number: text(input.number), appendixNumber: optional(input.appendixNumber), date: text(input.date), issuer: text(input.issuer), title: text(input.title),
    periodFrom: text(input.periodFrom), periodTo: text(input.periodTo), objectives: texts(input.objectives), themes: texts(input.themes),
    channels: [], units: [], lines: [], printedTotal: null, discrepancies: texts(input.discrepancies), source: optional(input.source),
  };
  need('number', plan.number, limits.number);
  if (plan.appendixNumber && plan.appendixNumber.length > limits.number) problems.appendixNumber = { key: 'tooLong', params: { max: limits.number } };
  need('issuer', plan.issuer, limits.issuer);
  need('title', plan.title, limits.title);
  day('date', plan.date);
  day('periodFrom', plan.periodFrom);
  day('periodTo', plan.periodTo);
  if (!problems.periodFrom && !problems.periodTo && plan.periodTo < plan.periodFrom) problems.periodTo = { key: 'dateTooEarly', params: { min: plan.periodFrom } };
  for (const key of ['objectives', 'themes', 'discrepancies'] as const) {
    if (plan[key].length > 50) problems[key] = { key: 'tooMany', params: { max: 50 } };
    const long = plan[key].findIndex((t) => t.length > limits.entry);
    if (long >= 0) problems[`${key}.${long}`] = { key: 'tooLong', params: { max: limits.entry } };
  }

  list(input.channels).slice(0, 30).forEach((raw, i) => {
    const c = (raw ?? {}) as Record<string, unknown>;
    const kind = text(c.kind);
    const label = optional(c.label);
    if (!isOutreachChannel(kind)) problems[`channels.${i}.kind`] = { key: 'notAllowed', params: { allowed: 'television, radio, newspaper, e_newspaper, schools, websites, other' } };
    else if (kind === 'other' && !label) problems[`channels.${i}.label`] = { key: 'required' };
    if (label && label.length > limits.item) problems[`channels.${i}.label`] = { key: 'tooLong', params: { max: limits.item } };
    plan.channels.push({ id: optional(c.id), kind: isOutreachChannel(kind) ? kind : 'other', label });
  });

  list(input.units).slice(0, 50).forEach((raw, i) => {
    const u = (raw ?? {}) as Record<string, unknown>;
    const role = text(u.role);
    const unitId = optional(u.unitId);
    const known = unitId ? unitKnown(unitId) : null;
    if (!(unitRoles as readonly string[]).includes(role)) problems[`units.${i}.role`] = { key: 'notAllowed', params: { allowed: unitRoles.join(', ') } };
    if (unitId && !known) problems[`units.${i}.unitId`] = { key: 'unknownUnit' };
    const name = text(u.name) || known?.name || '';
    if (!unitId && !name) problems[`units.${i}.name`] = { key: 'unitOrName' };
    if (name.length > limits.issuer) problems[`units.${i}.name`] = { key: 'tooLong', params: { max: limits.issuer } };
    const tasks = Array.isArray(u.tasks) ? texts(u.tasks) : text(u.tasks).split(';').map((t) => t.trim()).filter(Boolean);
    plan.units.push({ role: role === 'coordinating' ? 'coordinating' : 'responsible', unitId, name, tasks });
  });

  const budget = (input.budget ?? {}) as { lines?: unknown; printedTotal?: unknown };
  const rawLines = list(budget.lines);
  if (rawLines.length > 200) problems['budget.lines'] = { key: 'tooMany', params: { max: 200 } };
  rawLines.slice(0, 200).forEach((raw, i) => {
    const l = (raw ?? {}) as Record<string, unknown>;
    const no = money(l.no);
    const line: BudgetLine = {
      section: text(l.section), sectionName: text(l.sectionName), group: optional(l.group), groupName: optional(l.groupName),
      no: no !== null && Number.isSafeInteger(no) && no > 0 ? no : i + 1, item: text(l.item), duration: optional(l.duration),
      quantity: money(l.quantity), unitPrice: money(l.unitPrice) as number, amount: money(l.amount) as number, state: money(l.state) as number, social: money(l.social) as number,
      note: optional(l.note),
    };
    for (const [key, v, max] of [['section', line.section, 20], ['sectionName', line.sectionName, limits.item], ['group', line.group ?? '', 20], ['groupName', line.groupName ?? '', limits.item], ['item', line.item, limits.item], ['duration', line.duration ?? '', limits.short], ['note', line.note ?? '', limits.entry]] as const) {
      if (v.length > max) problems[`budget.lines.${i}.${key}`] = { key: 'tooLong', params: { max } };
    }
    plan.lines.push(line);
  });
  for (const p of checkBudget(plan.lines)) {
    const l = plan.lines[p.index]!;
    const label = l.item ? lineLabel(l) : `${p.index + 1}`;
    const key = `budget.lines.${p.index}.${p.field}`;
    if (problems[key]) continue;
    if (p.kind === 'amountMismatch' || p.kind === 'splitMismatch') {
      const fmt = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB');
      problems[key] = { key: p.kind === 'amountMismatch' ? 'budgetAmount' : 'budgetSplit', params: { line: label, got: fmt.format(p.got), expected: fmt.format(p.expected) } };
    } else {
      problems[key] = { key: p.kind === 'required' ? 'budgetLineRequired' : 'budgetLineNumber', params: { line: label, field: m.fields[p.field].toLowerCase() } };
    }
  }
  plan.printedTotal = moneyOf(budget.printedTotal);
  return { plan, problems };
}
