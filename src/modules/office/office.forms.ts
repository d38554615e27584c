// The one table of the documents the office prints (Circular 03/2025/TT-VPCP, docs/domain.md §7):
// for each form, when a dossier has come to it, who may read it, and how it is drawn. The service
// (GET /dossiers/{id}/documents/{form}.pdf), the route's enum, the dossier page's list and the
// message keys (`office.documentNames`) all derive from it. Form 01, the receipt, is the dossiers
// module's. Adding a form: its wording in data/reference/documents/forms-03-2025.json (and its
// keys in office.documents.ts `wordingKeys`), its renderer there, and one row here.
import type { Action, Status } from '../../domain/dossier-status.ts';
import type { WorkflowStep } from '../../domain/workflow.ts';
import type { Lang, Messages } from '../../i18n/index.ts';
import { apologyPdf, processControlPdf, refusalPdf, stopNoticePdf, supplementRequestPdf, type DocumentHeader, type FormNumber } from './office.documents.ts';

/** What decides whether a form applies: the dossier's status, the actions in its log, and the dates its row keeps. */
export type DossierFacts = { status: Status; actions: readonly string[]; acceptedAt: string | null; dueAt: string | null };

export type LoggedAction = { action: string; at: string; data: Record<string, unknown>; note: string | null; actor_id: string | null; actor_role: string };

/** What a renderer is given: the dossier's header, row dates and log, with the names of the people in it. */
export type FormSource = {
  lang: Lang;
  messages: Messages;
  header: DocumentHeader;
  /** Set whenever the form applies and needs them. */
  acceptedAt: string;
  dueAt: string;
  log: readonly LoggedAction[];
  names: ReadonlyMap<string, string>;
  /** The workflow steps of the dossier's procedure. */
  steps(): Promise<WorkflowStep[]>;
};

export type OfficeDocument = {
  /** Whether the dossier has come to this form; a request before then is 409 `invalid_transition`. */
  applies(d: DossierFacts): boolean;
  /** Who reads it: staff over the dossier always; the applicant too, or not (403). */
  readers: 'applicant_and_staff' | 'staff';
  render(s: FormSource): Promise<Buffer>;
};

const logged = (action: Action) => (d: DossierFacts) => d.actions.includes(action);
/** The last logged action of these kinds: `applies` made sure there is one. */
const last = (s: FormSource, ...kinds: Action[]) => s.log.filter((a) => (kinds as string[]).includes(a.action)).at(-1)!;
const officer = (s: FormSource, a: LoggedAction) => (a.actor_id && s.names.get(a.actor_id)) || '';

/** Hand-overs printed on the process-control sheet (Form 06), each with its outcome in `office.handOver`. */
const handOverActions = ['transfer', 'forward', 'return_step', 'recall', 'assign', 'resolve', 'return_result'] as const satisfies readonly Action[];
export type HandOverAction = (typeof handOverActions)[number];

/**
 * The forms are those with wording in the template file (office.documents.ts `wordingKeys`, so a
 * renderer can be written); a form without a row here, or a row without wording, does not compile.
 */
export type OfficeForm = FormNumber;

// Every form and every hand-over has its words: a missing message key does not compile
// (messages are plain data, so the check lives here, on the side that knows the lists).
type Covers<K extends string, T extends Record<K, string>> = T;
export type DocumentNames = Covers<'01' | OfficeForm, Messages['office']['documentNames']>;
export type HandOverNames = Covers<HandOverAction, Messages['office']['handOver']>;

export const officeDocuments: Readonly<Record<OfficeForm, OfficeDocument>> = {
  // Form 02: after a supplement request.
  '02': {
    applies: logged('request_supplement'),
    readers: 'applicant_and_staff',
    render: (s) => {
      const a = last(s, 'request_supplement');
      const data = a.data as { missing: string[]; supplementDueAt?: string };
      return supplementRequestPdf(s.lang, { ...s.header, requestedAt: a.at, items: data.missing, note: a.note, officerName: officer(s, a), dueAt: data.supplementDueAt ?? null });
    },
  },
  // Form 03: after a refusal at intake, or a dossier returned at intake because its supplement deadline passed.
  '03': {
    applies: (d) => d.actions.includes('refuse') || d.status === 'refused',
    readers: 'applicant_and_staff',
    render: (s) => {
      const a = last(s, 'refuse', 'return_unsupplemented');
      return refusalPdf(s.lang, { ...s.header, refusedAt: a.at, reason: a.note ?? '', officerName: officer(s, a) });
    },
  },
  // Form 04: after an apology with a new date, for an accepted dossier.
  '04': {
    applies: (d) => d.actions.includes('apologize') && !!d.acceptedAt,
    readers: 'applicant_and_staff',
    render: (s) => {
      const a = last(s, 'apologize');
      const data = a.data as { dueAt: string; newDueAt: string };
      return apologyPdf(s.lang, { ...s.header, acceptedAt: s.acceptedAt, dueAt: data.dueAt, newDueAt: data.newDueAt, reason: a.note ?? '', officerName: officer(s, a), issuedAt: a.at });
    },
  },
  // Form 05: processing stopped, an end state: by a leader (also at the applicant's request to withdraw
  // or stop), or by the desk once a supplement asked during processing was not sent in time.
  '05': {
    applies: (d) => d.status === 'suspended',
    readers: 'applicant_and_staff',
    render: (s) => {
      const a = last(s, 'suspend', 'return_unsupplemented');
      const data = a.data as { withdrawalRequested?: boolean; supplementDueAt?: string | null };
      return stopNoticePdf(s.lang, {
        ...s.header, acceptedAt: s.acceptedAt || null, stoppedAt: a.at, reason: a.note ?? '', officerName: officer(s, a),
        onRequest: a.action === 'suspend' && !!data.withdrawalRequested,
        supplementDueAt: a.action === 'return_unsupplemented' ? (data.supplementDueAt ?? null) : null,
      });
    },
  },
  // Form 06: the process-control sheet, once accepted; for the office only.
  '06': {
    applies: (d) => !!d.acceptedAt && !!d.dueAt,
    readers: 'staff',
    render: async (s) => {
      const m = s.messages;
      const roleLabel = (role: string) => m.account.role[role as keyof typeof m.account.role];
      const party = (userId: string | null, role: string) => ({ name: (userId && s.names.get(userId)) || roleLabel(role) || role, roleLabel: roleLabel(role) ?? role, unitName: s.header.unitName });
      const steps = await s.steps();
      const handOvers = s.log
        .filter((a) => (handOverActions as readonly string[]).includes(a.action))
        .map((a) => {
          const data = a.data as { toUserId?: string; step?: number; stepDueAt?: string; receivedBy?: string };
          const toRole = data.step !== undefined ? (steps[data.step]?.role ?? 'specialist') : a.action === 'resolve' ? 'reception' : 'citizen';
          const to = a.action === 'return_result'
            ? { name: data.receivedBy ?? s.header.applicantName, roleLabel: m.account.role.citizen, unitName: '' }
            : party(data.toUserId ?? null, toRole);
          return { from: party(a.actor_id, a.actor_role), to, at: a.at, stepDueAt: data.stepDueAt ?? null, outcome: a.note ?? m.office.handOver[a.action as HandOverAction] ?? null };
        });
      return processControlPdf(s.lang, { ...s.header, acceptedAt: s.acceptedAt, dueAt: s.dueAt, handOvers });
    },
  },
};

/** The forms, in number order. */
export const officeForms = Object.keys(officeDocuments) as OfficeForm[];

export function isOfficeForm(value: unknown): value is OfficeForm {
  return typeof value === 'string' && Object.hasOwn(officeDocuments, value);
}

/** The forms a dossier has come to, in number order: what its page lists and what the service will print. */
export function formsFor(d: DossierFacts): OfficeForm[] {
  return officeForms.filter((f) => officeDocuments[f].applies(d));
}
