// The ways a message leaves the portal: email over SMTP, SMS through an HTTP gateway, and a test
// mode that sends nothing outside, for demos and CI. No transport ever logs a message's text or
// parameters (a one-time code travels in them): a log line names the channel, the template and the
// recipient, masked.
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import { maskRecipient } from '../../domain/mask.ts';

/** What a transport may say about a message in a log line: never its text. */
export type MessageInfo = { template?: string };

export interface EmailTransport {
  send(to: string, subject: string, text: string, info?: MessageInfo): Promise<void>;
}

export interface SmsProvider {
  send(to: string, text: string, info?: MessageInfo): Promise<void>;
}

export type Transports = { email: EmailTransport; sms: SmsProvider };

/**
 * Email through an SMTP server, e.g. `smtp://user:pass@mail.example.vn:587` or `smtps://…:465`.
 * `from` may carry a display name: `"Một Cửa" <no-reply@example.vn>`.
 */
export function createSmtpTransport(smtpUrl: string, from: string): EmailTransport {
  const mailer = nodemailer.createTransport(
    {
      url: smtpUrl,
      // nodemailer waits up to 2 min to connect and 10 min on a silent socket by default; a send
      // must end well inside the worker's 60 s lease, or a second worker takes the message over.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    },
    { from },
  );
  return {
    async send(to, subject, text) {
      await mailer.sendMail({ to, subject, text });
    },
  };
}

/**
 * The SMS gateway over HTTP (`SMS_URL`, `SMS_KEY`). The contract, for whoever builds or adapts the
 * gateway:
 *
 *   POST $SMS_URL
 *   Authorization: Bearer $SMS_KEY
 *   Content-Type: application/json
 *   {"to": "+84912345678", "text": "Một Cửa: …"}
 *
 * Any 2xx answer means the gateway took the message; its body is ignored. Any other status, a
 * refused connection, a redirect or no answer within `timeoutMs` (10 s) is a failure, which the
 * outbox retries with backoff. The error kept on the outbox row names the status or the cause,
 * never the text. Use https: the key and the text cross the network (config.ts requires https
 * except for a gateway on this machine).
 */
export class HttpSmsProvider implements SmsProvider {
  constructor(private readonly opts: { url: string; key: string; timeoutMs?: number }) {}

  async send(to: string, text: string): Promise<void> {
    const timeoutMs = this.opts.timeoutMs ?? 10_000;
    let res: Response;
    try {
      res = await fetch(this.opts.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.opts.key}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ to, text }),
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const name = err instanceof Error ? err.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') throw new Error(`the SMS gateway did not answer within ${timeoutMs / 1000} s`, { cause: err });
      const cause = err instanceof Error && err.cause instanceof Error ? ((err.cause as NodeJS.ErrnoException).code ?? err.cause.message) : String(err);
      throw new Error(`the SMS gateway could not be reached (${cause})`, { cause: err });
    }
    // The body is drained, not read into the error: a gateway may echo the text back.
    await res.body?.cancel().catch(() => undefined);
    if (res.status < 200 || res.status > 299) throw new Error(`the SMS gateway answered ${res.status}`);
  }
}

export type RecordedMessage =
  | { channel: 'email'; to: string; subject: string; text: string }
  | { channel: 'sms'; to: string; text: string };

/**
 * Test mode: sends nothing outside and keeps what would have gone out in memory (the last 1,000, so
 * a long demo does not grow without bound), for tests. The log says only that a message was
 * written: its channel, template and masked recipient, never its text.
 */
export class TestTransport implements Transports {
  static readonly keep = 1000;
  readonly messages: RecordedMessage[] = [];
  readonly email: EmailTransport = { send: async (to, subject, text, info) => this.record({ channel: 'email', to, subject, text }, info) };
  readonly sms: SmsProvider = { send: async (to, text, info) => this.record({ channel: 'sms', to, text }, info) };

  constructor(private readonly log?: Logger) {}

  private record(message: RecordedMessage, info: MessageInfo = {}): void {
    this.messages.push(message);
    if (this.messages.length > TestTransport.keep) this.messages.shift();
    this.log?.info({ testMessage: { channel: message.channel, template: info.template ?? null, to: maskRecipient(message.to) } }, 'message written, not sent (test mode)');
  }
}

export type TransportOptions = {
  /** `test` sends nothing outside, whatever the SMTP URL says. */
  mode: 'live' | 'test';
  smtpUrl: string | null;
  from: string;
  /** The SMS gateway (HttpSmsProvider); required in live mode. */
  sms?: { url: string; key: string; timeoutMs?: number } | null;
  log: Logger;
};

/** The transports the worker sends through; in test mode, also the recorder. */
export function createTransports(opts: TransportOptions): Transports & { test: TestTransport | null } {
  if (opts.mode === 'test') {
    const test = new TestTransport(opts.log);
    return { email: test.email, sms: test.sms, test };
  }
  if (!opts.smtpUrl) throw new Error('sending email needs an SMTP URL, or test mode');
  // There is no log-only SMS provider: in live mode an SMS goes to a real gateway or not at all.
  if (!opts.sms) throw new Error('sending SMS needs an SMS gateway (SMS_URL), or test mode');
  return { email: createSmtpTransport(opts.smtpUrl, opts.from), sms: new HttpSmsProvider(opts.sms), test: null };
}
