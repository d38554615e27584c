// Personal data sealed at rest: AES-256-GCM under DATA_KEY, and keyed look-up hashes
// (HMAC-SHA-256) so a sealed value can still be found by an exact ID number, phone or email.
//
// Why: Decree 13/2023/NĐ-CP on the protection of personal data, which counts phone and ID numbers
// among personal data and asks whoever processes it to apply technical protection measures
// (unconfirmed: the exact articles, believed to be Art. 2 for the definitions and Art. 26-27 for
// the measures, were not checked against the gazetted text); OWASP ASVS 4.0.3 V6.2 (approved
// algorithms, authenticated encryption, random nonces) and V8.3.
//
// A sealed value is text: `v1:<keyId>:<base64(iv | tag | ciphertext)>`, where keyId is the first
// 8 hex digits of SHA-256 of the key that sealed it (so a rotation knows which key to open it
// with and which values still need re-sealing). The 12-byte IV is random per value; the caller's
// context (table, column, row id) is bound in as additional authenticated data, so a sealed value
// copied into another row or column does not open. Text that is not sealed (rows written before
// encryption) is passed through by `open` unchanged.
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** What a look-up hash is of: each kind is normalised its own way before hashing. */
export type LookupKind = 'id' | 'phone' | 'email';

export interface Sealer {
  /** Seals text under the current key; `context` must be given again to open it. */
  seal(plain: string, context: string): string;
  /** The plain text of a sealed value (or the value itself when it was never sealed). */
  open(stored: string, context: string): string;
  /** The look-up hash of a normalised value under the current key; null for an empty value. */
  lookup(kind: LookupKind, value: unknown): string | null;
  /** The hashes under the current and every previous key (to find rows during a rotation). */
  lookups(kind: LookupKind, value: unknown): string[];
  /** True when a stored value is not sealed under the current key (plain, or an older key). */
  stale(stored: string): boolean;
}

export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

const prefix = 'v1:';
const ivBytes = 12;
const tagBytes = 16;

/** The first 8 hex digits of SHA-256 of a key: names it without revealing it. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** True when text has the sealed form (`v1:…`). */
export function isSealed(text: string): boolean {
  return text.startsWith(prefix);
}

/** A national ID number (CCCD 12 digits, CMND 9, or a passport) without spaces, dots or dashes, upper case. */
export function normaliseIdNumber(value: string): string {
  return value.normalize('NFKC').replace(/[\s.-]/g, '').toUpperCase();
}

/** A Vietnamese phone number in +84 form: `0912 345 678`, `84912345678` and `+84 912 345 678` are one number. */
export function normalisePhone(value: string): string {
  const digits = value.normalize('NFKC').replace(/\D/g, '');
  if (!digits) return '';
  if (value.trim().startsWith('+')) return `+${digits}`;
  if (digits.startsWith('84') && digits.length >= 11) return `+${digits}`;
  if (digits.startsWith('0')) return `+84${digits.slice(1)}`;
  return `+84${digits}`;
}

export function normaliseEmail(value: string): string {
  return value.normalize('NFKC').trim().toLowerCase();
}

export function normalise(kind: LookupKind, value: string): string {
  return kind === 'id' ? normaliseIdNumber(value) : kind === 'phone' ? normalisePhone(value) : normaliseEmail(value);
}

function lookupKey(key: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'motcua lookup v1', 32));
}

/** AES-256-GCM with the current data key; previous keys still open what they sealed. */
export class AesSealer implements Sealer {
  private readonly currentId: string;
  private readonly keys = new Map<string, Buffer>();
  private readonly hmacKeys: Buffer[];

  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    for (const k of [current, ...previous]) {
      if (k.length !== 32) throw new SealError('a data key is 32 bytes');
    }
    this.currentId = keyId(current);
    for (const k of [current, ...previous]) if (!this.keys.has(keyId(k))) this.keys.set(keyId(k), k);
    this.hmacKeys = [...this.keys.values()].map(lookupKey);
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentId)!, iv, { authTagLength: tagBytes });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${prefix}${this.currentId}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  open(stored: string, context: string): string {
    if (!isSealed(stored)) return stored;
    const second = stored.indexOf(':', prefix.length);
    const id = stored.slice(prefix.length, second);
    const key = this.keys.get(id);
    if (!key) throw new SealError(`sealed under key ${id}, which is neither DATA_KEY nor in PREVIOUS_DATA_KEYS`);
    const raw = Buffer.from(stored.slice(second + 1), 'base64');
    if (raw.length < ivBytes + tagBytes) throw new SealError('a sealed value is too short');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, ivBytes), { authTagLength: tagBytes });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(ivBytes, ivBytes + tagBytes));
    try {
      return Buffer.concat([decipher.update(raw.subarray(ivBytes + tagBytes)), decipher.final()]).toString('utf8');
    } catch {
      throw new SealError(`a value sealed under key ${id} does not authenticate (altered, or moved from another row)`);
    }
  }

  lookup(kind: LookupKind, value: unknown): string | null {
    return hashUnder(this.hmacKeys[0]!, kind, value);
  }

  lookups(kind: LookupKind, value: unknown): string[] {
    return this.hmacKeys.map((k) => hashUnder(k, kind, value)).filter((h): h is string => h !== null);
  }

  stale(stored: string): boolean {
    return !stored.startsWith(`${prefix}${this.currentId}:`);
  }
}

function hashUnder(key: Buffer, kind: LookupKind, value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const n = normalise(kind, value);
  if (!n) return null;
  return createHmac('sha256', key).update(`${kind}:${n}`).digest('base64url');
}

/**
 * Seals nothing: for the benchmark's "encryption off" case only (it measures what sealing costs).
 * Look-up hashes are still plain HMACs under a fixed key, so queries behave the same.
 */
export class PlainSealer implements Sealer {
  private readonly key = Buffer.alloc(32);
  seal(plain: string): string {
    return plain;
  }
  open(stored: string): string {
    return stored;
  }
  lookup(kind: LookupKind, value: unknown): string | null {
    return hashUnder(this.key, kind, value);
  }
  lookups(kind: LookupKind, value: unknown): string[] {
    const h = this.lookup(kind, value);
    return h ? [h] : [];
  }
  stale(): boolean {
    return false;
  }
}
