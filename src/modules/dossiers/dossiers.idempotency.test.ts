// Retries that arrive at once: the national portal resending a dossier, and a citizen's app
// repeating a draft with its Idempotency-Key. The unique constraint decides; every loser answers
// with the first result, never a 500, and there is exactly one dossier.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, testDialect, type TestContext } from '../../testing/context.ts';
import { birthRegistration, signedInCitizen } from '../../testing/fixtures.ts';

let portal: TestContext;
let office: TestContext;
const apiKey = 'khoa-bi-mat-cua-cong-quoc-gia-2026';
before(async () => {
  portal = await createTestContext();
  office = await createTestContext({ settings: { mode: 'back_office', nationalPortalUrl: 'https://dichvucong.gov.vn', inboundKeys: { dvcqg: apiKey } } });
});
after(async () => {
  await portal.close();
  await office.close();
});

test(`8 concurrent inbound deliveries of one externalId make one dossier; every answer names it (${testDialect})`, async () => {
  const send = () => office.app.inject({ method: 'POST', url: '/api/v1/inbound/dossiers', headers: { 'x-api-key': apiKey }, payload: { ...birthRegistration(), externalId: 'G22.99-261129-000777' } });
  const answers = await Promise.all(Array.from({ length: 8 }, send));
  for (const a of answers) assert.ok(a.statusCode === 201 || a.statusCode === 200, `${a.statusCode} ${a.body}`);
  assert.equal(answers.filter((a) => a.statusCode === 201).length, 1, 'one request created it');
  assert.equal(new Set(answers.map((a) => a.json().id)).size, 1);
  assert.equal(new Set(answers.map((a) => a.json().code)).size, 1);
  const rows = await office.handle.db.selectFrom('dossiers').select('id').where('external_id', '=', 'dvcqg:G22.99-261129-000777').execute();
  assert.equal(rows.length, 1);
  assert.equal((await office.services.audit.verify()).ok, true, 'the losers left nothing in the audit chain');
});

test(`8 concurrent drafts with one Idempotency-Key make one draft; every answer is that draft (${testDialect})`, async () => {
  const citizen = await signedInCitizen(portal);
  const create = () => portal.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...citizen.auth, 'idempotency-key': 'lan-khai-sinh-0001' }, payload: birthRegistration() });
  const answers = await Promise.all(Array.from({ length: 8 }, create));
  for (const a of answers) assert.ok(a.statusCode === 201 || a.statusCode === 200, `${a.statusCode} ${a.body}`);
  assert.equal(new Set(answers.map((a) => a.json().id)).size, 1);
  const rows = await portal.handle.db.selectFrom('dossiers').select('id').where('owner_id', '=', citizen.user!.id).execute();
  assert.equal(rows.length, 1, 'one draft');
  const other = await create();
  assert.equal(other.json().id, answers[0]!.json().id, 'a later retry still answers with it');
});
