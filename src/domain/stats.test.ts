import { test } from 'node:test';
import assert from 'node:assert/strict';
import { channelGroup, contributions, statChanges, summarise, type MeasureSums } from './stats.ts';

test('a received dossier adds to received and due; settled in time, to its settlement and to due_kept', () => {
  assert.deepEqual(contributions({ acceptedAt: null, dueAt: null, settledAt: null }), [], 'never received, never counted');
  assert.deepEqual(contributions({ acceptedAt: '2026-12-01T02:00:00Z', dueAt: '2026-12-04T10:00:00Z', settledAt: '2026-12-02T02:00:00Z' }), [
    { day: '2026-12-01', measure: 'received', delta: 1 },
    { day: '2026-12-04', measure: 'due', delta: 1 },
    { day: '2026-12-02', measure: 'settled_early', delta: 1 },
    { day: '2026-12-04', measure: 'due_kept', delta: 1 },
  ]);
});

test('a pause that pushes the due time back moves the due count from the old day to the new', () => {
  const before = { acceptedAt: '2026-12-01T02:00:00Z', dueAt: '2026-12-04T10:00:00Z', settledAt: null };
  assert.deepEqual(statChanges(before, { ...before, dueAt: '2026-12-08T10:00:00Z' }), [
    { day: '2026-12-04', measure: 'due', delta: -1 },
    { day: '2026-12-08', measure: 'due', delta: 1 },
  ]);
  assert.deepEqual(statChanges(before, before), []);
});

test('the channels of the report: the national portal counts as online; counter as direct; post as postal', () => {
  assert.deepEqual(['online', 'national_portal', 'counter', 'postal'].map(channelGroup), ['online', 'online', 'direct', 'postal']);
});

test('the report arithmetic: carried over, pending and overdue from cumulative counts; shares are 0 with nothing to divide', () => {
  const z = { before: 0, within: 0 };
  const s: MeasureSums = {
    received: { before: 10, within: 6 }, settled_early: { before: 3, within: 1 }, settled_on_time: { before: 2, within: 2 },
    settled_late: { before: 1, within: 1 }, due: { before: 9, within: 5 }, due_kept: { before: 5, within: 3 },
    receivedWithin: { online: 2, direct: 3, postal: 1 },
  };
  const r = summarise(s);
  assert.deepEqual(r.received, { online: 2, direct: 3, postal: 1, carriedOver: 4, total: 6 });
  assert.deepEqual(r.settled, { early: 1, onTime: 2, late: 1, total: 4 });
  assert.deepEqual(r.pending, { withinDeadline: 2, overdue: 4, total: 6 }, '16 received − 10 settled; 14 due − 8 kept − 2 late');
  assert.equal(r.onlineShare, 2 / 6);
  assert.equal(r.onTimeRate, 3 / 4);
  const none = summarise({ received: z, settled_early: z, settled_on_time: z, settled_late: z, due: z, due_kept: z, receivedWithin: { online: 0, direct: 0, postal: 0 } });
  assert.equal(none.onlineShare, 0);
  assert.equal(none.onTimeRate, 0);
});
