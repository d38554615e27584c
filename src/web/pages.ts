// Pages that belong to no feature: not found, and the generic error page.
import type { AppError } from '../errors.ts';
import { html, type Html } from './html.ts';
import { format, messages } from '../i18n/index.ts';
import type { PageContext } from './context.ts';
import { page } from './layout.ts';
import { searchForm } from './components.ts';

export function notFoundPage(ctx: PageContext): Html {
  const { lang } = ctx;
  const m = messages(lang);
  return page({
    ctx,
    title: m.notFound.title,
    body: html`<h1>${m.notFound.title}</h1>
<p class="lead">${m.notFound.lead}</p>
<p>${m.notFound.help}</p>
${searchForm(lang, '')}
<p><a href="/">${m.notFound.home}</a></p>`,
  });
}

export function errorPage(ctx: PageContext, e: AppError): Html {
  const { lang } = ctx;
  const m = messages(lang);
  const title = e.status < 500 ? m.errorPage.badRequest : m.errorPage.title;
  return page({
    ctx,
    title,
    body: html`<h1>${title}</h1>
<p class="lead">${e.status < 500 ? format(m.errors[e.code], e.params ?? {}) : m.errorPage.lead}</p>
<p><a href="/">${m.notFound.home}</a></p>`,
  });
}
