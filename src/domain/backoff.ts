// When the outbox tries a message again after a failed delivery, and when it gives up. Short at
// first (a mail server restarting), then long enough to ride out an outage of a working day.
const minute = 60 * 1000;
const hour = 60 * minute;

/** The wait after the 1st, 2nd, … failed attempt. */
export const retryDelaysMs: readonly number[] = [1 * minute, 5 * minute, 30 * minute, 2 * hour, 6 * hour];

/** One first try and one retry per delay: the 6th failure is final. */
export const maxAttempts = retryDelaysMs.length + 1;

/** When to try again after `attempts` tries have failed, the last at `failedAt`; null to give up. */
export function nextAttemptAt(attempts: number, failedAt: Date): Date | null {
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be a positive integer, got ${attempts}`);
  const delay = retryDelaysMs[attempts - 1];
  return delay === undefined ? null : new Date(failedAt.getTime() + delay);
}
