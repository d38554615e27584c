import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dossierCode, isAgencyIdentifier, isNationalDossierCode, parseDossierCode } from './dossier-code.ts';

test('an agency identifier is NNN.NN.NN.XNN, the level-1 letter A–Y (Decision 20/2020 art. 4)', () => {
  for (const good of ['000.00.12.H56', '000.00.00.H58', '000.01.22.H58', '000.00.04.G14', '123.45.67.K57', '000.00.00.A01', '000.00.00.Y99']) {
    assert.equal(isAgencyIdentifier(good), true, good);
  }
  for (const bad of ['', '82', 'STP', '000.00.12.h56', '000.00.12.Z56', '00.00.12.H56', '000.0.12.H56', '000.00.12.H5', '000.00.12.H560', ' 000.00.12.H56', '000-00-12-H56', 'G22.99', null, undefined, 56]) {
    assert.equal(isAgencyIdentifier(bad), false, String(bad));
  }
});

test('a code is {identifier}-{YYMMDD}-{NNNN}; only a well-formed identifier issues one', () => {
  assert.equal(dossierCode('000.01.22.H58', '2026-11-29', 1), '000.01.22.H58-261129-0001');
  assert.equal(dossierCode('000.01.22.H58', '2026-11-29', 12345), '000.01.22.H58-261129-12345', 'past 9999 the counter grows');
  assert.throws(() => dossierCode('28249', '2026-11-29', 1), /not an agency identifier/);
  assert.throws(() => dossierCode('000.01.22.H58', '29/11/2026', 1), /not a day/);
  assert.throws(() => dossierCode('000.01.22.H58', '2026-11-29', 0), /not a counter/);
});

test('national codes parse: a unit’s identifier or the national portal’s own (G22.99…), a real day, 4 or more digits', () => {
  assert.deepEqual(parseDossierCode('000.00.12.H56-250702-0001'), { unitCode: '000.00.12.H56', day: '2025-07-02', counter: 1 });
  assert.deepEqual(parseDossierCode('G22.99.08-260921-896048'), { unitCode: 'G22.99.08', day: '2026-09-21', counter: 896048 });
  assert.deepEqual(parseDossierCode('G22.99-251225-020175'), { unitCode: 'G22.99', day: '2025-12-25', counter: 20175 });
  for (const bad of [
    '28249-261129-0001', 'STP-261129-0001', '000.00.12.H56-261129-001', '000.00.12.H56-261329-0001', '000.00.12.H56-260229-0001',
    '000.00.12.H56-261129-0000', '000.00.12.H56-261129-0001-KQ1', 'H22.99-261129-0001', 'G22.9999-261129-0001', `000.00.12.H56-261129-${'9'.repeat(40)}`,
  ]) {
    assert.equal(parseDossierCode(bad), null, bad);
    assert.equal(isNationalDossierCode(bad), false, bad);
  }
  assert.equal(isNationalDossierCode('000.00.12.H56-240229-0001'), true, '2024 was a leap year');
  // Round trip.
  const code = dossierCode('000.00.03.H58', '2027-01-05', 42);
  assert.deepEqual(parseDossierCode(code), { unitCode: '000.00.03.H58', day: '2027-01-05', counter: 42 });
});
