// The catalogue's search engine: an in-memory index over folded text, built from the database by
// the catalogue service. People type on phones without tone marks, with typos, in everyday words
// or in English (docs/domain.md §2), so the engine:
// - folds tone marks and đ→d on both sides;
// - indexes word pairs as well as words, because Vietnamese meaning sits in two-syllable words
//   ("kết hôn", "khai sinh") and single syllables ("ho", "dang") match almost everything;
// - tolerates one wrong letter in a word (two in a long word pair);
// - expands everyday terms through the shared synonym list, and matches each procedure's aliases.
import MiniSearch, { type Query, type SearchResult } from 'minisearch';
import { words } from '../../domain/text.ts';

export type SearchDocument = {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  field: string;
  aliases: string[];
  /** 0 for most; higher for the most-used procedures, which win close calls. */
  popularity: number;
};

export type Synonym = { terms: string[]; means: string };

type Indexed = { id: string; code: string; name: string; nameEn: string; field: string; aliases: string };

/** Words plus each pair of neighbouring words, joined by "_". */
export function tokens(text: string): string[] {
  const ws = words(text);
  const pairs: string[] = [];
  for (let i = 0; i + 1 < ws.length; i++) pairs.push(`${ws[i]}_${ws[i + 1]}`);
  return [...ws, ...pairs];
}

// Alias and phrase lists are indexed phrase by phrase, so no pair spans two aliases.
const phraseSeparator = '\u0001';

function fuzziness(term: string): number {
  const letters = term.replace(/_/g, '').length;
  if (letters <= 2) return 0;
  if (term.includes('_') && letters >= 7) return 2;
  return 1;
}

export class CatalogIndex {
  private readonly search: MiniSearch<Indexed>;
  /** Every indexed term: a query word found here is taken as typed, not as a typo. */
  private readonly vocabulary = new Set<string>();
  private readonly popularity = new Map<string, number>();
  private readonly synonyms: Array<{ terms: string[]; means: string }>;
  /**
   * Recent queries and their ranking. People search for the same few hundred things again and
   * again (Zipf), and a ranking costs 0.5–5 ms of CPU over a 2,408-procedure catalogue, so a
   * bounded cache keeps the portal responsive under load. The index is rebuilt, cache and all,
   * whenever the catalogue changes.
   */
  private readonly recent = new Map<string, Array<{ id: string; score: number }>>();
  static readonly cacheSize = 2000;

  constructor(docs: SearchDocument[], synonyms: Synonym[]) {
    this.search = new MiniSearch<Indexed>({
      fields: ['name', 'nameEn', 'aliases', 'field', 'code'],
      tokenize: (text) => {
        const found = text.split(phraseSeparator).flatMap(tokens);
        for (const t of found) this.vocabulary.add(t);
        return found;
      },
      processTerm: (term) => term,
      searchOptions: { tokenize: (q) => q.split(' ').filter(Boolean), processTerm: (t) => t },
    });
    this.search.addAll(
      docs.map((d) => ({ id: d.id, code: d.code, name: d.name, nameEn: d.nameEn, field: d.field, aliases: d.aliases.join(phraseSeparator) })),
    );
    for (const d of docs) this.popularity.set(d.id, d.popularity);
    // Longest terms first, so "bằng lái xe" wins over "bằng lái".
    this.synonyms = synonyms
      .flatMap((s) => s.terms.map((t) => ({ term: ` ${words(t).join(' ')} `, means: words(s.means).join(' ') })))
      .filter((s) => s.term.trim() && s.means)
      .sort((a, b) => b.term.length - a.term.length)
      .map((s) => ({ terms: [s.term], means: s.means }));
  }

  get size(): number {
    return this.search.documentCount;
  }

  /** The folded query and the official wordings its everyday terms stand for. */
  expand(query: string): { folded: string; expansions: string[] } {
    const folded = words(query).join(' ');
    const padded = ` ${folded} `;
    const expansions = new Set<string>();
    for (const s of this.synonyms) {
      if (padded.includes(s.terms[0]!) && !padded.includes(` ${s.means} `)) expansions.add(s.means);
    }
    return { folded, expansions: [...expansions] };
  }

  /** Procedure ids with their scores, best first. */
  query(text: string): Array<{ id: string; score: number }> {
    const key = words(text).join(' ');
    const hit = this.recent.get(key);
    if (hit) {
      // Refresh its place: the Map's order is the eviction order.
      this.recent.delete(key);
      this.recent.set(key, hit);
      return hit;
    }
    const ranked = this.rank(text);
    this.recent.set(key, ranked);
    if (this.recent.size > CatalogIndex.cacheSize) this.recent.delete(this.recent.keys().next().value!);
    return ranked;
  }

  private rank(text: string): Array<{ id: string; score: number }> {
    const { folded, expansions } = this.expand(text);
    if (!folded) return [];
    const phrase = (p: string, boost: number): Query => ({
      queries: [tokens(p).join(' ')],
      combineWith: 'OR',
      boost: { name: 3 * boost, aliases: 2.5 * boost, nameEn: 2 * boost, field: 0.6 * boost, code: boost },
    });
    const queries: Query[] = [phrase(folded, 1), ...expansions.map((e) => phrase(e, 0.7))];
    const results: SearchResult[] = this.search.search(
      { queries, combineWith: 'OR' },
      {
        // Typo tolerance only for words the catalogue does not contain: a known word is meant as
        // typed, and fuzzy matching on common syllables ("dang", "ky") costs time and precision.
        fuzzy: (term) => (this.vocabulary.has(term) ? 0 : fuzziness(term)),
        maxFuzzy: 2,
        // Words still being typed: the last one may be a prefix.
        prefix: (term, i, all) => i === all.length - 1 && !term.includes('_') && term.length >= 3,
        weights: { fuzzy: 0.35, prefix: 0.4 },
        boostDocument: (id) => 1 + (this.popularity.get(id) ?? 0) / 500,
      },
    );
    if (results.length === 0) return [];
    // Drop the long tail of one-syllable coincidences.
    const floor = results[0]!.score * 0.12;
    return results.filter((r) => r.score >= floor).map((r) => ({ id: r.id as string, score: r.score }));
  }
}

