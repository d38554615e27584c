// Accounts: citizens register with an email address or a phone number and confirm it with a
// one-time code; everyone signs in to a database session (a cookie for pages, a Bearer token for
// the API). Staff accounts come from `motcua user add`.
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Db } from '../../db/connection.ts';
import { codeRules, parseUsername, passwordProblem, sessionExpired, sessionLimits, sessionLimitsFor, type SessionLimits, type SessionUser, type Username } from '../../domain/accounts.ts';
import { isRole, type Role } from '../../domain/roles.ts';
import type { Clock } from '../../domain/time.ts';
import { invalid, type FieldProblem, fail } from '../../errors.ts';
import type { Lang } from '../../i18n/index.ts';
import type { UnitsService } from '../units/units.service.ts';
import type { Identity } from './accounts.oidc.ts';
import { appendAudit } from '../audit/audit.service.ts';
import * as q from './accounts.queries.ts';
import { AccountLimits } from './accounts.limits.ts';
import { notifyPasswordChanged } from './accounts.notices.ts';
import * as sq from './accounts.security.queries.ts';
import type { SecondFactor } from './accounts.totp.ts';

export type NewUser = { username: string; password: string; name: string; role: string; unitId?: string; subtree?: boolean };

/** Why an account could not be created, in words for the person at the terminal. */
export class AccountError extends Error {}

/** How a message leaves the system: written to the outbox inside the caller's transaction. */
export type Outbox = {
  enqueue(db: Db, msg: { channel: 'email' | 'sms'; recipient: string; template: string; lang: Lang; params: Record<string, string>; now: Date }): Promise<unknown>;
};

export type { SessionUser };

export type SessionKind = 'cookie' | 'bearer';

/** A sign-in's outcome: a session, or (a page's sign-in with the second factor on) a pending token for the code's page. */
export type SignedIn = { token: string; user: SessionUser; pending?: undefined } | { pending: string; token?: undefined; user?: undefined };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const addSeconds = (d: Date, s: number) => new Date(d.getTime() + s * 1000);

// Verifying against this when the username is unknown makes both answers take as long.
const dummyHash = hash('motcua-timing-equaliser');

export class AccountsService {
  constructor(
    private readonly db: Db,
    private readonly units: UnitsService,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    /** AUDIT_KEY: signs the audit chain's head with each entry. */
    private readonly auditKey: Buffer,
    /** The staff second factor (TOTP) and the pending sign-in between password and code. */
    readonly secondFactor: SecondFactor,
    /** How long sessions live (src/domain/accounts.ts); tests that move the clock by days pass longer ones. */
    private readonly sessionPolicy: SessionLimits = sessionLimits,
  ) {
    this.limits = new AccountLimits(db, clock);
  }

  /** Sign-in and one-time-code limits (accounts.limits.ts). */
  private readonly limits: AccountLimits;

  /** A staff or citizen account created by an administrator: verified from the start. */
  async addUser(input: NewUser): Promise<{ id: string; username: string; role: Role; unitId: string | null }> {
    const parsed = parseUsername(input.username);
    const username = parsed?.value ?? input.username.trim().toLowerCase();
    if (!parsed && !/^[a-z0-9._-]{3,64}$/.test(username)) {
      throw new AccountError('--username must be an email address, a Vietnamese mobile number, or 3–64 letters, digits, dots, dashes');
    }
    if (passwordProblem(input.password)) throw new AccountError('the password must have at least 8 characters (at most 128)');
    if (!input.name.trim()) throw new AccountError('--name is required');
    if (!isRole(input.role)) throw new AccountError('--role must be one of: citizen, reception, specialist, approver, clerk, postal, unit_admin, province_admin, outreach, auditor');
    let unitId: string | null = null;
    if (input.role !== 'citizen') {
      if (!input.unitId) throw new AccountError(`--unit is required for the ${input.role} role`);
      if (!(await this.units.find(input.unitId))) throw new AccountError(`--unit ${input.unitId}: no such unit`);
      unitId = input.unitId;
    }
    if (await q.findUserByUsername(this.db, username)) throw new AccountError(`an account named ${username} already exists`);
    const id = randomUUID();
    const now = this.clock.now().toISOString();
    const passwordHash = await hash(input.password);
    await this.db.transaction().execute(async (tx) => {
      await q.insertUser(
        tx,
        { id, username, password_hash: passwordHash, name: input.name.trim(), ...contact(parsed), verified_at: now, created_at: now },
        { role: input.role, unit_id: unitId, subtree: input.subtree ? 1 : 0 },
      );
      await appendAudit(tx, { at: now, kind: 'user_created', actorId: null, subject: `user:${id}`, data: { username, by: 'administrator' } }, this.auditKey);
      await appendAudit(tx, { at: now, kind: 'role_granted', actorId: null, subject: `user:${id}`, data: { role: input.role, unitId, subtree: !!input.subtree } }, this.auditKey);
    });
    return { id, username, role: input.role, unitId };
  }

  /**
   * A citizen registers; a one-time code goes to the email or phone in the same transaction.
   * Registering again before confirming replaces the name, password and code.
   */
  /** `consent`: false when a page required the privacy consent and it was not given (checked with the other fields). */
  async register(input: { username: string; password: string; name: string; lang: Lang; consent?: boolean; ip: string }): Promise<{ id: string; username: string; sentTo: 'email' | 'sms' }> {
    const problems: Record<string, FieldProblem> = {};
    const parsed = parseUsername(input.username ?? '');
    if (!input.username?.trim()) problems.username = { key: 'required' };
    else if (!parsed) problems.username = { key: 'badUsername' };
    const pw = passwordProblem(input.password ?? '');
    if (pw === 'tooShort') problems.password = { key: 'passwordTooShort', params: { min: 8 } };
    if (pw === 'tooLong') problems.password = { key: 'tooLong', params: { max: 128 } };
    const name = input.name?.trim() ?? '';
    if (!name) problems.name = { key: 'required' };
    else if (name.length > 100) problems.name = { key: 'tooLong', params: { max: 100 } };
    if (input.consent === false) problems.consent = { key: 'consentRequired' };
    if (Object.keys(problems).length || !parsed) throw invalid(problems);

    const existing = await q.findUserByUsername(this.db, parsed.value);
    if (existing?.verified_at) fail('account_exists');
    await this.limits.issueCode(parsed.value, input.ip);
    const passwordHash = await hash(input.password);
    const now = this.clock.now();
    const id = existing?.id ?? randomUUID();
    await this.db.transaction().execute(async (tx) => {
      if (existing) await q.updateUnverifiedUser(tx, id, { password_hash: passwordHash, name });
      else {
        await q.insertUser(
          tx,
          { id, username: parsed.value, password_hash: passwordHash, name, ...contact(parsed), verified_at: null, created_at: now.toISOString() },
          { role: 'citizen', unit_id: null, subtree: 0 },
        );
      }
      await this.sendCode(tx, { id, name, username: parsed }, 'verify', input.lang, now);
      if (!existing) await appendAudit(tx, { at: now.toISOString(), kind: 'user_created', actorId: id, subject: `user:${id}`, data: { by: 'registration', role: 'citizen' } }, this.auditKey);
    });
    return { id, username: parsed.value, sentTo: parsed.kind === 'email' ? 'email' : 'sms' };
  }

  private async sendCode(tx: Db, user: { id: string; name: string; username: Username }, purpose: 'verify' | 'reset', lang: Lang, now: Date): Promise<void> {
    const code = String(randomInt(0, 10 ** codeRules.digits)).padStart(codeRules.digits, '0');
    await q.insertCode(tx, {
      id: randomUUID(), user_id: user.id, purpose, code_hash: sha256(`${user.id}:${code}`),
      created_at: now.toISOString(), expires_at: addSeconds(now, codeRules.ttlMinutes * 60).toISOString(),
    });
    await this.outbox.enqueue(tx, {
      channel: user.username.kind === 'email' ? 'email' : 'sms',
      recipient: user.username.value,
      template: purpose === 'verify' ? 'account_verify_code' : 'password_reset_code',
      lang,
      params: { name: user.name, code, minutes: String(codeRules.ttlMinutes) },
      now,
    });
  }

  /** Checks a one-time code: wrong, expired and overused codes all answer `invalid_code`. */
  private async consumeCode(userId: string, purpose: 'verify' | 'reset', code: string, then: (tx: Db) => Promise<void>): Promise<void> {
    const now = this.clock.now().toISOString();
    // Counted per account before the code is compared: a fresh code brings no fresh tries.
    const tries = await this.limits.tryCode(userId);
    const live = await q.findLiveCode(this.db, userId, purpose, now);
    if (!live || live.attempts >= codeRules.maxAttempts) throw invalid({ code: { key: 'badCode' } });
    if (live.code_hash !== sha256(`${userId}:${String(code).trim()}`)) {
      await q.countCodeAttempt(this.db, live.id);
      throw invalid({ code: { key: 'badCode' } });
    }
    await this.db.transaction().execute(async (tx) => {
      if (!(await q.useCode(tx, live.id, now))) throw invalid({ code: { key: 'badCode' } });
      await then(tx);
    });
    await tries.succeeded();
  }

  async confirm(input: { username: string; code: string }): Promise<void> {
    const parsed = parseUsername(input.username ?? '');
    const user = parsed && (await q.findUserByUsername(this.db, parsed.value));
    if (!user) throw invalid({ code: { key: 'badCode' } });
    if (user.verified_at) return;
    await this.consumeCode(user.id, 'verify', input.code ?? '', (tx) => q.setVerified(tx, user.id, this.clock.now().toISOString()));
  }

  signIn(input: { username: string; password: string; ip: string; kind: 'bearer'; otp?: string }): Promise<{ token: string; user: SessionUser }>;
  signIn(input: { username: string; password: string; ip: string; kind: SessionKind; otp?: string }): Promise<SignedIn>;
  async signIn(input: { username: string; password: string; ip: string; kind: SessionKind; otp?: string }): Promise<SignedIn> {
    const parsed = parseUsername(input.username ?? '');
    const username = parsed?.value ?? (input.username ?? '').trim().toLowerCase();
    const now = this.clock.now();
    // Counted before the password is checked: a guess beyond the allowance is refused unchecked.
    const attempt = await this.limits.beginSignIn(username, input.ip);

    const user = username ? await q.findUserByUsername(this.db, username) : undefined;
    // Accounts made through an identity provider have no password until they set one.
    const ok = user?.password_hash ? await verify(user.password_hash, input.password ?? '') : (await verify(await dummyHash, input.password ?? ''), false);
    if (!user || !ok) {
      await this.db.transaction().execute(async (tx) => {
        await appendAudit(tx, { at: now.toISOString(), kind: 'sign_in_failed', actorId: null, subject: user ? `user:${user.id}` : `username:${username.slice(0, 100)}`, data: { ip: input.ip } }, this.auditKey);
      });
      fail('invalid_credentials');
    }
    // A disabled account answers as a wrong password does: nothing learnt about the account.
    if (user.disabled_at) fail('invalid_credentials');
    if (!user.verified_at) fail('account_not_verified');
    await attempt.succeeded();
    const second = await this.secondStep(user.id, input.kind, input.otp);
    if (second) return second;
    return { token: await this.startSession(user.id, input.kind, now, 'password'), user: await this.sessionUser(user) };
  }

  /**
   * The second step of a password sign-in, or null when none is needed. With the second factor
   * on: the API must send `otp` (else 401 otp_required); a page gets a pending token to ask for
   * the code on the next page. A wrong `otp` answers as a wrong code does.
   */
  private async secondStep(userId: string, kind: SessionKind, otp: string | undefined): Promise<SignedIn | null> {
    const { enabled } = await this.secondFactor.status(userId);
    if (!enabled) return null;
    if (otp) {
      await this.secondFactor.check(userId, otp);
      return null;
    }
    if (kind === 'bearer') fail('otp_required');
    return { pending: await this.secondFactor.startPending(userId, kind) };
  }

  /** Finishes a sign-in held at the second step: a good code turns the pending token into a session. */
  async completeSignIn(pendingToken: string, otp: string): Promise<{ token: string; user: SessionUser }> {
    const pending = await this.secondFactor.pendingUser(pendingToken);
    if (!pending) fail('not_signed_in');
    await this.secondFactor.check(pending.userId, otp);
    // The pending token is used once, even by two good codes sent at the same moment.
    if (!(await this.secondFactor.endPending(pendingToken))) fail('not_signed_in');
    const user = await q.findUserById(this.db, pending.userId);
    if (!user || (await sq.userSecurity(this.db, user.id))?.disabled_at) fail('invalid_credentials');
    const now = this.clock.now();
    return { token: await this.startSession(user.id, pending.kind as SessionKind, now, 'password'), user: await this.sessionUser(user) };
  }

  /** How long a session cookie of this account should live: its session's absolute limit. */
  cookieMaxAge(user: SessionUser): number {
    return sessionLimitsFor(user.roles, this.sessionPolicy).absoluteSeconds;
  }

  /** A new session, recorded in the audit log with how the person proved who they are. */
  private async startSession(userId: string, kind: SessionKind, now: Date, method: 'password' | 'oidc'): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const limits = sessionLimitsFor(await q.rolesOf(this.db, userId) as Array<{ role: Role }>, this.sessionPolicy);
    await this.db.transaction().execute(async (tx) => {
      await sq.insertSession(tx, {
        token_hash: sha256(token), user_id: userId, kind, idle_seconds: limits.idleSeconds,
        created_at: now.toISOString(), expires_at: addSeconds(now, limits.absoluteSeconds).toISOString(),
      });
      await appendAudit(tx, { at: now.toISOString(), kind: 'sign_in', actorId: userId, subject: `user:${userId}`, data: { method, session: kind } }, this.auditKey);
    });
    return token;
  }

  /**
   * Signs in someone an OpenID Connect provider vouched for. The first time, the identity joins
   * the citizen account that holds the same address (when the provider verified it), or a new
   * account. Staff accounts are never joined this way: staff sign in with their own password.
   */
  async signInWithIdentity(identity: Identity, kind: SessionKind): Promise<{ token: string; user: SessionUser }> {
    const now = this.clock.now();
    let user = await q.findIdentityUser(this.db, identity.issuer, identity.subject);
    if (!user) {
      // Two callbacks for one identity at once: its key (issuer, subject) lets one transaction win;
      // the other rolls back (nothing of it is left) and signs in to the winner's account.
      await this.db.transaction().execute(async (tx) => {
        const address = (identity.emailVerified && parseUsername(identity.email ?? '')) || (identity.phoneVerified && parseUsername(identity.phone ?? '')) || null;
        const holder = address ? await q.findUserByUsername(tx, address.value) : undefined;
        const joinable = holder && (await q.rolesOf(tx, holder.id)).every((r) => r.role === 'citizen');
        let userId: string;
        if (holder && joinable) {
          userId = holder.id;
          if (!holder.verified_at) await q.claimUnverifiedUser(tx, holder.id, { name: (identity.name ?? holder.name).slice(0, 100), verified_at: now.toISOString() });
        } else {
          userId = randomUUID();
          const username = address && !holder ? address.value : `oidc-${sha256(`${identity.issuer} ${identity.subject}`).slice(0, 20)}`;
          await q.insertUser(
            tx,
            {
              id: userId, username, password_hash: '', name: (identity.name ?? username).slice(0, 100),
              ...contact(address || null), verified_at: now.toISOString(), created_at: now.toISOString(),
            },
            { role: 'citizen', unit_id: null, subtree: 0 },
          );
          await appendAudit(tx, { at: now.toISOString(), kind: 'user_created', actorId: userId, subject: `user:${userId}`, data: { by: 'oidc', issuer: identity.issuer } }, this.auditKey);
        }
        await q.insertIdentity(tx, { issuer: identity.issuer, subject: identity.subject, user_id: userId, created_at: now.toISOString() });
      }).catch(async (err: unknown) => {
        if (!(await q.findIdentityUser(this.db, identity.issuer, identity.subject))) throw err;
      });
      user = await q.findIdentityUser(this.db, identity.issuer, identity.subject);
      if (!user) throw new Error('identity not saved');
    }
    if ((await sq.userSecurity(this.db, user.id))?.disabled_at) fail('invalid_credentials');
    return { token: await this.startSession(user.id, kind, now, 'oidc'), user: await this.sessionUser(user) };
  }

  private async sessionUser(user: { id: string; username: string; name: string; email: string | null; phone: string | null; totp_enabled_at?: string | null }): Promise<SessionUser> {
    const roles = await q.rolesOf(this.db, user.id);
    const totpEnabled = user.totp_enabled_at !== undefined ? !!user.totp_enabled_at : !!(await sq.userSecurity(this.db, user.id))?.totp_enabled_at;
    // Roles are read on every request: a revoked role is gone from the next one.
    const required = !totpEnabled && roles.some((r) => r.role !== 'citizen') && (await sq.rolesRequiringTotp(this.db, user.id)).length > 0;
    return {
      id: user.id, username: user.username, name: user.name, email: user.email, phone: user.phone,
      roles: roles.map((r) => ({ role: r.role as Role, unitId: r.unit_id, subtree: r.subtree === 1 })),
      totpEnabled, totpSetupRequired: required,
    };
  }

  /**
   * The user a session token belongs to, or null when it is unknown, ran out (idle or absolute
   * limit) or its account was disabled; such a session is deleted. Activity moves last-seen at
   * most once a minute.
   */
  async userForToken(token: string): Promise<SessionUser | null> {
    if (!token || token.length > 200) return null;
    const hashed = sha256(token);
    const row = await sq.findSession(this.db, hashed);
    if (!row) return null;
    const now = this.clock.now();
    if (row.disabled_at || sessionExpired({ lastSeenAt: row.last_seen_at, expiresAt: row.expires_at, idleSeconds: row.idle_seconds }, now)) {
      await q.deleteSession(this.db, hashed);
      return null;
    }
    if (now.getTime() - Date.parse(row.last_seen_at) >= this.sessionPolicy.touchSeconds * 1000) await sq.touchSession(this.db, hashed, now.toISOString());
    return this.sessionUser(row);
  }

  /** Ends every session of an account (sign out everywhere), recorded in the audit log. */
  async signOutEverywhere(userId: string): Promise<number> {
    const now = this.clock.now().toISOString();
    return this.db.transaction().execute(async (tx) => {
      const ended = await sq.deleteSessionsOf(tx, userId);
      await appendAudit(tx, { at: now, kind: 'sessions_ended', actorId: userId, subject: `user:${userId}`, data: { sessions: ended, by: 'holder' } }, this.auditKey);
      return ended;
    });
  }

  async signOut(token: string): Promise<void> {
    await q.deleteSession(this.db, sha256(token));
  }

  /** Sends a reset code when the account exists; answers the same either way. */
  async requestReset(input: { username: string; lang: Lang; ip: string }): Promise<void> {
    const parsed = parseUsername(input.username ?? '');
    if (!parsed) throw invalid({ username: { key: 'badUsername' } });
    // Limited per username whether or not the account exists: the answer tells nothing.
    await this.limits.issueCode(parsed.value, input.ip);
    const user = await q.findUserByUsername(this.db, parsed.value);
    if (!user) return;
    const now = this.clock.now();
    await this.db.transaction().execute((tx) => this.sendCode(tx, { id: user.id, name: user.name, username: parsed }, 'reset', input.lang, now));
  }

  /** Sets a new password with a reset code, and signs the account out everywhere. */
  async resetPassword(input: { username: string; code: string; password: string; lang?: Lang }): Promise<void> {
    const pw = passwordProblem(input.password ?? '');
    if (pw) throw invalid({ password: pw === 'tooShort' ? { key: 'passwordTooShort', params: { min: 8 } } : { key: 'tooLong', params: { max: 128 } } });
    const parsed = parseUsername(input.username ?? '');
    const user = parsed && (await q.findUserByUsername(this.db, parsed.value));
    if (!user) throw invalid({ code: { key: 'badCode' } });
    const passwordHash = await hash(input.password);
    await this.consumeCode(user.id, 'reset', input.code ?? '', async (tx) => {
      await q.setPassword(tx, user.id, passwordHash);
      await q.deleteUserSessions(tx, user.id);
      // Receiving the code proves the address too.
      if (!user.verified_at) await q.setVerified(tx, user.id, this.clock.now().toISOString());
      await notifyPasswordChanged(this.outbox, tx, user, input.lang ?? 'vi', this.clock.now());
    });
  }
}

function contact(parsed: Username | null): { email: string | null; phone: string | null } {
  return { email: parsed?.kind === 'email' ? parsed.value : null, phone: parsed?.kind === 'phone' ? parsed.value : null };
}
