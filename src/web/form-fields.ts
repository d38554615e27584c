// Renders a section of a form definition as accessible HTML, after the GOV.UK Design System: a label
// bound to every input, hints and errors tied in with aria-describedby, radios and checkboxes in a
// fieldset. It needs no JavaScript: inputs are named with the dotted field key, so the form posts
// the flat keys validateAnswers reads, and conditional questions are always shown, with a hint.
import { html, type Html } from './html.ts';
import { describedBy, errorMessage, select, textarea } from './components.ts';
import { format, messages, type Lang, type Messages } from '../i18n/index.ts';
import { findAnswer, isTicked } from '../domain/form-answers.ts';
import type { FieldProblem } from '../errors.ts';
import type { FormDefinition, FormField, FormSection, ShowIf } from '../domain/forms.ts';

export type Area = { code: string; name: string };

export type FieldsState = {
  /** Answers as stored (nested, cleaned) or as posted (flat dotted keys, raw text); read with findAnswer. */
  values: Record<string, unknown>;
  /** Messages in the page's language, by problem key: the field key, or `<key>.line` / `<key>.areaCode`. */
  errors: Record<string, string>;
};

export type FieldsOptions = {
  /** The communes and wards the address picker offers. */
  areas: Area[];
  /** The whole definition, to name a question in another section that a condition depends on. */
  form?: FormDefinition;
  /** Vietnam's calendar day, to give date inputs bounded by "today" their min/max. */
  today?: string;
};

// Ids are the field keys, which are [a-zA-Z0-9_.] only (checkFormDefinition), so the "-hint",
// "-error", "-2" and "-condition" suffixes can never collide with another field's id. An error
// summary links to `#<problem key>`, which is always the id of the input to fix.

/** A section's fields as HTML, headed by the section's title. */
export function renderSection(lang: Lang, section: FormSection, state: FieldsState, opts: FieldsOptions): Html {
  const c: Ctx = { lang, m: messages(lang), section, state, opts };
  return html`<div class="form-section" id="section-${section.key}">
<h2 class="form-section-title">${section.title[lang]}</h2>
${runsByCondition(section.fields).map((run) => (run.showIf ? conditionalRun(c, run.showIf, run.fields) : run.fields.map((f) => field(c, f, []))))}
</div>`;
}

/** Field problems from validateAnswers, in words of the page's language. */
export function fieldErrorMessages(lang: Lang, problems: Record<string, FieldProblem>): Record<string, string> {
  const m = messages(lang);
  return Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, format(m.fieldErrors[p.key], p.params ?? {})]));
}

/** Links for the error summary, in the order of the form, each to the input that needs fixing. */
export function errorLinks(errors: Record<string, string>): Array<{ href: string; text: string }> {
  return Object.entries(errors).map(([key, text]) => ({ href: `#${key}`, text }));
}

type Ctx = { lang: Lang; m: Messages; section: FormSection; state: FieldsState; opts: FieldsOptions };

type Run = { showIf?: ShowIf; fields: FormField[] };

/** Consecutive fields under the same condition share one wrapper and one hint (the father's details). */
function runsByCondition(fields: FormField[]): Run[] {
  const runs: Run[] = [];
  for (const f of fields) {
    const last = runs.at(-1);
    if (last && f.showIf && last.showIf && JSON.stringify(last.showIf) === JSON.stringify(f.showIf)) last.fields.push(f);
    else runs.push({ showIf: f.showIf, fields: [f] });
  }
  return runs;
}

function conditionalRun(c: Ctx, cond: ShowIf, fields: FormField[]): Html {
  const hintId = `${fields[0]!.key}-condition`;
  return html`<div class="conditional">
<p class="hint conditional-hint" id="${hintId}">${conditionText(c, cond)}</p>
${fields.map((f) => field(c, f, [hintId]))}
</div>`;
}

function conditionText(c: Ctx, cond: ShowIf): string {
  const { lang, m } = c;
  const target =
    c.section.fields.find((f) => f.key === cond.field) ??
    c.opts.form?.sections.flatMap((s) => s.fields).find((f) => f.key === cond.field);
  if (!target) return m.formFields.conditionalOther;
  const question = target.label[lang];
  const wanted = 'in' in cond ? cond.in : [String(cond.equals)];
  if (target.type === 'checkbox' && !target.options?.length) {
    return format(wanted.includes('true') ? m.formFields.conditionalTicked : m.formFields.conditionalNotTicked, { question });
  }
  const labels = wanted.map((v) => format(m.formFields.quoted, { text: target.options?.find((o) => o.value === v)?.label[lang] ?? v }));
  const choices = labels.length <= 1 ? (labels[0] ?? '') : labels.slice(0, -1).join(m.formFields.listSeparator) + m.formFields.or + labels.at(-1);
  return c.section.fields.includes(target)
    ? format(m.formFields.conditional, { choices })
    : format(m.formFields.conditionalElsewhere, { choices, question });
}

// Autocomplete only for the applicant's own details: on a child's or a parent's name the browser
// would offer the applicant's, a wrong answer one tap away.
const applicantAutocomplete: Record<string, string> = {
  'applicant.fullName': 'name',
  'applicant.birthDate': 'bday',
  'applicant.phone': 'tel',
  'applicant.email': 'email',
  'applicant.organisationName': 'organization',
  'applicant.address.line': 'address-line1',
};

function field(c: Ctx, f: FormField, conditionIds: string[]): Html {
  switch (f.type) {
    case 'radio':
      return choiceGroup(c, f, 'radio', conditionIds);
    case 'checkbox':
      return f.options?.length ? choiceGroup(c, f, 'checkbox', conditionIds) : singleCheckbox(c, f, conditionIds);
    case 'address':
      return address(c, f, conditionIds);
    default:
      return singleInput(c, f, conditionIds);
  }
}

function labelText(c: Ctx, f: FormField): string {
  return f.required ? f.label[c.lang] : `${f.label[c.lang]} ${c.m.formFields.optional}`;
}

function hintText(c: Ctx, f: FormField): string {
  const parts = [f.hint?.[c.lang]];
  if (f.type === 'textarea' && f.maxLength) parts.push(format(c.m.formFields.maxChars, { max: f.maxLength }));
  if (f.type === 'checkbox' && f.options?.length) parts.push(c.m.formFields.selectAll);
  return parts.filter(Boolean).join(' ');
}

function hintBlock(id: string, text: string): Html | '' {
  return text ? html`<div class="hint" id="${id}-hint">${text}</div>` : '';
}

function errorBlock(c: Ctx, id: string, error: string | undefined): Html | '' {
  return errorMessage(error, { id: `${id}-error`, lang: c.lang });
}

function attr(name: string, value: string | number | undefined): Html | '' {
  return value === undefined || value === '' ? '' : html` ${name}="${value}"`;
}

/** What to show in a text box: posted text as typed, stored numbers in the page's notation. */
function shownValue(lang: Lang, answer: unknown): string {
  if (typeof answer === 'string') return answer;
  if (typeof answer === 'number') return numberForInput(lang, answer);
  return '';
}

/**
 * A stored number written back so that it reads the same when posted again: a decimal comma in
 * Vietnamese, and never one separator followed by exactly three digits, which the validator
 * refuses as ambiguous ("1.125" becomes "1.1250").
 */
export function numberForInput(lang: Lang, n: number): string {
  const text = lang === 'vi' ? String(n).replace('.', ',') : String(n);
  return /^-?[1-9]\d{0,2}[.,]\d{3}$/.test(text) ? `${text}0` : text;
}

function dateBound(bound: FormField['min'], today: string | undefined): string | undefined {
  if (bound === 'today') return today;
  return typeof bound === 'string' ? bound : undefined;
}

function singleInput(c: Ctx, f: FormField, conditionIds: string[]): Html {
  const id = f.key;
  const error = c.state.errors[id];
  const hint = hintText(c, f);
  const value = shownValue(c.lang, findAnswer(c.state.values, f.key));
  const ariaIds = [hint && `${id}-hint`, error && `${id}-error`, ...conditionIds];
  const aria = describedBy(ariaIds);
  const errorClass = error ? ' input-error' : '';
  let control: Html;
  switch (f.type) {
    case 'textarea':
      control = textarea({ id, value, rows: 5, error, describedBy: ariaIds });
      break;
    case 'select':
      control = select({ id, value, blank: c.m.formFields.choose, options: (f.options ?? []).map((o) => ({ value: o.value, text: o.label[c.lang] })), error, describedBy: ariaIds });
      break;
    case 'number': {
      const unit = f.unit?.[c.lang];
      const input = html`<input class="input input-short${errorClass}" id="${id}" name="${id}" type="text" inputmode="decimal" value="${value}"${aria} spellcheck="false">`;
      control = unit ? html`<div class="input-wrapper">${input}<span class="input-suffix" aria-hidden="true">${unit}</span></div>` : input;
      break;
    }
    default: {
      const kind = inputKind(f);
      const auto = f.key.startsWith('applicant.') ? applicantAutocomplete[f.key] ?? kind.autocomplete : undefined;
      const bounds = f.type === 'date' ? html`${attr('min', dateBound(f.min, c.opts.today))}${attr('max', dateBound(f.max, c.opts.today))}` : '';
      control = html`<input class="input${kind.width ? ` input-${kind.width}` : ''}${errorClass}" id="${id}" name="${id}" type="${kind.type}" value="${value}"${bounds}${attr('inputmode', kind.inputmode)}${attr('autocomplete', auto)}${aria}${kind.spellcheck === false ? html` spellcheck="false"` : ''}>`;
    }
  }
  // The unit is hidden from screen readers beside the box, so the label says it instead (GOV.UK suffix).
  const unitForReaders = f.type === 'number' && f.unit ? html`<span class="visually-hidden"> (${format(c.m.formFields.unit, { unit: f.unit[c.lang] })})</span>` : '';
  return html`<div class="form-group${error ? ' form-group-error' : ''}">
  <label class="label" for="${id}">${labelText(c, f)}${unitForReaders}</label>
  ${hintBlock(id, hint)}${errorBlock(c, id, error)}
  ${control}
</div>`;
}

type InputKind = { type: string; width?: 'short' | 'medium'; inputmode?: string; autocomplete?: string; spellcheck?: false };

function inputKind(f: FormField): InputKind {
  switch (f.type) {
    case 'date':
      return { type: 'date', width: 'medium' };
    case 'email':
      return { type: 'email', autocomplete: 'email', spellcheck: false };
    case 'phone':
      return { type: 'tel', width: 'medium', autocomplete: 'tel', spellcheck: false };
    case 'citizen_id':
      // Text with a numeric keypad, not type=number: the number starts with zeros and is no quantity.
      return { type: 'text', width: 'medium', inputmode: 'numeric', spellcheck: false };
    default:
      return { type: 'text' };
  }
}

function choiceGroup(c: Ctx, f: FormField, type: 'radio' | 'checkbox', conditionIds: string[]): Html {
  const id = f.key;
  const error = c.state.errors[id];
  const hint = hintText(c, f);
  const answer = findAnswer(c.state.values, f.key);
  const chosen = new Set((Array.isArray(answer) ? answer : [answer]).filter((v): v is string => typeof v === 'string'));
  const cls = type === 'radio' ? 'radios' : 'checkboxes';
  // The first option takes the field's id, so an error summary link lands on it (GOV.UK).
  const items = (f.options ?? []).map((o, i) => {
    const itemId = i === 0 ? id : `${id}-${i + 1}`;
    return html`<div class="${cls}-item">
      <input class="${cls}-input" id="${itemId}" name="${id}" type="${type}" value="${o.value}"${chosen.has(o.value) ? html` checked` : ''}>
      <label class="label ${cls}-label" for="${itemId}">${o.label[c.lang]}</label>
    </div>`;
  });
  return html`<div class="form-group${error ? ' form-group-error' : ''}">
  <fieldset class="fieldset"${describedBy([hint && `${id}-hint`, error && `${id}-error`, ...conditionIds])}>
    <legend class="fieldset-legend">${labelText(c, f)}</legend>
    ${hintBlock(id, hint)}${errorBlock(c, id, error)}
    <div class="${cls}">
    ${items}
    </div>
  </fieldset>
</div>`;
}

/** One box to tick (a commitment): its own label says what ticking means, so no fieldset is needed. */
function singleCheckbox(c: Ctx, f: FormField, conditionIds: string[]): Html {
  const id = f.key;
  const error = c.state.errors[id];
  const hint = hintText(c, f);
  return html`<div class="form-group${error ? ' form-group-error' : ''}">
  ${hintBlock(id, hint)}${errorBlock(c, id, error)}
  <div class="checkboxes">
    <div class="checkboxes-item">
      <input class="checkboxes-input" id="${id}" name="${id}" type="checkbox" value="yes"${isTicked(findAnswer(c.state.values, f.key)) ? html` checked` : ''}${describedBy([hint && `${id}-hint`, error && `${id}-error`, ...conditionIds])}>
      <label class="label checkboxes-label" for="${id}">${f.label[c.lang]}</label>
    </div>
  </div>
</div>`;
}

/**
 * An address: the street line as text, the commune or ward from a list (its code is what is kept).
 * An address entered before the 2025 reorganisation keeps its old code, which the list may no longer
 * hold; it stays selected so that posting the form again does not lose it.
 */
function address(c: Ctx, f: FormField, conditionIds: string[]): Html {
  const id = f.key;
  const lineId = `${id}.line`;
  const areaId = `${id}.areaCode`;
  const { errors } = c.state;
  const [error, lineError, areaError] = [errors[id], errors[lineId], errors[areaId]];
  const hint = hintText(c, f);
  const line = shownValue(c.lang, findAnswer(c.state.values, lineId));
  const areaAnswer = findAnswer(c.state.values, areaId);
  const areaCode = typeof areaAnswer === 'string' ? areaAnswer : '';
  const kept = areaCode !== '' && !c.opts.areas.some((a) => a.code === areaCode);
  const auto = f.key === 'applicant.address' ? applicantAutocomplete[lineId] : undefined;
  return html`<div class="form-group${error || lineError || areaError ? ' form-group-error' : ''}">
  <fieldset class="fieldset" id="${id}"${describedBy([hint && `${id}-hint`, error && `${id}-error`, ...conditionIds])}>
    <legend class="fieldset-legend">${labelText(c, f)}</legend>
    ${hintBlock(id, hint)}${errorBlock(c, id, error)}
    <div class="form-group">
      <label class="label label-sub" for="${lineId}">${c.m.formFields.addressLine}</label>
      ${errorBlock(c, lineId, lineError)}
      <input class="input${lineError ? ' input-error' : ''}" id="${lineId}" name="${lineId}" type="text" value="${line}"${attr('autocomplete', auto)}${describedBy([lineError && `${lineId}-error`])}>
    </div>
    <div class="form-group">
      <label class="label label-sub" for="${areaId}">${c.m.formFields.addressArea}</label>
      ${errorBlock(c, areaId, areaError)}
      ${select({
        id: areaId, value: areaCode, blank: c.m.formFields.chooseArea, error: areaError, describedBy: [areaError && `${areaId}-error`],
        extra: kept ? html`<option value="${areaCode}" selected>${format(c.m.formFields.areaKept, { code: areaCode })}</option>` : '',
        options: c.opts.areas.map((a) => ({ value: a.code, text: a.name })),
      })}
    </div>
  </fieldset>
</div>`;
}

/** An answer as a person reads it back: choices by their labels, addresses with their area's name, dates as dd/mm/yyyy. */
export function answerText(lang: Lang, f: FormField, value: unknown, areaName: (code: string) => string): string {
  if (value === undefined || value === null || value === '') return '';
  if (f.type === 'address' && typeof value === 'object') {
    const a = value as { line?: string; areaCode?: string };
    return [a.line, a.areaCode && areaName(a.areaCode)].filter(Boolean).join(', ');
  }
  const label = (v: unknown) => f.options?.find((o) => o.value === String(v))?.label[lang] ?? String(v);
  if (Array.isArray(value)) return value.map(label).join(', ');
  if (typeof value === 'boolean') return value ? '✓' : '—';
  // Numbers as typed (a year is no quantity: 1995, not 1.995), dates as people write them.
  if (typeof value === 'number') return numberForInput(lang, value);
  if (f.type === 'date' && typeof value === 'string') return value.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$3/$2/$1');
  return label(value);
}
