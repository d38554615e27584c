// Personal data found in free text (Decree 13/2023/NĐ-CP; OWASP ASVS V8.3): before a citizen's
// words are published (answered feedback on the public page), national ID numbers, Vietnamese phone
// numbers and email addresses are replaced by a marker. The stored text is left as written.

const email = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/**
 * A Vietnamese number: mobile `0912 345 678`, `0912.345.678`, `+84 912 345 678`, `84912345678`, or
 * landline `028 3823 4567` (0 or +84, then 9 or 10 digits, with spaces, dots or dashes between).
 */
const phone = /(?<![\d+])(?:\+84|84|0)(?:[\s.-]?\d){9,10}(?!\d)/g;
/** A citizen ID (12 digits) or an old identity card (9), written whole or in groups of three with spaces. */
const idNumber = /(?<!\d)(?:\d{12}|\d{9}|\d{3}(?: \d{3}){2,3})(?!\d)/g;

/** The text with every ID number, phone number and email address replaced by `marker`. */
export function stripPersonalData(text: string, marker: string): string {
  return text.replace(email, marker).replace(phone, marker).replace(idNumber, marker);
}
