import { after, before, test } from 'node:test';
import { readFile } from 'node:fs/promises';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../testing/context.ts';
import { isAgencyIdentifier } from '../../domain/dossier-code.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

async function units(query: string) {
  const res = await ctx.app.inject({ url: `/api/v1/units?${query}` });
  return { status: res.statusCode, body: res.json() };
}

test('the 2017 organisation: 1 province, 29 departments, 11 district-level units, 173 communes', async () => {
  const all = await units('limit=100');
  assert.equal(all.body.total, 214);
  assert.equal(all.body.items.length, 100);
  for (const [kind, count] of [['province', 1], ['department', 29], ['district', 11], ['commune', 173]] as const) {
    assert.equal((await units(`kind=${kind}`)).body.total, count, kind);
  }
});

test('a unit carries its code, identifier, names, kind, parent and validity', async () => {
  const { body } = await units('kind=district&limit=1');
  const myTho = body.items[0];
  assert.deepEqual(Object.keys(myTho).sort(), ['code', 'id', 'identifier', 'kind', 'name', 'nameEn', 'parentId', 'successorIds', 'validFrom', 'validTo'].sort());
  assert.equal(myTho.id, 'my-tho');
  assert.equal(myTho.code, '815');
  assert.equal(myTho.identifier, '000.00.22.H58');
  assert.equal(myTho.name, 'Thành phố Mỹ Tho');
  assert.equal(myTho.parentId, 'tien-giang');
});

test("parentId lists a unit's children: Mỹ Tho had 11 wards and 6 communes in 2017", async () => {
  assert.equal((await units('parentId=my-tho')).body.total, 17);
});

test('at=YYYY-MM-DD keeps the units that existed that day, and a merged unit drops out after its last day', async () => {
  assert.equal((await units('at=2017-10-15')).body.total, 214);
  // A merger, as a province administrator would record it: two wards end, one new ward begins.
  const db = ctx.handle.db;
  await db.updateTable('units').set({ valid_to: '2025-06-30', successor_ids: '["phuong-dao-thanh"]' }).where('id', 'in', ['my-tho-phuong-4', 'my-tho-phuong-5']).execute();
  await db.insertInto('units').values({
    id: 'phuong-dao-thanh', code: '28249', name: 'Phường Đạo Thạnh', name_en: 'Dao Thanh Ward', kind: 'commune', subkind: 'phuong',
    parent_id: 'tien-giang', valid_from: '2025-07-01', valid_to: null, successor_ids: '[]', agency_name: null, agency_name_en: null,
    area_code: '28249', sort_order: 999,
  }).execute();
  try {
    const before2025 = await units('kind=commune&at=2025-06-30&limit=100');
    assert.equal(before2025.body.total, 173);
    const after2025 = await units('kind=commune&at=2025-07-01&limit=100&offset=100');
    assert.equal(after2025.body.total, 172);
    const all = await units('kind=commune');
    assert.equal(all.body.total, 174, 'without at, every version is listed');
    const ended = (await ctx.app.inject({ url: '/api/v1/units?parentId=my-tho&at=2017-01-01&limit=100' })).json().items.find((u: { id: string }) => u.id === 'my-tho-phuong-4');
    assert.deepEqual(ended.successorIds, ['phuong-dao-thanh']);
    assert.equal(ended.validTo, '2025-06-30');
  } finally {
    await db.deleteFrom('units').where('id', '=', 'phuong-dao-thanh').execute();
    await db.updateTable('units').set({ valid_to: null, successor_ids: '[]' }).where('id', 'in', ['my-tho-phuong-4', 'my-tho-phuong-5']).execute();
  }
});

test('a bad kind, day or page size answers 400 with the field named, in Vietnamese or English', async () => {
  for (const [query, field] of [['kind=village', 'kind'], ['at=2026-02-30', 'at'], ['at=yesterday', 'at'], ['limit=101', 'limit'], ['offset=-1', 'offset']]) {
    const res = await units(query!);
    assert.equal(res.status, 400, query);
    assert.equal(res.body.error.code, 'validation');
    assert.ok(res.body.error.fields[field!], `${query} names ${field}`);
  }
  const en = await ctx.app.inject({ url: '/api/v1/units?limit=500', headers: { 'accept-language': 'en-GB,en;q=0.9' } });
  assert.equal(en.json().error.fields.limit, 'Must not be greater than 100.');
  const vi = await units('limit=500');
  assert.equal(vi.body.error.fields.limit, 'Không được lớn hơn 100.');
});

type ApiUnit = { id: string; kind: string; parentId: string | null; identifier: string | null };
async function everyUnit(): Promise<ApiUnit[]> {
  const all: ApiUnit[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await units(`limit=100&offset=${offset}`);
    all.push(...page.body.items);
    if (all.length >= page.body.total) return all;
  }
}

test('every demo unit has a well-formed identifier, none twice, following the levels: province, then departments and districts, then communes', async () => {
  const all = await everyUnit();
  assert.equal(all.length, 214);
  for (const u of all) assert.ok(isAgencyIdentifier(u.identifier), `${u.id}: ${u.identifier}`);
  assert.equal(new Set(all.map((u) => u.identifier)).size, all.length, 'no identifier given twice');
  const byId = new Map(all.map((u) => [u.id, u]));
  // V1V2V3.Z1Z2.Y1Y2.MX1X2, read right to left: level 1, 2, 3, 4 (Circular 01/2018 art. 19).
  const groups = (u: ApiUnit) => u.identifier!.split('.');
  for (const u of all) {
    const [l4, l3, l2, l1] = groups(u);
    assert.equal(l1, 'H58', u.id);
    assert.equal(l4, '000', u.id);
    const parent = u.parentId ? byId.get(u.parentId)! : null;
    if (!parent) assert.deepEqual([l3, l2], ['00', '00'], 'the province is 000.00.00.H58');
    else if (!parent.parentId) {
      assert.equal(l3, '00', `${u.id} is at level 2`);
      assert.notEqual(l2, '00', u.id);
    } else {
      assert.equal(l2, groups(parent)[2], `${u.id} sits under ${parent.id}`);
      assert.notEqual(l3, '00', u.id);
    }
  }
  assert.equal(byId.get('tien-giang')!.identifier, '000.00.00.H58');
  assert.equal(byId.get('my-tho-phuong-5')!.identifier, '000.01.22.H58');
  assert.equal(byId.get('so-tu-phap-trung-tam-tro-giup-phap-ly')!.identifier, '000.01.03.H58', 'a department’s sub-unit sits under it');
});

test('the identifiers file marks every identifier synthetic and says where the structure comes from', async () => {
  const file = JSON.parse(await readFile(new URL('../../../data/reference/org/agency-identifiers.json', import.meta.url), 'utf8'));
  assert.equal(file.synthetic, true);
  assert.match(file.about, /SYNTHETIC/);
  assert.match(file.about, /UNCONFIRMED/);
  assert.ok(file.structure.sources.some((s: string) => /Circular 01\/2018\/TT-VPCP art\. 19/.test(s)));
  assert.ok(file.structure.sources.some((s: string) => /Decision 20\/2020\/QĐ-TTg art\. 4/.test(s)));
  const entries = Object.values(file.units) as Array<{ identifier: string; synthetic: boolean }>;
  assert.equal(entries.length, 214);
  assert.ok(entries.every((e) => e.synthetic === true));
});

test('unitsWithoutIdentifier lists the units valid that day that take dossiers but have no well-formed identifier', async () => {
  const db = ctx.handle.db;
  assert.deepEqual(await ctx.services.units.unitsWithoutIdentifier('2026-11-29'), [], 'the demo units all have one');
  await db.updateTable('units').set({ identifier: null }).where('id', '=', 'my-tho-phuong-5').execute();
  await db.updateTable('units').set({ identifier: '28249' }).where('id', '=', 'so-tu-phap').execute();
  const row = (id: string, kind: string, validTo: string | null) => ({
    id, code: id, name: id, name_en: id, kind, subkind: null, parent_id: 'tien-giang', valid_from: null, valid_to: validTo,
    successor_ids: '[]', agency_name: null, agency_name_en: null, area_code: null, sort_order: 999, identifier: null,
  });
  await db.insertInto('units').values([row('buu-dien-tinh', 'post_office', null), row('xa-da-sap-nhap', 'commune', '2025-06-30'), row('trung-tam-phvhc', 'service_centre', null)]).execute();
  try {
    const missing = await ctx.services.units.unitsWithoutIdentifier('2026-11-29');
    assert.deepEqual(missing.map((u) => u.id).sort(), ['my-tho-phuong-5', 'so-tu-phap', 'trung-tam-phvhc'], 'not the post office, nor a unit that no longer exists');
    assert.equal(missing.find((u) => u.id === 'my-tho-phuong-5')!.name, 'Phường 5');
    assert.deepEqual((await ctx.services.units.unitsWithoutIdentifier('2025-06-30')).map((u) => u.id).sort(), ['my-tho-phuong-5', 'so-tu-phap', 'trung-tam-phvhc', 'xa-da-sap-nhap']);
    assert.equal((await units('kind=commune&parentId=my-tho&limit=1')).body.items[0].identifier, null, 'the API shows null');
  } finally {
    await db.deleteFrom('units').where('id', 'in', ['buu-dien-tinh', 'xa-da-sap-nhap', 'trung-tam-phvhc']).execute();
    await db.updateTable('units').set({ identifier: '000.01.22.H58' }).where('id', '=', 'my-tho-phuong-5').execute();
    await db.updateTable('units').set({ identifier: '000.00.03.H58' }).where('id', '=', 'so-tu-phap').execute();
  }
});

test('the OpenAPI document lists identifier on a unit, string or null', async () => {
  const doc = (await ctx.app.inject({ url: '/openapi.json' })).json();
  const item = doc.paths['/api/v1/units'].get.responses['200'].content['application/json'].schema.properties.items.items;
  assert.ok(item.required.includes('identifier'));
  assert.deepEqual(item.properties.identifier.anyOf.map((s: { type: string }) => s.type), ['string', 'null']);
});
