// Personal data sealed at rest (issue 10, part 4): what the dossiers table holds, the look-up by
// keyed hash, and `motcua keys rotate` (DossiersService.resealAll) from one DATA_KEY to another.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { communeUnit, signedInStaff } from '../../testing/fixtures.ts';
import { fileMarriage, leakedIn, secrets } from '../../testing/personal-data.ts';
import { keyId, SealError } from '../../domain/sealed.ts';
import { testKeys } from '../../keys.ts';
import { createServices } from '../../services.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

const rawRow = (id: string) => ctx.handle.db.selectFrom('dossiers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

test('a filed dossier keeps its applicant, form answers and delivery sealed (v1:<key id>:…) with no ID number, phone or email in clear; the applicant still reads them', async () => {
  const { id, auth } = await fileMarriage(ctx);
  const row = await rawRow(id);
  for (const column of ['applicant', 'form', 'delivery'] as const) {
    assert.ok(row[column].startsWith(`v1:${keyId(testKeys().data)}:`), `${column} is sealed under DATA_KEY`);
  }
  assert.deepEqual(leakedIn(Buffer.from(JSON.stringify(row))), [], 'nothing personal in clear anywhere in the row');
  const read = (await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${id}`, headers: auth })).json();
  assert.equal(read.applicant.idNumber, secrets.idNumber);
  assert.equal(read.applicant.email, secrets.email);
  assert.equal(read.form.partner_id_number, secrets.partnerId);
});

test('a dossier is found by its applicant\'s ID number, phone or email however written, through keyed hashes', async () => {
  const { id } = await fileMarriage(ctx);
  const row = await rawRow(id);
  assert.ok(row.applicant_id_hash && row.applicant_phone_hash && row.applicant_email_hash);
  assert.deepEqual(leakedIn(Buffer.from([row.applicant_id_hash, row.applicant_phone_hash, row.applicant_email_hash].join(' '))), []);
  const d = ctx.services.dossiers;
  for (const [kind, value] of [['id', '082 195 000 123'], ['phone', `+84 ${secrets.phoneDigits}`], ['phone', `0${secrets.phoneDigits}`], ['email', secrets.email.toUpperCase()]] as const) {
    const found = await d.findByApplicant(kind, value);
    assert.ok(found.some((r) => r.id === id), `${kind} ${value}`);
    assert.ok(found.every((r) => r.applicant.idNumber === secrets.idNumber), 'found records come back opened');
  }
  assert.deepEqual(await d.findByApplicant('id', '082195000999'), []);
});

test('the office queue shows the applicant\'s name, opened from the sealed column', async () => {
  const { code } = await fileMarriage(ctx);
  const staff = await signedInStaff(ctx, 'reception', communeUnit);
  const queue = await ctx.app.inject({ method: 'GET', url: '/api/v1/office/queue?tab=intake&limit=100', headers: staff.auth });
  assert.equal(queue.statusCode, 200, queue.body);
  const item = (queue.json().items as Array<{ code: string; applicantName: string }>).find((i) => i.code === code);
  assert.equal(item?.applicantName, 'Nguyễn Thị Lan');
});

test('keys rotate: dossiers sealed under key A and rows written before encryption are re-sealed under key B; afterwards B alone reads everything, A does not, and a second run changes nothing', async () => {
  const { id: sealedId, user } = await fileMarriage(ctx);
  const { id: legacyId } = await fileMarriage(ctx);
  // A row as written before encryption: plain JSON and no look-up hashes.
  const opened = (await ctx.services.dossiers.findByApplicant('id', secrets.idNumber)).find((r) => r.id === legacyId)!;
  await ctx.handle.db.updateTable('dossiers').set({
    applicant: JSON.stringify(opened.applicant), form: JSON.stringify(opened.form), delivery: JSON.stringify(opened.delivery),
    applicant_id_hash: null, applicant_phone_hash: null, applicant_email_hash: null,
  }).where('id', '=', legacyId).execute();
  assert.ok(!(await ctx.services.dossiers.findByApplicant('id', secrets.idNumber)).some((r) => r.id === legacyId), 'an old row has no hash yet');

  const keyA = testKeys().data;
  const keyB = Buffer.alloc(32, 42);
  const options = { storage: ctx.services.storage, uploads: { maxFileBytes: 1 << 20, maxDossierBytes: 1 << 22 }, publicUrl: 'http://localhost:3000' };
  const rotating = createServices(ctx.handle, ctx.clock, { ...options, keys: { ...testKeys(), data: keyB, previousData: [keyA] } });
  const progress: Array<[number, number]> = [];
  const first = await rotating.dossiers.resealAll((seen, changed) => progress.push([seen, changed]), 2);
  assert.ok(first.changed >= 2 && first.changed === first.seen, JSON.stringify(first));
  assert.ok(progress.length >= 2, 'progress is reported per batch');

  const rows = await ctx.handle.db.selectFrom('dossiers').select(['id', 'applicant', 'form', 'delivery', 'applicant_id_hash']).execute();
  for (const r of rows) for (const c of ['applicant', 'form', 'delivery'] as const) assert.ok(r[c].startsWith(`v1:${keyId(keyB)}:`), `${r.id} ${c}`);

  const onlyB = createServices(ctx.handle, ctx.clock, { ...options, keys: { ...testKeys(), data: keyB, previousData: [] } });
  const found = await onlyB.dossiers.findByApplicant('id', secrets.idNumber, 100);
  for (const id of [sealedId, legacyId]) {
    const r = found.find((f) => f.id === id);
    assert.equal(r?.form.partner_id_number, secrets.partnerId, `${id} opens with key B alone and is found by its new hash`);
  }
  await assert.rejects(() => ctx.services.dossiers.visible(user, sealedId), SealError, 'key A alone cannot open what key B sealed');
  assert.equal((await rotating.dossiers.visible(user, sealedId)).applicant.email, secrets.email);

  assert.deepEqual(await onlyB.dossiers.resealAll(), { seen: first.seen, changed: 0 }, 'idempotent');
});
