// A stand-in for a postal operator (the demo and the tests): a real HTTP client that reports shipment
// events to Một Cửa's API over the network, with the operator's key in X-Api-Key, exactly as the
// operator's own system would (POST /api/v1/shipments/{id}/events, api-v1.md).
//
//   POSTAL_OPERATOR_KEY=… node --import tsx src/modules/postal/postal.operator.ts http://127.0.0.1:3000 SHIPMENT_ID picked_up in_transit delivered
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

export type OperatorEvent = { status: string; eventId?: string; at?: string; trackingNumber?: string; note?: string };
export type OperatorAnswer = { status: number; body: Record<string, unknown> };

export class PostalOperatorClient {
  constructor(
    /** Một Cửa's address, e.g. http://127.0.0.1:3000. */
    private readonly baseUrl: string,
    private readonly key: string,
    private readonly timeoutMs = 10_000,
  ) {}

  /** Sends one event; the same `eventId` may be sent again (a retry) and changes nothing the second time. */
  async send(shipmentId: string, event: OperatorEvent): Promise<OperatorAnswer & { eventId: string }> {
    const eventId = event.eventId ?? `ev-${randomUUID()}`;
    const res = await fetch(`${this.baseUrl.replace(/\/+$/, '')}/api/v1/shipments/${encodeURIComponent(shipmentId)}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': this.key, 'accept-language': 'en' },
      body: JSON.stringify({ ...event, eventId }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, eventId };
  }

  /** Walks a shipment through statuses in order, stopping at the first refusal. */
  async walk(shipmentId: string, statuses: readonly string[], trackingNumber?: string): Promise<OperatorAnswer[]> {
    const out: OperatorAnswer[] = [];
    for (const status of statuses) {
      const answer = await this.send(shipmentId, { status, trackingNumber });
      out.push(answer);
      if (answer.status !== 200) break;
    }
    return out;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [url, shipmentId, ...statuses] = process.argv.slice(2);
  const key = process.env.POSTAL_OPERATOR_KEY;
  if (!url || !shipmentId || !statuses.length || !key) {
    process.stderr.write('usage: POSTAL_OPERATOR_KEY=… postal.operator.ts URL SHIPMENT_ID STATUS…\n');
    process.exit(2);
  }
  for (const a of await new PostalOperatorClient(url, key).walk(shipmentId, statuses)) process.stdout.write(`${a.status} ${JSON.stringify(a.body)}\n`);
}
