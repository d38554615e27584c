import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addSums, channelGroup, contributions, emptySums, heldAt, holdIntervals, satisfactionOfMeasure, satisfactionOfScore, settlementOf, statChanges, summarise,
  type MeasureSums, type StatDelta, type StatFacts,
} from './stats.ts';

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

test('the report arithmetic: carried over, the grand total, pending and overdue from cumulative counts; shares are 0 with nothing to divide', () => {
  const s: MeasureSums = {
    received: { before: 10, within: 6 }, settled_early: { before: 3, within: 1 }, settled_on_time: { before: 2, within: 2 },
    settled_late: { before: 1, within: 1 }, due: { before: 9, within: 5 }, due_kept: { before: 5, within: 3 }, due_held: { before: 1, within: 0 },
    receivedWithin: { online: 2, direct: 3, postal: 1 }, satisfactionWithin: { very_satisfied: 3, satisfied: 1, dissatisfied: 1 },
    paymentsWithin: { paid_total: 4, paid_online: 3 }, returnedPostalWithin: 2,
  };
  const r = summarise(s);
  assert.deepEqual(r.returned, { postal: 2 }, 'results returned by post, counted apart from the table');
  assert.deepEqual(r.received, { online: 2, direct: 3, postal: 1, carriedOver: 4, total: 6, grandTotal: 10 }, 'the grand total is the carried over and the newly received');
  assert.deepEqual(r.settled, { early: 1, onTime: 2, late: 1, total: 4 });
  assert.deepEqual(r.pending, { withinDeadline: 3, overdue: 3, total: 6 }, '16 received − 10 settled; 14 due − 8 kept − 2 late − 1 held');
  assert.equal(r.onlineShare, 2 / 6);
  assert.equal(r.onTimeRate, 3 / 4);
  assert.deepEqual(r.satisfaction, { verySatisfied: 3, satisfied: 1, dissatisfied: 1, total: 5, satisfiedShare: 4 / 5 });
  const none = summarise(emptySums());
  assert.equal(none.onlineShare, 0);
  assert.equal(none.onTimeRate, 0);
  assert.equal(none.satisfaction.satisfiedShare, 0);
  assert.deepEqual(r.payments, { paidTotal: 4, paidOnline: 3, onlineShare: 3 / 4 });
  assert.deepEqual(none.payments, { paidTotal: 0, paidOnline: 0, onlineShare: 0 });
});

test('a withdrawal after acceptance is settled on time, even after the due day; the due day counts as kept from the day it was withdrawn', () => {
  const late = { acceptedAt: '2026-12-01T02:00:00Z', dueAt: '2026-12-04T10:00:00Z', settledAt: '2026-12-09T02:00:00Z', withdrawn: true };
  assert.equal(settlementOf(late), 'on_time');
  assert.equal(settlementOf({ ...late, withdrawn: false }), 'late');
  assert.equal(settlementOf({ ...late, settledAt: '2026-12-02T02:00:00Z' }), 'on_time', 'early or not, a withdrawal is on time');
  assert.deepEqual(contributions(late).filter((c) => c.measure !== 'received'), [
    { day: '2026-12-04', measure: 'due', delta: 1 },
    { day: '2026-12-09', measure: 'settled_on_time', delta: 1 },
    { day: '2026-12-09', measure: 'due_kept', delta: 1 },
  ]);
});

/** The table for a period from one dossier's contributions, through the same sums the service makes. */
function tableOf(facts: StatFacts, from: string, to: string) {
  const s = emptySums();
  for (const c of contributions(facts) as StatDelta[]) {
    if (c.day > to) continue;
    addSums(s, { measure: c.measure, channel: 'counter', before: c.day < from ? c.delta : 0, within: c.day >= from ? c.delta : 0 });
  }
  return summarise(s);
}

test('holds: from the status changes; a dossier paused or stopped at the period’s end is pending within the deadline, whatever its due day', () => {
  const log = [
    { at: '2026-12-01T02:00:00Z', from: 'submitted', to: 'accepted' },
    { at: '2026-12-01T03:00:00Z', from: 'accepted', to: 'in_process' },
    { at: '2026-12-02T02:00:00Z', from: 'in_process', to: 'financial_obligation' },
    { at: '2026-12-10T02:00:00Z', from: 'financial_obligation', to: 'in_process' },
    { at: '2026-12-11T02:00:00Z', from: 'in_process', to: 'in_process' },
    { at: '2026-12-12T02:00:00Z', from: 'in_process', to: 'suspended' },
    { at: '2026-12-13T02:00:00Z', from: 'suspended', to: 'suspended' },
  ];
  const holds = holdIntervals(log);
  assert.deepEqual(holds, [{ from: '2026-12-02T02:00:00Z', to: '2026-12-10T02:00:00Z' }, { from: '2026-12-12T02:00:00Z', to: null }]);
  assert.equal(heldAt(holds, '2026-12-05'), true);
  assert.equal(heldAt(holds, '2026-12-10'), false, 'resumed during the day: not held at its end');
  assert.equal(heldAt(holds, '2026-12-12'), true);
  // Due 4 Dec (before the pause ended the due time was not yet moved), stopped from 12 Dec for good.
  const f: StatFacts = { acceptedAt: '2026-12-01T02:00:00Z', dueAt: '2026-12-04T10:00:00Z', settledAt: null, holds };
  assert.deepEqual(tableOf(f, '2026-12-01', '2026-12-05').pending, { withinDeadline: 1, overdue: 0, total: 1 }, 'paused at the end');
  assert.deepEqual(tableOf(f, '2026-12-01', '2026-12-11').pending, { withinDeadline: 0, overdue: 1, total: 1 }, 'running again, past the due day');
  assert.deepEqual(tableOf(f, '2026-12-01', '2027-06-30').pending, { withinDeadline: 1, overdue: 0, total: 1 }, 'stopped: within, however long');
  assert.deepEqual(tableOf(f, '2026-12-01', '2026-12-03').pending, { withinDeadline: 1, overdue: 0, total: 1 }, 'not yet due');
  // Withdrawn while paused: settled on time, nothing pending, no hold left over.
  const withdrawn: StatFacts = { ...f, settledAt: '2026-12-05T02:00:00Z', withdrawn: true, holds: holdIntervals([...log.slice(0, 3), { at: '2026-12-05T02:00:00Z', from: 'financial_obligation', to: 'withdrawn' }]) };
  const dec = tableOf(withdrawn, '2026-12-01', '2026-12-31');
  assert.deepEqual([dec.settled, dec.pending], [{ early: 0, onTime: 1, late: 0, total: 1 }, { withinDeadline: 0, overdue: 0, total: 0 }]);
  assert.deepEqual(tableOf(withdrawn, '2026-12-01', '2026-12-04').pending, { withinDeadline: 1, overdue: 0, total: 1 });
  // A supplement asked at intake comes before any due day: it changes nothing.
  const intake = holdIntervals([{ at: '2026-11-30T02:00:00Z', from: 'submitted', to: 'supplement_requested' }, { at: '2026-12-01T01:00:00Z', from: 'supplement_requested', to: 'submitted' }]);
  assert.deepEqual(contributions({ ...f, holds: intake }), contributions({ ...f, holds: [] }));
});

test('satisfaction: the five-level score maps onto the three levels; older daily counts are read on the new scale', () => {
  assert.deepEqual([1, 2, 3, 4, 5].map(satisfactionOfScore), ['dissatisfied', 'dissatisfied', 'satisfied', 'satisfied', 'very_satisfied']);
  assert.deepEqual(['satisfaction_very_satisfied', 'satisfaction_dissatisfied', 'rating_5', 'rating_3', 'rating_1', 'received', 'satisfaction_other'].map(satisfactionOfMeasure),
    ['very_satisfied', 'dissatisfied', 'very_satisfied', 'satisfied', 'dissatisfied', null, null]);
});

test('payments: a dossier counts once in paid_total on its first settled payment and once in paid_online on its first online one; later payments and refunds move nothing', async () => {
  const { paymentContributions, paymentStatChanges } = await import('./stats.ts');
  // 2026-05-11T18:00Z is 12 May in Vietnam (UTC+7).
  const due = { method: null, paidAt: null };
  const cash = { method: 'cash', paidAt: '2026-05-11T18:00:00Z' };
  const qr = { method: 'vietqr', paidAt: '2026-05-13T02:00:00Z' };
  assert.deepEqual(paymentContributions([due]), []);
  assert.deepEqual(paymentContributions([cash]), [{ day: '2026-05-12', measure: 'paid_total', delta: 1 }]);
  assert.deepEqual(paymentContributions([cash, qr]), [{ day: '2026-05-12', measure: 'paid_total', delta: 1 }, { day: '2026-05-13', measure: 'paid_online', delta: 1 }]);
  assert.deepEqual(paymentStatChanges([due], [{ method: 'vnpay', paidAt: '2026-05-12T03:00:00Z' }]), [{ day: '2026-05-12', measure: 'paid_total', delta: 1 }, { day: '2026-05-12', measure: 'paid_online', delta: 1 }]);
  assert.deepEqual(paymentStatChanges([cash, due], [cash, qr]), [{ day: '2026-05-13', measure: 'paid_online', delta: 1 }], 'the second payment adds only its online count');
  assert.deepEqual(paymentStatChanges([cash, qr], [cash, qr]), []);
});
