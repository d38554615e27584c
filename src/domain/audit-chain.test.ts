import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, entryHash, genesisHash, verifyChain, type AuditEntry, type AuditFields, type ChainHead } from './audit-chain.ts';

/** A valid chain of n dossier actions, one a second from 2026-11-29 03:00 UTC. */
function chain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prev = genesisHash;
  for (let seq = 1; seq <= n; seq++) {
    const fields: AuditFields = {
      seq,
      at: new Date(Date.UTC(2026, 10, 29, 3, 0, seq)).toISOString(),
      kind: 'dossier_action',
      actorId: 'u-tiep-nhan',
      subject: `dossier:d-${seq}`,
      data: canonicalJson({ action: 'accept', note: 'Đã tiếp nhận', n: seq }),
    };
    const hash = entryHash(prev, fields);
    out.push({ ...fields, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

const headOf = (entries: AuditEntry[]): ChainHead => ({ seq: entries.at(-1)?.seq ?? 0, hash: entries.at(-1)?.hash ?? genesisHash });
const bySeq = (entries: AuditEntry[]) => [...entries].sort((a, b) => a.seq - b.seq);
/** The rows as they read back after someone swapped the seq values of entries a and b. */
const swapped = (entries: AuditEntry[], a: number, b: number) =>
  bySeq(entries.map((e) => (e.seq === a ? { ...e, seq: b } : e.seq === b ? { ...e, seq: a } : e)));
/** Recomputes one entry's hash after an edit, as a careful forger would. */
const rehash = (e: AuditEntry): AuditEntry => ({ ...e, hash: entryHash(e.prevHash, e) });

test('canonical JSON sorts keys at every depth and leaves out spaces, so equal values give equal text', () => {
  const a = canonicalJson({ b: 1, a: { d: [1, { z: true, y: null }], c: 'Tiền Giang' } });
  const b = canonicalJson({ a: { c: 'Tiền Giang', d: [1, { y: null, z: true }] }, b: 1 });
  assert.equal(a, '{"a":{"c":"Tiền Giang","d":[1,{"y":null,"z":true}]},"b":1}');
  assert.equal(a, b);
  assert.equal(canonicalJson({ note: undefined, n: -0, x: 1e21 }), '{"n":0,"x":1e+21}');
  assert.equal(canonicalJson(['a', undefined]), '["a",null]');
  assert.equal(canonicalJson({ '\u00e9': 1, e: 2, Z: 3 }), '{"Z":3,"e":2,"é":1}');
});

test('canonical JSON refuses what JSON cannot hold instead of changing it', () => {
  assert.throws(() => canonicalJson({ at: new Date() }), /ISO strings/);
  assert.throws(() => canonicalJson({ n: Number.NaN }), TypeError);
  assert.throws(() => canonicalJson({ n: 1n }), TypeError);
  assert.throws(() => canonicalJson(new Map()), TypeError);
});

test('an entry’s hash is 64 hex digits and changes with every field and with the hash before it', () => {
  const [first] = chain(1);
  const base = first!;
  assert.match(base.hash, /^[0-9a-f]{64}$/);
  assert.equal(entryHash(genesisHash, base), base.hash, 'the same entry always hashes the same');
  const variants: AuditFields[] = [
    { ...base, seq: 2 },
    { ...base, at: '2026-11-29T03:00:02.000Z' },
    { ...base, kind: 'sign_in' },
    { ...base, actorId: null },
    { ...base, actorId: 'null' },
    { ...base, subject: 'dossier:d-2' },
    { ...base, data: '{}' },
  ];
  const hashes = new Set([base.hash, ...variants.map((v) => entryHash(genesisHash, v)), entryHash('f'.repeat(64), base)]);
  assert.equal(hashes.size, variants.length + 2);
});

test('an intact chain verifies, and so does an empty one', () => {
  const entries = chain(20);
  assert.deepEqual(verifyChain(entries, headOf(entries)), { ok: true, count: 20, headHash: entries[19]!.hash });
  assert.deepEqual(verifyChain([], { seq: 0, hash: genesisHash }), { ok: true, count: 0, headHash: genesisHash });
});

test('an entry whose data was edited is named as changed', () => {
  const entries = chain(20);
  entries[16] = { ...entries[16]!, data: canonicalJson({ action: 'reject', n: 17 }) };
  const r = verifyChain(entries, headOf(entries));
  assert.deepEqual(r, { ok: false, seq: 17, reason: 'changed', message: 'its hash does not match its contents' });
});

test('an entry edited with its hash recomputed is still named: the next entry points to the original', () => {
  const entries = chain(20);
  entries[16] = rehash({ ...entries[16]!, actorId: 'u-someone-else' });
  const r = verifyChain(entries, headOf(entries));
  assert.equal(r.ok, false);
  assert.deepEqual(r.ok ? null : [r.seq, r.reason], [17, 'changed']);
});

test('a removed entry leaves a gap that names it; several removed are named as a range', () => {
  const entries = chain(20);
  const one = verifyChain(entries.filter((e) => e.seq !== 9), headOf(entries));
  assert.deepEqual(one, { ok: false, seq: 9, reason: 'removed', message: 'entry 9 is missing; the next entry is 10' });
  const three = verifyChain(entries.filter((e) => e.seq < 4 || e.seq > 6), headOf(entries));
  assert.deepEqual(three, { ok: false, seq: 4, reason: 'removed', message: 'entries 4–6 are missing; the next entry is 7' });
  const first = verifyChain(entries.slice(1), headOf(entries));
  assert.deepEqual(first.ok ? null : [first.seq, first.reason], [1, 'removed']);
});

test('a removed entry is named even when the entries after it were renumbered to close the gap', () => {
  const entries = chain(20);
  const closed = entries.filter((e) => e.seq !== 9).map((e) => (e.seq > 9 ? { ...e, seq: e.seq - 1 } : e));
  const r = verifyChain(closed, { seq: 19, hash: closed.at(-1)!.hash });
  assert.deepEqual(r, { ok: false, seq: 9, reason: 'removed', message: 'entry 9 was removed and the later entries renumbered; this one was written as 10' });
  const beforeLast = entries.filter((e) => e.seq !== 19).map((e) => (e.seq === 20 ? { ...e, seq: 19 } : e));
  const r2 = verifyChain(beforeLast);
  assert.deepEqual(r2.ok ? null : [r2.seq, r2.reason], [19, 'removed']);
});

test('a removed last entry is found against the chain head', () => {
  const entries = chain(20);
  const r = verifyChain(entries.slice(0, 18), headOf(entries));
  assert.deepEqual(r, { ok: false, seq: 19, reason: 'removed', message: 'entries 19–20 are missing from the end (the chain head records 20 entries)' });
});

test('two entries that swapped places are named as reordered, next to each other or apart', () => {
  const entries = chain(20);
  assert.deepEqual(verifyChain(swapped(entries, 10, 11), headOf(entries)), { ok: false, seq: 10, reason: 'reordered', message: 'it was written as entry 11' });
  assert.deepEqual(verifyChain(swapped(entries, 5, 15), headOf(entries)), { ok: false, seq: 5, reason: 'reordered', message: 'it was written as entry 15' });
  const lastTwo = verifyChain(swapped(entries, 19, 20), headOf(entries));
  assert.deepEqual(lastTwo.ok ? null : [lastTwo.seq, lastTwo.reason], [19, 'reordered']);
});

test('entries handed over out of seq order read as a gap when they jump ahead, and as reordered when they go back', () => {
  const entries = chain(5);
  const r = verifyChain([entries[0]!, entries[2]!, entries[1]!]);
  assert.deepEqual(r.ok ? null : [r.seq, r.reason], [2, 'removed'], 'a jump forward reads as a gap first');
  const back = verifyChain([entries[0]!, entries[1]!, entries[0]!]);
  assert.deepEqual(back.ok ? null : [back.seq, back.reason], [1, 'reordered']);
});

test('a chain that does not start from the genesis hash is a bad start', () => {
  const foreign = rehash({ ...chain(1)[0]!, prevHash: 'a'.repeat(64) });
  const r = verifyChain([foreign]);
  assert.deepEqual(r, { ok: false, seq: 1, reason: 'bad_start', message: 'the first entry does not point back to the genesis hash' });
  const zero = verifyChain([{ ...chain(1)[0]!, seq: 0 }]);
  assert.deepEqual(zero.ok ? null : [zero.seq, zero.reason], [0, 'bad_start']);
});

test('the chain head must match the last entry: a recomputed last entry or one added behind the head’s back is named', () => {
  const entries = chain(20);
  const head = headOf(entries);
  entries[19] = rehash({ ...entries[19]!, data: '{"action":"approve"}' });
  assert.deepEqual(verifyChain(entries, head), { ok: false, seq: 20, reason: 'changed', message: 'its hash does not match the chain head' });
  const extra = chain(21);
  assert.deepEqual(verifyChain(extra, headOf(extra.slice(0, 20))), { ok: false, seq: 21, reason: 'changed', message: 'it was added after the chain head, which records 20 entries' });
});
