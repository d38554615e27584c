import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowedActions, decide, replay, statusFromActions, statuses, terminalStatuses, transitions, type Action, type DossierState, type Status } from './dossier-status.ts';
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
  status, supplementFrom: null, processingSupplements: 0, apologies: 0, withdrawalRequested: false, results: 0, step: 0, ...more,
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

test('a supplement asked at intake goes back to intake; one asked during processing goes back to processing, and only once', () => {
  const atIntake = decide(at('submitted'), 'request_supplement', 'reception');
  assert.ok(atIntake.ok);
  assert.equal(outcome(decide(atIntake.next, 'supplement', 'citizen')), 'submitted');
  const during = decide(at('in_process'), 'request_supplement', 'specialist');
  assert.ok(during.ok);
  const back = decide(during.next, 'supplement', 'citizen');
  assert.ok(back.ok && back.to === 'in_process');
  assert.equal(outcome(decide(back.next, 'request_supplement', 'specialist')), 'invalid_transition');
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
  assert.deepEqual(allowedActions(at('resolved'), 'citizen'), ['return_result', 'withdraw']);
});
