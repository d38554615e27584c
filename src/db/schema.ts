// Table types for Kysely. Timestamps are ISO 8601 UTC text and booleans are 0/1 integers on both
// dialects, so SQLite and PostgreSQL share one code path; JSON columns are text parsed in the queries files.
import type { Generated } from 'kysely';
import type { Status } from '../domain/dossier-status.ts';

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
  /** The electronic agency identifier (mã định danh, NNN.NN.NN.XNN) dossier codes start with; null: none yet, no codes. */
  identifier: string | null;
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
  /** `working` (default) or `calendar`: the unit of the processing time in days (0016). */
  processing_day_kind: string;
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
  /** The email address or the phone number (+84…) the person signs in with, folded. */
  username: string;
  password_hash: string;
  name: string;
  email: string | null;
  phone: string | null;
  /** When the person proved they hold the email or phone; null until then. Staff are verified on creation. */
  verified_at: string | null;
  created_at: string;
  /** When the holder asked for deletion: name, username and contacts were removed then (privacy module). */
  deleted_at: string | null;
  /** When an administrator disabled the account: no sign-in, no session (0011). */
  disabled_at: string | null;
  /** The TOTP secret sealed with AES-256-GCM under DATA_KEY (0011). */
  totp_secret: string | null;
  /** When the second factor was confirmed with a first code; null while off. */
  totp_enabled_at: string | null;
  /** The last 30-second step whose code was accepted (no replay). */
  totp_last_step: number | null;
  /** Wrong codes in a row (counted before each check); reset by a good code. */
  totp_failures: Generated<number>;
}

export interface UserRoleTable {
  user_id: string;
  role: string;
  unit_id: string | null;
  /** 1 when the role also covers the unit's subtree. */
  subtree: number;
}

/** An account's sign-in through an OpenID Connect provider (VNeID): the provider's subject for the person. */
export interface UserIdentityTable {
  issuer: string;
  subject: string;
  user_id: string;
  created_at: string;
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
  user_identities: UserIdentityTable;
  consents: ConsentTable;
  sessions: SessionTable;
  role_policies: RolePolicyTable;
  pending_sign_ins: PendingSignInTable;
  one_time_codes: OneTimeCodeTable;
  login_throttle: LoginThrottleTable;
  outbox: OutboxTable;
  dossiers: DossierTable;
  dossier_actions: DossierActionTable;
  dossier_counters: DossierCounterTable;
  attachments: AttachmentTable;
  idempotency_keys: IdempotencyKeyTable;
  workflow_templates: WorkflowTemplateTable;
  dossier_results: DossierResultTable;
  dossier_status_counts: DossierStatusCountTable;
  stats_daily: StatsDailyTable;
  stats_daily_level: StatsDailyLevelTable;
  ratings: RatingTable;
  feedback: FeedbackTable;
  calendar_days: CalendarDayTable;
  calendar_years: CalendarYearTable;
  unit_working_hours: UnitWorkingHoursTable;
  unit_calendar_settings: UnitCalendarSettingsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  sync_events: SyncEventTable;
  outreach_plans: OutreachPlanTable;
  outreach_channels: OutreachChannelTable;
  outreach_activities: OutreachActivityTable;
  outreach_budget_lines: OutreachBudgetLineTable;
  outreach_evidence: OutreachEvidenceTable;
  postal_exclusions: PostalExclusionTable;
  shipments: ShipmentTable;
  shipment_events: ShipmentEventTable;
  payments: PaymentTable;
  payment_attempts: PaymentAttemptTable;
  payment_receipt_counters: PaymentReceiptCounterTable;
  statement_imports: StatementImportTable;
  statement_lines: StatementLineTable;
}

/** A consent to the privacy notice (Decree 13/2023): who, which notice version, when, for what. */
export interface ConsentTable {
  id: string;
  user_id: string;
  /** `registration` or `dossier`. */
  purpose: string;
  dossier_id: string | null;
  notice_version: string;
  /** `page` or `api`. */
  channel: string;
  given_at: string;
  /** Set when the person asked for deletion; the record itself is kept as proof. */
  withdrawn_at: string | null;
}

export interface SessionTable {
  /** SHA-256 of the token: a stolen database does not hand out live sessions. */
  token_hash: string;
  user_id: string;
  /** `cookie` for pages, `bearer` for the API. */
  kind: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  /** Inactivity after which the session ends (0: none); expires_at is the absolute end (0011). */
  idle_seconds: Generated<number>;
}

/** Whether a role requires the second factor (0011), set by a province administrator. */
export interface RolePolicyTable {
  role: string;
  require_totp: number;
  updated_at: string;
}

/** Between a right password and the TOTP code: a short-lived token, not a session (0011). */
export interface PendingSignInTable {
  token_hash: string;
  user_id: string;
  kind: string;
  created_at: string;
  expires_at: string;
}

export interface OneTimeCodeTable {
  id: string;
  user_id: string;
  /** `verify` (confirm the email or phone) or `reset` (password reset). */
  purpose: string;
  code_hash: string;
  attempts: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface LoginThrottleTable {
  /** The folded username, or `ip:<address>`. */
  key: string;
  failures: number;
  locked_until: string | null;
  updated_at: string;
  /** Sliding-window counters (0010): when this window began (null for a plain counter), and the previous window's count. */
  window_start: string | null;
  previous_failures: import('kysely').ColumnType<number, number | undefined, number>;
}

export interface OutboxTable {
  id: string;
  /** `email` or `sms`. */
  channel: string;
  recipient: string;
  template: string;
  lang: string;
  /** JSON object of the template's parameters. */
  params: string;
  /** `pending`, `sending`, `sent` or `failed`. */
  status: string;
  attempts: number;
  next_attempt_at: string;
  /** Until when the worker that claimed it may send it; after that another may. */
  claimed_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface DossierTable {
  id: string;
  /** Issued at submission: {unitCode}-{YYMMDD}-{NNNN}; null for drafts. Never changes. */
  code: string | null;
  /** With the code, opens the public tracking page; null for drafts. */
  tracking_key: string | null;
  procedure_id: string;
  /** The published version the dossier was filed under. */
  procedure_version: number;
  unit_id: string;
  /** `online`, `counter`, `postal` or `national_portal`. */
  channel: string;
  /** Derived from the action log, stored here for queries (docs/domain.md §3). */
  status: Status;
  status_code: number;
  owner_id: string | null;
  /** JSON: fullName, idNumber, phone, email, address; sealed at rest (`v1:<keyId>:…`, src/domain/sealed.ts). */
  applicant: string;
  /** JSON: the form answers; sealed at rest. */
  form: string;
  /** JSON: method (counter, postal, online) and address; sealed at rest. */
  delivery: string;
  /** The applicant's language, for messages. */
  lang: string;
  /** 1 for practice-mode dossiers, which never enter a real queue or the statistics. */
  practice: number;
  /** The sender's id for dossiers received from the national portal. */
  external_id: string | null;
  submitted_at: string | null;
  accepted_at: string | null;
  due_at: string | null;
  resolved_at: string | null;
  returned_at: string | null;
  created_at: string;
  updated_at: string;
  /** Bumped by every change: a writer that read an older revision loses. */
  revision: number;
  /** JSON DossierState (src/domain/dossier-status.ts) folded from the log, so rules need not replay it. */
  state: string;
  /** The officer the dossier is assigned to, when someone is. */
  assignee_id: string | null;
  /** When the clock stopped (a supplement during processing, a financial obligation); null while it runs. */
  paused_at: string | null;
  /** The new date promised in an apology letter (Form 04); statistics still judge by due_at. */
  new_due_at: string | null;
  /** The legal processing time in working hours, fixed at acceptance. */
  processing_hours: number | null;
  /** The Vietnam day the handler was last reminded of the due date. */
  reminded_on: string | null;
  /** Keyed look-up hashes (HMAC-SHA-256 under DATA_KEY, src/domain/sealed.ts) of the applicant's ID number, phone (+84 form) and email; the values themselves are sealed in `applicant`. */
  applicant_id_hash: string | null;
  applicant_phone_hash: string | null;
  applicant_email_hash: string | null;
  /** The desk that received the dossier (Decree 118/2025: not bound to the administrative boundary); unit_id is the competent unit. */
  receiving_unit_id: string | null;
  /** The date an open supplement request asks for the documents by; null: none set. */
  supplement_due_at: string | null;
}

/** Steps a dossier goes through after intake: the role, the unit (null: the intake unit), and the share of the processing time. */
export interface WorkflowTemplateTable {
  id: string;
  /** null for the default template. */
  procedure_id: string | null;
  name: string;
  /** JSON array of { key, role, unitId, share, name, nameEn }. */
  steps: string;
  updated_at: string;
}

/** The daily counts for the whole province by the procedure's level (province, district, commune). */
export interface StatsDailyLevelTable {
  day: string;
  level: string;
  channel: string;
  measure: string;
  n: number;
}

/** An applicant's rating of a dossier once its result was returned: one per dossier. */
export interface RatingTable {
  dossier_id: string;
  /** 1 (rất không hài lòng) to 5 (rất hài lòng): the scale before issue 11. */
  score: number;
  /** The national three-level scale: very_satisfied, satisfied, dissatisfied (older scores mapped). */
  satisfaction: string | null;
  comment: string | null;
  created_at: string;
}

/** Public feedback (phản ánh, kiến nghị) to a unit. */
export interface FeedbackTable {
  id: string;
  unit_id: string;
  procedure_id: string | null;
  dossier_code: string | null;
  name: string;
  /** An email address or phone number for the answer; never published. */
  contact: string;
  subject: string;
  body: string;
  created_at: string;
  /** `new` or `answered`. */
  status: string;
  answer: string | null;
  answered_at: string | null;
  answered_by: string | null;
  /** 1 when the unit published the item and its answer. */
  published: number;
}

/** Daily statistics: how many dossiers of a unit, procedure and channel a measure counted on a day. */
export interface StatsDailyTable {
  day: string;
  unit_id: string;
  procedure_id: string;
  channel: string;
  measure: string;
  n: number;
}

/** Dossiers per unit and status (no drafts, no practice dossiers), kept with every change of status. */
export interface DossierStatusCountTable {
  unit_id: string;
  status: Status;
  n: number;
}

/** A result document: {dossierCode}-KQ{n} (Decree 45/2020). */
export interface DossierResultTable {
  id: string;
  dossier_id: string;
  n: number;
  code: string;
  name: string;
  size: number;
  mime: string;
  sha256: string;
  storage_key: string;
  created_at: string;
  created_by: string;
  /** Số and ký hiệu (Decree 30/2020), the result type (src/domain/results.ts), the date of issue (YYYY-MM-DD): null for results attached before 0018. */
  number: string | null;
  symbol: string | null;
  type: string | null;
  issued_on: string | null;
  issuing_unit_id: string | null;
  /** The issuing unit's name when the result was issued. */
  issuing_unit: string | null;
  /** For a signed PDF: the certificate subject's CN, when, the certificate's SHA-256, and the uploaded file's SHA-256 before stamping and signing. */
  signer: string | null;
  signed_at: string | null;
  cert_sha256: string | null;
  original_sha256: string | null;
  /** 1: signed with the self-signed demo certificate. */
  demo_cert: number;
}

export interface DossierActionTable {
  id: string;
  dossier_id: string;
  seq: number;
  at: string;
  action: string;
  actor_id: string | null;
  actor_role: string;
  from_status: Status | null;
  to_status: Status;
  note: string | null;
  /** JSON: what the action carried (missing documents, the next handler…). */
  data: string;
}

export interface DossierCounterTable {
  unit_id: string;
  day: string;
  last: number;
}

export interface AttachmentTable {
  id: string;
  dossier_id: string;
  document_key: string;
  name: string;
  size: number;
  mime: string;
  sha256: string;
  storage_key: string;
  created_at: string;
}

export interface IdempotencyKeyTable {
  /** Whose key it is: a user id, or `inbound:<sender>`. */
  scope: string;
  key: string;
  dossier_id: string;
  created_at: string;
}

export interface AuditLogTable {
  /** 1, 2, 3… with no gaps, assigned under the head's lock: a missing number is a removed entry. */
  seq: number;
  at: string;
  /** `dossier_action`, `sign_in`, `sign_in_failed`, `role_granted`, `role_revoked`, `user_created`, `calendar_changed`… */
  kind: string;
  actor_id: string | null;
  /** What the entry is about: `dossier:<id>`, `user:<id>`, `calendar:<id>`. */
  subject: string;
  /** Canonical JSON (sorted keys, no spaces): the hash covers this exact text. */
  data: string;
  /** The previous entry's hash; 64 zeros for the first. */
  prev_hash: string;
  /** SHA-256 hex over the entry and prev_hash (src/domain/audit-chain.ts). */
  hash: string;
}

export interface AuditHeadTable {
  /** Always 1: the single row is the chain's end and the lock appends queue on. */
  id: number;
  /** The last entry's seq, 0 while the log is empty. */
  seq: number;
  /** The last entry's hash, the genesis hash while the log is empty. */
  hash: string;
  /** HMAC-SHA-256 (hex) of seq and hash under AUDIT_KEY (src/domain/audit-chain.ts headSignature); null before the first signed append. */
  signature: string | null;
}

export interface CalendarDayTable {
  /** YYYY-MM-DD, Vietnam time. */
  date: string;
  /** The unit whose own calendar this day belongs to; '' for the default calendar (PostgreSQL keys cannot hold null). */
  unit_id: string;
  /** `off` (a day off on a weekday) or `work` (a working day on a weekend). */
  kind: string;
  name: string;
  name_en: string | null;
  /** `official` (an announced schedule), `statutory` (copied from the Labour Code's defaults) or `admin` (edited by hand). */
  source: string;
}

export interface CalendarYearTable {
  /** A year kept as a table of days: only calendar_days count for it. Other years use the statutory defaults. */
  year: number;
  /** `official` (an announced schedule is loaded) or `statutory` (the defaults, copied for an admin to edit). */
  source: string;
}

export interface UnitWorkingHoursTable {
  unit_id: string;
  /** JSON: { mon: [{ from: "07:00", to: "11:30" }, …], …, sun: [] } (src/domain/calendar.ts). */
  hours: string;
}

/** Beside a unit's working hours ('' for the default calendar): its same-day cut-off and reception hours (0016). */
export interface UnitCalendarSettingsTable {
  unit_id: string;
  /** HH:MM; null: the default calendar's, else 15:00. */
  same_day_cutoff: string | null;
  /** JSON working hours of the desk, which never count for deadlines; null: the default calendar's, else the working hours. */
  reception_hours: string | null;
}

/** The national sync's outbox: one event per change of a dossier, sent in `seq` order per dossier (docs/national-sync.md). */
export interface SyncEventTable {
  id: string;
  dossier_id: string;
  seq: number;
  payload: string;
  /** `pending` or `sent`. */
  status: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  claimed_until: string | null;
  last_error: string | null;
  last_attempt_at: string | null;
  created_at: string;
  sent_at: string | null;
}

/** A payment request of a dossier (migration 0019, docs/domain.md "Payments"): due at a stage, paid once, then numbered. */
export interface PaymentTable {
  id: string;
  dossier_id: string;
  /** `fee` (lệ phí) or `charge` (phí). */
  purpose: string;
  /** `before_intake`, `before_processing` or `before_result`. */
  stage: string;
  amount_vnd: number;
  /** `due`, `pending`, `paid`, `failed`, `refunded`, or `cancelled` (the dossier ended unpaid). */
  status: string;
  /** null, `vnpay`, `vietqr` or `cash`. */
  method: string | null;
  /** 'MC' + 10 of A-Z0-9, unique: a bank transfer's description carries it. */
  reference: string;
  /** JSON: the fee line (label, rule, exemption) the amount came from. */
  detail: Generated<string>;
  /** The collecting unit. */
  unit_id: string;
  receipt_series: string | null;
  receipt_no: string | null;
  paid_at: string | null;
  /** The officer who took cash; null otherwise. */
  paid_by: string | null;
  gateway_ref: string | null;
  /** 1: a refund is owed (the dossier was refused or withdrawn after it was paid). */
  refund_due: Generated<number>;
  refunded_at: string | null;
  refunded_by: string | null;
  created_at: string;
  updated_at: string;
  revision: Generated<number>;
}

/** One try of a payment through a gateway (its vnp_TxnRef). */
export interface PaymentAttemptTable {
  id: string;
  payment_id: string;
  method: string;
  txn_ref: string;
  amount_vnd: number;
  /** `pending`, `succeeded`, `failed` or `expired`. */
  status: string;
  lang: string;
  ip: string;
  created_at: string;
  expires_at: string;
  finished_at: string | null;
  response_code: string | null;
  gateway_ref: string | null;
}

/** The last receipt number of a series in a year. */
export interface PaymentReceiptCounterTable {
  series: string;
  year: number;
  last: number;
}

/** A procedure a unit does not take in or return through the public postal service (docs/domain.md §9). */
export interface PostalExclusionTable {
  unit_id: string;
  procedure_id: string;
  created_at: string;
  created_by: string | null;
}

/** A dossier carried to the desk (inbound) or a result carried to the applicant (outbound) by post. */
export interface ShipmentTable {
  id: string;
  dossier_id: string;
  /** `inbound` or `outbound`. */
  direction: string;
  operator: string;
  post_office_id: string | null;
  tracking_number: string | null;
  fee_vnd: number;
  /** The applicant's address (outbound), sealed under DATA_KEY; null inbound. */
  address: string | null;
  /** src/domain/postal.ts `shipmentStatuses`. */
  status: string;
  created_at: string;
  updated_at: string;
  revision: number;
}

/** A status a shipment went through, reported by its operator (idempotent by `event_id`) or recorded by postal staff. */
export interface ShipmentEventTable {
  id: string;
  shipment_id: string;
  event_id: string;
  /** Its place among the shipment's events. */
  seq: number;
  /** `operator` or `staff`. */
  source: string;
  from_status: string;
  status: string;
  at: string;
  recorded_at: string;
  note: string | null;
}

/** A campaign plan (migration 0022, docs/domain.md "Campaigns"); JSON text in objectives, themes, units, discrepancies. Amounts in VND (bigint: text or number as read). */
export interface OutreachPlanTable {
  id: string;
  number: string;
  appendix_number: string | null;
  date: string;
  issuer: string;
  title: string;
  period_from: string;
  period_to: string;
  objectives: string;
  themes: string;
  units: string;
  discrepancies: string;
  printed_amount: number | string | null;
  printed_state: number | string | null;
  printed_social: number | string | null;
  source: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface OutreachChannelTable {
  id: string;
  plan_id: string;
  position: number;
  /** src/domain/outreach.ts outreachChannels. */
  kind: string;
  label: string | null;
}

export interface OutreachActivityTable {
  id: string;
  plan_id: string;
  position: number;
  title: string;
  channel_id: string | null;
  planned_from: string;
  planned_to: string;
  /** planned, in_progress, done, cancelled. */
  status: string;
  actual_from: string | null;
  actual_to: string | null;
  actual_spending: number | string | null;
  note: string | null;
  updated_at: string;
}

export interface OutreachBudgetLineTable {
  id: string;
  plan_id: string;
  position: number;
  section: string;
  section_name: string;
  group_key: string | null;
  group_name: string | null;
  no: number;
  item: string;
  duration: string | null;
  quantity: number | string | null;
  unit_price: number | string;
  amount: number | string;
  state: number | string;
  social: number | string;
  note: string | null;
}

export interface OutreachEvidenceTable {
  id: string;
  activity_id: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  storage_key: string;
  created_by: string | null;
  created_at: string;
}

/** A bank statement imported to reconcile VietQR transfers (migration 0021, docs/domain.md §8.3). */
export interface StatementImportTable {
  id: string;
  file_name: string;
  sha256: string;
  imported_by: string;
  imported_at: string;
  lines: number;
  applied: number;
  review: number;
  duplicates: number;
  outgoing: number;
}

/** An incoming line of a statement, kept once per bank transaction id: applied to a payment, or for review (never applied). */
export interface StatementLineTable {
  id: string;
  import_id: string;
  line_no: number;
  bank_txn_id: string;
  booked_on: string;
  amount_vnd: number;
  description: string;
  reference: string | null;
  payment_id: string | null;
  /** `applied` or `review`. */
  outcome: string;
  /** For review: no_reference, unknown_reference, ambiguous, amount_mismatch, already_paid, not_open. */
  reason: string | null;
  handled_at: string | null;
  handled_by: string | null;
  handled_note: string | null;
}
