// Result documents (docs/domain.md §7.3): attached by a handler while the dossier is in process, coded
// {code}-KQ{n}, with their number and symbol, type, date and issuing unit. A PDF result gets the QR
// code of its verification page and is signed (office.signing.ts); other files stay plain uploads,
// unsigned. The applicant's first download of a signed result of a resolved dossier whose result
// goes back online is its return (return_result, by the citizen). Verification answers, for an id
// or an uploaded copy, whether a stored signed result matches and its signature holds.
import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Db } from '../../db/connection.ts';
import { resultCode } from '../../domain/dossier-code.ts';
import { decide } from '../../domain/dossier-status.ts';
import { allowedForDocuments } from '../../domain/file-types.ts';
import { checkResultFields, numberAndSymbol, type ResultInput, type ResultType } from '../../domain/results.ts';
import type { Clock } from '../../domain/time.ts';
import { vietnamDay } from '../../domain/time.ts';
import { AppError, fail, invalid, type FieldProblem } from '../../errors.ts';
import { format, messages } from '../../i18n/index.ts';
import type { SessionUser } from '../accounts/accounts.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import { limitStream, TooLargeError, type FileStorage } from '../files/files.storage.ts';
import { stateOf, type DossierRecord, type DossiersService } from '../dossiers/dossiers.service.ts';
import { storeUpload, type StoredUpload } from '../dossiers/dossiers.uploads.ts';
import { checkPdfSignature } from './office.signing.cms.ts';
import { ResultSigning, SigningError } from './office.signing.ts';
import { resultByCode, resultsBySha256, type ResultRecord } from './office.results.queries.ts';

/** A result as the API lists it after attaching (api-v1.md). */
export type ResultSummary = {
  n: number; code: string; name: string; size: number; mime: string; sha256: string;
  number: string; symbol: string | null; type: ResultType; issuedOn: string; issuingUnit: string | null;
  signed: boolean; signer: string | null; signedAt: string | null; certSha256: string | null; demoCertificate: boolean; verifyUrl: string;
};

/** What the public verification page shows: nothing about the applicant. */
export type PublicResult = {
  resultId: string; code: string | null; procedureId: string; signed: boolean; valid: boolean; signer: string | null; signedAt: string | null;
  issuingUnit: string | null; number: string | null; symbol: string | null; type: string | null; issuedOn: string | null; sha256: string;
  demoCertificate: boolean;
};

export type VerifyAnswer = { valid: boolean; resultId?: string; code?: string; signer?: string; signedAt?: string };

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

export class ResultsService {
  constructor(
    private readonly db: Db,
    private readonly dossiers: DossiersService,
    private readonly catalog: CatalogService,
    private readonly storage: FileStorage,
    private readonly clock: Clock,
    readonly signing: ResultSigning,
    private readonly publicUrl: string,
    private readonly maxFileBytes: number,
  ) {}

  verifyUrl(code: string): string {
    return `${this.publicUrl}/xac-thuc/${encodeURIComponent(code)}`;
  }

  /** Stores an uploaded result file, once the caller may attach a result now; `attach` then records it. */
  async receive(user: SessionUser, id: string, file: { filename: string; stream: Readable }): Promise<StoredUpload> {
    const row = await this.dossiers.visible(user, id);
    const refusal = this.attachRefusal(user, row);
    if (refusal) {
      file.stream.resume();
      fail(refusal);
    }
    return storeUpload(this.storage, `results/${row.id}`, file, { allowed: allowedForDocuments, maxBytes: this.maxFileBytes });
  }

  /**
   * Why the user may not attach a result now, or undefined: actorFor's refusal, and the engine's own
   * check (the applicant acts as citizen, whom attach_result refuses), before anything is stored or signed.
   */
  private attachRefusal(user: SessionUser, row: DossierRecord): 'forbidden' | 'invalid_transition' | undefined {
    const { actor, refusal } = this.dossiers.actorFor(user, row, 'attach_result');
    if (refusal) return refusal;
    const d = decide(row.state, 'attach_result', actor);
    return d.ok ? undefined : d.reason;
  }

  async discard(stored: StoredUpload): Promise<void> {
    await this.storage.delete(stored.storageKey);
  }

  /**
   * Records a stored result as {code}-KQ{n} with the `attach_result` action, in one transaction: its
   * fields checked first (400 with the fields), a PDF stamped and signed. If anything fails (another
   * officer attached one at the same moment, say) no file is left behind.
   */
  async attach(user: SessionUser, id: string, stored: StoredUpload, input: ResultInput): Promise<ResultSummary> {
    let signedKey: string | null = null;
    try {
      const row = await this.dossiers.visible(user, id);
      const { actor } = this.dossiers.actorFor(user, row, 'attach_result');
      const refusal = this.attachRefusal(user, row);
      if (refusal) fail(refusal);
      const now = this.clock.now();
      const checked = checkResultFields(input, vietnamDay(now));
      if (!checked.ok) throw invalid(checked.problems as Record<string, FieldProblem>);
      const fields = checked.value;
      const n = stateOf(row).results + 1;
      const code = resultCode(row.code!, n);
      const unitRow = this.catalog.unit(row.unit_id);
      // The issuing body: the unit's agency (Ủy ban nhân dân phường 5), else its own name.
      const unit = unitRow && { name: unitRow.agencyName ?? unitRow.name };
      let file = { key: stored.storageKey, size: stored.size, sha256: stored.sha256 };
      let signature: { signer: string; certSha256: string; demo: boolean } | null = null;
      if (stored.mime === 'application/pdf') {
        const w = messages('vi').results;
        const shown = numberAndSymbol(fields.number, fields.symbol);
        const url = this.verifyUrl(code);
        const cert = await this.signing.certificate();
        const lines = [
          format(w.stampTitle, { code, number: shown }),
          format(w.stampSigned, { signer: cert.signer, date: vietnamDay(now).split('-').reverse().join('/') }),
          format(w.stampVerify, { url }),
          ...(cert.demo ? [w.stampDemo] : []),
        ];
        let bytes: Buffer;
        try {
          bytes = (await this.signing.sign(await readAll(await this.storage.get(stored.storageKey)), { url, lines }, now)).bytes;
        } catch (err) {
          if (err instanceof SigningError) throw invalid({ file: { key: 'pdfUnreadable' } });
          throw err;
        }
        signedKey = `results/${row.id}/${randomUUID()}`;
        const put = await this.storage.put(signedKey, bytes, { contentType: 'application/pdf' });
        file = { key: signedKey, size: put.size, sha256: put.sha256 };
        signature = { signer: cert.signer, certSha256: cert.sha256, demo: cert.demo };
      }
      await this.db.transaction().execute(async (tx) => {
        await this.dossiers.applyAction(tx, row, { action: 'attach_result', actor, userId: user.id, at: now, data: { code, sha256: file.sha256, signed: !!signature } });
        await this.dossiers.addResult(tx, {
          id: randomUUID(), dossier_id: row.id, n, code, name: stored.name, size: file.size, mime: stored.mime, sha256: file.sha256,
          storage_key: file.key, created_at: now.toISOString(), created_by: user.id,
          number: fields.number, symbol: fields.symbol, type: fields.type, issued_on: fields.issuedOn,
          issuing_unit_id: row.unit_id, issuing_unit: unit?.name ?? null,
          signer: signature?.signer ?? null, signed_at: signature ? now.toISOString() : null, cert_sha256: signature?.certSha256 ?? null,
          original_sha256: stored.sha256, demo_cert: signature?.demo ? 1 : 0,
        });
      });
      if (signedKey) await this.storage.delete(stored.storageKey);
      return {
        n, code, name: stored.name, size: file.size, mime: stored.mime, sha256: file.sha256,
        number: fields.number, symbol: fields.symbol, type: fields.type, issuedOn: fields.issuedOn, issuingUnit: unit?.name ?? null,
        signed: !!signature, signer: signature?.signer ?? null, signedAt: signature ? now.toISOString() : null,
        certSha256: signature?.certSha256 ?? null, demoCertificate: !!signature?.demo, verifyUrl: this.verifyUrl(code),
      };
    } catch (err) {
      await this.storage.delete(stored.storageKey);
      if (signedKey) await this.storage.delete(signedKey);
      throw err;
    }
  }

  /**
   * A result file: for staff over the dossier, and for its applicant once resolved. The applicant's
   * first download of a signed result, while the dossier is resolved and its result goes back
   * online, returns the dossier (docs/domain.md §7.3).
   */
  async file(user: SessionUser, id: string, n: number) {
    const row = await this.dossiers.visible(user, id);
    // visible() answers 404 outside the caller's dossiers or scope.
    const owner = row.owner_id !== null && row.owner_id === user.id;
    if (owner && row.status !== 'resolved' && row.status !== 'returned') fail('dossier_not_found');
    const result = (await this.dossiers.results(row.id)).find((r) => r.n === n);
    if (!result) fail('not_found');
    let returned = false;
    if (owner && row.status === 'resolved' && result.signed_at && row.delivery?.method === 'online') {
      try {
        await this.db.transaction().execute((tx) => this.dossiers.applyAction(tx, row, {
          action: 'return_result', actor: 'citizen', userId: user.id, at: this.clock.now(), data: { downloaded: result.code }, set: { returned_at: this.clock.now().toISOString() },
        }));
        returned = true;
      } catch (err) {
        // Two downloads at once: the other one returned it.
        if (!(err instanceof AppError) || (err.code !== 'conflict' && err.code !== 'invalid_transition')) throw err;
      }
    }
    // Opened only now: a refused return above leaves no open file behind.
    const body = await this.storage.get(result.storage_key);
    return { ...result, body, returned, staff: !owner };
  }

  /** The public view of a result by its id; undefined for an unknown id. `valid`: the stored signed file is the recorded one (SHA-256) and its signature holds. */
  async publicView(resultId: string): Promise<PublicResult | undefined> {
    const r = await resultByCode(this.db, resultId);
    if (!r) return undefined;
    let valid = false;
    if (r.signed_at) {
      const bytes = await readAll(await this.storage.get(r.storage_key));
      // The stored bytes must be the ones recorded (and shown) as well as carry a signature that holds.
      const check = checkPdfSignature(bytes);
      valid = check.valid && check.certSha256 === r.cert_sha256 && createHash('sha256').update(bytes).digest('hex') === r.sha256;
    }
    return view(r, valid);
  }

  /** An uploaded copy to check, read into memory (up to the upload limit: 413 past it). */
  async readCopy(file: { stream: Readable }): Promise<Buffer> {
    try {
      return await readAll(limitStream(file.stream, this.maxFileBytes));
    } catch (err) {
      file.stream.resume();
      if (err instanceof TooLargeError) fail('file_too_large');
      fail('upload_incomplete');
    }
  }

  /**
   * Checks an uploaded copy: valid when its SHA-256 is that of a stored signed result AND the
   * signature embedded in it verifies (byte range digest and the RSA signature over the signed
   * attributes) under the certificate the result was signed with.
   */
  async verify(bytes: Buffer): Promise<VerifyAnswer & { result?: PublicResult }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const r = (await resultsBySha256(this.db, sha256)).find((x) => x.signed_at);
    if (!r) return { valid: false };
    const check = checkPdfSignature(bytes);
    if (!check.valid || check.certSha256 !== r.cert_sha256) return { valid: false };
    return { valid: true, resultId: r.code, code: r.dossier_code ?? undefined, signer: r.signer ?? undefined, signedAt: r.signed_at ?? undefined, result: view(r, true) };
  }
}

function view(r: ResultRecord, valid: boolean): PublicResult {
  return {
    resultId: r.code, code: r.dossier_code, procedureId: r.procedure_id, signed: !!r.signed_at, valid, signer: r.signer, signedAt: r.signed_at,
    issuingUnit: r.issuing_unit, number: r.number, symbol: r.symbol, type: r.type, issuedOn: r.issued_on, sha256: r.sha256, demoCertificate: r.demo_cert === 1,
  };
}
