// Campaign plans (docs/domain.md §8): the fixed list of channels, an activity's statuses, and the
// budget estimate's arithmetic. A line's amount is its quantity times its unit price (a line with
// no quantity is a lump sum: its amount is its unit price), and its state-budget and social parts
// add up to its amount. Section, group and grand totals are always computed, never typed in.

/** The channels a plan may use (the 2017 plan's list); anything else is `other` with its own text. */
export const outreachChannels = ['television', 'radio', 'newspaper', 'e_newspaper', 'schools', 'websites', 'other'] as const;
export type OutreachChannel = (typeof outreachChannels)[number];

export function isOutreachChannel(v: unknown): v is OutreachChannel {
  return typeof v === 'string' && (outreachChannels as readonly string[]).includes(v);
}

/** An activity's execution status. */
export const activityStatuses = ['planned', 'in_progress', 'done', 'cancelled'] as const;
export type ActivityStatus = (typeof activityStatuses)[number];

export function isActivityStatus(v: unknown): v is ActivityStatus {
  return typeof v === 'string' && (activityStatuses as readonly string[]).includes(v);
}

/** The roles a unit plays in a plan: it leads (chủ trì) or coordinates (phối hợp). */
export const unitRoles = ['responsible', 'coordinating'] as const;
export type UnitRole = (typeof unitRoles)[number];

/** One line of the budget estimate (dự toán kinh phí), amounts in whole VND. */
export type BudgetLine = {
  /** The section (A, B…) and its name; the group inside it (I, II…) and its name, or null. */
  section: string;
  sectionName: string;
  group: string | null;
  groupName: string | null;
  /** The line's number within its group, as printed. */
  no: number;
  item: string;
  duration: string | null;
  /** Null for a lump sum. */
  quantity: number | null;
  unitPrice: number;
  amount: number;
  state: number;
  social: number;
  note: string | null;
};

export type Money = { amount: number; state: number; social: number };

export type BudgetGroup = { key: string | null; name: string | null; total: Money; lines: number[] };
export type BudgetSection = { key: string; name: string; total: Money; groups: BudgetGroup[] };
export type BudgetTotals = { sections: BudgetSection[]; total: Money };

/** A problem with one budget line: which line (its index), which field, and the numbers that disagree. */
export type LineProblem =
  | { index: number; field: 'amount'; kind: 'amountMismatch'; expected: number; got: number }
  | { index: number; field: 'state'; kind: 'splitMismatch'; expected: number; got: number }
  | { index: number; field: BudgetNumberField | 'section' | 'item'; kind: 'required' | 'notWholeVnd' | 'negative' | 'tooBig' };

export type BudgetNumberField = 'quantity' | 'unitPrice' | 'amount' | 'state' | 'social';

/** No line may exceed a thousand billion VND: far beyond any plan, and exact in a JavaScript number. */
export const maxVnd = 1_000_000_000_000;

const zero = (): Money => ({ amount: 0, state: 0, social: 0 });
const add = (to: Money, m: Money) => {
  to.amount += m.amount;
  to.state += m.state;
  to.social += m.social;
};

/** The amount a line should have: quantity × unit price, or the unit price for a lump sum. */
export function expectedAmount(line: Pick<BudgetLine, 'quantity' | 'unitPrice'>): number {
  return line.quantity === null ? line.unitPrice : line.quantity * line.unitPrice;
}

/** Every problem of every line, in line order; none for a sound budget. */
export function checkBudget(lines: readonly BudgetLine[]): LineProblem[] {
  const problems: LineProblem[] = [];
  lines.forEach((l, index) => {
    const before = problems.length;
    if (!l.section.trim()) problems.push({ index, field: 'section', kind: 'required' });
    if (!l.item.trim()) problems.push({ index, field: 'item', kind: 'required' });
    for (const field of ['quantity', 'unitPrice', 'amount', 'state', 'social'] as const) {
      const v = l[field];
      if (v === null) {
        if (field !== 'quantity') problems.push({ index, field, kind: 'required' });
      } else if (!Number.isSafeInteger(v)) problems.push({ index, field, kind: 'notWholeVnd' });
      else if (v < 0) problems.push({ index, field, kind: 'negative' });
      else if (v > maxVnd) problems.push({ index, field, kind: 'tooBig' });
    }
    if (problems.length > before) return;
    const expected = expectedAmount(l);
    if (expected !== l.amount) problems.push({ index, field: 'amount', kind: 'amountMismatch', expected, got: l.amount });
    else if (l.state + l.social !== l.amount) problems.push({ index, field: 'state', kind: 'splitMismatch', expected: l.amount, got: l.state + l.social });
  });
  return problems;
}

/** Section, group and grand totals, sections and groups in the order their first line comes. */
export function budgetTotals(lines: readonly BudgetLine[]): BudgetTotals {
  const sections: BudgetSection[] = [];
  const total = zero();
  lines.forEach((l, i) => {
    let s = sections.find((x) => x.key === l.section);
    if (!s) sections.push((s = { key: l.section, name: l.sectionName, total: zero(), groups: [] }));
    let g = s.groups.find((x) => x.key === l.group);
    if (!g) s.groups.push((g = { key: l.group, name: l.groupName, total: zero(), lines: [] }));
    g.lines.push(i);
    for (const m of [g.total, s.total, total]) add(m, l);
  });
  return { sections, total };
}

/** How a line is named to people: "A.III.3 Hội trường" (section, group, number, item). */
export function lineLabel(l: Pick<BudgetLine, 'section' | 'group' | 'no' | 'item'>): string {
  return `${[l.section, l.group, String(l.no)].filter(Boolean).join('.')} ${l.item}`.trim();
}

/** What a plan's figures and numbering say is worth a warning; the words are the caller's. */
export type PlanWarning =
  | { code: 'number_mismatch'; number: string; appendixNumber: string }
  | { code: 'printed_total_mismatch'; printed: Money; computed: Money }
  | { code: 'source_discrepancy'; note: string };

export function planWarnings(p: { number: string; appendixNumber: string | null; printedTotal: Money | null; discrepancies: readonly string[] }, computed: Money): PlanWarning[] {
  const out: PlanWarning[] = [];
  if (p.appendixNumber && p.appendixNumber.trim() !== p.number.trim()) out.push({ code: 'number_mismatch', number: p.number, appendixNumber: p.appendixNumber });
  const t = p.printedTotal;
  if (t && (t.amount !== computed.amount || t.state !== computed.state || t.social !== computed.social)) out.push({ code: 'printed_total_mismatch', printed: t, computed });
  for (const note of p.discrepancies) out.push({ code: 'source_discrepancy', note });
  return out;
}

/** Activities planned and done (cancelled ones are planned but not expected), and money planned and spent. */
export function executionSummary(activities: ReadonlyArray<{ status: ActivityStatus; actualSpending: number | null }>, planned: Money) {
  const count = (s: ActivityStatus) => activities.filter((a) => a.status === s).length;
  const spent = activities.reduce((n, a) => n + (a.actualSpending ?? 0), 0);
  return {
    activities: { planned: activities.length, done: count('done'), inProgress: count('in_progress'), notStarted: count('planned'), cancelled: count('cancelled') },
    money: { planned: planned.amount, spent, remaining: planned.amount - spent, spentShare: planned.amount ? spent / planned.amount : 0 },
  };
}

/** The same period a year earlier (29 February becomes 28 February). */
export function yearBefore(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
  return `${y - 1}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

const isDayText = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

export function isDay(v: unknown): v is string {
  return typeof v === 'string' && isDayText(v);
}
