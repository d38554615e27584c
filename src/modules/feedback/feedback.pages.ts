// Pages for satisfaction and feedback: rating a returned dossier, sending feedback to a unit, the
// published answers, and the unit's feedback queue. Questions are rendered with the same field
// renderer as the procedures' forms (GOV.UK radios, selects, textareas, error summary).
import type { FormField, FormSection } from '../../domain/forms.ts';
import { csrfInput, errorSummary, formGroup, successBanner, textarea } from '../../web/components.ts';
import type { PageContext } from '../../web/context.ts';
import { errorLinks, renderSection } from '../../web/form-fields.ts';
import { html, type Html } from '../../web/html.ts';
import { messages, vietnamTime, type Lang } from '../../i18n/index.ts';
import { page } from '../../web/layout.ts';
import type { FeedbackTable } from '../../db/schema.ts';
import { satisfactionLevels, type Satisfaction } from '../../domain/stats.ts';

type State = { values: Record<string, unknown>; errors: Record<string, string> };
const empty: State = { values: {}, errors: {} };

/** The same words in both languages, as a form definition wants them. */
function both(pick: (m: ReturnType<typeof messages>['feedback']) => string) {
  return { vi: pick(messages('vi').feedback), en: pick(messages('en').feedback) };
}

function form(ctx: PageContext, action: string, fields: Html, button: string): Html {
  return html`<form action="${action}" method="post" novalidate>${csrfInput(ctx.csrf)}${fields}<button class="button" type="submit">${button}</button></form>`;
}

/** The national three-level scale, best first, as GOV.UK radios (docs/domain.md §5.5). */
export const ratingSection: FormSection = {
  key: 'rating',
  title: both((f) => f.ratingQuestion),
  fields: [
    {
      key: 'satisfaction', type: 'radio', required: true, label: both((f) => f.ratingLabel),
      options: satisfactionLevels.map((s) => ({ value: s, label: both((f) => f.satisfaction[s]) })),
    },
    { key: 'comment', type: 'textarea', maxLength: 1000, label: both((f) => f.comment), hint: both((f) => f.commentHint) },
  ],
};

export function ratingPage(ctx: PageContext, d: { id: string; code: string | null; procedureName: string }, opts: { state?: State; rated?: Satisfaction | null; done?: boolean }): Html {
  const m = messages(ctx.lang).feedback;
  const state = opts.state ?? empty;
  return page({
    ctx,
    title: m.ratingTitle,
    hasErrors: Object.keys(state.errors).length > 0,
    body: html`${opts.done ? successBanner(m.ratingThanks) : ''}${errorSummary(ctx.lang, errorLinks(state.errors))}
<h1>${m.ratingTitle}</h1>
<p class="lead">${d.procedureName}${d.code ? html` · <strong>${d.code}</strong>` : ''}</p>
${opts.rated
    ? html`<p>${m.ratedAlready} <strong>${m.satisfaction[opts.rated]}</strong></p><p><a href="/ho-so">${m.backToMine}</a></p>`
    : form(ctx, `/ho-so/${d.id}/danh-gia`, renderSection(ctx.lang, ratingSection, state, { areas: [] }), m.send)}`,
  });
}

export function feedbackSection(units: Array<{ value: string; label: string }>): FormSection {
  const field = (key: string, type: FormField['type'], required: boolean, maxLength?: number): FormField => ({
    key, type, required, maxLength, label: both((f) => f.fields[key as keyof typeof f.fields]), hint: both((f) => f.hints[key as keyof typeof f.hints] ?? ''),
  });
  return {
    key: 'feedback',
    title: both((f) => f.aboutYou),
    fields: [
      { ...field('unitId', 'select', true), options: units.map((u) => ({ value: u.value, label: { vi: u.label, en: u.label } })) },
      field('dossierCode', 'text', false, 40),
      field('subject', 'text', true, 200),
      field('body', 'textarea', true, 4000),
      field('name', 'text', true, 100),
      field('contact', 'text', true, 254),
    ],
  };
}

export function feedbackFormPage(ctx: PageContext, units: Array<{ value: string; label: string }>, state: State = empty): Html {
  const m = messages(ctx.lang).feedback;
  return page({
    ctx,
    title: m.formTitle,
    hasErrors: Object.keys(state.errors).length > 0,
    body: html`${errorSummary(ctx.lang, errorLinks(state.errors))}
<h1>${m.formTitle}</h1>
<p class="lead">${m.formLead}</p>
${form(ctx, '/phan-anh/gui', renderSection(ctx.lang, feedbackSection(units), state, { areas: [] }), m.send)}`,
  });
}

export function feedbackSentPage(ctx: PageContext): Html {
  const m = messages(ctx.lang).feedback;
  return page({ ctx, title: m.sentTitle, body: html`<div class="panel-confirmation"><h1>${m.sentTitle}</h1></div><p>${m.sentNext}</p><p><a href="/phan-anh">${m.publishedTitle}</a></p>` });
}

type Published = Pick<FeedbackTable, 'id' | 'unit_id' | 'subject' | 'body' | 'created_at' | 'answer' | 'answered_at'>;

export function publishedPage(ctx: PageContext, items: Published[], unitName: (id: string) => string): Html {
  const m = messages(ctx.lang).feedback;
  return page({
    ctx,
    title: m.publishedTitle,
    body: html`<h1>${m.publishedTitle}</h1>
<p><a class="button" role="button" href="/phan-anh/gui">${m.formTitle}</a></p>
${items.length ? '' : html`<p>${m.noneYet}</p>`}
${items.map((i) => html`<article class="result">
  <h2 class="result-title">${i.subject}</h2>
  <p class="result-meta">${unitName(i.unit_id)} · ${vietnamTime(i.created_at, ctx.lang)}</p>
  <p>${i.body}</p>
  <h3>${m.answer}</h3>
  <p>${i.answer}</p>
  <p class="hint">${vietnamTime(i.answered_at!, ctx.lang)}</p>
</article>`)}`,
  });
}

export function officeFeedbackPage(ctx: PageContext, items: FeedbackTable[], unitName: (id: string) => string, opts: { failed?: { id: string; state: State }; done?: boolean }): Html {
  const m = messages(ctx.lang).feedback;
  const failed = opts.failed;
  return page({
    ctx,
    title: m.queueTitle,
    hasErrors: !!failed,
    body: html`${opts.done ? successBanner(m.answered) : ''}${failed ? errorSummary(ctx.lang, Object.entries(failed.state.errors).map(([k, text]) => ({ href: `#${k}-${failed.id}`, text }))) : ''}
<h1>${m.queueTitle}</h1>
${items.length ? '' : html`<p>${m.noneYet}</p>`}
${items.map((i) => html`<article class="result" id="item-${i.id}">
  <h2 class="result-title">${i.subject}</h2>
  <p class="result-meta">${unitName(i.unit_id)} · ${vietnamTime(i.created_at, ctx.lang)} · ${i.name} (${i.contact})${i.dossier_code ? html` · ${i.dossier_code}` : ''}</p>
  <p>${i.body}</p>
  ${i.status === 'answered'
    ? html`<h3>${m.answer}</h3><p>${i.answer}</p><p class="hint">${i.published ? m.isPublished : m.notPublished}</p>`
    : answerForm(ctx.lang, ctx.csrf, i.id, failed?.id === i.id ? failed.state : empty)}
</article>`)}`,
  });
}

function answerForm(lang: Lang, csrf: string, id: string, state: State): Html {
  const m = messages(lang).feedback;
  const error = state.errors.answer;
  return html`<form action="/can-bo/phan-anh/${id}/tra-loi" method="post" novalidate>${csrfInput(csrf)}
  ${formGroup(lang, { id: `answer-${id}`, label: m.answer, error }, html`
    ${textarea({ id: `answer-${id}`, name: 'answer', rows: 4, value: String(state.values.answer ?? ''), describedBy: [error && `answer-${id}-error`] })}`)}
  <div class="checkboxes"><div class="checkboxes-item">
    <input class="checkboxes-input" id="publish-${id}" name="publish" type="checkbox" value="yes"${state.values.publish ? html` checked` : ''}>
    <label class="label checkboxes-label" for="publish-${id}">${m.publish}</label>
  </div></div>
  <button class="button" type="submit">${m.sendAnswer}</button>
</form>`;
}
