// Configuration from the environment, validated once at start: a bad value stops the server
// with one line that names the variable.
import { isIP } from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import type { OidcSettings } from './modules/accounts/accounts.oidc.ts';
import { KeyError, parseKey, type KeySource } from './keys.ts';
import { retentionRules, type RetentionDays, type RetentionRule } from './modules/retention/retention.service.ts';
import { defaultSyncTimeoutMs, type NationalSyncSettings } from './modules/sync/sync.service.ts';
import { vietQrProblem, type VietQrPayee } from './domain/vietqr.ts';
import type { VnpaySettings } from './modules/payments/payments.vnpay.ts';
import { sandboxPath } from './modules/payments/payments.sandbox.ts';

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  /** `postgres://…` selects PostgreSQL; otherwise SQLite at `$DATA_DIR/motcua.db`. */
  databaseUrl: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** The public address of the portal, used in links and QR codes. */
  publicUrl: string;
  /** How often an instance checks whether another instance changed the catalogue, in ms. */
  catalogRefreshMs: number;
  /** `live` sends email over SMTP and SMS through the HTTP gateway; `test` sends nothing outside. */
  notifyMode: 'live' | 'test';
  smtpUrl: string | null;
  /** The SMS gateway (POST JSON {to, text}, bearer key): required when notifyMode is live. */
  sms: { url: string; key: string } | null;
  /** Days each retention rule keeps its data (src/modules/retention: one variable per rule). */
  retentionDays: RetentionDays;
  mailFrom: string;
  /** How often the outbox worker looks for messages to send, in ms. */
  outboxPollMs: number;
  /** S3-compatible object storage for files; local disk under `$DATA_DIR/files` when null. */
  s3: { endpoint: string; bucket: string; accessKey: string; secretKey: string; region?: string } | null;
  uploads: { maxFileBytes: number; maxDossierBytes: number };
  /** `full`: the citizen portal files dossiers; `back_office`: filing happens on the national portal. */
  mode: 'full' | 'back_office';
  nationalPortalUrl: string;
  /** API keys of the systems that send dossiers in (the national portal), by sender name. */
  inboundKeys: Record<string, string>;
  /** POSTAL_OPERATOR_KEYS: `operator:key` pairs, the key a postal operator sends with its shipment events. */
  postalOperatorKeys: Record<string, string>;
  /** Sign-in through an OpenID Connect provider such as VNeID; off when OIDC_ISSUER is unset. */
  oidc: OidcSettings | null;
  /** DATA_KEY and AUDIT_KEY (src/keys.ts): required when NODE_ENV=production, generated for a demo. */
  keys: KeySource;
  /** TRUST_PROXY: which reverse proxies' X-Forwarded-For to believe (Fastify's trustProxy); false by default. */
  trustProxy: TrustProxy;
  /** The national sync's receiver (docs/national-sync.md): off when NATIONAL_SYNC_URL is unset. */
  nationalSync: NationalSyncSettings | null;
  /** SIGNING_P12 (a PKCS#12 file) and SIGNING_P12_PASSWORD: the certificate results are signed with; null: a demo certificate kept in the database. */
  signing: { p12Path: string; password: string } | null;
  /** VIETQR_BANK_BIN, VIETQR_ACCOUNT_NO, VIETQR_ACCOUNT_NAME: the account VietQR transfers go to; VietQR is not offered without them. */
  vietqr: VietQrPayee | null;
  /** VNPAY_TMN_CODE, VNPAY_HASH_SECRET, VNPAY_URL: VNPay 2.1.0; not offered without them (a demo wires the sandbox). */
  vnpay: VnpaySettings | null;
};

/** `true` (any proxy), a number of hops, or the proxies' addresses (CIDR ranges too); false: none. */
export type TrustProxy = boolean | number | string[];

/** TRUST_PROXY: unset or `false` (the default: the socket's address is the client's), `true`, a number of hops, or addresses. */
export function trustProxyVar(raw: string | undefined): TrustProxy {
  const text = raw?.trim() ?? '';
  if (text === '' || text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops === 0) return false;
    if (hops > 10) throw new ConfigError('TRUST_PROXY', `expected 0 to 10 hops, got ${hops}`);
    return hops;
  }
  const addresses = text.split(',').map((a) => a.trim()).filter(Boolean);
  const bad = addresses.find((a) => {
    const [ip, bits, ...rest] = a.split('/');
    const version = isIP(ip ?? '');
    return !version || rest.length > 0 || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128)));
  });
  if (bad !== undefined || !addresses.length) {
    throw new ConfigError('TRUST_PROXY', `expected true, false, a number of hops, or the proxies' addresses separated by commas (10.0.0.1, 10.0.0.0/8), got "${bad ?? text}"`);
  }
  return addresses;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`${variable}: ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `expected a number from ${min} to ${max}, got ${n}`);
  return n;
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Env = process.env): Config {
  const port = intVar(env, 'PORT', 3000, 0, 65535);
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'expected a postgres:// URL (leave it unset for the embedded SQLite)');
  }
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!logLevels.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `expected one of ${logLevels.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  try {
    const u = new URL(publicUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw new ConfigError('PUBLIC_URL', `expected an http(s) URL, got "${env.PUBLIC_URL}"`);
  }
  const smtpUrl = env.SMTP_URL?.trim() || null;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError('SMTP_URL', `expected smtp://… or smtps://…, got "${smtpUrl}"`);
  const notifyMode = (env.NOTIFY_MODE?.trim() || (smtpUrl ? 'live' : 'test')) as Config['notifyMode'];
  if (notifyMode !== 'live' && notifyMode !== 'test') throw new ConfigError('NOTIFY_MODE', `expected live or test, got "${env.NOTIFY_MODE}"`);
  if (notifyMode === 'live' && !smtpUrl) throw new ConfigError('SMTP_URL', 'required when NOTIFY_MODE=live');
  const sms = smsSettings(env, notifyMode);
  const s3Vars = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const;
  const s3Set = s3Vars.filter((v) => env[v]?.trim());
  if (s3Set.length > 0 && s3Set.length < s3Vars.length) {
    const missing = s3Vars.find((v) => !env[v]?.trim())!;
    throw new ConfigError(missing, `required with ${s3Set.join(', ')} (set all four for S3 storage, or none for the local disk)`);
  }
  const mb = 1024 * 1024;
  const mode = (env.PORTAL_MODE?.trim() || 'full') as Config['mode'];
  if (mode !== 'full' && mode !== 'back_office') throw new ConfigError('PORTAL_MODE', `expected full or back_office, got "${env.PORTAL_MODE}"`);
  const inboundKeys: Record<string, string> = {};
  for (const pair of (env.INBOUND_API_KEYS ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const [sender, key] = pair.split(':');
    if (!sender || !key || key.length < 16) throw new ConfigError('INBOUND_API_KEYS', 'expected sender:key pairs, keys of at least 16 characters, separated by commas');
    inboundKeys[sender] = key;
  }
  const postalOperatorKeys: Record<string, string> = {};
  for (const pair of (env.POSTAL_OPERATOR_KEYS ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const [operator, key, extra] = pair.split(':');
    if (!operator || !key || extra !== undefined || key.length < 16 || !/^[a-z0-9_-]+$/.test(operator)) throw new ConfigError('POSTAL_OPERATOR_KEYS', 'expected operator:key pairs (operator in lowercase letters, digits, - or _; keys of at least 16 characters), separated by commas');
    const holder = Object.keys(postalOperatorKeys).find((o) => postalOperatorKeys[o] === key && o !== operator);
    if (holder) throw new ConfigError('POSTAL_OPERATOR_KEYS', `the same key is given for ${holder} and ${operator}: each operator needs its own key`);
    postalOperatorKeys[operator] = key;
  }
  const oidc = oidcSettings(env);
  const keys: KeySource = {
    dataKey: env.DATA_KEY?.trim() || undefined, auditKey: env.AUDIT_KEY?.trim() || undefined,
    previousDataKeys: env.PREVIOUS_DATA_KEYS?.trim() || undefined,
    dataDir: path.resolve(env.DATA_DIR ?? 'data'), production: env.NODE_ENV === 'production',
  };
  try {
    if (keys.dataKey) parseKey('DATA_KEY', keys.dataKey);
    if (keys.auditKey) parseKey('AUDIT_KEY', keys.auditKey);
    for (const k of (keys.previousDataKeys ?? '').split(',').filter((x) => x.trim())) parseKey('PREVIOUS_DATA_KEYS', k);
    if (keys.production && (!keys.dataKey || !keys.auditKey)) throw new KeyError(keys.dataKey ? 'AUDIT_KEY' : 'DATA_KEY', 'required when NODE_ENV=production (openssl rand -base64 32)');
  } catch (err) {
    if (err instanceof KeyError) throw new ConfigError(err.variable, err.message.slice(err.variable.length + 2));
    throw err;
  }
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    databaseUrl,
    logLevel,
    publicUrl,
    catalogRefreshMs: intVar(env, 'CATALOG_REFRESH_MS', 10_000, 0, 3_600_000),
    notifyMode,
    smtpUrl,
    sms,
    retentionDays: Object.fromEntries(
      (Object.keys(retentionRules) as RetentionRule[]).map((rule) => [rule, intVar(env, retentionRules[rule].env, retentionRules[rule].days, 0, 3650)]),
    ) as RetentionDays,
    mailFrom: env.MAIL_FROM?.trim() || 'Một Cửa <no-reply@motcua.local>',
    outboxPollMs: intVar(env, 'OUTBOX_POLL_MS', 5_000, 100, 3_600_000),
    s3: s3Set.length
      ? { endpoint: env.S3_ENDPOINT!.trim(), bucket: env.S3_BUCKET!.trim(), accessKey: env.S3_ACCESS_KEY!.trim(), secretKey: env.S3_SECRET_KEY!.trim(), region: env.S3_REGION?.trim() || undefined }
      : null,
    mode,
    nationalPortalUrl: (env.NATIONAL_PORTAL_URL ?? 'https://dichvucong.gov.vn').replace(/\/+$/, ''),
    inboundKeys,
    postalOperatorKeys,
    oidc,
    keys,
    trustProxy: trustProxyVar(env.TRUST_PROXY),
    nationalSync: nationalSyncSettings(env),
    signing: signingSettings(env),
    vietqr: vietQrSettings(env),
    vnpay: vnpaySettings(env, publicUrl),
    uploads: { maxFileBytes: intVar(env, 'MAX_FILE_MB', 20, 1, 100) * mb, maxDossierBytes: intVar(env, 'MAX_DOSSIER_MB', 60, 1, 1000) * mb },
  };
}

/**
 * VNPay: the three variables together, or none (then VNPay is not offered, except in a demo, which
 * wires the sandbox gateway). VNPAY_URL pointing at this portal's own sandbox path turns the sandbox on.
 */
function vnpaySettings(env: Env, publicUrl: string): Config['vnpay'] {
  const vars = ['VNPAY_TMN_CODE', 'VNPAY_HASH_SECRET', 'VNPAY_URL'] as const;
  const set = vars.filter((v) => env[v]?.trim());
  if (!set.length) return null;
  const missing = vars.find((v) => !env[v]?.trim());
  if (missing) throw new ConfigError(missing, `required with ${set.join(', ')} (set all three for VNPay, or none)`);
  const tmnCode = env.VNPAY_TMN_CODE!.trim();
  if (!/^[A-Za-z0-9]{1,16}$/.test(tmnCode)) throw new ConfigError('VNPAY_TMN_CODE', 'expected the terminal code VNPay gave (letters and digits)');
  const hashSecret = env.VNPAY_HASH_SECRET!.trim();
  if (hashSecret.length < 16) throw new ConfigError('VNPAY_HASH_SECRET', 'expected at least 16 characters');
  const gatewayUrl = env.VNPAY_URL!.trim();
  let u: URL;
  try {
    u = new URL(gatewayUrl);
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname))) throw new Error();
  } catch {
    throw new ConfigError('VNPAY_URL', `expected an https URL (http only for localhost), got "${gatewayUrl}"`);
  }
  const sandbox = u.pathname === sandboxPath && u.origin === new URL(publicUrl).origin;
  return { tmnCode, hashSecret, gatewayUrl, sandbox, expireMinutes: intVar(env, 'VNPAY_EXPIRE_MINUTES', 15, 5, 60) };
}

/** The sandbox gateway of a demo: Một Cửa's own page, a demo terminal and secret (they pay nothing). */
export function demoVnpay(publicUrl: string): VnpaySettings {
  return { tmnCode: 'MOTCUADEMO', hashSecret: 'demo-sandbox-secret-not-for-production', gatewayUrl: `${publicUrl}${sandboxPath}`, sandbox: true, expireMinutes: 15 };
}

/** The VietQR payee: the three variables together, or none (then VietQR is not offered). */
function vietQrSettings(env: Env): Config['vietqr'] {
  const vars = ['VIETQR_BANK_BIN', 'VIETQR_ACCOUNT_NO', 'VIETQR_ACCOUNT_NAME'] as const;
  const set = vars.filter((v) => env[v]?.trim());
  if (!set.length) return null;
  const missing = vars.find((v) => !env[v]?.trim());
  if (missing) throw new ConfigError(missing, `required with ${set.join(', ')} (set all three for VietQR transfers, or none)`);
  const payee = { bankBin: env.VIETQR_BANK_BIN!.trim(), accountNo: env.VIETQR_ACCOUNT_NO!.trim(), accountName: env.VIETQR_ACCOUNT_NAME!.trim() };
  const problem = vietQrProblem(payee);
  if (problem?.startsWith('bankBin')) throw new ConfigError('VIETQR_BANK_BIN', 'expected the bank\'s six-digit NAPAS BIN (e.g. 970415)');
  if (problem) throw new ConfigError('VIETQR_ACCOUNT_NO', 'expected 1 to 19 letters or digits');
  if (payee.accountName.length > 70) throw new ConfigError('VIETQR_ACCOUNT_NAME', 'at most 70 characters');
  return payee;
}

/** The SMS gateway: live mode has no other way to send an SMS (there is no log-only provider). */
function smsSettings(env: Env, notifyMode: Config['notifyMode']): Config['sms'] {
  const url = env.SMS_URL?.trim();
  const key = env.SMS_KEY?.trim();
  if (!url) {
    if (notifyMode === 'live') throw new ConfigError('SMS_URL', 'required when NOTIFY_MODE=live (the SMS gateway: POST JSON {to, text}; see README)');
    if (key) throw new ConfigError('SMS_URL', 'required with SMS_KEY');
    return null;
  }
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname))) throw new Error();
  } catch {
    throw new ConfigError('SMS_URL', `expected an https URL (http only for localhost), got "${url}"`);
  }
  if (!key) throw new ConfigError('SMS_KEY', 'required with SMS_URL (the gateway\'s API key, sent as a bearer token)');
  return { url, key };
}

/** The national sync: NATIONAL_SYNC_URL and NATIONAL_SYNC_KEY together, or neither. The key is a
 *  secret: no message here repeats it. */
function nationalSyncSettings(env: Env): Config['nationalSync'] {
  const url = env.NATIONAL_SYNC_URL?.trim();
  const key = env.NATIONAL_SYNC_KEY?.trim();
  const timeoutMs = intVar(env, 'NATIONAL_SYNC_TIMEOUT_MS', defaultSyncTimeoutMs, 100, 120_000);
  if (!url) {
    if (key) throw new ConfigError('NATIONAL_SYNC_URL', 'required with NATIONAL_SYNC_KEY (the address events are POSTed to; see docs/national-sync.md)');
    return null;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname))) throw new Error();
  } catch {
    throw new ConfigError('NATIONAL_SYNC_URL', 'expected an https URL (http only for localhost)');
  }
  if (parsed.username || parsed.password) throw new ConfigError('NATIONAL_SYNC_URL', 'must not hold credentials: the key goes in NATIONAL_SYNC_KEY');
  if (!key) throw new ConfigError('NATIONAL_SYNC_KEY', 'required with NATIONAL_SYNC_URL (sent as the X-Api-Key header)');
  if (key.length < 16 || !/^[\x21-\x7e]+$/.test(key)) throw new ConfigError('NATIONAL_SYNC_KEY', 'expected at least 16 printable ASCII characters without spaces');
  return { url, key, timeoutMs };
}

/** SIGNING_P12: a readable PKCS#12 file (its password in SIGNING_P12_PASSWORD, which may be empty); the file is opened at start. */
function signingSettings(env: Env): Config['signing'] {
  const file = env.SIGNING_P12?.trim();
  if (!file) {
    if (env.SIGNING_P12_PASSWORD) throw new ConfigError('SIGNING_P12', 'required with SIGNING_P12_PASSWORD (the path of the PKCS#12 certificate results are signed with)');
    return null;
  }
  const p12Path = path.resolve(file);
  try {
    fs.accessSync(p12Path, fs.constants.R_OK);
  } catch {
    throw new ConfigError('SIGNING_P12', `cannot read "${p12Path}" (the PKCS#12 certificate results are signed with)`);
  }
  return { p12Path, password: env.SIGNING_P12_PASSWORD ?? '' };
}

function oidcSettings(env: Env): OidcSettings | null {
  const vars = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;
  const set = vars.filter((v) => env[v]?.trim());
  if (set.length === 0) return null;
  const missing = vars.find((v) => !env[v]?.trim());
  if (missing) throw new ConfigError(missing, `required with ${set.join(', ')} (set all three for OpenID Connect sign-in, or none)`);
  const issuer = env.OIDC_ISSUER!.trim();
  try {
    const u = new URL(issuer);
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname))) throw new Error();
  } catch {
    throw new ConfigError('OIDC_ISSUER', `expected an https URL (http only for localhost), got "${issuer}"`);
  }
  const scopes = env.OIDC_SCOPES?.trim() || 'openid profile email phone';
  if (!scopes.split(/\s+/).includes('openid')) throw new ConfigError('OIDC_SCOPES', `must include openid, got "${scopes}"`);
  return { issuer, clientId: env.OIDC_CLIENT_ID!.trim(), clientSecret: env.OIDC_CLIENT_SECRET!.trim(), name: env.OIDC_NAME?.trim() || 'VNeID', scopes };
}
