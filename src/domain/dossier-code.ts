// Dossier codes: {agency identifier}-{YYMMDD}-{NNNN} (Decree 61/2018/NĐ-CP art. 26; Circular
// 01/2018/TT-VPCP art. 19, `V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX`): the electronic identifier of the
// receiving competent agency, the intake day, and a counter kept per unit and intake day from
// 0001. Decree 118/2025/NĐ-CP (from 1/7/2025) replaced Decree 61/2018 and Circular 03/2025/TT-VPCP
// guides the dossier code; whether that changed the format is unconfirmed (docs/domain.md §7.1),
// so the 2018 format stays. Results are coded {dossierCode}-KQ{n} (Decree 45/2020).
import { randomBytes } from 'node:crypto';
import { isIsoDay } from './units.ts';

/**
 * An electronic agency identifier (mã định danh điện tử) as one-stop systems write it:
 * `NNN.NN.NN.XNN`, e.g. `000.00.12.H56` (QCVN 102:2016/BTTTT, cited by Circular 01/2018 art. 19).
 * Read right to left: `XNN` is the level-1 code (Decision 20/2020/QĐ-TTg art. 4 cl.2: a letter
 * A–Y and two digits, e.g. H for a provincial People's Committee), then level 2, 3 and 4, `00` /
 * `000` when unused.
 */
export function isAgencyIdentifier(text: unknown): text is string {
  return typeof text === 'string' && /^\d{3}\.\d{2}\.\d{2}\.[A-Y]\d{2}$/.test(text);
}

/**
 * The national portal's own identifiers, in the left-to-right form of Decision 20/2020 art. 4
 * with the Government Office's level-1 code G22 (`000.00.00.G22` is Văn phòng Chính phủ in edXML
 * code): the portal's receipts read `G22.99.08-260921-896048`. Seen in public code, not in a
 * legal text (unconfirmed).
 */
const portalIdentifier = /^G\d{2}(?:\.\d{1,3}){0,3}$/;

export function dossierCode(identifier: string, day: string, counter: number): string {
  if (!isAgencyIdentifier(identifier)) throw new Error(`not an agency identifier: ${identifier}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a day: ${day}`);
  if (!Number.isInteger(counter) || counter < 1) throw new Error(`not a counter: ${counter}`);
  // Four digits as the circular shows; a day past 9999 dossiers keeps counting in more digits.
  return `${identifier}-${day.slice(2, 4)}${day.slice(5, 7)}${day.slice(8, 10)}-${String(counter).padStart(4, '0')}`;
}

export function resultCode(code: string, n: number): string {
  return `${code}-KQ${n}`;
}

const pattern = /^([0-9A-Z.]+)-(\d{2})(\d{2})(\d{2})-(\d{4,})$/;

/**
 * A dossier code in the national format, split: the agency identifier (`unitCode`), the intake
 * day and the counter. Null for anything else: another identifier form, a day that does not
 * exist, fewer than four counter digits, more than 50 characters.
 */
export function parseDossierCode(code: string): { unitCode: string; day: string; counter: number } | null {
  if (typeof code !== 'string' || code.length > 50) return null;
  const m = pattern.exec(code);
  if (!m) return null;
  const [, identifier, yy, mm, dd, counter] = m as unknown as [string, string, string, string, string, string];
  if (!isAgencyIdentifier(identifier) && !portalIdentifier.test(identifier)) return null;
  const day = `20${yy}-${mm}-${dd}`;
  if (!isIsoDay(day) || Number(counter) < 1) return null;
  return { unitCode: identifier, day, counter: Number(counter) };
}

/** Whether a text is a dossier code in the national format (a unit's or the national portal's). */
export function isNationalDossierCode(code: unknown): code is string {
  return typeof code === 'string' && parseDossierCode(code) !== null;
}

/** Tracking keys avoid letters people confuse (0/O, 1/I/L) when reading them off a receipt. */
const keyAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A fresh tracking key: with the code, it opens a dossier's public tracking page. */
export function trackingKey(): string {
  return [...randomBytes(10)].map((b) => keyAlphabet[b % keyAlphabet.length]).join('');
}
