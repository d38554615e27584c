// The two secrets that live outside the database (Decree 13/2023 on personal data; OWASP ASVS
// V6): DATA_KEY encrypts personal data at rest and keys its look-up hashes, AUDIT_KEY signs the
// audit chain's head. Each is 32 random bytes in base64 (`openssl rand -base64 32`).
//
// In production (NODE_ENV=production) both must be given: the server refuses to start otherwise.
// Elsewhere (the demo, a developer's machine) missing keys are generated once and kept beside the
// database in `keys.json` (mode 0600), and the log says so: a demo never runs on a key that
// changes between starts, and never on a key written in the source.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type Keys = {
  /** Encrypts personal data (AES-256-GCM) and keys its look-up hashes (HMAC-SHA-256). */
  data: Buffer;
  /** Signs the audit chain's head (HMAC-SHA-256). */
  audit: Buffer;
  /** Earlier data keys, still able to decrypt while `motcua keys rotate` re-encrypts. */
  previousData: Buffer[];
};

export class KeyError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'KeyError';
  }
}

/** A key from its base64 text: exactly 32 bytes, or a KeyError naming the variable. */
export function parseKey(variable: string, text: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || key.length !== 32) {
    throw new KeyError(variable, 'expected 32 random bytes in base64 (openssl rand -base64 32)');
  }
  return key;
}

export type KeySource = {
  dataKey?: string;
  auditKey?: string;
  /** Comma-separated earlier data keys, kept while a rotation runs. */
  previousDataKeys?: string;
  /** Where `keys.json` is kept when keys are generated (beside the SQLite file). */
  dataDir: string;
  production: boolean;
};

/**
 * The keys this instance runs with. `generated` names the keys that were made (and written to
 * `file`) on this call, so the caller can log it once.
 */
export function loadKeys(src: KeySource): { keys: Keys; generated: string[]; file: string } {
  const file = path.join(src.dataDir, 'keys.json');
  const previousData = (src.previousDataKeys ?? '').split(',').filter((k) => k.trim()).map((k) => parseKey('PREVIOUS_DATA_KEYS', k));
  if (src.dataKey && src.auditKey) {
    return { keys: { data: parseKey('DATA_KEY', src.dataKey), audit: parseKey('AUDIT_KEY', src.auditKey), previousData }, generated: [], file };
  }
  if (src.production) {
    throw new KeyError(src.dataKey ? 'AUDIT_KEY' : 'DATA_KEY', 'required when NODE_ENV=production (openssl rand -base64 32)');
  }
  const kept = readKeyFile(file);
  const generated: string[] = [];
  const take = (variable: 'DATA_KEY' | 'AUDIT_KEY', given: string | undefined): Buffer => {
    if (given) return parseKey(variable, given);
    if (kept[variable]) return parseKey(variable, kept[variable]);
    generated.push(variable);
    return randomBytes(32);
  };
  const keys: Keys = { data: take('DATA_KEY', src.dataKey), audit: take('AUDIT_KEY', src.auditKey), previousData };
  if (generated.length) {
    fs.mkdirSync(src.dataDir, { recursive: true });
    const content = { ...kept, ...Object.fromEntries(generated.map((v) => [v, (v === 'DATA_KEY' ? keys.data : keys.audit).toString('base64')])) };
    fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  }
  return { keys, generated, file };
}

function readKeyFile(file: string): Record<string, string> {
  if (!fs.existsSync(file)) return {};
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (!parsed || typeof parsed !== 'object') throw new KeyError('DATA_DIR', `${file} is not a JSON object`);
  return parsed as Record<string, string>;
}

/** Fixed keys for the test suite: never used outside it. */
export function testKeys(): Keys {
  return { data: Buffer.alloc(32, 7), audit: Buffer.alloc(32, 9), previousData: [] };
}
