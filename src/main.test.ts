// What the server says at start about units that cannot issue dossier codes: one warning line
// naming them (unit ids and names are not personal data), and nothing when every unit has its
// identifier. The logger is the one main.ts builds, writing to a stream the test reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, warnUnitsWithoutIdentifier } from './main.ts';
import { createTestContext } from './testing/context.ts';

function capture() {
  const lines: string[] = [];
  const log = createLogger({ logLevel: 'info' }, { write: (line: string) => void lines.push(line) });
  return { log, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('at start, one warning lists the units that take dossiers but have no electronic agency identifier; none when all have one', async (t) => {
  const ctx = await createTestContext();
  t.after(() => ctx.close());
  const quiet = capture();
  assert.deepEqual(await warnUnitsWithoutIdentifier(ctx.services, quiet.log, ctx.clock.now()), []);
  assert.deepEqual(quiet.parsed(), [], 'the demo units all have one: nothing logged');

  await ctx.handle.db.updateTable('units').set({ identifier: null }).where('id', 'in', ['my-tho-phuong-5', 'so-tu-phap']).execute();
  const { log, parsed } = capture();
  const warned = await warnUnitsWithoutIdentifier(ctx.services, log, ctx.clock.now());
  assert.deepEqual(warned, ['so-tu-phap (Sở Tư pháp)', 'my-tho-phuong-5 (Phường 5)']);
  const lines = parsed();
  assert.equal(lines.length, 1, 'one line');
  assert.equal(lines[0]!.level, 40, 'a warning');
  assert.deepEqual(lines[0]!.units, warned);
  assert.equal(lines[0]!.msg, '2 unit(s) have no electronic agency identifier and cannot issue dossier codes until one is set');
});
