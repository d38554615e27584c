// The plan's form, usable without JavaScript: flat fields (`line-2-amount`, `unit-1-name`), the
// stored rows plus a few empty ones to add more; empty rows are skipped. After an error the page
// comes back with everything as typed and each problem beside its field (`budget.lines.2.amount`
// becomes `#line-2-amount`), the budget line named in the message.
import { outreachChannels, unitRoles } from '../../domain/outreach.ts';
import { csrfInput, errorSummary, formGroup, select, textarea } from '../../web/components.ts';
import type { PageContext } from '../../web/context.ts';
import { html, type Html } from '../../web/html.ts';
import { page } from '../../web/layout.ts';
import { format, messages } from '../../i18n/index.ts';
import type { PlanInput } from './outreach.input.ts';
import { plansPath, type State } from './outreach.pages.ts';
import type { PlanView } from './outreach.service.ts';

export const lineFields = ['section', 'sectionName', 'group', 'groupName', 'no', 'item', 'duration', 'quantity', 'unitPrice', 'amount', 'state', 'social', 'note'] as const;
const unitFields = ['role', 'unitId', 'name', 'tasks'] as const;
const plain = ['number', 'appendixNumber', 'date', 'issuer', 'title', 'periodFrom', 'periodTo'] as const;
const lists = ['objectives', 'themes', 'discrepancies'] as const;

const rowsIn = (values: Record<string, string>, prefix: string) => {
  let n = -1;
  for (const k of Object.keys(values)) {
    const i = new RegExp(`^${prefix}-(\\d+)-`).exec(k)?.[1];
    if (i !== undefined) n = Math.max(n, Number(i));
  }
  return Math.min(n + 1, 200);
};

/** A posted form's fields as text (only the plan's own names are read). */
export function formValues(body: unknown): Record<string, string> {
  const b = (body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(b)) {
    if (typeof v !== 'string') continue;
    if ((plain as readonly string[]).includes(k) || (lists as readonly string[]).includes(k) || k === 'otherChannels' || /^(line|unit)-\d{1,3}-\w+$/.test(k) || /^channel-\w+(-label)?$/.test(k)) out[k] = v;
  }
  return out;
}

/** The form's values as the service's input; rows left empty are skipped. */
export function inputOfForm(v: Record<string, string>): PlanInput {
  const lines = (t: string | undefined) => (t ?? '').split(/\r?\n/).map((x) => x.trim()).filter(Boolean);
  const channels = outreachChannels.filter((k) => k !== 'other' && v[`channel-${k}`]).map((kind) => ({ kind, label: v[`channel-${kind}-label`]?.trim() || null }));
  for (const label of lines(v.otherChannels)) channels.push({ kind: 'other', label });
  const units = Array.from({ length: rowsIn(v, 'unit') }, (_, i) => Object.fromEntries(unitFields.map((f) => [f, v[`unit-${i}-${f}`] ?? ''])))
    .filter((u) => u.unitId || u.name?.trim() || u.tasks?.trim());
  const budgetLines = Array.from({ length: rowsIn(v, 'line') }, (_, i) => Object.fromEntries(lineFields.map((f) => [f, v[`line-${i}-${f}`] ?? ''])))
    .filter((l) => lineFields.some((f) => f !== 'no' && l[f]!.trim()));
  return {
    ...Object.fromEntries(plain.map((k) => [k, v[k] ?? ''])),
    ...Object.fromEntries(lists.map((k) => [k, lines(v[k])])),
    channels, units, budget: { lines: budgetLines },
  };
}

/** A plan's stored values as the form shows them. */
export function valuesOfPlan(p: PlanView): Record<string, string> {
  const v: Record<string, string> = {
    number: p.number, appendixNumber: p.appendixNumber ?? '', date: p.date, issuer: p.issuer, title: p.title, periodFrom: p.periodFrom, periodTo: p.periodTo,
    objectives: p.objectives.join('\n'), themes: p.themes.join('\n'), discrepancies: p.discrepancies.join('\n'),
    otherChannels: p.channels.filter((c) => c.kind === 'other').map((c) => c.label ?? '').join('\n'),
  };
  for (const c of p.channels) {
    if (c.kind === 'other') continue;
    v[`channel-${c.kind}`] = 'yes';
    v[`channel-${c.kind}-label`] = c.label ?? '';
  }
  p.units.forEach((u, i) => Object.assign(v, { [`unit-${i}-role`]: u.role, [`unit-${i}-unitId`]: u.unitId ?? '', [`unit-${i}-name`]: u.unitId ? '' : u.name, [`unit-${i}-tasks`]: u.tasks.join('; ') }));
  p.budget.lines.forEach((l, i) => {
    const row: Record<string, unknown> = { ...l };
    for (const f of lineFields) v[`line-${i}-${f}`] = row[f] === null || row[f] === undefined ? '' : String(row[f]);
  });
  return v;
}

/** Where a service's field path shows on the form: `budget.lines.2.amount` → `line-2-amount`; the split's error sits on the state column. */
export function formErrors(errors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, text] of Object.entries(errors)) {
    const line = /^budget\.lines\.(\d+)\.(\w+)$/.exec(k);
    const unit = /^units\.(\d+)\.(\w+)$/.exec(k);
    const id = line ? `line-${line[1]}-${line[2]}` : unit ? `unit-${unit[1]}-${unit[2]}` : k.startsWith('channels.') ? 'otherChannels' : k.split('.')[0]!;
    out[id] ??= text;
  }
  return out;
}

export function planFormPage(ctx: PageContext, o: { plan?: PlanView; state: State; units: Array<{ value: string; text: string }> }): Html {
  const m = messages(ctx.lang).outreach;
  const f = m.fields;
  const { values, errors } = o.state;
  const action = o.plan ? `${plansPath}/${o.plan.id}/sua` : `${plansPath}/moi`;
  const input = (id: string, label: string, o2: { type?: string; hint?: string; cls?: string } = {}) => formGroup(ctx.lang, { id, label, error: errors[id], hint: o2.hint }, html`<input class="input${o2.cls ? ` ${o2.cls}` : ''}${errors[id] ? ' input-error' : ''}" id="${id}" name="${id}" type="${o2.type ?? 'text'}" value="${values[id] ?? ''}"${errors[id] || o2.hint ? html` aria-describedby="${[o2.hint ? `${id}-hint` : '', errors[id] ? `${id}-error` : ''].filter(Boolean).join(' ')}"` : ''}>`);
  const area = (id: string, label: string, hint?: string) => formGroup(ctx.lang, { id, label, error: errors[id], hint }, textarea({ id, value: values[id], rows: 4, error: errors[id], describedBy: [hint && `${id}-hint`, errors[id] && `${id}-error`] }));
  const unitRows = Math.max(rowsIn(values, 'unit') + 2, 3);
  const lineRows = Math.max(rowsIn(values, 'line') + 3, 5);
  return page({
    ctx, title: o.plan ? m.edit : m.newPlan, hasErrors: Object.keys(errors).length > 0,
    body: html`${errorSummary(ctx.lang, Object.entries(errors).map(([k, text]) => ({ href: `#${k}`, text })))}
${o.plan ? html`<p><a href="${plansPath}/${o.plan.id}">${o.plan.title}</a></p>` : ''}
<h1>${o.plan ? m.edit : m.newPlan}</h1>
<form action="${action}" method="post" novalidate>${csrfInput(ctx.csrf)}
${input('number', f.number, { hint: m.hints.number, cls: 'input-medium' })}
${input('appendixNumber', f.appendixNumber, { cls: 'input-medium' })}
${input('date', f.date, { type: 'date', hint: m.hints.date })}
${input('issuer', f.issuer)}
${input('title', f.title)}
${input('periodFrom', f.periodFrom, { type: 'date' })}
${input('periodTo', f.periodTo, { type: 'date' })}
${area('objectives', f.objectives, m.hints.lines)}
${area('themes', f.themes, m.hints.lines)}
<fieldset class="fieldset"><legend class="fieldset-legend">${f.channels}</legend>
<div class="checkboxes">${outreachChannels.filter((k) => k !== 'other').map((k) => html`<div class="checkboxes-item">
  <input class="checkboxes-input" id="channel-${k}" name="channel-${k}" type="checkbox" value="yes"${values[`channel-${k}`] ? html` checked` : ''}>
  <label class="label checkboxes-label" for="channel-${k}">${m.channels[k]}</label>
  <input class="input" id="channel-${k}-label" name="channel-${k}-label" type="text" value="${values[`channel-${k}-label`] ?? ''}" aria-label="${m.channels[k]}: ${f.note}">
</div>`)}</div>
${area('otherChannels', f.otherChannels, m.hints.otherChannels)}</fieldset>
<fieldset class="fieldset"><legend class="fieldset-legend">${f.units}</legend>
${Array.from({ length: unitRows }, (_, i) => html`<fieldset class="fieldset"><legend class="fieldset-legend">${format(m.unitN, { n: i + 1 })}</legend>
${formGroup(ctx.lang, { id: `unit-${i}-role`, label: f.unitRole, error: errors[`unit-${i}-role`] }, select({ id: `unit-${i}-role`, value: values[`unit-${i}-role`], options: unitRoles.map((r) => ({ value: r, text: m.unitRoles[r] })) }))}
${formGroup(ctx.lang, { id: `unit-${i}-unitId`, label: f.unit, error: errors[`unit-${i}-unitId`] }, select({ id: `unit-${i}-unitId`, value: values[`unit-${i}-unitId`], blank: '', options: o.units }))}
${input(`unit-${i}-name`, f.unitName)}
${input(`unit-${i}-tasks`, f.tasks, { hint: m.hints.tasks })}</fieldset>`)}</fieldset>
<fieldset class="fieldset"><legend class="fieldset-legend">${f.budget}</legend>
<div class="hint" id="budget-hint">${m.hints.budget}</div>
${Array.from({ length: lineRows }, (_, i) => html`<fieldset class="fieldset budget-line"><legend class="fieldset-legend">${format(m.lineN, { n: i + 1 })}</legend>
${lineFields.map((k) => input(`line-${i}-${k}`, f[k], { cls: ['item', 'sectionName', 'groupName', 'note'].includes(k) ? undefined : 'input-medium' }))}</fieldset>`)}</fieldset>
${area('discrepancies', m.warningsTitle, m.hints.lines)}
<button class="button" type="submit">${m.save}</button></form>`,
  });
}
