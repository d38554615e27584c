// The one-stop desk that receives a unit's dossiers, by name (Decree 118/2025/NĐ-CP): the
// province's Public Administrative Service Centre, or a district's or commune's one-stop desk.
// Names are data (data/reference/org/one-stop-desks.json): a unit listed there, else its kind's
// pattern. The demo names are synthetic.
import type { Lang } from '../../i18n/index.ts';
import { readReference } from '../../reference.ts';

type Named = { vi: string; en: string };
type DeskFile = { patterns: Record<string, Named>; units: Record<string, Named> };

const file = 'org/one-stop-desks.json';
const desks = readReference<DeskFile>(file);
for (const [where, entry] of [...Object.entries(desks.patterns ?? {}), ...Object.entries(desks.units ?? {})]) {
  if (typeof entry?.vi !== 'string' || typeof entry?.en !== 'string') throw new Error(`reference data ${file}: ${where} needs vi and en`);
}

type DeskUnit = { id: string; kind: string; name: string; nameEn: string; agencyName: string | null; agencyNameEn: string | null };

const lowerFirst = (lang: Lang, s: string) => (lang === 'vi' ? s.charAt(0).toLocaleLowerCase('vi') + s.slice(1) : s);

/** The name of the desk receiving the unit's dossiers; the unit's agency or name when no pattern fits. */
export function deskName(lang: Lang, unit: DeskUnit, parent?: DeskUnit | null): string {
  const own = desks.units[unit.id];
  if (own) return own[lang];
  const agency = (lang === 'en' ? unit.agencyNameEn : unit.agencyName) ?? (lang === 'en' ? unit.nameEn : unit.name);
  const pattern = desks.patterns[unit.kind];
  if (!pattern) return agency;
  const name = (u: DeskUnit) => lowerFirst(lang, lang === 'en' ? u.nameEn : u.name);
  return pattern[lang]
    .replace('{agency}', agency)
    .replace('{name}', name(unit))
    .replace('{parent}', parent ? name(parent) : agency);
}
