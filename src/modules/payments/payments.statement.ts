// Reconciling VietQR transfers with an imported bank statement (docs/domain.md §8.2). Each
// incoming line names a payment by the reference in its description; a line that names exactly one
// payment still owed (whatever method was last started), for exactly its amount, is applied through PaymentsService.settle
// (method vietqr, the bank transaction id as the gateway reference). Any other line is kept for
// review and never applied, not even later: an officer marks it handled with a note. Each bank
// transaction is kept once (a unique key), so a re-import, or two imports at once, apply nothing twice.
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import type { SessionUser } from '../../domain/accounts.ts';
import { findReferences, maxStatementRows, parseStatement, type StatementLine } from '../../domain/bank-statement.ts';
import type { Clock } from '../../domain/time.ts';
import { fail, invalid } from '../../errors.ts';
import type { PaymentRecord, PaymentsService } from './payments.service.ts';
import * as q from './payments.statement.queries.ts';

/** Who imports statements and works the review list: the province's administrators (the collection account is the province's). */
export const statementRoles = ['province_admin'] as const;

export type ReviewReason = 'no_reference' | 'unknown_reference' | 'ambiguous' | 'amount_mismatch' | 'already_paid' | 'not_open';
export type LineOutcome = { line: StatementLine; outcome: 'applied' | 'review' | 'duplicate'; reason?: ReviewReason; reference?: string; paymentId?: string };
export type ImportResult = { import: q.ImportRecord; outcomes: LineOutcome[] };

/** The largest statement file taken (a month of a busy account's CSV is well under this). */
export const maxStatementBytes = 5 * 1024 * 1024;

type Decision = { apply: PaymentRecord } | { review: ReviewReason; reference?: string; paymentId?: string };

export class StatementService {
  constructor(
    private readonly db: Db,
    private readonly payments: Pick<PaymentsService, 'settle' | 'byReference'>,
    private readonly clock: Clock,
  ) {}

  /** 403 unless the user holds a statement role. */
  check(user: SessionUser): void {
    if (!user.roles.some((r) => (statementRoles as readonly string[]).includes(r.role))) fail('forbidden');
  }

  /**
   * Reads a statement file and reconciles each incoming line. A file that cannot be read whole is
   * refused (400, each bad row named) and nothing is kept.
   */
  async import(user: SessionUser, file: { name: string; bytes: Buffer }): Promise<ImportResult> {
    this.check(user);
    const parsed = parseStatement(new TextDecoder('utf-8').decode(file.bytes));
    if (!parsed.ok) {
      const p = parsed.problems;
      if (p[0]!.problem === 'empty') throw invalid({ file: { key: 'statementEmpty' } });
      if (p[0]!.problem === 'header') throw invalid({ file: { key: 'statementHeader' } });
      if (p[0]!.problem === 'too_many_rows') throw invalid({ file: { key: 'statementTooLarge', params: { max: maxStatementRows } } });
      const lines = [...new Set(p.map((x) => x.line))];
      throw invalid({ file: { key: 'statementRows', params: { count: lines.length, lines: lines.slice(0, 12).join(', ') + (lines.length > 12 ? ', …' : '') } } });
    }
    const now = this.clock.now();
    const id = randomUUID();
    await q.insertImport(this.db, {
      id, file_name: file.name.slice(0, 200), sha256: createHash('sha256').update(file.bytes).digest('hex'), imported_by: user.id, imported_at: now.toISOString(),
      lines: parsed.lines.length, applied: 0, review: 0, duplicates: 0, outgoing: parsed.outgoing,
    });
    const known = await q.knownTxnIds(this.db, parsed.lines.map((l) => l.bankTxnId));
    const outcomes: LineOutcome[] = [];
    for (const line of parsed.lines) outcomes.push(known.has(line.bankTxnId) ? { line, outcome: 'duplicate' } : await this.reconcile(id, line, user, now));
    const count = (o: LineOutcome['outcome']) => outcomes.filter((x) => x.outcome === o).length;
    await q.updateImportCounts(this.db, id, { lines: parsed.lines.length, applied: count('applied'), review: count('review'), duplicates: count('duplicate'), outgoing: parsed.outgoing });
    return { import: (await q.findImport(this.db, id))!, outcomes };
  }

  /** What a line names: the one payment it may pay, or why it is for review. Read before the line's transaction. */
  private async decide(line: StatementLine): Promise<Decision> {
    const refs = findReferences(line.description);
    if (!refs.length) return { review: 'no_reference' };
    const found = new Map<string, PaymentRecord>();
    for (const ref of refs) {
      const p = await this.payments.byReference(ref);
      if (p) found.set(p.id, p);
    }
    if (!found.size) return { review: 'unknown_reference', reference: refs[0] };
    if (found.size > 1) return { review: 'ambiguous', reference: refs[0] };
    const p = [...found.values()][0]!;
    const named = { reference: p.reference, paymentId: p.id };
    if (p.status === 'paid' || p.status === 'refunded') return { review: 'already_paid', ...named };
    if (!['due', 'pending', 'failed'].includes(p.status)) return { review: 'not_open', ...named };
    if (line.amountVnd !== p.amount_vnd) return { review: 'amount_mismatch', ...named };
    return { apply: p };
  }

  /**
   * One line in one transaction: the line is kept first (its bank transaction id unique, so a
   * concurrent import of the same line keeps nothing and applies nothing), then the payment settled.
   */
  private async reconcile(importId: string, line: StatementLine, user: SessionUser, now: Date): Promise<LineOutcome> {
    const d = await this.decide(line);
    return this.db.transaction().execute(async (tx) => {
      const lineId = randomUUID();
      const base = { id: lineId, import_id: importId, line_no: line.lineNo, bank_txn_id: line.bankTxnId, booked_on: line.bookedOn, amount_vnd: line.amountVnd, description: line.description.slice(0, 500) };
      let outcome: LineOutcome;
      if ('apply' in d) {
        const kept = await q.insertLine(tx, { ...base, reference: d.apply.reference, payment_id: d.apply.id, outcome: 'applied', reason: null });
        if (!kept) return { line, outcome: 'duplicate' };
        const settled = await this.payments.settle({ paymentId: d.apply.id, method: 'vietqr', amountVnd: line.amountVnd, gatewayRef: line.bankTxnId, by: user.id, at: now }, tx);
        if (settled === 'paid') return { line, outcome: 'applied', reference: d.apply.reference, paymentId: d.apply.id };
        // Paid (or changed) between the read and the transaction: the line goes to review instead.
        const reason: ReviewReason = settled === 'already_paid' ? 'already_paid' : settled === 'amount_mismatch' ? 'amount_mismatch' : 'unknown_reference';
        await q.sendLineToReview(tx, lineId, reason);
        outcome = { line, outcome: 'review', reason, reference: d.apply.reference, paymentId: d.apply.id };
      } else {
        const kept = await q.insertLine(tx, { ...base, reference: d.reference ?? null, payment_id: d.paymentId ?? null, outcome: 'review', reason: d.review });
        if (!kept) return { line, outcome: 'duplicate' };
        outcome = { line, outcome: 'review', reason: d.review, ...(d.reference && { reference: d.reference }), ...(d.paymentId && { paymentId: d.paymentId }) };
      }
      return outcome;
    });
  }

  /** The lines of one import as kept (lines already imported before are not kept again). */
  async importLines(user: SessionUser, importId: string): Promise<{ import: q.ImportRecord; lines: q.LineRecord[] }> {
    this.check(user);
    const imp = typeof importId === 'string' && importId.length <= 64 ? await q.findImport(this.db, importId) : undefined;
    if (!imp) fail('not_found');
    return { import: imp, lines: await q.linesOfImport(this.db, imp.id) };
  }

  recentImports(user: SessionUser, limit = 10): Promise<q.ImportRecord[]> {
    this.check(user);
    return q.recentImports(this.db, limit);
  }

  /** The review list: open lines (or handled ones), oldest first. */
  review(user: SessionUser, f: { handled?: boolean; limit?: number; offset?: number } = {}) {
    this.check(user);
    return q.reviewLines(this.db, { handled: !!f.handled, limit: Math.min(Math.max(f.limit ?? 50, 1), 100), offset: Math.max(f.offset ?? 0, 0) });
  }

  /** Marks a review line handled, with what was done (a note, required); nothing is paid by it. 409 when it is not open. */
  async handle(user: SessionUser, lineId: string, note: unknown): Promise<void> {
    this.check(user);
    const text = typeof note === 'string' ? note.trim() : '';
    if (!text) throw invalid({ note: { key: 'required' } });
    if (text.length > 1000) throw invalid({ note: { key: 'tooLong', params: { max: 1000 } } });
    const line = typeof lineId === 'string' && lineId.length <= 64 ? await q.findLine(this.db, lineId) : undefined;
    if (!line || line.outcome !== 'review') fail('not_found');
    if (!(await q.markHandled(this.db, line.id, { by: user.id, at: this.clock.now().toISOString(), note: text }))) fail('conflict');
  }
}
