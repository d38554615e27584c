// The stand-in receiver's memory over a long demo: the idempotency keys it remembers are bounded
// (the last `remember`, at least `keep`), so a key is answered as a repeat while it is remembered
// and the set never grows past the bound.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SyncStandIn } from './sync.standin.ts';

const key = 'stand-in-key-0123456789abcdef';
let standIn: SyncStandIn;

before(async () => {
  standIn = await SyncStandIn.start({ key, keep: 2, remember: 3 });
});
after(() => standIn.close());

async function post(eventId: string, seq: number): Promise<string> {
  const res = await fetch(standIn.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key, 'idempotency-key': eventId },
    body: JSON.stringify({ eventId, code: 'H-260101-0001', seq }),
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { status: string }).status;
}

test('the stand-in remembers only the last `remember` idempotency keys: recent ones answer repeat, the oldest is forgotten', async () => {
  for (let i = 1; i <= 4; i++) assert.equal(await post(`event-${i}`, i), 'recorded', `event-${i}`);
  assert.deepEqual(standIn.received.map((r) => r.idempotencyKey), ['event-3', 'event-4'], 'keep: the last two events shown');
  // Keys 2, 3 and 4 are remembered: repeats, not recorded again.
  for (const id of ['event-4', 'event-3', 'event-2']) assert.equal(await post(id, 0), 'repeat', id);
  assert.equal(standIn.repeats, 3);
  // Key 1 fell out of the bound: it would be recorded again (the worker retries long before this happens).
  assert.equal(await post('event-1', 1), 'recorded');
  assert.equal(await post('event-1', 1), 'repeat');
  // And that forgot event-2 in turn.
  assert.equal(await post('event-2', 2), 'recorded');
});

test('`remember` is never below `keep`', async () => {
  const small = await SyncStandIn.start({ key, keep: 3, remember: 1 });
  try {
    for (let i = 1; i <= 3; i++) {
      const res = await fetch(small.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key, 'idempotency-key': `k-${i}` },
        body: JSON.stringify({ eventId: `k-${i}`, code: 'H-260101-0002', seq: i }),
      });
      assert.equal(((await res.json()) as { status: string }).status, 'recorded');
    }
    const again = await fetch(small.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key, 'idempotency-key': 'k-1' },
      body: JSON.stringify({ eventId: 'k-1', code: 'H-260101-0002', seq: 1 }),
    });
    assert.equal(((await again.json()) as { status: string }).status, 'repeat', 'every event still kept is still known');
  } finally {
    await small.close();
  }
});
