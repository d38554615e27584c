// The catalogue's rules that do not need a database: online classes, documents read from the
// published lists, and the plan's level split.
import type { FeeRule } from './fees.ts';
import type { FormDefinition } from './forms.ts';
import { slugify } from './text.ts';

export type AdminLevel = 'province' | 'district' | 'commune';
export const adminLevels: readonly AdminLevel[] = ['province', 'district', 'commune'];

/** Decree 42/2022 classes; the 2017 plan's Decree 43/2011 levels map onto them (level 4 ≈ full). */
export type OnlineClass = 'full' | 'partial' | 'none';
export const onlineClasses: readonly OnlineClass[] = ['full', 'partial', 'none'];
export type OnlineLevel = 2 | 3 | 4;

export function onlineClassOfLevel(level: OnlineLevel): OnlineClass {
  return level === 4 ? 'full' : level === 3 ? 'partial' : 'none';
}

export const audiences = ['citizen', 'business', 'both'] as const;
export type Audience = (typeof audiences)[number];

export type ProcedureDocument = {
  key: string;
  name: string;
  required: boolean;
  original: boolean;
  copies: number;
  /** Whether the portal offers a printable blank of this document (a declaration form). */
  hasTemplate: boolean;
};

const declarationForm = /^(tờ khai|đơn|giấy đề nghị|phiếu yêu cầu|phiếu đề nghị|văn bản đề nghị|bản khai|thông báo|văn bản thông báo)/i;
const optional = /\(nếu có\)|\bnếu có\b|\btrường hợp\b|\bđối với\b/i;

/** Reads a published list of documents ("Giấy chứng sinh (bản chính) …") into structured items. */
export function documentsFromList(names: string[]): ProcedureDocument[] {
  const used = new Set<string>();
  return names.map((name) => {
    let key = slugify(name).split('-').slice(0, 6).join('-') || 'giay-to';
    for (let n = 2; used.has(key); n++) key = `${key.replace(/-\d+$/, '')}-${n}`;
    used.add(key);
    const lower = name.toLowerCase();
    const isCopy = /bản sao|bản chụp|bản photo/.test(lower) && !/bản chính/.test(lower.split('bản sao')[0] ?? '');
    return {
      key,
      name,
      required: !optional.test(name),
      original: !isCopy,
      copies: 1,
      hasTemplate: declarationForm.test(name.trim()),
    };
  });
}

/** The 2017 plan's portal: 1,500+ level-2, 795 level-3 and 113 level-4 services (2,408 in all). */
export const planCounts = { 2: 1500, 3: 795, 4: 113 } as const;

/** How many of `total` services fall at each online level, in the plan's proportions. */
export function planSplit(total: number): Record<OnlineLevel, number> {
  const all = planCounts[2] + planCounts[3] + planCounts[4];
  const level4 = Math.round((total * planCounts[4]) / all);
  const level2 = Math.round((total * planCounts[2]) / all);
  return { 2: level2, 3: total - level2 - level4, 4: level4 };
}

/** What a published version holds besides the summary columns. */
export type VersionContent = {
  documents: ProcedureDocument[];
  /** Fee lines (src/domain/fees.ts): fixed, free, set by the council, per copy; exemptions by the form's fee category. */
  fees: FeeRule[];
  processingNote: string | null;
  legalBasis: string[];
  result: string;
  postal: { submit: boolean; return: boolean };
  form: FormDefinition;
  uncertain: boolean;
};

