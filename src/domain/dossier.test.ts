import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allowedActions, clockRunning, decide, isOverdue, replay, settledStatuses, statusFromActions, statuses, terminalStatuses, transitions,
  type Action, type DossierState, type Status,
} from './dossier-status.ts';
import { dossierCode, parseDossierCode, resultCode } from './dossier-code.ts';

test('a real code: unit 000.00.06.H56, 27 Oct 2023, the 361st dossier of the day', () => {
  assert.equal(dossierCode('000.00.06.H56', '2023-10-27', 361), '000.00.06.H56-231027-0361');
  assert.deepEqual(parseDossierCode('000.00.06.H56-231027-0361'), { unitCode: '000.00.06.H56', day: '2023-10-27', counter: 361 });
  assert.equal(resultCode('000.00.06.H56-231027-0361', 1), '000.00.06.H56-231027-0361-KQ1');
});

test('statuses carry the national code list numbers 0–10', () => {
  assert.deepEqual(Object.values(statuses), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});

const at = (status: Status, more: Partial<DossierState> = {}): DossierState => ({
  status, supplementFrom: null, processingSupplements: 0, supplementSteps: [], apologies: 0, withdrawalRequested: false, results: 0, step: 0, ...more,
});
const outcome = (d: ReturnType<typeof decide>) => (d.ok ? d.to : d.reason);

test('a citizen submits a draft; only reception accepts it; a second submit is not a transition', () => {
  assert.equal(outcome(decide(at('draft'), 'submit', 'citizen')), 'submitted');
  assert.equal(outcome(decide(at('submitted'), 'accept', 'citizen')), 'forbidden');
  assert.equal(outcome(decide(at('submitted'), 'accept', 'reception')), 'accepted');
  assert.equal(outcome(decide(at('submitted'), 'submit', 'citizen')), 'invalid_transition');
});

test('a terminal status has no exit, for any actor', () => {
  for (const s of terminalStatuses) {
    for (const action of Object.keys(transitions) as Action[]) {
      for (const actor of ['citizen', 'reception', 'specialist', 'approver', 'clerk', 'postal', 'unit_admin', 'system'] as const) {
        assert.equal(decide(at(s), action, actor).ok, false, `${action} from ${s} by ${actor}`);
      }
    }
  }
});

test('the state is replayed from the log, and an impossible log is refused', () => {
  const log = [
    { action: 'create', actor: 'citizen' }, { action: 'submit', actor: 'citizen' }, { action: 'accept', actor: 'reception' },
    { action: 'transfer', actor: 'reception' }, { action: 'attach_result', actor: 'specialist' }, { action: 'resolve', actor: 'approver' },
    { action: 'return_result', actor: 'reception' },
  ] as const;
  assert.equal(statusFromActions(log), 'returned' satisfies Status);
  assert.equal(replay(log).results, 1);
  assert.throws(() => statusFromActions([{ action: 'create', actor: 'citizen' }, { action: 'accept', actor: 'reception' }]), /not allowed from draft/);
});

test('asking to withdraw keeps the status until reception confirms; confirming needs the request', () => {
  assert.equal(outcome(decide(at('in_process'), 'confirm_withdrawal', 'reception')), 'invalid_transition');
  const asked = decide(at('in_process'), 'withdraw', 'citizen');
  assert.ok(asked.ok && asked.next.withdrawalRequested && asked.to === 'in_process');
  assert.equal(outcome(decide(asked.next, 'withdraw', 'citizen')), 'invalid_transition', 'asked once is enough');
  assert.equal(outcome(decide(asked.next, 'confirm_withdrawal', 'reception')), 'withdrawn');
});

test('a supplement asked at intake goes back to intake; one asked during processing goes back to processing, and the same step asks only once', () => {
  const atIntake = decide(at('submitted'), 'request_supplement', 'reception');
  assert.ok(atIntake.ok);
  assert.equal(outcome(decide(atIntake.next, 'supplement', 'citizen')), 'submitted');
  const during = decide(at('in_process'), 'request_supplement', 'specialist');
  assert.ok(during.ok && during.next.supplementFrom === 'in_process');
  assert.deepEqual(during.next.supplementSteps, [0]);
  const back = decide(during.next, 'supplement', 'citizen');
  assert.ok(back.ok && back.to === 'in_process');
  assert.equal(outcome(decide(back.next, 'request_supplement', 'specialist')), 'invalid_transition');
});

test('a supplement during processing: once per unit of the workflow, so a second unit may still ask once (Decree 118/2025 as docs/domain.md §3.4 reads it)', () => {
  // Steps 0 and 1 at the commune, step 2 at the city's office.
  const context = { stepUnits: ['my-tho-phuong-5', 'my-tho-phuong-5', 'my-tho'] };
  const ask = (s: DossierState) => decide(s, 'request_supplement', 'specialist', context);
  const first = ask(at('in_process'));
  assert.ok(first.ok);
  const back = decide(first.next, 'supplement', 'citizen');
  assert.ok(back.ok);
  // Forward to step 1, the same unit: it has asked already.
  const step1 = decide(back.next, 'forward', 'specialist');
  assert.ok(step1.ok && step1.next.step === 1);
  assert.equal(outcome(ask(step1.next)), 'invalid_transition', 'the same unit asks once');
  assert.equal(outcome(decide(step1.next, 'request_supplement', 'specialist')), 'supplement_requested', 'without the units, each step once');
  // Step 2 is another unit: it may ask once.
  const step2 = decide(step1.next, 'forward', 'approver');
  assert.ok(step2.ok);
  const second = ask(step2.next);
  assert.ok(second.ok && second.to === 'supplement_requested');
  assert.deepEqual(second.next.supplementSteps, [0, 2]);
  assert.equal(second.next.processingSupplements, 2);
  const again = decide(second.next, 'supplement', 'reception');
  assert.ok(again.ok);
  assert.equal(outcome(ask(again.next)), 'invalid_transition', 'and only once');
  // Replaying the log needs no units: the state is the same.
  assert.deepEqual(replay([
    { action: 'create', actor: 'citizen' }, { action: 'submit', actor: 'citizen' }, { action: 'accept', actor: 'reception' }, { action: 'transfer', actor: 'reception' },
    { action: 'request_supplement', actor: 'specialist' }, { action: 'supplement', actor: 'citizen' }, { action: 'forward', actor: 'specialist' },
    { action: 'forward', actor: 'approver' }, { action: 'request_supplement', actor: 'specialist' }, { action: 'supplement', actor: 'reception' },
  ]), again.next);
});

test('a state stored before the per-unit rule (no supplementSteps) still reads: one processing supplement per dossier, as it was', () => {
  const old = JSON.parse('{"status":"in_process","supplementFrom":null,"processingSupplements":1,"apologies":0,"withdrawalRequested":false,"results":0,"step":2}') as DossierState;
  assert.equal(outcome(decide(old, 'request_supplement', 'specialist', { stepUnits: ['a', 'b', 'c'] })), 'invalid_transition');
  const oldFresh = { ...old, processingSupplements: 0 };
  const asked = decide(oldFresh, 'request_supplement', 'specialist', { stepUnits: ['a', 'b', 'c'] });
  assert.ok(asked.ok);
  assert.deepEqual(asked.next.supplementSteps, [2]);
  assert.equal(outcome(decide(oldFresh, 'forward', 'specialist')), 'in_process', 'every other action reads it as before');
});

test('return_unsupplemented: only reception, only once the supplement deadline has passed; at intake it is refused, during processing it stops', () => {
  const due = '2026-12-04T10:00:00.000Z';
  const before = { now: new Date('2026-12-04T09:00:00.000Z'), supplementDueAt: due };
  const past = { now: new Date('2026-12-04T10:00:01.000Z'), supplementDueAt: due };
  const atIntake = at('supplement_requested', { supplementFrom: 'submitted' });
  assert.equal(outcome(decide(atIntake, 'return_unsupplemented', 'reception', before)), 'invalid_transition', 'not before the deadline');
  assert.equal(outcome(decide(atIntake, 'return_unsupplemented', 'reception', { now: past.now, supplementDueAt: null })), 'invalid_transition', 'never without a deadline');
  assert.equal(outcome(decide(atIntake, 'return_unsupplemented', 'specialist', past)), 'forbidden');
  assert.equal(outcome(decide(atIntake, 'return_unsupplemented', 'citizen', past)), 'forbidden');
  const refused = decide(atIntake, 'return_unsupplemented', 'reception', past);
  assert.ok(refused.ok && refused.to === 'refused' && refused.next.supplementFrom === null);
  const during = decide(at('supplement_requested', { supplementFrom: 'in_process' }), 'return_unsupplemented', 'reception', past);
  assert.ok(during.ok && during.to === 'suspended');
  assert.equal(outcome(decide(at('in_process'), 'return_unsupplemented', 'reception', past)), 'invalid_transition', 'only while a supplement is asked');
  // A recorded log replays without the clock.
  assert.equal(statusFromActions([
    { action: 'create', actor: 'citizen' }, { action: 'submit', actor: 'citizen' }, { action: 'request_supplement', actor: 'reception' }, { action: 'return_unsupplemented', actor: 'reception' },
  ]), 'refused');
});

test('stopping (suspended, 8) is an end state: reached by suspend from processing, also after a withdrawal request; resume is never possible', () => {
  assert.equal(outcome(decide(at('in_process'), 'suspend', 'approver')), 'suspended');
  assert.equal(outcome(decide(at('in_process'), 'suspend', 'specialist')), 'forbidden');
  assert.equal(outcome(decide(at('in_process', { withdrawalRequested: true }), 'suspend', 'approver')), 'suspended', 'the answer to a withdrawal request, with Form 05');
  for (const s of Object.keys(statuses) as Status[]) {
    for (const actor of ['approver', 'reception', 'unit_admin', 'system'] as const) assert.equal(outcome(decide(at(s), 'resume', actor)), 'invalid_transition', `resume from ${s}`);
  }
  assert.ok(terminalStatuses.has('suspended'));
  assert.deepEqual(allowedActions(at('suspended'), 'approver'), []);
  assert.deepEqual(allowedActions(at('suspended', { withdrawalRequested: true }), 'reception'), []);
});

test('the approver answers an open withdrawal request with a stop (Form 05) from any state after acceptance; without a request only during processing', () => {
  const afterAcceptance = [
    at('accepted'), at('in_process'), at('supplement_requested', { supplementFrom: 'in_process', processingSupplements: 1, supplementSteps: [0] }), at('financial_obligation'),
  ];
  for (const s of afterAcceptance) {
    const asked = decide(s, 'withdraw', 'citizen');
    assert.ok(asked.ok && asked.next.withdrawalRequested, `the applicant asks from ${s.status}`);
    const stopped = decide(asked.next, 'suspend', 'approver');
    assert.ok(stopped.ok && stopped.to === 'suspended', `stopped from ${s.status}`);
    assert.equal(stopped.next.supplementFrom, null, 'no supplement left open');
    assert.deepEqual(allowedActions(stopped.next, 'reception'), [], 'the request can no longer be confirmed');
    assert.ok(allowedActions(asked.next, 'approver').includes('suspend'), `offered from ${s.status}`);
    // Only the approver: reception confirms the withdrawal instead, the specialist neither.
    assert.equal(outcome(decide(asked.next, 'suspend', 'reception')), 'forbidden');
    assert.equal(outcome(decide(asked.next, 'suspend', 'specialist')), 'forbidden');
  }
  for (const s of ['accepted', 'financial_obligation'] as const) {
    assert.equal(outcome(decide(at(s), 'suspend', 'approver')), 'invalid_transition', `no request, no stop from ${s}`);
    assert.ok(!allowedActions(at(s), 'approver').includes('suspend'));
  }
  assert.equal(outcome(decide(at('supplement_requested', { supplementFrom: 'in_process' }), 'suspend', 'approver')), 'invalid_transition', 'a processing supplement without a request');
  // A supplement asked at intake is before acceptance: the request is confirmed, there is no processing to stop.
  assert.equal(outcome(decide(at('supplement_requested', { supplementFrom: 'submitted', withdrawalRequested: true }), 'suspend', 'approver')), 'invalid_transition');
  assert.equal(outcome(decide(at('submitted', { withdrawalRequested: true }), 'suspend', 'approver')), 'invalid_transition');
  // A recorded log: accepted, the applicant asks, the approver stops.
  assert.equal(statusFromActions([
    { action: 'create', actor: 'citizen' }, { action: 'submit', actor: 'citizen' }, { action: 'accept', actor: 'reception' },
    { action: 'withdraw', actor: 'citizen' }, { action: 'suspend', actor: 'approver' },
  ]), 'suspended');
});

test('the sets: end states, settled, clock running; a stopped dossier is ended, not settled, and never late', () => {
  assert.deepEqual([...terminalStatuses].sort(), ['refused', 'returned', 'suspended', 'withdrawn']);
  assert.deepEqual([...settledStatuses].sort(), ['refused', 'resolved', 'returned', 'withdrawn']);
  assert.deepEqual([...clockRunning].sort(), ['accepted', 'in_process']);
  assert.equal(isOverdue('suspended', '2026-01-01T10:00:00.000Z', new Date('2026-12-01T00:00:00.000Z')), false);
  assert.equal(isOverdue('in_process', '2026-01-01T10:00:00.000Z', new Date('2026-12-01T00:00:00.000Z')), true);
});

test('withdrawal: possible from submission until a result, not once resolved nor once ended', () => {
  for (const s of ['submitted', 'accepted', 'in_process', 'supplement_requested', 'financial_obligation'] as const) {
    assert.equal(outcome(decide(at(s), 'withdraw', 'citizen')), s, `withdraw from ${s}`);
    assert.equal(outcome(decide(at(s, { withdrawalRequested: true }), 'confirm_withdrawal', 'reception')), 'withdrawn', `confirm from ${s}`);
  }
  for (const s of ['draft', 'resolved', 'returned', 'refused', 'withdrawn', 'suspended'] as const) {
    assert.equal(outcome(decide(at(s), 'withdraw', 'citizen')), 'invalid_transition', `withdraw from ${s}`);
    assert.equal(outcome(decide(at(s, { withdrawalRequested: true }), 'confirm_withdrawal', 'reception')), 'invalid_transition', `confirm from ${s}`);
  }
});

test('a dossier is resolved only once a result is attached; an apology is sent once', () => {
  assert.equal(outcome(decide(at('in_process'), 'resolve', 'approver')), 'invalid_transition');
  assert.equal(outcome(decide(at('in_process', { results: 1 }), 'resolve', 'approver')), 'resolved');
  assert.equal(outcome(decide(at('in_process', { results: 1 }), 'resolve', 'specialist')), 'forbidden');
  const sorry = decide(at('in_process'), 'apologize', 'approver');
  assert.ok(sorry.ok);
  assert.equal(outcome(decide(sorry.next, 'apologize', 'approver')), 'invalid_transition');
});

test('steps: forward moves on, return and recall move back but never before the first step', () => {
  const f = decide(at('in_process'), 'forward', 'specialist');
  assert.ok(f.ok && f.next.step === 1);
  assert.equal(outcome(decide(at('in_process'), 'return_step', 'approver')), 'invalid_transition');
  const r = decide(f.next, 'return_step', 'approver');
  assert.ok(r.ok && r.next.step === 0);
});

test('the actions offered are exactly those the table allows', () => {
  assert.deepEqual(allowedActions(at('submitted'), 'reception'), ['accept', 'request_supplement', 'refuse']);
  assert.deepEqual(allowedActions(at('submitted'), 'auditor'), []);
  assert.deepEqual(allowedActions(at('resolved'), 'citizen'), ['return_result'], 'no withdrawal once resolved');
  assert.deepEqual(allowedActions(at('in_process'), 'approver'), ['assign', 'forward', 'suspend', 'attach_result', 'apologize']);
});
