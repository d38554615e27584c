import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRole } from './roles.ts';
import { defaultSteps, forwardProblem, stepHours, templateProblem } from './workflow.ts';

test('the default template: specialist, approver, clerk, with shares that add up to the whole processing time', () => {
  assert.equal(templateProblem(defaultSteps, isRole), null);
  assert.deepEqual(defaultSteps.map((s) => s.role), ['specialist', 'approver', 'clerk']);
  assert.equal(stepHours(defaultSteps, 0, 40), 24, '60% of five working days');
  assert.equal(stepHours(defaultSteps, 2, 40), 40, 'the last step ends with the dossier');
});

test('a template is refused when its shares do not add up, a role is unknown or a citizen’s, or keys repeat', () => {
  const one = defaultSteps[0]!;
  assert.match(templateProblem([], isRole)!, /at least one step/);
  assert.match(templateProblem([{ ...one, share: 0.5 }], isRole)!, /add up to 0.500/);
  assert.match(templateProblem([{ ...one, share: 1, role: 'citizen' }], isRole)!, /staff role/);
  assert.match(templateProblem([{ ...one, share: 0.5 }, { ...one, share: 0.5 }], isRole)!, /keys must differ/);
});

test('forwarding: only with a next step, and only by the holder of the current step (or the desk)', () => {
  assert.equal(forwardProblem(defaultSteps, 0, 'specialist'), null);
  assert.equal(forwardProblem(defaultSteps, 0, 'approver'), 'forbidden');
  assert.equal(forwardProblem(defaultSteps, 0, 'reception'), null);
  assert.equal(forwardProblem(defaultSteps, 2, 'clerk'), 'no_next_step');
});
