// The office queue's tabs and the dossier statuses each holds (docs/architecture.md, the office
// queue): one table, read by the queue's SQL and by the status filter that picks a tab.
import { clockRunning, type Status } from './dossier-status.ts';

/** The tabs, in the order the queue shows them (the API's `tab`, the page's tabs, `office.tabs` in the messages). */
export const queueTabs = ['open', 'intake', 'processing', 'paused', 'to_return', 'overdue', 'due_soon', 'mine', 'closed'] as const;
export type QueueTab = (typeof queueTabs)[number];

export function isQueueTab(value: unknown): value is QueueTab {
  return typeof value === 'string' && (queueTabs as readonly string[]).includes(value);
}

/** Which statuses each tab holds; `overdue`, `due_soon` and `mine` cut across them. */
export const tabStatuses: Record<Exclude<QueueTab, 'overdue' | 'due_soon' | 'mine'>, readonly Status[]> = {
  open: ['submitted', 'accepted', 'in_process', 'supplement_requested', 'financial_obligation', 'resolved'],
  intake: ['submitted'],
  processing: ['accepted', 'in_process'],
  paused: ['supplement_requested', 'financial_obligation'],
  to_return: ['resolved'],
  // The end states, a stopped dossier among them (docs/domain.md §3.2).
  closed: ['returned', 'refused', 'withdrawn', 'suspended'],
};

/** The statuses in which the clock runs (so a dossier can be late), as a list for SQL. */
export const runningStatuses: readonly Status[] = [...clockRunning];

/** The tab a status belongs to, for a status filter (an unknown status falls to `closed`). */
export function statusTab(status: string): Exclude<QueueTab, 'open' | 'overdue' | 'due_soon' | 'mine'> {
  for (const tab of ['intake', 'processing', 'paused', 'to_return'] as const) {
    if ((tabStatuses[tab] as readonly string[]).includes(status)) return tab;
  }
  return 'closed';
}
