// A real SMTP server inside the test process (smtp-server on 127.0.0.1), which keeps every message
// it receives, decoded: tests read the subject and text that actually went over the wire.
import net from 'node:net';
import { once } from 'node:events';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = {
  /** The envelope: MAIL FROM and RCPT TO. */
  mailFrom: string;
  rcptTo: string[];
  /** Header names lower-cased, values unfolded and decoded from RFC 2047 encoded words. */
  headers: Map<string, string>;
  subject: string;
  /** The text/plain body, decoded, with LF line ends. */
  text: string;
};

export type TestSmtpServer = { port: number; url: string; received: ReceivedMail[]; close(): Promise<void> };

/** Starts the server on `port`, or on any free port (0). */
export async function startSmtpServer(port = 0): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    // Offered STARTTLS, nodemailer would upgrade and then reject smtp-server's self-signed certificate.
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 1000,
    disableReverseLookup: true,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        try {
          received.push({
            mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            rcptTo: session.envelope.rcptTo.map((a) => a.address),
            ...parseMail(Buffer.concat(chunks)),
          });
          callback();
        } catch (err) {
          callback(err as Error);
        }
      });
    },
  });
  const listening = server.listen(port, '127.0.0.1');
  await once(listening, 'listening');
  const address = listening.address() as net.AddressInfo;
  return {
    port: address.port,
    url: `smtp://127.0.0.1:${address.port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A local port that nothing listens on: connecting to it is refused at once. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  return port;
}

/** Bytes from quoted-printable (RFC 2045 §6.7); `underscores` for the header variant, where _ is a space. */
function fromQuotedPrintable(text: string, underscores = false): Buffer {
  const s = (underscores ? text.replace(/_/g, ' ') : text).replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const hex = s.slice(i + 1, i + 3);
    if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(s.charCodeAt(i));
    }
  }
  return Buffer.from(bytes);
}

function utf8(charset: string, bytes: Buffer): string {
  if (!/^utf-?8$/i.test(charset)) throw new Error(`expected UTF-8, got ${charset}`);
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** Decodes RFC 2047 encoded words; adjacent ones are joined before decoding, as a character may span two. */
function decodeHeader(value: string): string {
  const word = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  let out = '';
  let pending: { charset: string; bytes: Buffer[] } | null = null;
  let last = 0;
  const flush = () => {
    if (pending) out += utf8(pending.charset, Buffer.concat(pending.bytes));
    pending = null;
  };
  for (const m of value.matchAll(word)) {
    const [, charset = '', encoding = '', data = ''] = m;
    const between = value.slice(last, m.index);
    if (!pending || /\S/.test(between)) {
      flush();
      out += between;
    }
    const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : fromQuotedPrintable(data, true);
    pending ??= { charset, bytes: [] };
    pending.bytes.push(bytes);
    last = m.index + m[0].length;
  }
  flush();
  return out + value.slice(last);
}

/** A single-part text message, as nodemailer writes one for `{ subject, text }`. */
export function parseMail(raw: Buffer): Pick<ReceivedMail, 'headers' | 'subject' | 'text'> {
  // latin1 maps bytes to characters one to one, so the body's bytes survive until decoded.
  const source = raw.toString('latin1');
  const split = source.indexOf('\r\n\r\n');
  const head = split === -1 ? source : source.slice(0, split);
  const body = split === -1 ? '' : source.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n(?=[ \t])/g, '').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), decodeHeader(line.slice(colon + 1).trim()));
  }
  const contentType = headers.get('content-type') ?? 'text/plain; charset=us-ascii';
  if (!/^text\/plain\b/i.test(contentType)) throw new Error(`expected a text/plain message, got ${contentType}`);
  const charset = /charset="?([^";]+)"?/i.exec(contentType)?.[1] ?? 'us-ascii';
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const bytes =
    encoding === 'quoted-printable' ? fromQuotedPrintable(body)
    : encoding === 'base64' ? Buffer.from(body, 'base64')
    : Buffer.from(body, 'latin1');
  const text = (/^us-ascii$/i.test(charset) ? bytes.toString('ascii') : utf8(charset, bytes)).replace(/\r\n/g, '\n');
  return { headers, subject: headers.get('subject') ?? '', text };
}
