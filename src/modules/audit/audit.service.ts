// The tamper-evident audit log: appending an entry inside the transaction of the change it
// records, checking the whole chain against its head, and listing entries for the auditor.
import type { Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import {
  auditKinds, canonicalJson, ChainVerifier, entryHash, headSignature, headSignatureMatches,
  type AuditEntry, type AuditKind, type ChainResult, type JsonObject, type JsonValue,
} from '../../domain/audit-chain.ts';
import type { SessionUser } from '../../domain/accounts.ts';
import { dossierReaders } from '../../domain/roles.ts';
import * as q from './audit.queries.ts';

export type AuditInput = {
  /** ISO 8601 UTC, from the caller's clock (the same instant as the change it records). */
  at: string;
  kind: AuditKind;
  /** The user who acted; null for the system or an unknown person (a failed sign-in). */
  actorId: string | null;
  /** What the entry is about: `dossier:<id>`, `user:<id>`, `calendar:<id>`. */
  subject: string;
  /** What happened, as plain JSON; stored canonically, so key order never matters. */
  data?: JsonObject;
};

/** An entry as the auditor's page shows it. */
export type AuditRecord = { seq: number; at: string; kind: string; actorId: string | null; subject: string; data: JsonValue; hash: string };

const isoUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/**
 * Appends an entry to the chain, inside the caller's transaction, so the change and its record
 * commit or vanish together and a rollback leaves no gap. Call it as the last write of the
 * transaction: from here to the commit the chain head is locked, and every other audited change
 * waits for it (taking the head last everywhere also means no lock cycle can form around it).
 * `auditKey` (AUDIT_KEY, `services.keys.audit`) signs the new head in the same write.
 */
export async function appendAudit(trx: Transaction<Database> | Db, input: AuditInput, auditKey: Buffer): Promise<AuditEntry> {
  // Outside a transaction the head would move and the entry land in separate commits; on SQLite,
  // passing the plain database from inside a transaction would also wait forever for the connection.
  if (!trx.isTransaction) throw new Error('appendAudit must run inside the transaction of the change it records');
  if (!auditKinds.includes(input.kind)) throw new Error(`appendAudit: unknown kind "${input.kind}"`);
  if (!isoUtc.test(input.at)) throw new Error(`appendAudit: "at" must be an ISO 8601 UTC timestamp, got "${input.at}"`);
  const data = canonicalJson(input.data ?? {});

  const head = await q.advanceHead(trx);
  if (!head) throw new Error('the audit chain head (audit_head, id 1) is missing: run `motcua audit verify`');
  const fields = { seq: head.seq, at: input.at, kind: input.kind, actorId: input.actorId, subject: input.subject, data };
  const entry: AuditEntry = { ...fields, prevHash: head.hash, hash: entryHash(head.hash, fields) };
  await q.insertEntry(trx, entry);
  await q.setHeadHash(trx, entry.seq, entry.hash, headSignature(auditKey, { seq: entry.seq, hash: entry.hash }));
  return entry;
}

export class AuditService {
  private readonly pageSize: number;

  /** `key`: AUDIT_KEY, which signs the head. `pageSize`: how many entries verify() holds at a time (the log may hold millions). */
  constructor(private readonly db: Db, private readonly key: Buffer, opts: { pageSize?: number } = {}) {
    this.pageSize = opts.pageSize ?? 5000;
  }

  /** Appends an entry under this service's key (see appendAudit). */
  append(trx: Transaction<Database> | Db, input: AuditInput): Promise<AuditEntry> {
    return appendAudit(trx, input, this.key);
  }

  /**
   * Records that a member of staff read or exported personal data (ASVS V7.1.1, Decree 13/2023):
   * who, what and when, never the content; one entry per request, in its own short transaction.
   * A caller with no staff role (a citizen reading their own dossier) is not recorded.
   */
  async recordStaffAccess(user: SessionUser, at: Date, input: { kind: 'personal_data_read' | 'personal_data_export'; subject: string; data: JsonObject }): Promise<void> {
    if (!user.roles.some((r) => dossierReaders.has(r.role))) return;
    await this.db.transaction().execute((tx) => appendAudit(tx, { at: at.toISOString(), kind: input.kind, actorId: user.id, subject: input.subject, data: input.data }, this.key));
  }

  /**
   * Checks every entry's hash and link, in seq order, that the last one is the recorded head, and
   * that the head carries its signature under AUDIT_KEY (a chain recomputed with SQL has none that matches).
   * The head is read first and entries are read up to it, so appends running meanwhile neither
   * break the check nor get checked half-written; an entry beyond the head is looked for at the end
   * in one statement, for the same reason.
   */
  async verify(): Promise<ChainResult> {
    const head = await q.findHead(this.db);
    if (!head) return { ok: false, seq: 0, reason: 'removed', message: 'the chain head (audit_head, id 1) is missing' };
    const verifier = new ChainVerifier();
    let after: number | null = null;
    for (;;) {
      const page = await q.entriesPage(this.db, { after, upTo: head.seq, limit: this.pageSize });
      let going = true;
      for (const entry of page) if (!(going = verifier.push(entry))) break;
      if (!going || page.length < this.pageSize) break;
      after = page[page.length - 1]!.seq;
    }
    const result = verifier.finish(head);
    if (!result.ok) return result;
    if (head.seq > 0 && !headSignatureMatches(this.key, head, head.signature)) {
      return {
        ok: false, seq: head.seq, reason: 'anchor',
        message: head.signature === null ? 'the chain head is not signed (AUDIT_KEY)' : 'the chain head’s signature does not match under AUDIT_KEY: the chain was recomputed or the key is wrong',
      };
    }
    const beyond = await q.findFirstBeyondHead(this.db);
    if (beyond !== undefined) return { ok: false, seq: beyond, reason: 'changed', message: 'it was added after the chain head, not through it' };
    return result;
  }

  /** Entries, newest first, optionally about one subject. */
  async list(opts: { subject?: string; limit?: number; offset?: number } = {}): Promise<{ total: number; items: AuditRecord[] }> {
    const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 50), 1), 500);
    const offset = Math.max(Math.trunc(opts.offset ?? 0), 0);
    const { total, items } = await q.listEntries(this.db, { subject: opts.subject, limit, offset });
    return {
      total,
      items: items.map((e) => ({ seq: e.seq, at: e.at, kind: e.kind, actorId: e.actorId, subject: e.subject, data: e.data, hash: e.hash })),
    };
  }
}
