// The applicant's documents: files streamed into storage (checked by content and size), recorded
// against a document of the procedure, and served back to whoever may see the dossier.
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Db } from '../../db/connection.ts';
import { allowedForDocuments } from '../../domain/file-types.ts';
import type { Clock } from '../../domain/time.ts';
import { fail, invalid } from '../../errors.ts';
import type { SessionUser } from '../accounts/accounts.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { FileStorage } from '../files/files.storage.ts';
import * as q from './dossiers.queries.ts';
import type { DossiersService, UploadLimits } from './dossiers.service.ts';
import { storeUpload, type StoredUpload } from './dossiers.uploads.ts';

export class AttachmentsService {
  constructor(
    private readonly db: Db,
    private readonly dossiers: DossiersService,
    private readonly catalog: CatalogService,
    private readonly storage: FileStorage,
    private readonly clock: Clock,
    readonly limits: UploadLimits,
  ) {}

  /** Whether files may be added now: the applicant's own draft (or a dossier asked to supplement). */
  private async attachable(user: SessionUser, id: string): Promise<q.DossierRecord> {
    const row = await this.dossiers.own(user, id);
    if (row.status !== 'draft' && row.status !== 'supplement_requested') fail('invalid_transition');
    return row;
  }

  /**
   * Receives one uploaded file into storage, checked by content and size as it streams. The route
   * then records it with recordUpload, or discards it; a file is never left without its record.
   */
  async receiveFile(user: SessionUser, id: string, file: { filename: string; stream: Readable }): Promise<StoredUpload> {
    const row = await this.attachable(user, id);
    return storeUpload(this.storage, `dossiers/${row.id}`, file, { allowed: allowedForDocuments, maxBytes: this.limits.maxFileBytes });
  }

  async recordUpload(user: SessionUser, id: string, documentKey: string | undefined, stored: StoredUpload) {
    try {
      return await this.record(await this.attachable(user, id), documentKey, stored);
    } catch (err) {
      await this.discardUpload(stored);
      throw err;
    }
  }

  /** An attached file, for whoever may see the dossier: viewed inline by the officer checking it. */
  async attachmentFile(user: SessionUser, id: string, attachmentId: string) {
    const row = await this.dossiers.visible(user, id);
    const a = (await q.listAttachments(this.db, row.id)).find((x) => x.id === attachmentId);
    if (!a) fail('not_found');
    return { name: a.name, mime: a.mime, body: await this.storage.get(a.storage_key) };
  }

  async discardUpload(stored: StoredUpload): Promise<void> {
    await this.storage.delete(stored.storageKey);
  }

  private async record(row: q.DossierRecord, documentKey: string | undefined, stored: StoredUpload) {
    const detail = await this.catalog.get(row.procedure_id);
    if (!documentKey) throw invalid({ document: { key: 'required' } });
    if (!detail.documents.some((d) => d.key === documentKey)) throw invalid({ document: { key: 'unknownDocument' } });
    const existing = await q.listAttachments(this.db, row.id);
    const total = existing.reduce((n, a) => n + a.size, 0) + stored.size;
    if (total > this.limits.maxDossierBytes) fail('dossier_files_too_large');
    const attachment = {
      id: randomUUID(), dossier_id: row.id, document_key: documentKey, name: stored.name, size: stored.size,
      mime: stored.mime, sha256: stored.sha256, storage_key: stored.storageKey, created_at: this.clock.now().toISOString(),
    };
    await q.insertAttachment(this.db, attachment);
    return { id: attachment.id, document: documentKey, name: attachment.name, size: attachment.size, mime: attachment.mime, sha256: attachment.sha256 };
  }
}
