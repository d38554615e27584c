// The ways a message leaves the portal: email over SMTP, SMS through a provider (for now one that
// writes each SMS to the log, until the SMS gateway is contracted), and a test mode that sends
// nothing outside, for demos and CI.
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

export interface EmailTransport {
  send(to: string, subject: string, text: string): Promise<void>;
}

export interface SmsProvider {
  send(to: string, text: string): Promise<void>;
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

/** Stands in for the SMS gateway: each SMS becomes one JSON log line (`msg: "sms"`, `sms: {to, text}`). */
export class LogSmsProvider implements SmsProvider {
  constructor(private readonly log: Logger) {}

  async send(to: string, text: string): Promise<void> {
    this.log.info({ sms: { to, text } }, 'sms');
  }
}

export type RecordedMessage =
  | { channel: 'email'; to: string; subject: string; text: string }
  | { channel: 'sms'; to: string; text: string };

/**
 * Test mode: sends nothing outside, keeps what would have gone out (the last 1,000, so a long demo
 * does not grow without bound), and logs it, so a demo user can read the code they were sent.
 */
export class TestTransport implements Transports {
  static readonly keep = 1000;
  readonly messages: RecordedMessage[] = [];
  readonly email: EmailTransport = { send: async (to, subject, text) => this.record({ channel: 'email', to, subject, text }) };
  readonly sms: SmsProvider = { send: async (to, text) => this.record({ channel: 'sms', to, text }) };

  constructor(private readonly log?: Logger) {}

  private record(message: RecordedMessage): void {
    this.messages.push(message);
    if (this.messages.length > TestTransport.keep) this.messages.shift();
    this.log?.info({ testMessage: message }, 'message not sent (test mode)');
  }
}

export type TransportOptions = {
  /** `test` sends nothing outside, whatever the SMTP URL says. */
  mode: 'live' | 'test';
  smtpUrl: string | null;
  from: string;
  log: Logger;
};

/** The transports the worker sends through; in test mode, also the recorder. */
export function createTransports(opts: TransportOptions): Transports & { test: TestTransport | null } {
  if (opts.mode === 'test') {
    const test = new TestTransport(opts.log);
    return { email: test.email, sms: test.sms, test };
  }
  if (!opts.smtpUrl) throw new Error('sending email needs an SMTP URL, or test mode');
  return { email: createSmtpTransport(opts.smtpUrl, opts.from), sms: new LogSmsProvider(opts.log), test: null };
}
