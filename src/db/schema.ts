// Table types for Kysely. Timestamps are ISO 8601 UTC text and booleans are 0/1 integers on both
// dialects, so SQLite and PostgreSQL share one code path; JSON columns are text parsed in the queries files.
export interface MetaTable {
  key: string;
  value: string;
}

export interface UnitTable {
  id: string;
  code: string;
  name: string;
  name_en: string;
  kind: string;
  subkind: string | null;
  parent_id: string | null;
  /** First day the unit exists (YYYY-MM-DD), null when it predates the records. */
  valid_from: string | null;
  /** Last day the unit exists (YYYY-MM-DD), null while it still exists. */
  valid_to: string | null;
  /** JSON array of the ids that took over from this unit. */
  successor_ids: string;
  agency_name: string | null;
  agency_name_en: string | null;
  area_code: string | null;
  sort_order: number;
}

export interface FieldTable {
  key: string;
  name: string;
  name_en: string;
}

export interface ProcedureTable {
  id: string;
  code: string;
  name: string;
  name_en: string;
  field_key: string;
  level: string;
  online_class: string;
  online_level: number;
  audience: string;
  /** Statutory processing time in working hours (1 working day = 8 h). */
  processing_hours: number;
  fee_vnd: number | null;
  /** `explicit` (see procedure_units), or a rule such as `all-communes` resolved at a date. */
  unit_scope: string;
  current_version: number;
  /** Higher is more used; breaks ties in search and orders the home page. */
  popularity: number;
  synthetic: number;
  updated_at: string;
}

export interface ProcedureVersionTable {
  procedure_id: string;
  version: number;
  published_at: string;
  /** JSON: documents, fees, form, legal basis, result, postal rules (see catalog.queries.ts). */
  content: string;
}

export interface ProcedureUnitTable {
  procedure_id: string;
  unit_id: string;
}

export interface ProcedureAliasTable {
  procedure_id: string;
  alias: string;
}

export interface SearchSynonymTable {
  /** The folded `means`, so reloading the list replaces rather than duplicates. */
  id: string;
  /** JSON array of the everyday terms. */
  terms: string;
  means: string;
}

export interface SearchMissTable {
  query: string;
  count: number;
  last_at: string;
}

export interface AdminAreaTable {
  /** `2025-03` (three tiers) or `2026-07` (two tiers). */
  scheme: string;
  code: string;
  level: string;
  name: string;
  name_en: string | null;
  parent_code: string | null;
}

export interface AreaMappingTable {
  old_code: string;
  new_code: string;
}

export interface UserTable {
  id: string;
  username: string;
  password_hash: string;
  name: string;
  created_at: string;
}

export interface UserRoleTable {
  user_id: string;
  role: string;
  unit_id: string | null;
  /** 1 when the role also covers the unit's subtree. */
  subtree: number;
}

export interface Database {
  meta: MetaTable;
  units: UnitTable;
  fields: FieldTable;
  procedures: ProcedureTable;
  procedure_versions: ProcedureVersionTable;
  procedure_units: ProcedureUnitTable;
  procedure_aliases: ProcedureAliasTable;
  search_synonyms: SearchSynonymTable;
  search_misses: SearchMissTable;
  admin_areas: AdminAreaTable;
  area_mappings: AreaMappingTable;
  users: UserTable;
  user_roles: UserRoleTable;
}
