// Loads the real procedure catalogue (90 Tiền Giang procedures), their search aliases, the shared
// synonym list and the form definitions, validating each file as it goes.
import fs from 'node:fs';
import type { Db } from '../db/connection.ts';
import type { ProcedureTable, ProcedureVersionTable } from '../db/schema.ts';
import { adminLevels, audiences, documentsFromList, onlineClassOfLevel, type AdminLevel, type OnlineLevel, type VersionContent } from '../domain/catalog.ts';
import { applicantSection, checkFormDefinition, genericRequestSection, type Audience, type FormDefinition } from '../domain/forms.ts';
import { fold, slugify } from '../domain/text.ts';
import { processingDayKindOf, type ProcessingDayKind } from '../domain/calendar.ts';
import { insertInChunks } from './files.ts';
import { readReference, referenceDir } from '../reference.ts';

export type SourceProcedure = {
  id: string; name_vi: string; name_en: string; field_vi: string; field_en: string; level: string;
  unit_ids: string[]; processing_days: number; processing_note?: string; fee_vnd: number | null; fee_note?: string;
  /** Optional: the unit of processing_days; when absent it is read from processing_note (processingDayKindOf). */
  processing_day_kind?: ProcessingDayKind;
  legal_basis: string[]; required_documents: string[]; online_level: number; online_mode: string;
  audience: string; result_vi: string; uncertain: boolean;
};

type PostalRules = { noPostalSubmission: string[]; noPostalReturn: string[] };

const scopes = new Set(['all-communes', 'all-districts']);

export function readSourceProcedures(): SourceProcedure[] {
  return readReference<SourceProcedure[]>('catalog/tien-giang-procedures.json');
}

/** The procedure's own form file, if it has one, after the shared applicant section. */
export function formFor(p: { id: string; audience: string }): FormDefinition {
  const applicant = applicantSection(p.audience as Audience);
  const file = `forms/${p.id}.json`;
  if (!fs.existsSync(referenceDir + file)) {
    return { procedureId: p.id, version: 1, sections: [applicant, genericRequestSection()] };
  }
  const own = readReference<FormDefinition>(file);
  if (own.procedureId !== p.id) throw new Error(`${file}: procedureId is ${own.procedureId}`);
  const def = { ...own, sections: [applicant, ...own.sections] };
  const problems = checkFormDefinition(def);
  if (problems.length) throw new Error(`${file}: ${problems.join('; ')}`);
  return def;
}

let feeRuleFile: Record<string, VersionContent['fees']> | null = null;
function feeRules(): Record<string, VersionContent['fees']> {
  feeRuleFile ??= readReference<{ procedures: Record<string, VersionContent['fees']> }>('catalog/fee-rules.json').procedures;
  return feeRuleFile;
}

export function versionContent(p: SourceProcedure, postal: PostalRules): VersionContent {
  const fee: VersionContent['fees'][number] =
    p.fee_vnd === null
      ? { kind: 'set_by_council', amountVnd: null, collect: 'before', note: p.fee_note ?? null }
      : p.fee_vnd === 0
        ? { kind: 'free', amountVnd: 0, collect: 'before', note: p.fee_note ?? null }
        : { kind: 'fixed', amountVnd: p.fee_vnd, collect: 'before', note: p.fee_note ?? null };
  // Finer rules where known (per copy, per page, exemptions by fee category): data/reference/catalog/fee-rules.json.
  const rules = feeRules()[p.id];
  return {
    documents: documentsFromList(p.required_documents),
    fees: rules ?? [fee],
    processingNote: p.processing_note ?? null,
    legalBasis: p.legal_basis,
    result: p.result_vi,
    postal: { submit: !postal.noPostalSubmission.includes(p.id), return: !postal.noPostalReturn.includes(p.id) },
    form: formFor(p),
    uncertain: p.uncertain,
  };
}

export async function loadCatalog(db: Db, now: Date): Promise<{ procedures: number; aliases: number; synonyms: number }> {
  const source = readSourceProcedures();
  const mostUsed = readReference<string[]>('catalog/most-used.json');
  const postal = readReference<PostalRules>('catalog/postal-rules.json');
  const aliases = readReference<Record<string, string[]>>('catalog/search-aliases.json');
  const synonyms = readReference<Array<{ terms: string[]; means: string }>>('catalog/synonyms.json');

  const unitIds = new Set((await db.selectFrom('units').select('id').execute()).map((u) => u.id));
  const ids = new Set(source.map((p) => p.id));
  for (const id of [...mostUsed, ...Object.keys(aliases)]) {
    if (!ids.has(id)) throw new Error(`reference data names an unknown procedure: ${id}`);
  }

  const stamp = now.toISOString();
  const fields = new Map<string, { key: string; name: string; name_en: string }>();
  const procedures: ProcedureTable[] = [];
  const versions: ProcedureVersionTable[] = [];
  const links: Array<{ procedure_id: string; unit_id: string }> = [];
  source.forEach((p, i) => {
    if (!adminLevels.includes(p.level as AdminLevel)) throw new Error(`procedure ${p.id}: unknown level ${p.level}`);
    if (![2, 3, 4].includes(p.online_level)) throw new Error(`procedure ${p.id}: unknown online level ${p.online_level}`);
    if (onlineClassOfLevel(p.online_level as OnlineLevel) !== p.online_mode) {
      throw new Error(`procedure ${p.id}: online level ${p.online_level} does not match mode ${p.online_mode}`);
    }
    if (!(audiences as readonly string[]).includes(p.audience)) throw new Error(`procedure ${p.id}: unknown audience ${p.audience}`);
    const fieldKey = slugify(p.field_vi);
    fields.set(fieldKey, { key: fieldKey, name: p.field_vi, name_en: p.field_en });
    const scope = p.unit_ids.length === 1 && scopes.has(p.unit_ids[0]!) ? p.unit_ids[0]! : 'explicit';
    if (scope === 'explicit') {
      for (const u of p.unit_ids) {
        if (!unitIds.has(u)) throw new Error(`procedure ${p.id}: unknown unit ${u}`);
        links.push({ procedure_id: p.id, unit_id: u });
      }
    }
    const rank = mostUsed.indexOf(p.id);
    procedures.push({
      id: p.id,
      // The dataset has no national codes: a local code until the national ones are mapped.
      code: `TG.${String(i + 1).padStart(3, '0')}`,
      name: p.name_vi,
      name_en: p.name_en,
      field_key: fieldKey,
      level: p.level,
      online_class: p.online_mode,
      online_level: p.online_level,
      audience: p.audience,
      processing_hours: p.processing_days * 8,
      // "15 ngày" is calendar days, "15 ngày làm việc" working days; an explicit field wins (docs/domain.md §4.4).
      processing_day_kind: p.processing_day_kind ?? processingDayKindOf(p.processing_days, p.processing_note),
      fee_vnd: p.fee_vnd,
      unit_scope: scope,
      current_version: 1,
      popularity: rank === -1 ? 0 : 100 - rank,
      synthetic: 0,
      updated_at: stamp,
    });
    versions.push({ procedure_id: p.id, version: 1, published_at: stamp, content: JSON.stringify(versionContent(p, postal)) });
  });

  const aliasRows = Object.entries(aliases).flatMap(([procedure_id, list]) =>
    [...new Set(list.map((a) => a.trim()).filter(Boolean))].map((alias) => ({ procedure_id, alias })),
  );
  const synonymRows = new Map<string, { id: string; terms: string; means: string }>();
  for (const s of synonyms) {
    if (!s.means || !Array.isArray(s.terms) || s.terms.length === 0) throw new Error(`synonyms.json: bad entry ${JSON.stringify(s)}`);
    const id = fold(s.means).trim();
    const prev = synonymRows.get(id);
    const terms = prev ? [...new Set([...JSON.parse(prev.terms), ...s.terms])] : s.terms;
    synonymRows.set(id, { id, terms: JSON.stringify(terms), means: s.means });
  }

  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('procedure_aliases').execute();
    await tx.deleteFrom('procedure_units').execute();
    await tx.deleteFrom('procedure_versions').execute();
    await tx.deleteFrom('procedures').execute();
    await tx.deleteFrom('fields').execute();
    await tx.deleteFrom('search_synonyms').execute();
    await tx.insertInto('fields').values([...fields.values()]).execute();
    await insertInChunks(procedures, 200, (c) => tx.insertInto('procedures').values(c).execute());
    await insertInChunks(versions, 200, (c) => tx.insertInto('procedure_versions').values(c).execute());
    await insertInChunks(links, 500, (c) => tx.insertInto('procedure_units').values(c).execute());
    await insertInChunks(aliasRows, 500, (c) => tx.insertInto('procedure_aliases').values(c).execute());
    await insertInChunks([...synonymRows.values()], 500, (c) => tx.insertInto('search_synonyms').values(c).execute());
  });
  return { procedures: procedures.length, aliases: aliasRows.length, synonyms: synonymRows.size };
}
