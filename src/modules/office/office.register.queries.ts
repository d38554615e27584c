// SQL for Form 07, the register of dossiers a desk keeps (office.register.ts): the dossiers a unit
// received in a period, and the first transfer of each to a handler.
import type { Db } from '../../db/connection.ts';
import type { Sealer } from '../../domain/sealed.ts';

/** The register holds at most this many rows; a longer period is refused (narrow it). */
export const registerLimit = 5000;

/**
 * Dossiers of a unit submitted in [from, to), oldest first, practice ones left out: those it decides
 * and those its desk received for other units (docs/domain.md §3.7).
 */
export async function registerRows(db: Db, unitId: string, from: string, to: string, s: Sealer) {
  const rows = await db
    .selectFrom('dossiers')
    .select(['id', 'code', 'status', 'procedure_id', 'channel', 'applicant', 'submitted_at', 'accepted_at', 'due_at', 'new_due_at', 'resolved_at', 'returned_at'])
    .where((eb) => eb.or([eb('unit_id', '=', unitId), eb('receiving_unit_id', '=', unitId)]))
    .where('practice', '=', 0)
    .where('submitted_at', '>=', from)
    .where('submitted_at', '<', to)
    .orderBy('submitted_at')
    .orderBy('id')
    .limit(registerLimit + 1)
    .execute();
  // The applicant is sealed at rest, bound to its row and column as dossiers.queries.ts sealed it.
  return rows.map((r) => ({ ...r, applicant: JSON.parse(s.open(r.applicant, `dossiers.applicant/${r.id}`)) as { fullName?: string } }));
}

/** The first transfer of each dossier (to the processing step), with the name of whom it went to. */
export async function firstTransfers(db: Db, dossierIds: readonly string[]): Promise<Map<string, { at: string; to: string | null }>> {
  const out = new Map<string, { at: string; to: string | null }>();
  for (let i = 0; i < dossierIds.length; i += 500) {
    const chunk = dossierIds.slice(i, i + 500);
    const rows = await db
      .selectFrom('dossier_actions')
      .select(['dossier_id', 'at', 'seq', 'data'])
      .where('dossier_id', 'in', chunk)
      .where('action', '=', 'transfer')
      .orderBy('dossier_id')
      .orderBy('seq')
      .execute();
    const toIds = new Map<string, string>();
    for (const r of rows) {
      if (out.has(r.dossier_id)) continue;
      const toUserId = (JSON.parse(r.data || '{}') as { toUserId?: string }).toUserId ?? null;
      out.set(r.dossier_id, { at: r.at, to: toUserId });
      if (toUserId) toIds.set(r.dossier_id, toUserId);
    }
    const names = toIds.size
      ? new Map((await db.selectFrom('users').select(['id', 'name']).where('id', 'in', [...new Set(toIds.values())]).execute()).map((u) => [u.id, u.name]))
      : new Map<string, string>();
    for (const [dossierId, userId] of toIds) out.get(dossierId)!.to = names.get(userId) ?? null;
  }
  return out;
}
