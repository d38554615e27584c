import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { openDatabase, type Db } from '../../db/connection.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { fold } from '../../domain/text.ts';
import { fixedClock, freshDatabase } from '../../testing/context.ts';
import { closedPort, startSmtpServer } from '../../testing/smtp.ts';
import { claimDue, enqueue, findOutboxMessage, listOutbox, type NewMessage } from './notifications.queries.ts';
import { render, templates, type TemplateKey } from './notifications.templates.ts';
import { createSmtpTransport, createTransports, HttpSmsProvider, TestTransport, type EmailTransport } from './notifications.transports.ts';
import { startSmsGateway } from '../../testing/sms.ts';
import { NotificationWorker, type WorkerOptions } from './notifications.worker.ts';

const from = '"Một Cửa" <no-reply@motcua.test>';
const silent = pino({ level: 'silent' });

/** A fresh, migrated database and a clock stopped at 2026-11-29 03:00 UTC, for one test. */
async function world(t: TestContext) {
  // Undone last to first: a second instance's connections close before the database is dropped.
  const cleanups: Array<() => Promise<void>> = [];
  t.after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  const handle = await freshDatabase();
  cleanups.push(() => handle.close());
  await migrateToLatest(handle.db);
  return { handle, db: handle.db, clock: fixedClock('2026-11-29T03:00:00.000Z'), cleanups };
}

/** A second app instance's connection to the same database: its own pool on PostgreSQL; on SQLite
 *  in memory the database lives in its one connection, so the instances share it. */
function secondInstance({ handle, cleanups }: Awaited<ReturnType<typeof world>>): Db {
  if (handle.dialect === 'sqlite') return handle.db;
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = new URL(handle.location).pathname;
  const other = openDatabase({ databaseUrl: url.toString(), sqliteFile: '' });
  cleanups.push(() => other.close());
  return other.db;
}

function worker(opts: Partial<WorkerOptions> & Pick<WorkerOptions, 'db' | 'clock'>): NotificationWorker {
  const nowhere = new TestTransport();
  return new NotificationWorker({ email: nowhere.email, sms: nowhere.sms, log: silent, ...opts });
}

const verifyEmail = (now: Date, recipient = 'anh.nguyen@example.vn'): NewMessage => ({
  channel: 'email',
  recipient,
  template: 'account_verify_code',
  lang: 'vi',
  params: { name: 'Nguyễn Thị Ánh', code: '482913', minutes: '10' },
  now,
});

// The longest values the SMS budget allows for (see notifications.templates.ts): a 25-character
// dossier code, a 30-character status label, a 70-character tracking URL.
const longest: Record<string, string> = {
  name: 'Nguyễn Thị Ánh',
  code: '000.00.22.H58-261129-0001',
  minutes: '15',
  procedure: 'Cấp giấy chứng nhận quyền sử dụng đất lần đầu',
  status: 'Đã có kết quả, chờ trả kết quả',
  trackingUrl: 'https://dichvucong.tiengiang.gov.vn/ho-so/000.00.22.H58-261129-0001'.padEnd(70, '1'),
  // A shipment of the postal service: its direction, and a tracking number at its longest (40).
  direction: 'Kết quả gửi đến người nộp',
  tracking: 'EK123456789VN'.padEnd(40, '9'),
  // A handler's daily reminder: counts up to four digits, the queue's address as long as a tracking link.
  overdue: '1234',
  dueSoon: '1234',
  list: '- 000.00.22.H58-261129-0001 (Đăng ký khai sinh): quá hạn từ 2026-11-27',
  queueUrl: 'https://dichvucong.tiengiang.gov.vn/can-bo/ho-so?tab=overdue'.padEnd(70, '1'),
  // When a password was reset (the password_changed notice), in Vietnam time.
  at: '23:59 ngày 29/11/2026',
  // An answer to public feedback: the subject and answer go by email only.
  subject: 'Thời gian giải quyết hồ sơ cấp giấy phép xây dựng quá lâu',
  answer: 'Hồ sơ của ông đã được giải quyết ngày 02/12/2026.',
  url: 'https://dichvucong.tiengiang.gov.vn/phan-anh'.padEnd(70, '1'),
};

test('an email enqueued in a transaction that rolls back is never sent; one that commits arrives over SMTP with its Vietnamese intact', async (t) => {
  const { db, clock } = await world(t);
  const smtp = await startSmtpServer();
  t.after(() => smtp.close());
  const w = worker({ db, clock, email: createSmtpTransport(smtp.url, from) });

  await assert.rejects(
    db.transaction().execute(async (tx) => {
      await enqueue(tx, verifyEmail(clock.now()));
      throw new Error('the account could not be saved');
    }),
    /could not be saved/,
  );
  assert.deepEqual(await w.runOnce(), { sent: 0, retried: 0, failed: 0 });
  assert.deepEqual(await listOutbox(db), []);
  assert.equal(smtp.received.length, 0);

  const id = await db.transaction().execute((tx) => enqueue(tx, verifyEmail(clock.now())));
  assert.equal((await findOutboxMessage(db, id))?.status, 'pending');
  assert.deepEqual(await w.runOnce(), { sent: 1, retried: 0, failed: 0 });

  assert.equal(smtp.received.length, 1);
  const mail = smtp.received[0]!;
  assert.deepEqual(mail.rcptTo, ['anh.nguyen@example.vn']);
  assert.equal(mail.mailFrom, 'no-reply@motcua.test');
  assert.equal(mail.headers.get('from'), 'Một Cửa <no-reply@motcua.test>');
  assert.match(mail.headers.get('content-type')!, /^text\/plain; charset=utf-8$/i);
  assert.equal(mail.subject, 'Mã xác minh tài khoản Một Cửa: 482913');
  assert.equal(mail.text.trimEnd(), render('account_verify_code', 'vi', verifyEmail(clock.now()).params).text);
  assert.match(mail.text, /^Xin chào Nguyễn Thị Ánh,\n\nMã xác minh tài khoản của bạn trên Cổng dịch vụ công Một Cửa là:\n\n {4}482913\n/);

  const row = await findOutboxMessage(db, id);
  assert.equal(row?.status, 'sent');
  assert.equal(row?.sentAt, '2026-11-29T03:00:00.000Z');
  assert.equal(row?.attempts, 1);
  assert.equal(row?.claimedUntil, null);
});

test('when the SMTP server is down the message is retried 1 min later, and delivered on a later run once the server is up', async (t) => {
  const { db, clock } = await world(t);
  const port = await closedPort();
  const w = worker({ db, clock, email: createSmtpTransport(`smtp://127.0.0.1:${port}`, from) });
  const id = await enqueue(db, verifyEmail(clock.now()));

  assert.deepEqual(await w.runOnce(), { sent: 0, retried: 1, failed: 0 });
  const waiting = await findOutboxMessage(db, id);
  assert.equal(waiting?.status, 'pending');
  assert.equal(waiting?.attempts, 1);
  assert.equal(waiting?.nextAttemptAt, '2026-11-29T03:01:00.000Z');
  assert.match(waiting?.lastError ?? '', /ECONNREFUSED/);

  const smtp = await startSmtpServer(port);
  t.after(() => smtp.close());
  clock.set('2026-11-29T03:00:59.999Z');
  assert.deepEqual(await w.runOnce(), { sent: 0, retried: 0, failed: 0 }, 'not due yet');
  clock.set('2026-11-29T03:01:00.000Z');
  assert.deepEqual(await w.runOnce(), { sent: 1, retried: 0, failed: 0 });
  assert.equal(smtp.received.length, 1);
  assert.equal(smtp.received[0]!.subject, 'Mã xác minh tài khoản Một Cửa: 482913');
  const sent = await findOutboxMessage(db, id);
  assert.equal(sent?.status, 'sent');
  assert.equal(sent?.attempts, 2);
  assert.equal(sent?.sentAt, '2026-11-29T03:01:00.000Z');
});

test('after the 6th failed attempt (retries at +1 min, +5 min, +30 min, +2 h, +6 h) the message is failed, with the error kept', async (t) => {
  const { db, clock } = await world(t);
  const w = worker({ db, clock, email: createSmtpTransport(`smtp://127.0.0.1:${await closedPort()}`, from) });
  const id = await enqueue(db, verifyEmail(clock.now()));

  const retries = ['2026-11-29T03:01:00.000Z', '2026-11-29T03:06:00.000Z', '2026-11-29T03:36:00.000Z', '2026-11-29T05:36:00.000Z', '2026-11-29T11:36:00.000Z'];
  for (const [i, next] of retries.entries()) {
    assert.deepEqual(await w.runOnce(), { sent: 0, retried: 1, failed: 0 }, `attempt ${i + 1}`);
    const row = await findOutboxMessage(db, id);
    assert.equal(row?.attempts, i + 1);
    assert.equal(row?.nextAttemptAt, next);
    clock.set(next);
  }
  assert.deepEqual(await w.runOnce(), { sent: 0, retried: 0, failed: 1 }, 'attempt 6');
  const failed = await findOutboxMessage(db, id);
  assert.equal(failed?.status, 'failed');
  assert.equal(failed?.attempts, 6);
  assert.match(failed?.lastError ?? '', /ECONNREFUSED/);
  assert.equal(failed?.sentAt, null);

  clock.set('2026-12-31T00:00:00.000Z');
  assert.deepEqual(await w.runOnce(), { sent: 0, retried: 0, failed: 0 }, 'a failed message is not tried again');
});

test('two workers running at the same time against one database deliver each message exactly once', async (t) => {
  const w = await world(t);
  const { db, clock } = w;
  const smtp = await startSmtpServer();
  t.after(() => smtp.close());
  const count = 30;
  for (let i = 0; i < count; i++) await enqueue(db, verifyEmail(clock.now(), `citizen${i}@example.vn`));

  const a = worker({ db, clock, email: createSmtpTransport(smtp.url, from) });
  const b = worker({ db: secondInstance(w), clock, email: createSmtpTransport(smtp.url, from) });
  let sent = 0;
  for (let round = 0; round < 10 && sent < count; round++) {
    const results = await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
    sent += results.reduce((n, r) => n + r.sent, 0);
  }

  assert.equal(sent, count);
  assert.equal(smtp.received.length, count);
  const recipients = smtp.received.flatMap((m) => m.rcptTo);
  assert.equal(new Set(recipients).size, count, 'no recipient got two');
  const rows = await listOutbox(db);
  assert.ok(rows.every((r) => r.status === 'sent' && r.attempts === 1));
});

test('a message claimed by a worker that died is taken over once its 60 s lease runs out', async (t) => {
  const { db, clock } = await world(t);
  const sent = new TestTransport();
  const id = await enqueue(db, verifyEmail(clock.now()));
  assert.equal((await claimDue(db, clock.now(), 20, 60_000)).length, 1, 'the worker that dies');
  const w = worker({ db, clock, email: sent.email });

  clock.set('2026-11-29T03:00:59.999Z');
  assert.deepEqual(await w.runOnce(), { sent: 0, retried: 0, failed: 0 }, 'still leased');
  clock.set('2026-11-29T03:01:00.001Z');
  assert.deepEqual(await w.runOnce(), { sent: 1, retried: 0, failed: 0 });
  assert.equal(sent.messages.length, 1);
  assert.equal((await findOutboxMessage(db, id))?.attempts, 2);
});

test('a message whose workers died on every attempt is failed after the 6th, not sent a 7th time', async (t) => {
  const { db, clock } = await world(t);
  const sent = new TestTransport();
  const id = await enqueue(db, verifyEmail(clock.now()));
  for (let i = 0; i < 6; i++) {
    assert.equal((await claimDue(db, clock.now(), 20, 60_000)).length, 1);
    clock.set(new Date(clock.now().getTime() + 61_000).toISOString());
  }
  assert.deepEqual(await worker({ db, clock, email: sent.email }).runOnce(), { sent: 0, retried: 0, failed: 1 });
  assert.equal(sent.messages.length, 0);
  assert.equal((await findOutboxMessage(db, id))?.status, 'failed');
});

test('an SMS goes through the HTTP SMS gateway as JSON {to, text} with the key as a bearer token, and only the short text', async (t) => {
  const { db, clock } = await world(t);
  const gateway = await startSmsGateway();
  t.after(() => gateway.close());
  const noEmail: EmailTransport = { send: async () => assert.fail('an SMS must not go by email') };
  const w = worker({ db, clock, email: noEmail, sms: new HttpSmsProvider({ url: gateway.url, key: 'sms-key-0123456789' }) });
  const params = { name: 'Trần Văn Bình', code: '000.00.22.H58-261129-0001', procedure: 'Đăng ký khai sinh', trackingUrl: 'https://motcua.test/ho-so/000.00.22.H58-261129-0001' };
  await enqueue(db, { channel: 'sms', recipient: '+84912345678', template: 'dossier_submitted', lang: 'vi', params, now: clock.now() });

  assert.deepEqual(await w.runOnce(), { sent: 1, retried: 0, failed: 0 });
  assert.equal(gateway.received.length, 1);
  const text = 'Một Cửa: hồ sơ 000.00.22.H58-261129-0001 đã được nộp. Theo dõi tại https://motcua.test/ho-so/000.00.22.H58-261129-0001';
  const [got] = gateway.received;
  assert.equal(got!.method, 'POST');
  assert.equal(got!.headers.authorization, 'Bearer sms-key-0123456789');
  assert.match(String(got!.headers['content-type']), /^application\/json/);
  assert.deepEqual(got!.body, { to: '+84912345678', text });
  assert.ok(fold(text).length <= 160);
});

test('test mode sends nothing outside: with the SMTP server unreachable it still marks messages sent and records them', async (t) => {
  const { db, clock } = await world(t);
  const transports = createTransports({ mode: 'test', smtpUrl: `smtp://127.0.0.1:${await closedPort()}`, from, log: silent });
  const w = worker({ db, clock, email: transports.email, sms: transports.sms });
  await enqueue(db, verifyEmail(clock.now()));
  await enqueue(db, { ...verifyEmail(clock.now(), '+84912345678'), channel: 'sms', lang: 'en' });

  assert.deepEqual(await w.runOnce(), { sent: 2, retried: 0, failed: 0 });
  assert.ok((await listOutbox(db)).every((m) => m.status === 'sent'));
  const recorded = [...transports.test!.messages].sort((x, y) => x.channel.localeCompare(y.channel));
  assert.deepEqual(recorded, [
    { channel: 'email', to: 'anh.nguyen@example.vn', subject: 'Mã xác minh tài khoản Một Cửa: 482913', text: render('account_verify_code', 'vi', verifyEmail(clock.now()).params).text },
    { channel: 'sms', to: '+84912345678', text: 'Một Cửa: your verification code is 482913, valid for 10 minutes. Do not share it with anyone.' },
  ]);
  assert.throws(() => createTransports({ mode: 'live', smtpUrl: null, from, log: silent }), /SMTP URL/);
});

test('messages render in Vietnamese and English; a missing parameter is an error, also when enqueuing', async (t) => {
  const params = { name: 'Lê Thị Cúc', code: '000.00.22.H58-261129-0007', procedure: 'Đăng ký kết hôn', status: 'Cần bổ sung giấy tờ', trackingUrl: 'https://motcua.test/ho-so/7' };
  const vi = render('dossier_status_changed', 'vi', params);
  assert.equal(vi.subject, 'Hồ sơ 000.00.22.H58-261129-0007: Cần bổ sung giấy tờ');
  assert.match(vi.text, /^Xin chào Lê Thị Cúc,\n\nHồ sơ 000\.00\.22\.H58-261129-0007 của bạn \(thủ tục “Đăng ký kết hôn”\) có trạng thái mới: Cần bổ sung giấy tờ\./);
  assert.equal(vi.sms, 'Một Cửa: hồ sơ 000.00.22.H58-261129-0007: Cần bổ sung giấy tờ. https://motcua.test/ho-so/7');
  const en = render('dossier_status_changed', 'en', { ...params, status: 'Supplement needed' });
  assert.equal(en.subject, 'Dossier 000.00.22.H58-261129-0007: Supplement needed');
  assert.match(en.text, /^Hello Lê Thị Cúc,\n\nYour dossier 000\.00\.22\.H58-261129-0007 \(“Đăng ký kết hôn”\) has a new status: Supplement needed\./);
  assert.equal(render('password_reset_code', 'en', { name: 'Cúc', code: '123456', minutes: '10' }).subject, 'Your Một Cửa password reset code: 123456');
  assert.equal(render('password_reset_code', 'vi', { name: 'Cúc', code: '123456', minutes: '10' }).subject, 'Mã đặt lại mật khẩu Một Cửa: 123456');

  assert.throws(() => render('account_verify_code', 'vi', { name: 'Cúc', code: '123456' }), /needs the parameter "minutes"/);
  assert.throws(() => render('no_such_template' as TemplateKey, 'vi', {}), /unknown message template/);

  const { db, clock } = await world(t);
  await assert.rejects(enqueue(db, { ...verifyEmail(clock.now()), params: { name: 'Cúc', minutes: '10' } }), /needs the parameter "code"/);
  assert.deepEqual(await listOutbox(db), []);
});

test('every SMS fits in one: at most 160 plain ASCII characters once folded, with the longest values we send', () => {
  assert.deepEqual([longest.code!.length, longest.status!.length, longest.trackingUrl!.length], [25, 30, 70]);
  for (const key of Object.keys(templates) as TemplateKey[]) {
    for (const lang of ['vi', 'en'] as const) {
      const sms = fold(render(key, lang, longest).sms);
      assert.match(sms, /^[\x20-\x7e]*$/, `${key}.${lang} folds to ASCII`);
      assert.ok(sms.length <= 160, `${key}.${lang}: ${sms.length} characters`);
    }
  }
});

test('the polling loop never overlaps itself, and stop() waits for the run in flight', async (t) => {
  const { db, clock } = await world(t);
  let active = 0;
  let mostAtOnce = 0;
  let deliveries = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const slow: EmailTransport = {
    async send() {
      active++;
      mostAtOnce = Math.max(mostAtOnce, active);
      await gate;
      active--;
      deliveries++;
    },
  };
  const first = await enqueue(db, verifyEmail(clock.now(), 'first@example.vn'));
  clock.set('2026-11-29T03:00:00.001Z');
  const second = await enqueue(db, verifyEmail(clock.now(), 'second@example.vn'));
  const w = worker({ db, clock, email: slow, batchSize: 1 });

  w.start(1);
  while (active === 0) await sleep(1);
  await sleep(30);
  assert.equal(mostAtOnce, 1, 'no second run while the first is sending');

  let stopped = false;
  const stopping = w.stop().then(() => void (stopped = true));
  await sleep(20);
  assert.equal(stopped, false, 'stop() waits for the message being sent');
  release();
  await stopping;

  assert.equal(deliveries, 1);
  assert.equal((await findOutboxMessage(db, first))?.status, 'sent');
  await sleep(20);
  assert.equal((await findOutboxMessage(db, second))?.status, 'pending', 'no run after stop()');
  assert.equal(mostAtOnce, 1);
});
