// The retention rules, each with the test clock: what is past its period goes (or is cleared), what
// is not stays. Each rule is carried out by the owning module's service; services.retention runs them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { birthRegistration, signedInCitizen, signedInStaff } from '../../testing/fixtures.ts';
import { ConfigError, loadConfig } from '../../config.ts';
import { RetentionService, defaultRetentionDays, retentionRules } from './retention.service.ts';

let ctx: TestContext;
let start: Date;
before(async () => {
  ctx = await createTestContext();
  start = ctx.clock.now();
});
after(() => ctx.close());

const day = 86400_000;
const at = (days: number, extraMs = 0) => new Date(start.getTime() + days * day + extraMs).toISOString();
/** Runs `body` with the clock at `iso`, and puts the clock back. */
async function atTime<T>(iso: string, body: () => Promise<T>): Promise<T> {
  ctx.clock.set(iso);
  try {
    return await body();
  } finally {
    ctx.clock.set(start.toISOString());
  }
}

test('the defaults: drafts 30 days, sessions 1 day after expiry, sign-in counters 1 idle day, sent messages 30 days, failed 90, feedback contacts 90 days after the answer, sent sync events 90 days', () => {
  assert.deepEqual(defaultRetentionDays, { drafts: 30, sessions: 1, throttle: 1, outboxSent: 30, outboxFailed: 90, feedbackContacts: 90, syncSent: 90 });
  assert.deepEqual(loadConfig({}).retentionDays, defaultRetentionDays);
});

test('each period is overridden by its environment variable; a bad value stops the start naming the variable', async () => {
  const env = Object.fromEntries(Object.values(retentionRules).map((r, i) => [r.env, String(i + 2)]));
  assert.deepEqual(loadConfig(env).retentionDays, { drafts: 2, sessions: 3, throttle: 4, outboxSent: 5, outboxFailed: 6, feedbackContacts: 7, syncSent: 8 });
  assert.equal(loadConfig({ SYNC_EVENT_RETENTION_DAYS: '14' }).retentionDays.syncSent, 14);
  assert.throws(() => loadConfig({ SYNC_EVENT_RETENTION_DAYS: '-1' }), (e: unknown) => e instanceof ConfigError && e.variable === 'SYNC_EVENT_RETENTION_DAYS');
  assert.throws(() => loadConfig({ OUTBOX_RETENTION_DAYS: 'thirty' }), (e: unknown) => e instanceof ConfigError && e.variable === 'OUTBOX_RETENTION_DAYS');
  // The configured days are the ones the owning services are asked to apply.
  const asked: unknown[] = [];
  const retention = new RetentionService({
    drafts: async (d) => (asked.push(['drafts', d]), { drafts: 0, files: 0 }),
    sessions: async (d) => (asked.push(['sessions', d]), 0),
    throttle: async (d) => (asked.push(['throttle', d]), 0),
    outbox: async (s, f) => (asked.push(['outbox', s, f]), { sent: 0, failed: 0 }),
    feedbackContacts: async (d) => (asked.push(['feedbackContacts', d]), 0),
    syncSent: async (d) => (asked.push(['syncSent', d]), 0),
  }, { outboxSent: 7, feedbackContacts: 30, syncSent: 45 });
  await retention.purge();
  assert.deepEqual(asked, [['drafts', 30], ['sessions', 1], ['throttle', 1], ['outbox', 7, 90], ['feedbackContacts', 30], ['syncSent', 45]]);
});

test('abandoned drafts are deleted after DRAFT_RETENTION_DAYS (the drafts sweep); a recent one stays', async () => {
  const citizen = await signedInCitizen(ctx);
  const old = (await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: citizen.auth, payload: birthRegistration() })).json().id as string;
  const recent = await atTime(at(29), async () => {
    const later = await signedInCitizen(ctx);
    const r = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: later.auth, payload: birthRegistration() });
    assert.equal(r.statusCode, 201, r.body);
    return r.json().id as string;
  });
  const exists = async (id: string) => (await ctx.handle.db.selectFrom('dossiers').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  const result = await atTime(at(31), () => ctx.services.retention.purge());
  assert.ok(result.drafts >= 1);
  assert.equal(await exists(old), false, 'untouched for 31 days');
  assert.equal(await exists(recent), true, 'touched 2 days ago');
});

test('sessions are deleted a day after they expire; a live session stays', async () => {
  const citizen = await signedInCitizen(ctx, 'Phạm Văn Hết Hạn');
  const sessionsOf = async (userId: string) => ctx.handle.db.selectFrom('sessions').select(['token_hash', 'expires_at']).where('user_id', '=', userId).execute();
  const [session] = await sessionsOf(citizen.user.id);
  const expired = new Date(session!.expires_at).getTime();
  // Expired, but less than a day ago: kept.
  await atTime(new Date(expired + day - 60_000).toISOString(), () => ctx.services.retention.purge());
  assert.equal((await sessionsOf(citizen.user.id)).length, 1);
  const fresh = await atTime(new Date(expired + day + 60_000).toISOString(), async () => {
    const live = await signedInCitizen(ctx, 'Phạm Thị Còn Hạn');
    const r = await ctx.services.retention.purge();
    return { live, r };
  });
  assert.ok(fresh.r.sessions >= 1);
  assert.equal((await sessionsOf(citizen.user.id)).length, 0, 'the expired session is gone');
  assert.equal((await sessionsOf(fresh.live.user.id)).length, 1, 'the live one stays');
});

test('sign-in failure counters are deleted after a day without failures, unless they still lock someone out', async () => {
  const citizen = await signedInCitizen(ctx, 'Lê Văn Quên');
  await assert.rejects(ctx.services.accounts.signIn({ username: citizen.user.username, password: 'sai-mat-khau', ip: '10.9.8.7', kind: 'bearer' }));
  const counters = async () => ctx.handle.db.selectFrom('login_throttle').select(['key', 'locked_until', 'updated_at']).where('updated_at', '>=', start.toISOString()).execute();
  const rows = await counters();
  assert.ok(rows.length >= 1, 'the failure was counted');
  // One counter still locks (until day 5): it stays however old its last failure is.
  const locked = rows[0]!.key;
  await ctx.handle.db.updateTable('login_throttle').set({ locked_until: at(5) }).where('key', '=', locked).execute();
  await atTime(at(0, 23 * 3600_000), () => ctx.services.retention.purge());
  assert.equal((await counters()).length, rows.length, 'idle for 23 hours: kept');
  const r = await atTime(at(1, 3600_000), () => ctx.services.retention.purge());
  assert.equal(r.throttle, rows.length - 1);
  assert.deepEqual((await counters()).map((c) => c.key), [locked], 'only the one still locking stays');
  await atTime(at(6), () => ctx.services.retention.purge());
  assert.equal((await counters()).length, 0, 'once its lock ended, it goes too');
});

test('sent messages are deleted OUTBOX_RETENTION_DAYS after sending, failed ones OUTBOX_FAILED_RETENTION_DAYS after they were written; waiting ones stay', async () => {
  const row = (id: string, status: string, createdDaysAgo: number, sentDaysAgo: number | null) => ({
    id, channel: 'email', recipient: `${id}@example.vn`, template: 'account_verify_code', lang: 'vi', params: '{}', status, attempts: 1,
    next_attempt_at: at(-createdDaysAgo), claimed_until: null, last_error: status === 'failed' ? 'refused' : null, created_at: at(-createdDaysAgo),
    sent_at: sentDaysAgo === null ? null : at(-sentDaysAgo),
  });
  await ctx.handle.db.insertInto('outbox').values([
    row('retention-sent-31', 'sent', 31, 31), row('retention-sent-29', 'sent', 40, 29),
    row('retention-failed-91', 'failed', 91, null), row('retention-failed-89', 'failed', 89, null),
    row('retention-pending-200', 'pending', 200, null),
  ]).execute();
  const r = await ctx.services.retention.purge();
  assert.equal(r.outboxSent, 1);
  assert.equal(r.outboxFailed, 1);
  const left = await ctx.handle.db.selectFrom('outbox').select('id').where('id', 'like', 'retention-%').orderBy('id').execute();
  assert.deepEqual(left.map((x) => x.id), ['retention-failed-89', 'retention-pending-200', 'retention-sent-29']);
});

test('the name and contact on feedback are cleared 90 days after the answer; the feedback and answer stay; unanswered feedback keeps them', async () => {
  const desk = await signedInStaff(ctx, 'reception', 'my-tho-phuong-5');
  const answered = await ctx.services.feedback.submit({ unitId: 'my-tho-phuong-5', name: 'Trần Văn Nam', contact: 'nam.tran@example.vn', subject: 'Chờ lâu', body: 'Tôi phải chờ hơn một giờ.' });
  const waiting = await ctx.services.feedback.submit({ unitId: 'my-tho-phuong-5', name: 'Võ Thị Chờ', contact: '0912000111', subject: 'Chưa trả lời', body: 'Xin hỏi lịch làm việc.' });
  await ctx.services.feedback.answer(desk.user, answered.id, { answer: 'Đã bố trí thêm quầy.', publish: true }, 'vi');
  const read = async (id: string) => ctx.handle.db.selectFrom('feedback').select(['name', 'contact', 'subject', 'body', 'answer']).where('id', '=', id).executeTakeFirstOrThrow();

  await atTime(at(89), () => ctx.services.retention.purge());
  assert.equal((await read(answered.id)).contact, 'nam.tran@example.vn', '89 days after the answer: kept');
  const r = await atTime(at(91), () => ctx.services.retention.purge());
  assert.equal(r.feedbackContacts, 1);
  assert.deepEqual(await read(answered.id), { name: '', contact: '', subject: 'Chờ lâu', body: 'Tôi phải chờ hơn một giờ.', answer: 'Đã bố trí thêm quầy.' });
  const stillWaiting = await read(waiting.id);
  assert.equal(stillWaiting.name, 'Võ Thị Chờ');
  assert.notEqual(stillWaiting.contact, '', 'needed to answer it');
  assert.equal((await ctx.app.inject({ url: '/api/v1/feedback' })).json().total, 1, 'the published answer is still public');
});

test('events delivered to the national portal are deleted SYNC_EVENT_RETENTION_DAYS after sending; newer sent ones and pending ones, however old, stay', async () => {
  const row = (id: string, seq: number, status: 'sent' | 'pending', createdDaysAgo: number, sentDaysAgo: number | null) => ({
    id, dossier_id: `retention-sync-${id}`, seq, payload: '{}', status, attempts: status === 'sent' ? 1 : 7,
    next_attempt_at: at(-createdDaysAgo), claimed_until: null, last_error: status === 'pending' ? 'HTTP 503' : null,
    last_attempt_at: at(-(sentDaysAgo ?? 1)), created_at: at(-createdDaysAgo), sent_at: sentDaysAgo === null ? null : at(-sentDaysAgo),
  });
  await ctx.handle.db.insertInto('sync_events').values([
    row('sent-91', 1, 'sent', 120, 91), row('sent-89', 2, 'sent', 120, 89),
    row('pending-300', 3, 'pending', 300, null),
  ]).execute();
  const left = async () => (await ctx.handle.db.selectFrom('sync_events').select('id').where('dossier_id', 'like', 'retention-sync-%').orderBy('id').execute()).map((x) => x.id);

  const r = await ctx.services.retention.purge();
  assert.equal(r.syncSent, 1);
  assert.deepEqual(await left(), ['pending-300', 'sent-89'], 'sent 91 days ago: deleted; sent 89 days ago and the old backlog: kept');
  // A few days on, the other sent one passes the limit; the pending one is still the backlog.
  const later = await atTime(at(2), () => ctx.services.retention.purge());
  assert.equal(later.syncSent, 1);
  assert.deepEqual(await left(), ['pending-300']);
  // The period comes from the configuration: with 0 days, every sent event goes, never a pending one.
  await ctx.handle.db.insertInto('sync_events').values(row('sent-now', 4, 'sent', 0, 0)).execute();
  assert.equal(await atTime(at(0, 1000), () => ctx.services.sync.purgeSent(0)), 1);
  assert.deepEqual(await left(), ['pending-300']);
});
