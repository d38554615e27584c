// The staff second factor (TOTP, RFC 6238): setting it up (a secret sealed under DATA_KEY, turned
// on by a first good code), checking a code at sign-in (each code taken once; wrong codes counted
// per account before the check, 10 in a row lock it until an administrator resets it), the
// pending sign-in between the password and the code, and whether a role requires it.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import { secondFactorRules } from '../../domain/accounts.ts';
import type { Clock } from '../../domain/time.ts';
import { base32Encode, matchTotp, newTotpSecret, otpauthUri } from '../../domain/totp.ts';
import type { Sealer } from '../../domain/sealed.ts';
import { fail, invalid } from '../../errors.ts';
import { appendAudit } from '../audit/audit.service.ts';
import * as sq from './accounts.security.queries.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const context = (userId: string) => `totp:${userId}`;

/** Wrong codes in a row before the second factor locks (an administrator resets it). */
export const maxTotpFailures = 10;

export type TotpSetup = { secret: string; uri: string };

export class SecondFactor {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    /** Seals the secret under DATA_KEY (AES-256-GCM, bound to its account), as dossiers' personal data is. */
    private readonly sealer: Sealer,
    private readonly auditKey: Buffer,
    private readonly issuer = 'Một Cửa',
  ) {}

  /** Re-seals every secret not sealed under the current DATA_KEY (`motcua keys rotate`). */
  async resealAll(): Promise<{ seen: number; changed: number }> {
    const rows = await sq.totpSecrets(this.db);
    let changed = 0;
    for (const r of rows) {
      if (!this.sealer.stale(r.sealed)) continue;
      const fresh = this.sealer.seal(this.sealer.open(r.sealed, context(r.id)), context(r.id));
      if (await sq.resealTotpSecret(this.db, r.id, r.sealed, fresh)) changed++;
    }
    return { seen: rows.length, changed };
  }

  private secretOf(userId: string, stored: string): Buffer {
    return Buffer.from(this.sealer.open(stored, context(userId)), 'base64url');
  }

  /** Whether the account has the second factor on, and which of its roles require it. */
  async status(userId: string): Promise<{ enabled: boolean; requiredBy: string[] }> {
    const row = await sq.userSecurity(this.db, userId);
    return { enabled: !!row?.totp_enabled_at, requiredBy: await sq.rolesRequiringTotp(this.db, userId) };
  }

  /** A secret to put in an authenticator app: the one waiting for its first code, or a new one. */
  async beginSetup(userId: string): Promise<TotpSetup> {
    const row = await sq.userSecurity(this.db, userId);
    if (!row) fail('not_found');
    if (row.totp_enabled_at) fail('conflict');
    let secret = row.totp_secret ? this.secretOf(userId, row.totp_secret) : null;
    if (!secret) {
      secret = newTotpSecret();
      await sq.setTotpSecret(this.db, userId, this.sealer.seal(secret.toString('base64url'), context(userId)));
    }
    return { secret: base32Encode(secret), uri: otpauthUri(secret, this.issuer, row.username) };
  }

  /** Turns the second factor on with a first good code from the app. */
  async confirmSetup(userId: string, code: string): Promise<void> {
    const row = await sq.userSecurity(this.db, userId);
    if (!row?.totp_secret || row.totp_enabled_at) throw invalid({ otp: { key: 'badOtp' } });
    await this.check(userId, code);
    const now = this.clock.now().toISOString();
    await this.db.transaction().execute(async (tx) => {
      await sq.enableTotp(tx, userId, now);
      await appendAudit(tx, { at: now, kind: 'second_factor_changed', actorId: userId, subject: `user:${userId}`, data: { enabled: true } }, this.auditKey);
    });
  }

  /** Clears the second factor (an administrator's reset, e.g. a lost phone): set up again at next sign-in. */
  async reset(userId: string, actorId: string | null): Promise<void> {
    const now = this.clock.now().toISOString();
    await this.db.transaction().execute(async (tx) => {
      await sq.clearTotp(tx, userId);
      await appendAudit(tx, { at: now, kind: 'second_factor_changed', actorId, subject: `user:${userId}`, data: { enabled: false, by: actorId ? 'administrator' : 'command line' } }, this.auditKey);
    });
  }

  /**
   * Checks a code for an account, counting the try first (so N parallel guesses count N) and
   * taking the code's step once. Wrong, replayed and locked all answer `invalid({ otp })` except
   * the lock, which answers `rate_limited`.
   */
  async check(userId: string, code: string): Promise<void> {
    if (!(await sq.countTotpTry(this.db, userId, maxTotpFailures))) fail('rate_limited');
    const row = await sq.userSecurity(this.db, userId);
    const secret = row?.totp_secret ? this.secretOf(userId, row.totp_secret) : null;
    const step = secret ? matchTotp(secret, String(code ?? ''), this.clock.now(), row!.totp_last_step) : null;
    if (step === null || !(await sq.useTotpStep(this.db, userId, step))) throw invalid({ otp: { key: 'badOtp' } });
    await sq.resetTotpTries(this.db, userId);
  }

  /** A short-lived token for the second step of a sign-in (not a session: it opens nothing). */
  async startPending(userId: string, kind: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await sq.insertPending(this.db, {
      token_hash: sha256(token), user_id: userId, kind,
      created_at: now.toISOString(), expires_at: new Date(now.getTime() + secondFactorRules.pendingSeconds * 1000).toISOString(),
    });
    return token;
  }

  /** Whose sign-in a pending token continues, or null when it is unknown or too old. */
  async pendingUser(token: string): Promise<{ userId: string; kind: string } | null> {
    if (!token || token.length > 100) return null;
    const row = await sq.findPending(this.db, sha256(token), this.clock.now().toISOString());
    return row ? { userId: row.user_id, kind: row.kind } : null;
  }

  /** Ends a pending sign-in: true for the one request that ended it. */
  async endPending(token: string): Promise<boolean> {
    return sq.deletePending(this.db, sha256(token));
  }
}
