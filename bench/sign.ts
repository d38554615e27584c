// `npm run bench -- sign`: signing a one-page result (the QR stamp, the signature placeholder and the
// PKCS#7 signature: what attaching a PDF result costs) against SHA-256 hashing of the same bytes and
// against the bare CMS signature, all in the same run. Figures are ratios within one run.
import { createHash } from 'node:crypto';
import os from 'node:os';
import forge from 'node-forge';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { renderPdf } from '../src/pdf.ts';
import { ResultSigning, makeDemoCertificate } from '../src/modules/office/office.signing.ts';
import { signDetached } from '../src/modules/office/office.signing.cms.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);

/** Runs `work` over and over for `ms`, and answers how many times a second it ran. */
async function rate(ms: number, work: () => unknown): Promise<{ perSecond: number; runs: number }> {
  for (let i = 0; i < 3; i++) await work(); // warm up
  const start = performance.now();
  let runs = 0;
  while (performance.now() - start < ms) {
    await work();
    runs++;
  }
  return { perSecond: runs / ((performance.now() - start) / 1000), runs };
}

export async function signBench(): Promise<void> {
  const pdf = await renderPdf('Quyết định', (doc) => {
    doc.fontSize(14).text('ỦY BAN NHÂN DÂN PHƯỜNG 5', { align: 'center' });
    doc.fontSize(12).text('Số: 15/QĐ-UBND', { align: 'center' }).moveDown();
    doc.fontSize(16).text('QUYẾT ĐỊNH', { align: 'center' }).moveDown();
    for (let i = 0; i < 20; i++) doc.fontSize(11).text('Về việc giải quyết thủ tục hành chính theo đề nghị của người nộp hồ sơ, căn cứ các quy định hiện hành.');
  });
  const { certPem, keyPem } = makeDemoCertificate(new Date());
  const p12 = forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(keyPem), [forge.pki.certificateFromPem(certPem)], 'bench', { algorithm: '3des' })).getBytes();
  const signing = new ResultSigning(null as never, null as never, { p12: Buffer.from(p12, 'binary'), password: 'bench' }, () => new Date());
  const stamp = { url: 'http://localhost:3000/xac-thuc/000.01.22.H58-261129-0001-KQ1', lines: ['Kết quả 000.01.22.H58-261129-0001-KQ1 — Số 15/QĐ-UBND', 'Ký số bởi: Ủy ban nhân dân tỉnh Tiền Giang'] };
  const signed = (await signing.sign(pdf, stamp, new Date())).bytes;
  const ms = Math.max(1000, (seconds * 1000) / 3);
  const certDer = new X509Certificate(certPem).raw;
  const key = createPrivateKey(keyPem);
  const results = {
    'sign a result (stamp + placeholder + PKCS#7)': await rate(ms, () => signing.sign(pdf, stamp, new Date())),
    'PKCS#7 signature alone (RSA 2048, SHA-256)': await rate(ms, () => signDetached(signed, certDer, key, new Date())),
    'SHA-256 of the same bytes': await rate(ms, () => createHash('sha256').update(signed).digest()),
  };
  console.log(`\nSigning a one-page result of ${pdf.length} bytes (${signed.length} signed), ${(ms / 1000).toFixed(1)} s each, on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}):`);
  console.table(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, { perSecond: Number(v.perSecond.toFixed(1)), runs: v.runs }])));
  const [full, cms, hash] = Object.values(results).map((r) => r.perSecond) as [number, number, number];
  console.log(`signing / hashing the same bytes: ${(full / hash).toFixed(4)} (hashing is ${(hash / full).toFixed(0)}× faster)`);
  console.log(`PKCS#7 signature alone / hashing: ${(cms / hash).toFixed(4)}; the whole signing is ${(cms / full).toFixed(1)}× slower than its signature alone`);
}
