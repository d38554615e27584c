// A browser without JavaScript, as the page tests need one: a cookie jar over app.inject, and
// form posts that carry the CSRF token the way the pages' hidden field does.
import type { App } from '../app.ts';

export class PageBrowser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly app: App) {}

  private keep(setCookie: string | string[] | undefined) {
    for (const c of [setCookie ?? []].flat()) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      if (/Max-Age=0/.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1));
    }
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string) {
    const res = await this.app.inject({ url, headers: { cookie: this.cookieHeader } });
    this.keep(res.headers['set-cookie']);
    return res;
  }

  async post(url: string, form: Record<string, string>, withToken = true) {
    const body = new URLSearchParams({ ...(withToken ? { _csrf: this.cookies.get('motcua_csrf') ?? this.cookies.get('__Host-motcua_csrf') ?? '' } : {}), ...form }).toString();
    const res = await this.app.inject({ method: 'POST', url, payload: body, headers: { cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' } });
    this.keep(res.headers['set-cookie']);
    return res;
  }
}
