// Digitally signed e-results (docs/domain.md, "Signed e-results"): a result PDF gets a QR code of its
// public verification page and a short caption on its last page, then a PDF signature (PKCS#7
// detached, adbe.pkcs7.detached, SHA-256 and RSA) under the configured PKCS#12 certificate
// (SIGNING_P12, SIGNING_P12_PASSWORD). Without one, a self-signed demo certificate is made on first
// need, kept sealed under DATA_KEY in `meta`, reused afterwards, and the log says results are
// signed with a demo certificate. Decree 130/2018/NĐ-CP governs digital signatures and their
// certificates: a demo certificate is not issued by a licensed provider and carries no legal weight.
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import forge from 'node-forge';
import { PDFDocument, rgb } from 'pdf-lib';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { SignPdfError } from '@signpdf/utils';
import QRCode from 'qrcode';
import type { Db } from '../../db/connection.ts';
import type { Sealer } from '../../domain/sealed.ts';
import { fold } from '../../domain/text.ts';
import { CmsSigner, commonName } from './office.signing.cms.ts';
import { insertMetaOnce, readMeta, updateMeta } from './office.results.queries.ts';

const require = createRequire(import.meta.url);
const fontFile = require.resolve('@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf');
let fontBytes: Buffer | undefined;

/** The signing certificate in use: its DER, private key, SHA-256 fingerprint and subject name. */
export type SigningCertificate = { certDer: Buffer; key: KeyObject; sha256: string; signer: string; demo: boolean };

/** A PKCS#12 file and its password, from SIGNING_P12 and SIGNING_P12_PASSWORD. */
export type SigningSettings = { p12: Buffer; password: string };

export class SigningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningError';
  }
}

const demoMetaKey = 'signing_demo_certificate';
const sealContext = `meta:value:${demoMetaKey}`;
/** The demo certificate's subject: the province's people's committee, marked as a test. */
export const demoSubject = { cn: 'Ủy ban nhân dân tỉnh Tiền Giang (chứng thư thử nghiệm)', o: 'Ủy ban nhân dân tỉnh Tiền Giang', l: 'Tiền Giang' };

/** Reads a PKCS#12 file: the private key and the certificate that matches it. */
export function certificateFromP12(p12: Buffer, password: string): SigningCertificate {
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary'))), false, password);
  } catch {
    // node-forge derives the PBKDF2 key from the password's bytes one char each: a password beyond ASCII never opens.
    const ascii = /^[\x20-\x7e]*$/.test(password) ? '' : '; the password must be ASCII (export the file again with an ASCII password)';
    throw new SigningError(`SIGNING_P12: cannot open the PKCS#12 file (wrong SIGNING_P12_PASSWORD, or not a PKCS#12 file${ascii})`);
  }
  const bags = (type: string) => parsed.getBags({ bagType: type })[type] ?? [];
  const keyBag = [...bags(forge.pki.oids.pkcs8ShroudedKeyBag!), ...bags(forge.pki.oids.keyBag!)].find((b) => b.key);
  if (!keyBag?.key) throw new SigningError('SIGNING_P12: the file holds no private key');
  const privateKey = keyBag.key as forge.pki.rsa.PrivateKey;
  const certs = bags(forge.pki.oids.certBag!).map((b) => b.cert).filter((c): c is forge.pki.Certificate => !!c);
  const cert = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.compareTo(privateKey.n) === 0 && pub.e.compareTo(privateKey.e) === 0;
  });
  if (!cert) throw new SigningError('SIGNING_P12: no certificate in the file matches its private key');
  const certDer = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  const key = createPrivateKey(forge.pki.privateKeyToPem(privateKey));
  return describe(certDer, key, false);
}

function describe(certDer: Buffer, key: KeyObject, demo: boolean): SigningCertificate {
  return { certDer, key, demo, sha256: createHash('sha256').update(certDer).digest('hex'), signer: commonName(certDer) };
}

/** A self-signed RSA 2048 certificate for the demo, valid ten years, named in Vietnamese (UTF8String). */
export function makeDemoCertificate(now: Date): { certPem: string; keyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(now.getTime() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + 10 * 365 * 24 * 3600 * 1000);
  // forge writes a name's value as UTF-8 only when told its tag is UTF8String (otherwise PrintableString, byte-truncated).
  const utf8 = forge.asn1.Type.UTF8;
  const attrs = [
    { shortName: 'CN', value: demoSubject.cn, valueTagClass: utf8 }, { shortName: 'O', value: demoSubject.o, valueTagClass: utf8 },
    { shortName: 'L', value: demoSubject.l, valueTagClass: utf8 }, { shortName: 'C', value: 'VN' },
  ] as forge.pki.CertificateField[];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

/** What the stamp on the last page says (the caption), and where the QR code leads. */
export type Stamp = { url: string; lines: string[] };

/** Signs result PDFs with the configured certificate, or the demo one kept in the database. */
export class ResultSigning {
  private cert: Promise<SigningCertificate> | null = null;

  constructor(
    private readonly db: Db,
    private readonly sealer: Sealer,
    private readonly settings: SigningSettings | null,
    private readonly now: () => Date,
  ) {}

  /** The certificate: read once (the P12, or the demo certificate made on first need and kept). */
  certificate(): Promise<SigningCertificate> {
    this.cert ??= this.load().catch((err) => {
      this.cert = null;
      throw err;
    });
    return this.cert;
  }

  private async load(): Promise<SigningCertificate> {
    if (this.settings) return certificateFromP12(this.settings.p12, this.settings.password);
    let stored = await readMeta(this.db, demoMetaKey);
    if (!stored) {
      const made = makeDemoCertificate(this.now());
      // Two instances starting at once: the first insert wins, and both read it back.
      await insertMetaOnce(this.db, demoMetaKey, this.sealer.seal(JSON.stringify(made), sealContext));
      stored = await readMeta(this.db, demoMetaKey);
    }
    const plain = this.sealer.open(stored!, sealContext);
    // Sealed under a previous DATA_KEY (a rotation is under way): sealed again under the current one.
    if (this.sealer.stale(stored!)) await updateMeta(this.db, demoMetaKey, this.sealer.seal(plain, sealContext));
    const { certPem, keyPem } = JSON.parse(plain) as { certPem: string; keyPem: string };
    return describe(new X509Certificate(certPem).raw, createPrivateKey(keyPem), true);
  }

  /**
   * Stamps the QR code and caption on the last page (before signing, so the stamp is signed too),
   * adds the signature placeholder and signs. Throws SigningError for a PDF that cannot be read
   * (broken, encrypted, or without a page).
   */
  async sign(pdf: Buffer, stamp: Stamp, at: Date): Promise<{ bytes: Buffer; cert: SigningCertificate }> {
    const cert = await this.certificate();
    let doc: PDFDocument;
    try {
      doc = await PDFDocument.load(pdf, { updateMetadata: false });
    } catch {
      throw new SigningError('unreadable');
    }
    // pdf-lib loads loosely: a truncated file, or one without /Root, /Pages or a MediaBox, loads and
    // then fails here. Anything up to the saved, placeholder-carrying copy is the PDF's fault (400).
    fontBytes ??= fs.readFileSync(fontFile);
    let prepared: Buffer;
    try {
      prepared = await this.prepare(doc, stamp, cert, at, fontBytes);
    } catch (err) {
      throw err instanceof SigningError ? err : new SigningError(`unreadable: ${(err as Error)?.message ?? err}`);
    }
    let bytes: Buffer;
    try {
      bytes = await new SignPdf().sign(prepared, new CmsSigner(cert.certDer, cert.key), at);
    } catch (err) {
      // SignPdf's own parse of the saved copy (its ByteRange) failing is the PDF's fault; the signer's (certificate, key) is ours.
      if (err instanceof SignPdfError && err.type === SignPdfError.TYPE_PARSE) throw new SigningError(`unreadable: ${err.message}`);
      throw err;
    }
    return { bytes, cert };
  }

  /** The stamp and the signature placeholder on the last page, saved. */
  private async prepare(doc: PDFDocument, stamp: Stamp, cert: SigningCertificate, at: Date, fontData: Buffer): Promise<Buffer> {
    const pages = doc.getPages();
    const last = pages.at(-1);
    if (!last) throw new SigningError('no page');
    doc.registerFontkit(fontkit);
    const font = await doc.embedFont(fontData, { subset: true });
    const size = 64;
    const { x: left, y: bottom } = last.getCropBox();
    const x = left + 24;
    const y = bottom + 18;
    // The QR code drawn as vector squares on a white quiet zone: sharp at any scale, and far cheaper than a PNG.
    const qr = QRCode.create(stamp.url, { errorCorrectionLevel: 'M' });
    const n = qr.modules.size;
    let path = '';
    for (let row = 0; row < n; row++) {
      for (let col = 0; col < n; col++) if (qr.modules.get(row, col)) path += `M${col} ${row}h1v1h-1z`;
    }
    last.drawRectangle({ x: x - 4, y: y - 4, width: size + 8, height: size + 8, color: rgb(1, 1, 1) });
    last.drawSvgPath(path, { x, y: y + size, scale: size / n, color: rgb(0, 0, 0) });
    stamp.lines.forEach((line, i) => {
      last.drawText(line, { x: x + size + 8, y: y + size - 9 - i * 10, size: 7.5, font, color: rgb(0, 0, 0) });
    });
    pdflibAddPlaceholder({
      pdfPage: last,
      // The signature dictionary's text strings take Latin-1 only; the signer's full name is in the certificate.
      reason: 'Ky so ket qua giai quyet thu tuc hanh chinh', contactInfo: '', name: fold(cert.signer).replace(/[^\x20-\x7e]/g, '').slice(0, 120), location: 'Viet Nam',
      signingTime: at, signatureLength: 16_384, appName: 'Mot Cua',
    });
    return Buffer.from(await doc.save({ useObjectStreams: false }));
  }
}
