// The PDF signature's CMS (PKCS#7) SignedData, detached (adbe.pkcs7.detached, RFC 5652), built and
// checked here over node-forge's ASN.1 with node:crypto's RSA.
//
// Why not @signpdf/signer-p12: node-forge keeps a parsed certificate's UTF8String names as raw
// bytes but encodes them as UTF-8 again when it writes the signer's issuerAndSerialNumber, so a
// certificate whose issuer is Vietnamese ("Ủy ban nhân dân …") yields a SignerInfo that names no
// certificate in the signature: pdfsig answers "Unknown Validation Failure" with an empty signer
// name (tried with 3.3.0). Here the issuer and serial are copied byte for byte from the certificate.
//
// The signed attributes: content type, signing time, message digest (SHA-256 of the signed byte
// ranges) and ESS signing-certificate-v2 (RFC 5035, as PAdES asks), sorted as DER asks of a SET OF.
import { createHash, sign as rsaSign, verify as rsaVerify, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { Signer } from '@signpdf/utils';

const { asn1 } = forge;
const oid = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
};

const U = asn1.Class.UNIVERSAL;
const T = asn1.Type;
const seq = (items: forge.asn1.Asn1[]) => asn1.create(U, T.SEQUENCE, true, items);
const set = (items: forge.asn1.Asn1[]) => asn1.create(U, T.SET, true, items);
const objectId = (id: string) => asn1.create(U, T.OID, false, asn1.oidToDer(id).getBytes());
const octets = (b: Buffer) => asn1.create(U, T.OCTETSTRING, false, b.toString('binary'));
const integer = (n: number) => asn1.create(U, T.INTEGER, false, asn1.integerToDer(n).getBytes());
const der = (node: forge.asn1.Asn1) => Buffer.from(asn1.toDer(node).getBytes(), 'binary');
// forge 1.x takes options here (its typings know only the older boolean): trailing zero padding of
// the signature placeholder is allowed, and BIT STRINGs are kept as they are.
type FromDer = (input: forge.util.ByteStringBuffer, options: { parseAllBytes: boolean; decodeBitStrings: boolean }) => forge.asn1.Asn1;
const fromDer = (b: Buffer) => (asn1.fromDer as unknown as FromDer)(forge.util.createBuffer(b.toString('binary')), { parseAllBytes: false, decodeBitStrings: false });
const algorithm = (id: string) => seq([objectId(id), asn1.create(U, T.NULL, false, '')]);

/** The issuer Name and serialNumber of a certificate, as its own DER bytes. */
function issuerAndSerial(certDer: Buffer): forge.asn1.Asn1 {
  const tbs = (fromDer(certDer).value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[];
  const at = tbs[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  return seq([fromDer(der(tbs[at + 2]!)), fromDer(der(tbs[at]!))]);
}

function attribute(type: string, value: forge.asn1.Asn1): forge.asn1.Asn1 {
  return seq([objectId(type), set([value])]);
}

/** Signs PDF byte ranges for @signpdf's SignPdf: a certificate (DER) and its RSA private key. */
export class CmsSigner extends Signer {
  constructor(private readonly certDer: Buffer, private readonly key: KeyObject) {
    super();
  }

  override async sign(pdfBuffer: Buffer, signingTime?: Date): Promise<Buffer> {
    return signDetached(pdfBuffer, this.certDer, this.key, signingTime ?? new Date());
  }
}

/** A detached CMS SignedData over `content`, signed with `key` (RSA, SHA-256). */
export function signDetached(content: Buffer, certDer: Buffer, key: KeyObject, at: Date): Buffer {
  const digest = createHash('sha256').update(content).digest();
  const certHash = createHash('sha256').update(certDer).digest();
  // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2 with SHA-256 (the default algorithm, left out).
  const essCert = seq([seq([seq([octets(certHash)])])]);
  const attrs = [
    attribute(oid.contentType, objectId(oid.data)),
    attribute(oid.signingTime, asn1.create(U, T.UTCTIME, false, asn1.dateToUtcTime(at))),
    attribute(oid.messageDigest, octets(digest)),
    attribute(oid.signingCertificateV2, essCert),
  ].map(der).sort(Buffer.compare);
  const signedAttrs = Buffer.concat([Buffer.from([0x31]), derLength(attrs.reduce((n, a) => n + a.length, 0)), ...attrs]);
  const signature = rsaSign('sha256', signedAttrs, key);
  // The same attributes, tagged [0] IMPLICIT inside the SignerInfo.
  const implicitAttrs = fromDer(Buffer.concat([Buffer.from([0xa0]), signedAttrs.subarray(1)]));
  const signerInfo = seq([
    integer(1), issuerAndSerial(certDer), algorithm(oid.sha256), implicitAttrs, algorithm(oid.rsaEncryption),
    asn1.create(U, T.OCTETSTRING, false, signature.toString('binary')),
  ]);
  const signedData = seq([
    integer(1), set([algorithm(oid.sha256)]), seq([objectId(oid.data)]),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [fromDer(certDer)]),
    set([signerInfo]),
  ]);
  return der(seq([objectId(oid.signedData), asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [signedData])]));
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** What a check of a signed PDF found: whether the signature holds, and by which certificate. */
export type SignatureCheck = { valid: boolean; certSha256?: string; signerName?: string; signedAt?: string };

/**
 * Checks the last signature of a PDF: its byte range covers the whole file but the signature
 * itself, the SHA-256 of those bytes is the signed message digest, and the RSA signature over the
 * signed attributes holds under the certificate carried in the signature.
 */
export function checkPdfSignature(pdf: Buffer): SignatureCheck {
  try {
    const text = pdf.toString('latin1');
    const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
    const last = ranges.at(-1);
    if (!last) return { valid: false };
    const [a, b, c, d] = last.slice(1, 5).map(Number) as [number, number, number, number];
    if (a !== 0 || c <= b || c + d !== pdf.length || pdf[b] !== 0x3c || pdf[c - 1] !== 0x3e) return { valid: false };
    const hex = text.slice(b + 1, c - 1);
    if (!/^[0-9a-fA-F]*$/.test(hex)) return { valid: false };
    const cms = fromDer(Buffer.from(hex, 'hex'));
    const signedData = ((cms.value as forge.asn1.Asn1[])[1]!.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[];
    const certs = signedData.find((n) => n.tagClass === asn1.Class.CONTEXT_SPECIFIC && n.type === 0)!.value as forge.asn1.Asn1[];
    const infos = signedData.at(-1)!.value as forge.asn1.Asn1[];
    const info = infos[0]!.value as forge.asn1.Asn1[];
    const wanted = der(info[1]!);
    const certDer = certs.map(der).find((cd) => der(issuerAndSerial(cd)).equals(wanted));
    if (!certDer) return { valid: false };
    const cert = new X509Certificate(certDer);
    const attrsNode = info.find((n) => n.tagClass === asn1.Class.CONTEXT_SPECIFIC && n.type === 0)!;
    const attrsDer = der(attrsNode);
    attrsDer[0] = 0x31;
    const messageDigest = (attrsNode.value as forge.asn1.Asn1[])
      .map((n) => n.value as forge.asn1.Asn1[])
      .find((n) => asn1.derToOid(n[0]!.value as string) === oid.messageDigest);
    const signedDigest = Buffer.from(((messageDigest?.[1]!.value as forge.asn1.Asn1[])[0]!.value as string) ?? '', 'binary');
    const digest = createHash('sha256').update(pdf.subarray(a, a + b)).update(pdf.subarray(c, c + d)).digest();
    const signature = Buffer.from(info.at(-1)!.value as string, 'binary');
    const valid = signedDigest.equals(digest) && rsaVerify('sha256', attrsDer, cert.publicKey, signature);
    const time = (attrsNode.value as forge.asn1.Asn1[]).map((n) => n.value as forge.asn1.Asn1[])
      .find((n) => asn1.derToOid(n[0]!.value as string) === oid.signingTime);
    const signedAt = time ? asn1.utcTimeToDate(((time[1]!.value as forge.asn1.Asn1[])[0]!.value as string)).toISOString() : undefined;
    return { valid, certSha256: createHash('sha256').update(certDer).digest('hex'), signerName: commonName(certDer), signedAt };
  } catch {
    return { valid: false };
  }
}

/** A certificate's subject common name (CN), as Unicode text (UTF8String, BMPString or a Latin string), read from its DER. */
export function commonName(certDer: Buffer): string {
  const tbs = (fromDer(certDer).value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[];
  const at = tbs[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const subject = tbs[at + 4]!.value as forge.asn1.Asn1[];
  for (const rdn of subject) {
    for (const pair of rdn.value as forge.asn1.Asn1[]) {
      const [type, value] = pair.value as forge.asn1.Asn1[];
      if (asn1.derToOid(type!.value as string) !== '2.5.4.3') continue;
      const bytes = Buffer.from(value!.value as string, 'binary');
      if (value!.type === T.BMPSTRING) return bytes.swap16().toString('utf16le');
      return bytes.toString(value!.type === T.UTF8 ? 'utf8' : 'latin1');
    }
  }
  return new X509Certificate(certDer).subject;
}
