// Scale data for benchmarks: a synthetic catalogue at the 2017 plan's size and level split
// (1,500 level-2, 795 level-3, 113 level-4 services: 2,408 in all). Names are built from the
// real procedures, so searches over it behave like searches over a real catalogue.
import type { Db } from '../db/connection.ts';
import type { ProcedureTable, ProcedureVersionTable } from '../db/schema.ts';
import { onlineClassOfLevel, planSplit, type OnlineLevel, type VersionContent } from '../domain/catalog.ts';
import { slugify } from '../domain/text.ts';
import { insertInChunks } from './files.ts';
import { readReference } from '../reference.ts';
import { readSourceProcedures, versionContent, type SourceProcedure } from './catalog.ts';

/** A small deterministic generator, so two runs make the same catalogue. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const variants: Array<[string, string]> = [
  ['cấp lại', 're-issuance'], ['cấp đổi', 'replacement'], ['điều chỉnh nội dung', 'amendment'], ['gia hạn', 'extension'],
  ['thu hồi', 'revocation'], ['đối với tổ chức', 'for organisations'], ['đối với cá nhân', 'for individuals'],
  ['trường hợp bị mất, hỏng', 'when lost or damaged'], ['trường hợp thay đổi thông tin', 'when details change'],
  ['có yếu tố nước ngoài', 'with a foreign element'], ['liên thông', 'linked procedure'], ['tại khu công nghiệp', 'in industrial parks'],
  ['đối với hộ gia đình', 'for households'], ['cho người khuyết tật', 'for people with disabilities'], ['theo phân cấp', 'as delegated'],
  ['lần đầu', 'first time'], ['bổ sung', 'supplementary'], ['đối với doanh nghiệp nhỏ và vừa', 'for small and medium enterprises'],
];

export type SyntheticResult = { created: number; total: number };

/** Adds synthetic procedures until the catalogue holds `total`, reporting progress as it goes. */
export async function seedSyntheticProcedures(db: Db, total: number, now: Date, progress: (done: number, of: number) => void = () => {}): Promise<SyntheticResult> {
  const existing = await db.selectFrom('procedures').select(['id', 'online_level', 'synthetic']).execute();
  const need = total - existing.length;
  if (need <= 0) return { created: 0, total: existing.length };
  const source = readSourceProcedures();
  const postal = readReference<{ noPostalSubmission: string[]; noPostalReturn: string[] }>('catalog/postal-rules.json');
  const departments = (await db.selectFrom('units').select('id').where('kind', '=', 'department').execute()).map((u) => u.id);
  const fields = new Set((await db.selectFrom('fields').select('key').execute()).map((f) => f.key));

  // The whole catalogue should follow the plan's split; count what the real procedures already cover.
  const want = planSplit(total);
  for (const p of existing) want[p.online_level as OnlineLevel] = Math.max(0, want[p.online_level as OnlineLevel] - 1);
  // Where the real procedures already exceed a level's share, the surplus comes out of level 2.
  let surplus = want[2] + want[3] + want[4] - need;
  for (const l of [2, 3, 4] as const) {
    const cut = Math.min(surplus, want[l]);
    want[l] -= cut;
    surplus -= cut;
  }
  const levels: OnlineLevel[] = [];
  for (const l of [2, 3, 4] as const) for (let i = 0; i < want[l]; i++) levels.push(l);
  while (levels.length < need) levels.push(2);

  const random = mulberry32(2408);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const offset = existing.filter((p) => p.synthetic).length;
  const stamp = now.toISOString();
  const procedures: ProcedureTable[] = [];
  const versions: ProcedureVersionTable[] = [];
  const links: Array<{ procedure_id: string; unit_id: string }> = [];
  const newFields = new Map<string, { key: string; name: string; name_en: string }>();
  for (let i = 0; i < need; i++) {
    const template: SourceProcedure = pick(source);
    const [vi, en] = pick(variants);
    const n = offset + i + 1;
    const id = `tt-${String(n).padStart(5, '0')}`;
    const onlineLevel = levels[i]!;
    const fieldKey = slugify(template.field_vi);
    if (!fields.has(fieldKey)) newFields.set(fieldKey, { key: fieldKey, name: template.field_vi, name_en: template.field_en });
    const scope = template.unit_ids.length === 1 && template.unit_ids[0]!.startsWith('all-') ? template.unit_ids[0]! : 'explicit';
    procedures.push({
      id,
      code: `TG.S${String(n).padStart(5, '0')}`,
      name: `${template.name_vi} (${vi})`,
      name_en: `${template.name_en} (${en})`,
      field_key: fieldKey,
      level: template.level,
      online_class: onlineClassOfLevel(onlineLevel),
      online_level: onlineLevel,
      audience: template.audience,
      processing_hours: Math.max(0, template.processing_days + Math.floor(random() * 5) - 2) * 8,
      processing_day_kind: 'working',
      fee_vnd: template.fee_vnd,
      unit_scope: scope,
      current_version: 1,
      popularity: 0,
      synthetic: 1,
      updated_at: stamp,
    });
    if (scope === 'explicit') links.push({ procedure_id: id, unit_id: pick(departments) });
    const content: VersionContent = versionContent({ ...template, id, name_vi: `${template.name_vi} (${vi})` }, postal);
    versions.push({ procedure_id: id, version: 1, published_at: stamp, content: JSON.stringify(content) });
  }

  const chunk = 200;
  let done = 0;
  await db.transaction().execute(async (tx) => {
    if (newFields.size) await tx.insertInto('fields').values([...newFields.values()]).execute();
    for (let i = 0; i < procedures.length; i += chunk) {
      await tx.insertInto('procedures').values(procedures.slice(i, i + chunk)).execute();
      await tx.insertInto('procedure_versions').values(versions.slice(i, i + chunk)).execute();
      done = Math.min(procedures.length, i + chunk);
      progress(done, procedures.length);
    }
    await insertInChunks(links, 500, (c) => tx.insertInto('procedure_units').values(c).execute());
  });
  return { created: procedures.length, total: existing.length + procedures.length };
}
