// The one check of what a dossier holds: its form answers (src/domain/form-answers.ts), how the
// result goes back, and at submission the uploaded documents. The API, the pages, the counter and
// the national portal's intake all go through checkAnswers; each decides what to do with problems.
import { isMissingAnswer, validateAnswers } from '../../domain/form-answers.ts';
import { vietnamDay, type Clock } from '../../domain/time.ts';
import type { FieldProblem } from '../../errors.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { UnitsService } from '../units/units.service.ts';

export type DeliveryMethod = 'counter' | 'postal' | 'online';
export const deliveryMethods: readonly DeliveryMethod[] = ['counter', 'postal', 'online'];

export type DossierInput = {
  procedureId?: string;
  unitId?: string;
  applicant?: Record<string, unknown>;
  form?: Record<string, unknown>;
  delivery?: { method?: string; address?: unknown };
};

export type AnswerCheckDeps = { catalog: CatalogService; units: UnitsService; clock: Clock };

export type AnswerCheckOptions = {
  /** Check everything: missing answers, the delivery method, the required documents. */
  final: boolean;
  /** The uploaded documents, checked when `final`; null leaves them to the officer (paper handed in at the counter). */
  attachments?: Array<{ document_key: string }> | null;
  /**
   * The page's save: an unknown method is dropped, not refused, and whether the procedure allows
   * postal return waits for submission.
   */
  lenientDelivery?: boolean;
};

export type AnswerCheck = {
  applicant: Record<string, unknown>;
  form: Record<string, unknown>;
  /** The delivery as it may be kept (the page's save drops what it cannot keep). */
  delivery: Record<string, unknown>;
  /** Problems of answers, keyed by field key (`applicant.fullName`, `purpose`). */
  answerProblems: Record<string, FieldProblem>;
  /** Problems of the delivery (`delivery.*`) and documents (`documents.*`). */
  otherProblems: Record<string, FieldProblem>;
};

/**
 * Checks answers (nested under `applicant` or flat as `applicant.*` keys), a delivery and, when
 * final, the documents. Present answers must be valid; missing ones are problems only when final.
 */
export async function checkAnswers(
  deps: AnswerCheckDeps,
  procedureId: string,
  answers: Record<string, unknown>,
  delivery: { method?: unknown; address?: unknown },
  opts: AnswerCheckOptions,
): Promise<AnswerCheck> {
  const def = await deps.catalog.formDefinition(procedureId);
  const communes = await deps.units.communeCodes();
  const { values, problems } = validateAnswers(def, answers, { today: vietnamDay(deps.clock.now()), isAreaCode: (c) => communes.has(c) });
  const answerProblems: Record<string, FieldProblem> = {};
  for (const [key, p] of Object.entries(problems)) if (opts.final || !isMissingAnswer(p)) answerProblems[key] = p as FieldProblem;
  const other: Record<string, FieldProblem> = {};
  let kept: Record<string, unknown>;
  if (opts.lenientDelivery) {
    const method = typeof delivery.method === 'string' ? delivery.method : undefined;
    // A postal address is { line, areaCode } (docs/domain.md §9); an older free-text one is kept as text.
    const a = delivery.address && typeof delivery.address === 'object' ? (delivery.address as Record<string, unknown>) : null;
    const address = a
      ? { line: typeof a.line === 'string' ? a.line.trim().slice(0, 200) : '', areaCode: typeof a.areaCode === 'string' ? a.areaCode.trim().slice(0, 10) : '' }
      : typeof delivery.address === 'string' ? delivery.address.trim().slice(0, 300) : '';
    const d: Record<string, unknown> = {};
    if (method && deliveryMethods.includes(method as DeliveryMethod)) d.method = method;
    if (address) d.address = address;
    if (d.method === 'postal' && !address) other['delivery.address'] = { key: 'required' };
    kept = d;
  } else {
    const method = delivery.method;
    if (method !== undefined && !deliveryMethods.includes(method as DeliveryMethod)) {
      other['delivery.method'] = { key: 'notAllowed', params: { allowed: deliveryMethods.join(', ') } };
    }
    if (method === 'postal') {
      const detail = await deps.catalog.get(procedureId);
      if (!detail.postal.return) other['delivery.method'] = { key: 'postalNotAllowed' };
      else if (!delivery.address) other['delivery.address'] = { key: 'required' };
    }
    if (opts.final) {
      if (!method) other['delivery.method'] = { key: 'required' };
      const detail = await deps.catalog.get(procedureId);
      const attachments = opts.attachments === undefined ? [] : opts.attachments;
      for (const doc of attachments ? detail.documents : []) {
        if (doc.required && !attachments!.some((a) => a.document_key === doc.key)) other[`documents.${doc.key}`] = { key: 'documentMissing' };
      }
    }
    kept = delivery as Record<string, unknown>;
  }
  const { applicant, ...form } = splitApplicant(values);
  return { applicant, form, delivery: kept, answerProblems, otherProblems: other };
}

/** Form answers keep `applicant.*` apart: the API carries the applicant beside the form. */
function splitApplicant(values: Record<string, unknown>): { applicant: Record<string, unknown>; [k: string]: unknown } {
  const applicant: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (k.startsWith('applicant.')) applicant[k.slice('applicant.'.length)] = v;
    else rest[k] = v;
  }
  return { applicant, ...rest };
}

/** Field keys as JSON paths of the request body: form answers live under `form.`. */
export function pathOf(key: string): string {
  return key.startsWith('applicant.') ? key : `form.${key}`;
}
