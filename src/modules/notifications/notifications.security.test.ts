// Secrets out of logs and tables: what the outbox keeps after sending, what test mode logs, and the
// HTTP SMS gateway's failures (a real node:http stand-in on 127.0.0.1).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { migrateToLatest } from '../../db/migrate.ts';
import { maskEmail, maskPhone } from '../../domain/mask.ts';
import { fixedClock, freshDatabase } from '../../testing/context.ts';
import { startSmsGateway } from '../../testing/sms.ts';
import { closedPort } from '../../testing/smtp.ts';
import { ConfigError, loadConfig } from '../../config.ts';
import { enqueue, listOutbox, type NewMessage } from './notifications.queries.ts';
import { createTransports, HttpSmsProvider, TestTransport } from './notifications.transports.ts';
import { NotificationWorker } from './notifications.worker.ts';

const silent = pino({ level: 'silent' });

async function world(t: TestContext) {
  const handle = await freshDatabase();
  t.after(() => handle.close());
  await migrateToLatest(handle.db);
  return { db: handle.db, clock: fixedClock('2026-11-29T03:00:00.000Z') };
}

const resetSms = (now: Date): NewMessage => ({
  channel: 'sms', recipient: '+84912345678', template: 'password_reset_code', lang: 'vi', params: { name: 'Nguyễn Thị Ánh', code: '731904', minutes: '10' }, now,
});

test('recipients are masked for logs: n***@e***.vn for an email, +84*****678 for a phone', () => {
  assert.equal(maskEmail('nguyen.anh@example.vn'), 'n***@e***.vn');
  assert.equal(maskPhone('+84912345678'), '+84*****678');
  assert.equal(maskPhone('0912345678'), '091*****678');
  assert.equal(maskEmail('not-an-address'), '***');
});

test('test mode logs that a message was written (template, channel, masked recipient), never its text or its one-time code', async (t) => {
  const { db, clock } = await world(t);
  const lines: string[] = [];
  const log = pino({ base: null, timestamp: false }, { write: (line: string) => void lines.push(line) });
  const transports = createTransports({ mode: 'test', smtpUrl: null, from: 'x@motcua.test', log });
  const w = new NotificationWorker({ email: transports.email, sms: transports.sms, db, clock, log });
  await enqueue(db, resetSms(clock.now()));
  await enqueue(db, { ...resetSms(clock.now()), channel: 'email', recipient: 'anh.nguyen@example.vn', template: 'account_verify_code' });

  assert.deepEqual(await w.runOnce(), { sent: 2, retried: 0, failed: 0 });
  assert.equal(lines.length, 2);
  const logged = lines.map((l) => JSON.parse(l) as { msg: string; testMessage: unknown });
  assert.deepEqual(logged.map((l) => l.testMessage).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), [
    { channel: 'email', template: 'account_verify_code', to: 'a***@e***.vn' },
    { channel: 'sms', template: 'password_reset_code', to: '+84*****678' },
  ]);
  for (const line of lines) {
    assert.doesNotMatch(line, /731904/, 'the one-time code');
    assert.doesNotMatch(line, /Ánh|Nguyễn|912345|anh\.nguyen/, 'the name or the address');
  }
  // The test transport still keeps the messages in memory for the tests that read them.
  assert.equal(transports.test!.messages.length, 2);
});

test('once sent, a message keeps no parameters: the one-time code is cleared in the update that marks it sent; a failed one is cleared too', async (t) => {
  const { db, clock } = await world(t);
  const nowhere = new TestTransport();
  const gateway = await startSmsGateway();
  t.after(() => gateway.close());
  const w = new NotificationWorker({ email: nowhere.email, sms: nowhere.sms, db, clock, log: silent });
  await enqueue(db, resetSms(clock.now()));
  assert.equal((await listOutbox(db))[0]!.params.code, '731904', 'kept while waiting to be sent');
  await w.runOnce();
  const [sent] = await listOutbox(db);
  assert.equal(sent!.status, 'sent');
  assert.deepEqual(sent!.params, {});
  assert.equal(sent!.recipient, '+84912345678', 'who it went to is kept until the row is purged');

  // A message that fails for good drops its parameters as well.
  gateway.behave(503);
  const failing = new NotificationWorker({ email: nowhere.email, sms: new HttpSmsProvider({ url: gateway.url, key: 'k' }), db, clock, log: silent });
  await enqueue(db, { ...resetSms(clock.now()), recipient: '+84987654321' });
  for (let i = 0; i < 6; i++) {
    await failing.runOnce();
    clock.set(new Date(clock.now().getTime() + 7 * 3600_000).toISOString());
  }
  const [failed] = await listOutbox(db, { status: 'failed' });
  assert.equal(failed!.recipient, '+84987654321');
  assert.deepEqual(failed!.params, {});
  assert.equal(failed!.lastError, 'the SMS gateway answered 503');
  // Every one of the six attempts reached the gateway.
  assert.equal(gateway.received.length, 6);
});

test('the SMS gateway answering 500 is a failure the outbox retries a minute later; the stored error names the status, never the text', async (t) => {
  const { db, clock } = await world(t);
  const gateway = await startSmsGateway();
  t.after(() => gateway.close());
  const nowhere = new TestTransport();
  const w = new NotificationWorker({ email: nowhere.email, sms: new HttpSmsProvider({ url: gateway.url, key: 'sms-key' }), db, clock, log: silent });
  await enqueue(db, resetSms(clock.now()));

  gateway.behave(500);
  assert.deepEqual(await w.runOnce(), { sent: 0, retried: 1, failed: 0 });
  const [waiting] = await listOutbox(db);
  assert.equal(waiting!.status, 'pending');
  assert.equal(waiting!.lastError, 'the SMS gateway answered 500');
  assert.equal(waiting!.nextAttemptAt, '2026-11-29T03:01:00.000Z');

  gateway.behave('ok');
  clock.set('2026-11-29T03:01:00.000Z');
  assert.deepEqual(await w.runOnce(), { sent: 1, retried: 0, failed: 0 });
  assert.equal(gateway.received.length, 2);
  assert.deepEqual(gateway.received[1]!.body, { to: '+84912345678', text: 'Một Cửa: mã đặt lại mật khẩu là 731904, hiệu lực 10 phút. Nếu bạn không yêu cầu, hãy bỏ qua tin này.' });
});

test('an SMS gateway that does not answer within the timeout is a failure, retried later; so is one that refuses the connection', async (t) => {
  const { db, clock } = await world(t);
  const gateway = await startSmsGateway();
  t.after(() => gateway.close());
  gateway.behave('hang');
  const nowhere = new TestTransport();
  const w = new NotificationWorker({ email: nowhere.email, sms: new HttpSmsProvider({ url: gateway.url, key: 'sms-key', timeoutMs: 300 }), db, clock, log: silent });
  await enqueue(db, resetSms(clock.now()));
  const started = Date.now();
  assert.deepEqual(await w.runOnce(), { sent: 0, retried: 1, failed: 0 });
  assert.ok(Date.now() - started < 5000, 'the timeout ended the wait');
  assert.equal((await listOutbox(db))[0]!.lastError, 'the SMS gateway did not answer within 0.3 s');

  const refused = new HttpSmsProvider({ url: `http://127.0.0.1:${await closedPort()}/sms`, key: 'k', timeoutMs: 2000 });
  await assert.rejects(refused.send('+84912345678', 'x'), /the SMS gateway could not be reached \(ECONNREFUSED\)/);
});

test('live mode refuses the log-only SMS provider: no SMS gateway, no live transports; NOTIFY_MODE=live without SMS_URL fails naming SMS_URL', () => {
  assert.throws(() => createTransports({ mode: 'live', smtpUrl: 'smtp://127.0.0.1:2525', from: 'x@motcua.test', log: silent }), /SMS gateway \(SMS_URL\)/);
  const live = createTransports({ mode: 'live', smtpUrl: 'smtp://127.0.0.1:2525', from: 'x@motcua.test', sms: { url: 'http://127.0.0.1:9/sms', key: 'k' }, log: silent });
  assert.ok(live.sms instanceof HttpSmsProvider);
  assert.equal(live.test, null);

  const configError = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (err) {
      if (err instanceof ConfigError) return err.message;
    }
    return 'no error';
  };
  assert.match(configError({ NOTIFY_MODE: 'live', SMTP_URL: 'smtp://mail.example.vn:587' }), /^SMS_URL: required when NOTIFY_MODE=live/);
  assert.match(configError({ SMTP_URL: 'smtp://mail.example.vn:587' }), /^SMS_URL: /);
  assert.match(configError({ SMTP_URL: 'smtp://mail.example.vn:587', SMS_URL: 'http://sms.example.vn/send', SMS_KEY: 'k' }), /^SMS_URL: expected an https URL/);
  assert.match(configError({ SMTP_URL: 'smtp://mail.example.vn:587', SMS_URL: 'https://sms.example.vn/send' }), /^SMS_KEY: required with SMS_URL/);
  const ok = loadConfig({ SMTP_URL: 'smtp://mail.example.vn:587', SMS_URL: 'https://sms.example.vn/send', SMS_KEY: 'sms-key' });
  assert.equal(ok.notifyMode, 'live');
  assert.deepEqual(ok.sms, { url: 'https://sms.example.vn/send', key: 'sms-key' });
  assert.equal(loadConfig({}).sms, null, 'test mode needs no gateway');
});
