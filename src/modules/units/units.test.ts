import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../testing/context.ts';

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

test('a unit carries its code, names, kind, parent and validity', async () => {
  const { body } = await units('kind=district&limit=1');
  const myTho = body.items[0];
  assert.deepEqual(Object.keys(myTho).sort(), ['code', 'id', 'kind', 'name', 'nameEn', 'parentId', 'successorIds', 'validFrom', 'validTo'].sort());
  assert.equal(myTho.id, 'my-tho');
  assert.equal(myTho.code, '815');
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
