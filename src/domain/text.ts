// Vietnamese text folding for search and slugs. Unicode NFD splits tone marks off the vowels,
// but leaves đ/Đ whole, so those are mapped explicitly (docs/domain.md §2).

const combiningMarks = /[\u0300-\u036f]/g;

/** Lower-case, tone marks removed, đ → d: "Đăng ký kết hôn" → "dang ky ket hon". */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(combiningMarks, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

/** The folded words of a text, split on anything that is not a letter or a digit. */
export function words(text: string): string[] {
  return fold(text).split(/[^a-z0-9]+/).filter(Boolean);
}

/** "Hộ tịch (liên thông)" → "ho-tich-lien-thong". */
export function slugify(text: string): string {
  return words(text).join('-');
}

/** Compares Vietnamese strings in dictionary order (Ă after A, Đ after D). */
export const viCollator = new Intl.Collator('vi');
