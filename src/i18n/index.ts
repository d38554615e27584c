// Picks the language of a request: an explicit choice (?lang= or the cookie) for pages,
// Accept-Language for the API; Vietnamese when nothing says otherwise.
import { en } from './en.ts';
import { vi, type Messages } from './vi.ts';

export type Lang = 'vi' | 'en';
export type { Messages };

const catalogs: Record<Lang, Messages> = { vi, en };

export function messages(lang: Lang): Messages {
  return catalogs[lang];
}

export function isLang(value: unknown): value is Lang {
  return value === 'vi' || value === 'en';
}

/** The first supported language named in an Accept-Language header, by weight. */
export function langFromHeader(header: string | undefined): Lang {
  if (!header) return 'vi';
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag.split('-')[0] ?? '', q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) if (isLang(tag)) return tag;
  return 'vi';
}

/** Fills `{name}` placeholders. */
export function format(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

const numberFormats: Record<Lang, Intl.NumberFormat> = { vi: new Intl.NumberFormat('vi-VN'), en: new Intl.NumberFormat('en-GB') };

export function formatNumber(lang: Lang, n: number): string {
  return numberFormats[lang].format(n);
}

/** A timestamp as Vietnamese people read it, in Vietnam's time: 09:32 ngày 27/10/2023 (pages and PDFs alike). */
export function vietnamTime(iso: string, lang: Lang): string {
  const { day, month, year, hour, minute } = vietnamParts(iso);
  return format(messages(lang).receipt.at, { time: `${hour}:${minute}`, date: `${day}/${month}/${year}` });
}

/** A moment's calendar date and clock time in Vietnam (UTC+7, no daylight saving), zero-padded. */
export function vietnamParts(iso: string): { day: string; month: string; year: number; hour: string; minute: string } {
  const d = new Date(new Date(iso).getTime() + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return { day: p(d.getUTCDate()), month: p(d.getUTCMonth() + 1), year: d.getUTCFullYear(), hour: p(d.getUTCHours()), minute: p(d.getUTCMinutes()) };
}

/** The name of a thing that has one per language (procedures, units, fields). */
export function localName(lang: Lang, named: { name: string; nameEn: string }): string {
  return lang === 'en' ? named.nameEn : named.name;
}
