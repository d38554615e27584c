// Outside checks of signed PDFs: pdfsig (poppler-utils) as a reader's software sees the signature,
// and a PKCS#12 certificate made with openssl, as a province would be issued one.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What pdfsig prints about a PDF's signatures (it exits non-zero for an invalid one, so its output is read either way). */
export function pdfsig(pdf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-sig-'));
  try {
    const file = path.join(dir, 'signed.pdf');
    fs.writeFileSync(file, pdf);
    const r = spawnSync('pdfsig', [file], { encoding: 'utf8' });
    if (r.error) throw r.error;
    return `${r.stdout}${r.stderr}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A self-signed RSA 2048 certificate with a UTF-8 subject, exported as PKCS#12 with a password (openssl). */
export function opensslP12(subject: string, password: string): { p12: Buffer; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-p12-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  const p12 = path.join(dir, 'cert.p12');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '365', '-utf8', '-subj', subject], { stdio: 'pipe' });
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', p12, '-passout', `pass:${password}`], { stdio: 'pipe' });
  return { p12: fs.readFileSync(p12), dir };
}
