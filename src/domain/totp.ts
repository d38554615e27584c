// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA-1, 6 digits, 30-second
// steps, one step either side accepted for clock drift. Base32 (RFC 4648) for the secret people
// type into their authenticator app. The secret is kept sealed by src/domain/sealed.ts, like
// dossiers' personal data. Pure: time is passed in.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const totpRules = { digits: 6, stepSeconds: 30, window: 1, secretBytes: 20 } as const;

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32, without padding (what authenticator apps expect). */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

/** RFC 4648 base32; spaces, dashes, padding and case are forgiven. Null when not base32. */
export function base32Decode(text: string): Buffer | null {
  const clean = text.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const i = alphabet.indexOf(ch);
    if (i < 0) return null;
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 4226 HOTP: the code for one counter value. */
export function hotp(secret: Uint8Array, counter: number, digits: number = totpRules.digits, algorithm: 'sha1' | 'sha256' | 'sha512' = 'sha1'): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, secret).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The 30-second step a moment falls in. */
export function stepAt(now: Date, stepSeconds: number = totpRules.stepSeconds): number {
  return Math.floor(now.getTime() / 1000 / stepSeconds);
}

/** RFC 6238 TOTP: the code at a moment. */
export function totp(secret: Uint8Array, now: Date, digits: number = totpRules.digits, algorithm: 'sha1' | 'sha256' | 'sha512' = 'sha1'): string {
  return hotp(secret, stepAt(now), digits, algorithm);
}

/**
 * The step a typed code belongs to, within one step either side of now, or null. Steps at or
 * before `lastStep` (the last accepted) are refused: a code is taken once.
 */
export function matchTotp(secret: Uint8Array, code: string, now: Date, lastStep: number | null = null): number | null {
  const typed = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(typed)) return null;
  const current = stepAt(now);
  let found: number | null = null;
  for (let step = current - totpRules.window; step <= current + totpRules.window; step++) {
    // Compare every candidate (constant work), keep the first match.
    const same = timingSafeEqual(Buffer.from(hotp(secret, step)), Buffer.from(typed));
    if (same && found === null && (lastStep === null || step > lastStep)) found = step;
  }
  return found;
}

export function newTotpSecret(): Buffer {
  return randomBytes(totpRules.secretBytes);
}

/** The otpauth:// URI (Key Uri Format) an authenticator app reads from a QR code. */
export function otpauthUri(secret: Uint8Array, issuer: string, account: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const params = new URLSearchParams({ secret: base32Encode(secret), issuer, algorithm: 'SHA1', digits: String(totpRules.digits), period: String(totpRules.stepSeconds) });
  return `otpauth://totp/${label}?${params.toString()}`;
}
