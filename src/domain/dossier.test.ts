import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, statusFromActions, statuses, terminalStatuses, transitions, type Action, type Status } from './dossier-status.ts';
import { dossierCode, parseDossierCode, resultCode } from './dossier-code.ts';

test('a real code: unit 000.00.06.H56, 27 Oct 2023, the 361st dossier of the day', () => {
  assert.equal(dossierCode('000.00.06.H56', '2023-10-27', 361), '000.00.06.H56-231027-0361');
  assert.deepEqual(parseDossierCode('000.00.06.H56-231027-0361'), { unitCode: '000.00.06.H56', day: '2023-10-27', counter: 361 });
  assert.equal(resultCode('000.00.06.H56-231027-0361', 1), '000.00.06.H56-231027-0361-KQ1');
});

test('statuses carry the national code list numbers 0–10', () => {
  assert.deepEqual(Object.values(statuses), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});

test('a citizen submits a draft; only reception accepts it; a second submit is not a transition', () => {
  assert.deepEqual(decide('draft', 'submit', 'citizen'), { ok: true, to: 'submitted' });
  assert.deepEqual(decide('submitted', 'accept', 'citizen'), { ok: false, reason: 'forbidden' });
  assert.deepEqual(decide('submitted', 'accept', 'reception'), { ok: true, to: 'accepted' });
  assert.deepEqual(decide('submitted', 'submit', 'citizen'), { ok: false, reason: 'invalid_transition' });
});

test('a terminal status has no exit', () => {
  for (const s of terminalStatuses) {
    for (const action of Object.keys(transitions) as Action[]) {
      for (const actor of ['citizen', 'reception', 'approver', 'system'] as const) {
        assert.equal(decide(s, action, actor).ok, false, `${action} from ${s}`);
      }
    }
  }
});

test('the status is replayed from the log, and an impossible log is refused', () => {
  const log = [
    { action: 'create', actor: 'citizen' }, { action: 'submit', actor: 'citizen' }, { action: 'accept', actor: 'reception' },
    { action: 'transfer', actor: 'reception' }, { action: 'resolve', actor: 'approver' }, { action: 'return_result', actor: 'reception' },
  ] as const;
  assert.equal(statusFromActions(log), 'returned' satisfies Status);
  assert.throws(() => statusFromActions([{ action: 'create', actor: 'citizen' }, { action: 'accept', actor: 'reception' }]), /not allowed from draft/);
});

test('asking to withdraw keeps the status until reception confirms', () => {
  assert.deepEqual(decide('in_process', 'withdraw', 'citizen'), { ok: true, to: 'in_process' });
  assert.deepEqual(decide('in_process', 'confirm_withdrawal', 'reception'), { ok: true, to: 'withdrawn' });
});
