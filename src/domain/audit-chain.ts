// The audit log's hash chain: how an entry is hashed, and how a chain read back in seq order is
// checked, naming the first entry that was changed, removed or moved. No I/O: the caller reads the rows.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What the first entry points back to. */
export const genesisHash = '0'.repeat(64);

/** What gets audited. Add a kind here before writing it, so the auditor's page can name it. */
export const auditKinds = ['dossier_action', 'sign_in', 'sign_in_failed', 'role_granted', 'role_revoked', 'user_disabled', 'user_enabled', 'role_policy_changed', 'second_factor_changed', 'sessions_ended', 'user_created', 'calendar_changed', 'personal_data_export', 'deletion_request', 'personal_data_read', 'payment_settled', 'payment_refunded', 'payment_refund_note', 'statement_imported', 'payment_duplicate'] as const;
export type AuditKind = (typeof auditKinds)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue | undefined };
export type JsonObject = { [key: string]: JsonValue | undefined };

/** An entry's own fields: what its hash covers, together with the previous entry's hash. */
export type AuditFields = {
  seq: number;
  at: string;
  kind: string;
  actorId: string | null;
  subject: string;
  /** Canonical JSON text, hashed exactly as stored. */
  data: string;
};

export type AuditEntry = AuditFields & { prevHash: string; hash: string };

/** The chain's recorded end: the last entry's seq and hash (0 and the genesis hash when empty). */
export type ChainHead = { seq: number; hash: string };

/** `anchor`: the head's signature under AUDIT_KEY does not match it (the chain was recomputed). */
export type ChainBreak = 'changed' | 'removed' | 'reordered' | 'bad_start' | 'anchor';

export type ChainResult =
  | { ok: true; count: number; headHash: string }
  | { ok: false; seq: number; reason: ChainBreak; message: string };

type Broken = Extract<ChainResult, { ok: false }>;

/**
 * JSON with object keys sorted by UTF-16 code units and no whitespace, so equal values always give
 * the same text (RFC 8785, JCS, for the values JSON can hold). Undefined object members are left
 * out, as JSON.stringify does; anything JSON cannot hold (Date, Map, NaN, bigint) is refused rather
 * than silently turned into something else.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new TypeError(`canonicalJson: a ${proto?.constructor?.name ?? 'non-plain object'} is not JSON (pass dates as ISO strings)`);
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} is not JSON`);
  }
}

/**
 * SHA-256 hex over the entry and the hash before it. The fields are encoded as one JSON array of
 * strings, numbers and nulls, which cannot be read two ways; the seq is inside, so moving an entry
 * to another place breaks its hash as surely as editing it.
 */
export function entryHash(prevHash: string, entry: AuditFields): string {
  const encoded = JSON.stringify(['motcua-audit/1', entry.seq, entry.at, entry.kind, entry.actorId, entry.subject, entry.data, prevHash]);
  return createHash('sha256').update(encoded, 'utf8').digest('hex');
}

/**
 * The chain head's anchor: HMAC-SHA-256 hex of its seq and hash under AUDIT_KEY. The key lives
 * outside the database, so whoever rewrites every entry and the head with SQL cannot sign it.
 */
export function headSignature(key: Buffer, head: ChainHead): string {
  return createHmac('sha256', key).update(JSON.stringify(['motcua-audit-head/1', head.seq, head.hash]), 'utf8').digest('hex');
}

/** Whether a stored signature is the head's, compared in constant time. */
export function headSignatureMatches(key: Buffer, head: ChainHead, signature: string | null): boolean {
  if (signature === null || !/^[0-9a-f]{64}$/.test(signature)) return false;
  return timingSafeEqual(Buffer.from(headSignature(key, head), 'hex'), Buffer.from(signature, 'hex'));
}

/** How far from its place a moved entry is looked for, on both sides (two hashes per step, only once the chain is broken). */
const movedSearchRadius = 10_000;

/** "entry 17 is" or "entries 17–19 are", and the like. */
function entries(from: number, to: number, one: string, many: string): string {
  return from === to ? `entry ${from} ${one}` : `entries ${from}–${to} ${many}`;
}

/**
 * Checks a chain fed one entry at a time in seq order, so a million rows can be read in pages.
 * Stops at the first break. Telling a move from an edit needs the seq an entry was written under,
 * found by hashing it under nearby seqs, and sometimes one entry more (see `resolveMoved`).
 */
export class ChainVerifier {
  private expected = 1;
  private prevHash = genesisHash;
  /** An entry hashed under another seq, waiting for the next entry to tell removal from reordering. */
  private moved: { entry: AuditEntry; writtenAs: number } | null = null;
  private broken: Broken | null = null;

  /** Feeds the next entry; false once the chain is known to be broken (further entries are ignored). */
  push(entry: AuditEntry): boolean {
    if (this.broken) return false;
    if (this.moved) {
      this.broken = this.resolveMoved(this.moved, entry);
      return false;
    }
    this.broken = this.check(entry);
    return this.broken === null;
  }

  /** The verdict once every entry is fed; with the recorded head, a removed tail is found too. */
  finish(head?: ChainHead): ChainResult {
    if (this.broken) return this.broken;
    if (this.moved) return this.renumbered(this.moved.entry.seq, this.moved.writtenAs);
    const last = this.expected - 1;
    if (head) {
      if (head.seq > last) return fail(last + 1, 'removed', `${entries(last + 1, head.seq, 'is', 'are')} missing from the end (the chain head records ${head.seq} entries)`);
      if (head.seq < last) return fail(head.seq + 1, 'changed', `it was added after the chain head, which records ${head.seq} entries`);
      if (head.hash !== this.prevHash) {
        return last === 0 ? fail(0, 'bad_start', 'the chain head of an empty log is not the genesis hash') : fail(last, 'changed', 'its hash does not match the chain head');
      }
    }
    return { ok: true, count: last, headHash: this.prevHash };
  }

  private check(entry: AuditEntry): Broken | null {
    const e = this.expected;
    if (entry.seq < 1) return fail(entry.seq, 'bad_start', 'seq numbers start at 1');
    if (entry.seq < e) return fail(entry.seq, 'reordered', `it comes after entry ${e - 1}`);
    if (entry.seq > e) return fail(e, 'removed', `${entries(e, entry.seq - 1, 'is', 'are')} missing; the next entry is ${entry.seq}`);
    if (entryHash(entry.prevHash, entry) !== entry.hash) {
      const writtenAs = findWrittenAs(entry);
      if (writtenAs === undefined) return fail(e, 'changed', 'its hash does not match its contents');
      if (writtenAs < e) return fail(e, 'reordered', `it was written as entry ${writtenAs}`);
      this.moved = { entry, writtenAs };
      return null;
    }
    if (entry.prevHash !== this.prevHash) {
      if (e === 1) return fail(1, 'bad_start', 'the first entry does not point back to the genesis hash');
      // The entry itself is intact, so what it was chained to is not what stands before it now:
      // the entry before was rewritten and its hash recomputed.
      return fail(e - 1, 'changed', `its hash was recomputed: entry ${e} points back to a different entry ${e - 1}`);
    }
    this.prevHash = entry.hash;
    this.expected = e + 1;
    return null;
  }

  /**
   * The entry at seq e was written as a later seq s. If the next entry was also written one further
   * on (s + 1) and chained to it, everything after e moved down together: entries e…s−1 were
   * removed and the rest renumbered. Otherwise entries swapped places.
   */
  private resolveMoved(moved: { entry: AuditEntry; writtenAs: number }, next: AuditEntry): Broken {
    const { entry, writtenAs } = moved;
    const shiftedToo = next.seq === entry.seq + 1 && next.prevHash === entry.hash && entryHash(next.prevHash, { ...next, seq: writtenAs + 1 }) === next.hash;
    if (shiftedToo) return this.renumbered(entry.seq, writtenAs);
    return fail(entry.seq, 'reordered', `it was written as entry ${writtenAs}`);
  }

  private renumbered(seq: number, writtenAs: number): Broken {
    return fail(seq, 'removed', `${entries(seq, writtenAs - 1, 'was', 'were')} removed and the later entries renumbered; this one was written as ${writtenAs}`);
  }
}

/** The seq an entry's hash was computed under, if it is another one near its current place. */
function findWrittenAs(entry: AuditEntry): number | undefined {
  for (let d = 1; d <= movedSearchRadius; d++) {
    for (const seq of [entry.seq + d, entry.seq - d]) {
      if (seq >= 1 && entryHash(entry.prevHash, { ...entry, seq }) === entry.hash) return seq;
    }
  }
  return undefined;
}

function fail(seq: number, reason: ChainBreak, message: string): Broken {
  return { ok: false, seq, reason, message };
}

/** Checks a whole chain given in seq order (and, if known, its recorded head). */
export function verifyChain(entries: Iterable<AuditEntry>, head?: ChainHead): ChainResult {
  const verifier = new ChainVerifier();
  for (const entry of entries) if (!verifier.push(entry)) break;
  return verifier.finish(head);
}
