// The catalogue: procedures, their published versions and the search over them. The whole
// catalogue (thousands of rows) is held in memory as a read model and rebuilt when the catalogue
// revision in the database changes, so several instances behind one database stay in step.
import type { Db } from '../../db/connection.ts';
import type { AdminLevel, Audience, OnlineClass, OnlineLevel, ProcedureDocument, VersionContent } from '../../domain/catalog.ts';
import type { FormField } from '../../domain/forms.ts';
import type { ProcessingDayKind } from '../../domain/calendar.ts';
import { slugify, viCollator, words } from '../../domain/text.ts';
import { vietnamDay, type Clock } from '../../domain/time.ts';
import { invalid, type FieldProblem, fail } from '../../errors.ts';
import { unitsOfKindOn, type Unit, type UnitsService } from '../units/units.service.ts';
import * as q from './catalog.queries.ts';
import { CatalogIndex } from './catalog.search.ts';

export type ProcedureSummary = {
  id: string; code: string; name: string; nameEn: string;
  field: string; fieldName: string; fieldNameEn: string;
  level: AdminLevel; onlineClass: OnlineClass; onlineLevel: OnlineLevel; audience: Audience;
  processingDays: number; feeVnd: number | null;
  /** Whether processingDays counts working days (the default) or calendar days. */
  processingDayKind: ProcessingDayKind;
  /** `explicit`, `all-communes` or `all-districts`: how unitIds was found. */
  unitScope: string;
  unitIds: string[];
};

/** A form field as the API shows it: the definition with labels split into vi/en. */
export type ApiFormField = { key: string; type: string; label: string; labelEn: string; required: boolean; section: string; [extra: string]: unknown };

export type DocumentItem = Omit<ProcedureDocument, 'hasTemplate'> & { templateUrl: string | null };

export type ProcedureDetail = ProcedureSummary & {
  documents: DocumentItem[];
  form: { version: number; legalForm: string | null; sections: Array<{ key: string; title: string; titleEn: string }>; fields: ApiFormField[] };
  fees: VersionContent['fees'];
  legalBasis: string[];
  result: string;
  processingNote: string | null;
  postal: { submit: boolean; return: boolean };
  uncertain: boolean;
  version: { number: number; publishedAt: string };
};

export type SearchParams = {
  q?: string; field?: string; level?: string; unitId?: string; onlineClass?: string; onlineLevel?: number;
  audience?: string; limit: number; offset: number;
};

export type Field = { key: string; name: string; nameEn: string; count: number };

type Model = {
  revision: string;
  byId: Map<string, ProcedureSummary & { popularity: number; version: number }>;
  /** Every procedure, most used first, then by name in Vietnamese order. */
  ordered: ProcedureSummary[];
  fields: Map<string, Field>;
  index: CatalogIndex;
  units: Map<string, Unit>;
};

export const maxQueryLength = 200;

export class CatalogService {
  private model: Model | null = null;
  private readonly details = new Map<string, ProcedureDetail>();
  private readonly versions = new Map<string, { version: { published_at: string; content: VersionContent }; content: VersionContent }>();
  /**
   * Each summary as UTF-8 JSON, made once. A commune procedure's summary names all its communes
   * (4–5 KB), and encoding a page of them for every request would cost more than the search.
   */
  private readonly summaryJson = new Map<string, Buffer>();
  private readonly answers = new Map<string, Buffer>();

  constructor(
    private readonly db: Db,
    private readonly units: UnitsService,
    private readonly clock: Clock,
    private readonly onMiss: (foldedQuery: string) => void = () => {},
  ) {}

  /** Builds the read model from the database. */
  async load(): Promise<void> {
    const revision = await q.catalogRevision(this.db);
    const [rows, links, aliases, synonyms, fieldRows, units] = await Promise.all([
      q.allProcedures(this.db), q.allProcedureUnits(this.db), q.allAliases(this.db), q.allSynonyms(this.db), q.allFields(this.db), this.units.all(),
    ]);
    const today = vietnamDay(this.clock.now());
    const scopeUnits: Record<string, string[]> = {
      'all-communes': unitsOfKindOn(units, 'commune', today).map((u) => u.id),
      'all-districts': unitsOfKindOn(units, 'district', today).map((u) => u.id),
    };
    const explicit = new Map<string, string[]>();
    for (const l of links) (explicit.get(l.procedure_id) ?? explicit.set(l.procedure_id, []).get(l.procedure_id)!).push(l.unit_id);
    const aliasesOf = new Map<string, string[]>();
    for (const a of aliases) (aliasesOf.get(a.procedure_id) ?? aliasesOf.set(a.procedure_id, []).get(a.procedure_id)!).push(a.alias);
    const fieldNames = new Map(fieldRows.map((f) => [f.key, f]));
    const fields = new Map<string, Field>();

    const byId: Model['byId'] = new Map();
    for (const r of rows) {
      const f = fieldNames.get(r.field_key);
      const field = fields.get(r.field_key) ?? { key: r.field_key, name: f?.name ?? r.field_key, nameEn: f?.name_en ?? r.field_key, count: 0 };
      field.count++;
      fields.set(r.field_key, field);
      byId.set(r.id, {
        id: r.id, code: r.code, name: r.name, nameEn: r.name_en,
        field: r.field_key, fieldName: field.name, fieldNameEn: field.nameEn,
        level: r.level as AdminLevel, onlineClass: r.online_class as OnlineClass, onlineLevel: r.online_level as OnlineLevel,
        audience: r.audience as Audience, processingDays: r.processing_hours / 8, feeVnd: r.fee_vnd,
        processingDayKind: r.processing_day_kind === 'calendar' ? 'calendar' : 'working',
        unitScope: r.unit_scope, unitIds: r.unit_scope === 'explicit' ? (explicit.get(r.id) ?? []) : (scopeUnits[r.unit_scope] ?? []),
        popularity: r.popularity, version: r.current_version,
      });
    }
    const ordered = [...byId.values()].sort((a, b) => b.popularity - a.popularity || viCollator.compare(a.name, b.name));
    const index = new CatalogIndex(
      [...byId.values()].map((p) => ({ id: p.id, code: p.code, name: p.name, nameEn: p.nameEn, field: p.fieldName, aliases: aliasesOf.get(p.id) ?? [], popularity: p.popularity })),
      synonyms,
    );
    this.model = { revision, byId, ordered: ordered.map(strip), fields, index, units: new Map(units.map((u) => [u.id, u])) };
    this.details.clear();
    this.versions.clear();
    this.summaryJson.clear();
    this.answers.clear();
  }

  /** Reloads when another instance (or a seed) changed the catalogue. */
  async refreshIfChanged(): Promise<boolean> {
    const revision = await q.catalogRevision(this.db);
    if (this.model && revision === this.model.revision) return false;
    await this.load();
    return true;
  }

  private get m(): Model {
    if (!this.model) fail('unavailable');
    return this.model;
  }

  get size(): number {
    return this.m.byId.size;
  }

  fields(): Field[] {
    return [...this.m.fields.values()].sort((a, b) => viCollator.compare(a.name, b.name));
  }

  unit(id: string): Unit | undefined {
    return this.m.units.get(id);
  }

  allUnits(): Unit[] {
    return [...this.m.units.values()];
  }

  /** The units that handle at least one procedure, for the search filter. */
  handlingUnits(): Unit[] {
    const ids = new Set<string>();
    for (const p of this.m.byId.values()) if (p.unitScope === 'explicit') for (const u of p.unitIds) ids.add(u);
    return [...ids].map((id) => this.m.units.get(id)!).filter(Boolean);
  }

  mostUsed(n: number): ProcedureSummary[] {
    return this.m.ordered.slice(0, n);
  }

  /** Checks filter values against the catalogue: an unknown value is an error, not an empty list. */
  private resolveFilters(p: SearchParams): { field?: string } {
    const problems: Record<string, FieldProblem> = {};
    let field: string | undefined;
    if (p.q !== undefined && p.q.length > maxQueryLength) problems.q = { key: 'tooLong', params: { max: maxQueryLength } };
    if (p.field) {
      field = slugify(p.field);
      if (!this.m.fields.has(field)) problems.field = { key: 'unknownField' };
    }
    if (p.unitId && !this.m.units.has(p.unitId)) problems.unitId = { key: 'unknownUnit' };
    if (Object.keys(problems).length) throw invalid(problems);
    return { field };
  }

  search(p: SearchParams): { total: number; items: ProcedureSummary[] } {
    const { total, page } = this.match(p);
    return { total, items: page.map(strip) };
  }

  /**
   * A search answer as the API's JSON bytes. Summaries are encoded once each, and whole answers
   * are kept for the most recent distinct requests, until the catalogue changes.
   */
  searchJson(p: SearchParams): Buffer {
    const key = JSON.stringify([p.q ? words(p.q).join(' ') : '', p.field, p.level, p.unitId, p.onlineClass, p.onlineLevel, p.audience, p.limit, p.offset]);
    const cached = this.answers.get(key);
    if (cached) return cached;
    const { total, page } = this.match(p);
    const parts: Buffer[] = [Buffer.from(`{"total":${total},"items":[`)];
    page.forEach((item, i) => {
      let json = this.summaryJson.get(item.id);
      if (json === undefined) this.summaryJson.set(item.id, (json = Buffer.from(JSON.stringify(strip(item)))));
      if (i > 0) parts.push(comma);
      parts.push(json);
    });
    parts.push(closing);
    const answer = Buffer.concat(parts);
    this.answers.set(key, answer);
    if (this.answers.size > CatalogService.answerCacheSize) this.answers.delete(this.answers.keys().next().value!);
    return answer;
  }

  static readonly answerCacheSize = 256;

  private match(p: SearchParams): { total: number; page: ProcedureSummary[] } {
    const { field } = this.resolveFilters(p);
    const text = p.q?.trim() ?? '';
    const m = this.m;
    const candidates = text ? m.index.query(text).map((r) => m.byId.get(r.id)!) : m.ordered;
    const matches = candidates.filter(
      (c) =>
        (!field || c.field === field) &&
        (!p.level || c.level === p.level) &&
        (!p.onlineClass || c.onlineClass === p.onlineClass) &&
        (!p.onlineLevel || c.onlineLevel === p.onlineLevel) &&
        (!p.audience || c.audience === p.audience || c.audience === 'both') &&
        (!p.unitId || c.unitIds.includes(p.unitId)),
    );
    if (text && candidates.length === 0) {
      const folded = m.index.expand(text).folded;
      // Numbers long enough to be an ID or a phone, and email addresses, are personal data: not logged.
      if (folded && !/\d{6,}|@/.test(text)) this.onMiss(folded);
    }
    return { total: matches.length, page: matches.slice(p.offset, p.offset + p.limit) };
  }

  find(id: string): ProcedureSummary | undefined {
    const p = this.m.byId.get(id);
    return p && strip(p);
  }

  async get(id: string): Promise<ProcedureDetail> {
    const cached = this.details.get(id);
    if (cached) return cached;
    const { p, version, content: c } = await this.currentVersion(id);
    const detail: ProcedureDetail = {
      ...strip(p),
      documents: c.documents.map(({ hasTemplate, ...d }) => ({ ...d, templateUrl: hasTemplate ? `/thu-tuc/${id}/mau/${d.key}.pdf` : null })),
      form: {
        version: c.form.version,
        legalForm: c.form.legalForm ?? null,
        sections: c.form.sections.map((s) => ({ key: s.key, title: s.title.vi, titleEn: s.title.en })),
        fields: c.form.sections.flatMap((s) => s.fields.map((f) => apiField(s.key, f))),
      },
      fees: c.fees,
      legalBasis: c.legalBasis,
      result: c.result,
      processingNote: c.processingNote,
      postal: c.postal,
      uncertain: c.uncertain,
      version: { number: p.version, publishedAt: version.published_at },
    };
    this.details.set(id, detail);
    return detail;
  }

  /** The fee lines of a published version (what a dossier filed under it was told); null for a version that does not exist. */
  async versionFees(id: string, version: number, db: Db = this.db): Promise<unknown[] | null> {
    const found = await q.findVersion(db, id, version);
    if (!found) return null;
    return Array.isArray(found.content.fees) ? found.content.fees : null;
  }

  /** The form definition, as published, for rendering. */
  async formDefinition(id: string): Promise<VersionContent['form']> {
    return (await this.currentVersion(id)).content.form;
  }

  /** A published version never changes, so its parsed content is kept until the catalogue reloads. */
  private async currentVersion(id: string) {
    const p = this.m.byId.get(id);
    if (!p) fail('procedure_not_found');
    const key = `${id}@${p.version}`;
    let entry = this.versions.get(key);
    if (!entry) {
      const version = await q.findVersion(this.db, id, p.version);
      if (!version) fail('procedure_not_found');
      entry = { version, content: version.content };
      this.versions.set(key, entry);
    }
    return { p, ...entry };
  }
}

const comma = Buffer.from(',');
const closing = Buffer.from(']}');

function strip(p: ProcedureSummary & { popularity?: number; version?: number }): ProcedureSummary {
  const { popularity: _p, version: _v, ...summary } = p;
  return summary;
}

function apiField(section: string, f: FormField): ApiFormField {
  const { label, hint, options, unit, ...rest } = f;
  return {
    ...rest,
    section,
    label: label.vi,
    labelEn: label.en,
    required: f.required ?? false,
    ...(hint && { hint: hint.vi, hintEn: hint.en }),
    ...(unit && { unit: unit.vi, unitEn: unit.en }),
    ...(options && { options: options.map((o) => ({ value: o.value, label: o.label.vi, labelEn: o.label.en })) }),
  };
}
