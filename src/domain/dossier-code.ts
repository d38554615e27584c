// Dossier codes (Circular 01/2018/TT-VPCP art. 19): {unitCode}-{YYMMDD}-{NNNN}, the counter kept
// per unit and intake day, from 0001. Results are coded {dossierCode}-KQ{n} (Decree 45/2020).
import { randomBytes } from 'node:crypto';

export function dossierCode(unitCode: string, day: string, counter: number): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a day: ${day}`);
  if (!Number.isInteger(counter) || counter < 1) throw new Error(`not a counter: ${counter}`);
  // Four digits as the circular shows; a day past 9999 dossiers keeps counting in more digits.
  return `${unitCode}-${day.slice(2, 4)}${day.slice(5, 7)}${day.slice(8, 10)}-${String(counter).padStart(4, '0')}`;
}

export function resultCode(code: string, n: number): string {
  return `${code}-KQ${n}`;
}

const pattern = /^(.+)-(\d{2})(\d{2})(\d{2})-(\d{4,})$/;

export function parseDossierCode(code: string): { unitCode: string; day: string; counter: number } | null {
  const m = pattern.exec(code);
  if (!m) return null;
  return { unitCode: m[1]!, day: `20${m[2]}-${m[3]}-${m[4]}`, counter: Number(m[5]) };
}

/** Tracking keys avoid letters people confuse (0/O, 1/I/L) when reading them off a receipt. */
const keyAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A fresh tracking key: with the code, it opens a dossier's public tracking page. */
export function trackingKey(): string {
  return [...randomBytes(10)].map((b) => keyAlphabet[b % keyAlphabet.length]).join('');
}
