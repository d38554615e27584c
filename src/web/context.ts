// What every page needs to know about its request: the language, the address (for the language
// switch), who is signed in (for the header) and the form token (for POST forms).
import type { Lang } from '../i18n/index.ts';

export type PageContext = {
  lang: Lang;
  url: string;
  /** Who is signed in; `staff` when they read dossiers (the header then links to the office queue). */
  user: { name: string; staff?: boolean } | null;
  /** The CSRF token to put in every POST form on the page. */
  csrf: string;
};
