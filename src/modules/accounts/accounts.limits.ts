// The limits that keep sign-in and one-time codes from being raced or brute-forced. Every attempt is
// counted before anything is checked, in one statement, so parallel guesses count one each:
// - per account: five free failures, then each one locks for twice as long (1 s … 15 min); a guess
//   while locked is refused without checking the password, and counts nothing;
// - per address: a sliding 15-minute window with a large allowance; it slows that address only;
// - one-time codes: issued at most 3 an hour and 10 a day per account (more per address), and five
//   wrong tries an hour per account, whichever code they were for.
import { codeRules, lockSteps, slidingCount, slidingWait, slidingWindow, throttleRules } from '../../domain/accounts.ts';
import type { Clock } from '../../domain/time.ts';
import { AppError, fail, invalid } from '../../errors.ts';
import type { Db } from '../../db/connection.ts';
import * as q from './accounts.limits.queries.ts';

const addSeconds = (d: Date, s: number) => new Date(d.getTime() + s * 1000).toISOString();

/** What a counted attempt becomes once its outcome is known. */
export type Attempt = { succeeded(): Promise<void> };

/** One event counted in a sliding window, which can be taken back. */
type Counted = { takeBack(): Promise<void> };

export class AccountLimits {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  /**
   * Counts a sign-in attempt for the address, then for the account; fails `rate_limited` (with the
   * wait) when either is over its allowance. Nothing has been checked yet: the caller checks the
   * password only when this returns.
   */
  async beginSignIn(username: string, ip: string): Promise<Attempt> {
    const now = this.clock.now();
    const address = await this.countWindowed(`ip:${ip}`, throttleRules.addressWindowMinutes * 60, throttleRules.freeFailuresPerAddress, now);
    const accountKey = `user:${username}`;
    const counted = await q.countAttempt(this.db, accountKey, now.toISOString(), {
      free: throttleRules.freeFailures,
      steps: lockSteps().map((s) => ({ failures: s.failures, until: addSeconds(now, s.seconds) })),
      maxUntil: addSeconds(now, throttleRules.maxLockSeconds),
    });
    if (counted === null) {
      await address.takeBack();
      const until = await q.lockedUntil(this.db, accountKey);
      fail('rate_limited', { retryAfter: until ? Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 1000)) : 1 });
    }
    return {
      // Only failures stay counted: a right password clears the account's count and takes the
      // address's back (a school's 200 successful sign-ins are no attack).
      succeeded: async () => {
        await q.clearCount(this.db, accountKey);
        await address.takeBack();
      },
    };
  }

  /** Counts one code issued for this username and from this address; `rate_limited` over the limit (then nothing is counted). */
  async issueCode(username: string, ip: string): Promise<void> {
    const now = this.clock.now();
    const counted: Counted[] = [];
    try {
      for (const [key, rules] of [[`codes:${username}`, codeRules.issuePerAccount], [`codes:ip:${ip}`, codeRules.issuePerAddress]] as const) {
        counted.push(await this.countWindowed(`${key}:hour`, 3600, rules.hour, now));
        counted.push(await this.countWindowed(`${key}:day`, 86400, rules.day, now));
      }
    } catch (err) {
      for (const c of counted) await c.takeBack();
      throw err;
    }
  }

  /**
   * Counts a try at a one-time code for this account before the code is compared; a try beyond five
   * in the window is refused as a wrong code, whichever code it names. A right code clears the count.
   */
  async tryCode(userId: string): Promise<Attempt> {
    const key = `code-tries:${userId}`;
    const now = this.clock.now();
    try {
      await this.countWindowed(key, codeRules.attemptWindowMinutes * 60, codeRules.maxAttempts, now);
    } catch (err) {
      // Refused as any wrong code is: nothing tells a guesser the count ran out.
      if (err instanceof AppError && err.code === 'rate_limited') throw invalid({ code: { key: 'badCode' } });
      throw err;
    }
    return { succeeded: () => q.clearCount(this.db, key) };
  }

  /**
   * Counts one event under `key` in a sliding window of `seconds`; over `limit`, takes it back and
   * fails `rate_limited` with the wait.
   */
  private async countWindowed(key: string, seconds: number, limit: number, now: Date): Promise<Counted> {
    const w = slidingWindow(now, seconds);
    const count = await q.countInWindow(this.db, key, w, now.toISOString());
    const uncount = () => q.uncountInWindow(this.db, key, w);
    if (slidingCount(count, w.elapsed) > limit) {
      await uncount();
      const after = { current: count.current - 1, previous: count.previous };
      fail('rate_limited', { retryAfter: slidingWait(after, w.elapsed, limit, seconds) });
    }
    return { takeBack: uncount };
  }
}
