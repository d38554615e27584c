// A stand-in for the SMS gateway inside the test process: a real node:http server on 127.0.0.1
// that keeps every request it receives (headers and JSON body) and answers 200, or, on demand, an
// error status or nothing at all (to test the client's timeout). The contract it plays is
// HttpSmsProvider's (src/modules/notifications/notifications.transports.ts).
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export type ReceivedSms = { method: string; path: string; headers: http.IncomingHttpHeaders; body: { to?: unknown; text?: unknown } };

/** `ok`: 200; a number: that status; `hang`: read the request and never answer. */
export type SmsBehaviour = 'ok' | number | 'hang';

export type TestSmsGateway = {
  url: string;
  received: ReceivedSms[];
  /** What the next requests get (until changed). */
  behave(b: SmsBehaviour): void;
  close(): Promise<void>;
};

export async function startSmsGateway(): Promise<TestSmsGateway> {
  const received: ReceivedSms[] = [];
  let behaviour: SmsBehaviour = 'ok';
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: ReceivedSms['body'];
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedSms['body'];
      } catch {
        body = {};
      }
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      if (behaviour === 'hang') {
        hanging.add(res);
        return;
      }
      const status = behaviour === 'ok' ? 200 : behaviour;
      res.writeHead(status, { 'content-type': 'application/json' });
      // The answer echoes the text, as some gateways do: the client must not copy it into its errors.
      res.end(JSON.stringify({ status, echo: body.text ?? null }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sms`,
    received,
    behave: (b) => void (behaviour = b),
    close: () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
