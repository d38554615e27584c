// The page frame every portal page shares: skip link, header with the language switch, main, footer.
import { html, type Html } from './html.ts';
import { messages } from '../i18n/index.ts';
import type { PageContext } from './context.ts';

export type PageOptions = {
  ctx: PageContext;
  title: string;
  body: Html;
  /** True when the page shows an error summary: the title gets the "Lỗi: " prefix (GOV.UK). */
  hasErrors?: boolean;
};

/**
 * The same page in the other language. The path comes from the request, so it is normalised to one
 * path on this site: `//evil.example/x` or `/\evil.example` (which browsers read as another host)
 * become `/evil.example/x`, and the WHATWG parser re-encodes whatever else it holds.
 */
export function switchUrl(url: string, to: 'vi' | 'en'): string {
  const at = url.indexOf('?');
  const rawPath = at < 0 ? url : url.slice(0, at);
  const query = at < 0 ? '' : url.slice(at + 1);
  const local = `/${rawPath.replace(/\\/g, '/').replace(/^[/\s]+/, '')}`;
  let pathname: string;
  try {
    const parsed = new URL(local, 'http://localhost');
    pathname = parsed.host === 'localhost' ? parsed.pathname : '/';
  } catch {
    pathname = '/';
  }
  const params = new URLSearchParams(query);
  params.set('lang', to);
  return `/${pathname.replace(/^[/\\]+/, '')}?${params.toString()}`;
}

export function page({ ctx, title, body, hasErrors }: PageOptions): Html {
  const { lang, url, user } = ctx;
  const m = messages(lang);
  const other = lang === 'vi' ? 'en' : 'vi';
  const fullTitle = `${hasErrors ? m.errorPage.errorPrefix : ''}${title} – ${m.site.name}`;
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${fullTitle}</title>
<link rel="stylesheet" href="/static/app.css">
<script src="/static/app.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">${m.site.skipLink}</a>
<header class="site-header">
  <div class="container header-row">
    <a class="site-name" href="/">${m.site.name}<span class="site-province">${m.site.province}</span></a>
    <a class="lang-switch" href="${switchUrl(url, other)}" hreflang="${other}" lang="${other}">${m.site.switchLanguage}</a>
  </div>
  <nav class="container site-nav" aria-label="${m.site.nav}">
    <a href="/">${m.site.navHome}</a>
    <a href="/thu-tuc">${m.site.navProcedures}</a>
    <a href="/tra-cuu">${m.site.navTrack}</a>
    <a href="/thong-ke">${m.stats.nav}</a>
    ${user?.staff ? html`<a href="/can-bo/ho-so">${m.office.nav}</a>` : ''}
    ${user ? html`<a href="/ho-so">${m.site.navDossiers}</a><a href="/tai-khoan">${m.site.navAccount}</a>` : html`<a href="/dang-nhap">${m.site.navSignIn}</a>`}
  </nav>
</header>
<main id="main" class="container" tabindex="-1">
${body}
</main>
<footer class="site-footer">
  <div class="container">
    <p>${m.site.footer} <a href="/openapi.json">${m.site.footerApi}</a> · <a href="/phan-anh">${m.feedback.nav}</a> · <a href="/truyen-thong">${m.outreach.title}</a> · <a href="/quyen-rieng-tu">${m.privacy.nav}</a></p>
  </div>
</footer>
</body>
</html>`;
}
