// Vietnam keeps UTC+7 all year, with no daylight saving, so its calendar day is a fixed offset away.
const vietnamOffsetMs = 7 * 3600 * 1000;

/** The calendar day (YYYY-MM-DD) in Vietnam at an instant. */
export function vietnamDay(at: Date): string {
  return new Date(at.getTime() + vietnamOffsetMs).toISOString().slice(0, 10);
}

export type Clock = { now(): Date };
export const systemClock: Clock = { now: () => new Date() };
