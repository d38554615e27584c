// Signed e-results as outside software sees them (docs/domain.md §7.3): pdfsig (poppler) finds a
// valid PKCS#7 signature naming the Vietnamese signer, and a digest mismatch once one signed byte
// changes; zbarimg reads the verification URL from the stamped page; the demo certificate is made
// once and reused by the next start; a configured PKCS#12 certificate is used instead.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { AesSealer } from '../../domain/sealed.ts';
import type { TestContext } from '../../testing/context.ts';
import { attachResult, dossierAt, must, openDesk, type Desk } from '../../testing/office.ts';
import { pdfQrCodes, pdfText } from '../../testing/pdf.ts';
import { opensslP12, pdfsig } from '../../testing/signing.ts';
import { tinyPdf, tinyPng } from '../../testing/uploads.ts';
import { checkPdfSignature } from './office.signing.cms.ts';
import { demoSubject, ResultSigning } from './office.signing.ts';

let ctx: TestContext;
let desk: Desk;
before(async () => ({ ctx, desk } = await openDesk()));
after(() => ctx.close());

/** A dossier in process with a signed PDF result attached, and the signed bytes as staff download them. */
async function signedResult(c = ctx, d = desk) {
  const dossier = await dossierAt(c, d, 'in_process');
  const attached = await attachResult(c, d.approver, dossier.id, tinyPdf);
  assert.equal(attached.status, 201, JSON.stringify(attached.body));
  const file = await c.app.inject({ url: `/api/v1/dossiers/${dossier.id}/results/1`, headers: d.approver.auth });
  assert.equal(file.statusCode, 200);
  return { dossier, result: attached.body, pdf: file.rawPayload };
}

test('pdfsig finds a valid signature by the Vietnamese-named demo certificate, and a digest mismatch after one changed byte', async () => {
  const { result, pdf } = await signedResult();
  assert.equal(result.signed, true);
  assert.equal(result.demoCertificate, true);
  assert.equal(result.signer, demoSubject.cn);
  const report = pdfsig(pdf);
  assert.match(report, /Signature Validation: Signature is Valid/);
  assert.match(report, /Signature Type: adbe\.pkcs7\.detached/);
  assert.match(report, new RegExp(`Signer Certificate Common Name: ${demoSubject.cn.replace(/[()]/g, '\\$&')}`), 'the UTF-8 name reads back whole');
  assert.match(report, /Total document signed/);
  // One byte inside the first signed range (the page's own objects, before the signature).
  const changed = Buffer.from(pdf);
  const at = changed.indexOf('/MediaBox');
  changed[at + 1] = 'm'.charCodeAt(0);
  const broken = pdfsig(changed);
  assert.doesNotMatch(broken, /Signature is Valid/);
  assert.match(broken, /Digest Mismatch|Invalid|not valid/i);
  assert.equal(checkPdfSignature(changed).valid, false);
  assert.equal(checkPdfSignature(pdf).valid, true);
});

test('the stamp on the last page: a QR code of the verification page that zbarimg reads, and a caption with the result id', async () => {
  const { result, pdf } = await signedResult();
  const url = `http://localhost:3000/xac-thuc/${result.code}`;
  assert.equal(result.verifyUrl, url);
  assert.deepEqual(pdfQrCodes(pdf), [url]);
  const text = pdfText(pdf);
  assert.match(text, new RegExp(`Kết quả ${result.code} — Số 15/QĐ-UBND`));
  assert.match(text, /Chứng thư thử nghiệm: không có giá trị pháp lý\./);
});

test('a photo result is kept as it was, unsigned; a PDF that cannot be read is refused with the file field and leaves nothing', async () => {
  const d = await dossierAt(ctx, desk, 'in_process');
  const photo = await attachResult(ctx, desk.approver, d.id, tinyPng, 'ket-qua.png');
  assert.equal(photo.status, 201, JSON.stringify(photo.body));
  assert.equal(photo.body.signed, false);
  assert.equal(photo.body.signer, null);
  const file = await ctx.app.inject({ url: `/api/v1/dossiers/${d.id}/results/1`, headers: desk.approver.auth });
  assert.deepEqual(file.rawPayload, tinyPng);

  const before = fs.readdirSync(ctx.filesDir, { recursive: true }).length;
  const broken = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
  const refused = await attachResult(ctx, desk.approver, d.id, broken);
  assert.equal(refused.status, 400);
  assert.match(refused.body.error.fields.file, /Không đọc được tệp PDF này/);
  assert.equal(fs.readdirSync(ctx.filesDir, { recursive: true }).length, before, 'neither the upload nor a signed copy is left');
  const view = await ctx.app.inject({ url: `/api/v1/dossiers/${d.id}`, headers: desk.approver.auth });
  assert.equal(view.json().results.length, 1);
});

test('a PDF that pdf-lib loads but cannot stamp or save (header only, garbage, truncated, no /Pages, a bad MediaBox) is a 400 on the file, and leaves nothing', async () => {
  const d = await dossierAt(ctx, desk, 'in_process');
  const { pdf: signed } = await signedResult();
  const page = (box: string) => Buffer.from(tinyPdf.toString('latin1').replace('/MediaBox[0 0 595 842]', box), 'latin1');
  const broken: Record<string, Buffer> = {
    'header only': Buffer.from('%PDF-1.4\n'),
    'header and garbage': Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('đây không phải PDF << /Type ] 1 0 R obj\n'.repeat(20))]),
    'a valid PDF cut at half': tinyPdf.subarray(0, Math.floor(tinyPdf.length / 2)),
    'a signed PDF cut at half': signed.subarray(0, Math.floor(signed.length / 2)),
    'no /Pages': Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'),
    'a MediaBox of names': page('/MediaBox[/a /b /c /d]'),
  };
  // Files only: the dossier's results folder, made by the first upload, may stay behind empty.
  const files = () => fs.readdirSync(ctx.filesDir, { recursive: true }).filter((f) => fs.statSync(path.join(ctx.filesDir, String(f))).isFile()).length;
  const rows = async () => (await ctx.handle.db.selectFrom('dossier_results').select('id').where('dossier_id', '=', d.id).execute()).length;
  const before = files();
  for (const [name, bytes] of Object.entries(broken)) {
    const refused = await attachResult(ctx, desk.approver, d.id, bytes);
    assert.equal(refused.status, 400, `${name}: ${JSON.stringify(refused.body)}`);
    assert.match(refused.body.error.fields.file, /Không đọc được tệp PDF này/, name);
    assert.equal(await rows(), 0, `${name}: no result recorded`);
    assert.equal(files(), before, `${name}: neither the upload nor a signed copy is left`);
  }
  // The same dossier still takes a good PDF afterwards.
  assert.equal((await attachResult(ctx, desk.approver, d.id, tinyPdf)).status, 201);
});

test('the applicant posting a result is refused (403) before anything is stored or signed with the official key', async () => {
  const d = await dossierAt(ctx, desk, 'in_process');
  const signing = ctx.services.results.signing;
  const original = signing.sign.bind(signing);
  let signatures = 0;
  signing.sign = (...args: Parameters<typeof original>) => {
    signatures++;
    return original(...args);
  };
  try {
    const before = fs.readdirSync(ctx.filesDir, { recursive: true }).length;
    const refused = await attachResult(ctx, d.citizen, d.id, tinyPdf);
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal(signatures, 0, 'the signer was never called');
    assert.equal(fs.readdirSync(ctx.filesDir, { recursive: true }).length, before, 'no file was written');
    // An officer's result still goes through the same signer.
    assert.equal((await attachResult(ctx, desk.approver, d.id, tinyPdf)).status, 201);
    assert.equal(signatures, 1);
  } finally {
    signing.sign = original;
  }
});

test('the demo certificate is made once, kept sealed in meta, and the next start signs with the same one', async () => {
  const first = await signedResult();
  const sealed = (await ctx.handle.db.selectFrom('meta').select('value').where('key', '=', 'signing_demo_certificate').executeTakeFirstOrThrow()).value;
  assert.match(sealed, /^v1:/);
  assert.doesNotMatch(sealed, /PRIVATE KEY|BEGIN/);
  // A restart: a new signer over the same database and key, with nothing cached.
  const restarted = new ResultSigning(ctx.handle.db, new AesSealer(ctx.services.keys.data, []), null, () => ctx.clock.now());
  assert.equal((await restarted.certificate()).sha256, first.result.certSha256);
  const second = await signedResult();
  assert.equal(second.result.certSha256, first.result.certSha256);
  const rows = await ctx.handle.db.selectFrom('meta').select('key').where('key', '=', 'signing_demo_certificate').execute();
  assert.equal(rows.length, 1);
  // A DATA_KEY rotation: the first start with the old key in PREVIOUS_DATA_KEYS seals it again under the new one.
  const newKey = randomBytes(32);
  const rotated = new ResultSigning(ctx.handle.db, new AesSealer(newKey, [ctx.services.keys.data]), null, () => ctx.clock.now());
  assert.equal((await rotated.certificate()).sha256, first.result.certSha256);
  const afterRotation = new ResultSigning(ctx.handle.db, new AesSealer(newKey, []), null, () => ctx.clock.now());
  assert.equal((await afterRotation.certificate()).sha256, first.result.certSha256, 'the new key alone opens it');
});

test('a configured PKCS#12 certificate (openssl) signs instead of the demo one, and pdfsig names its UTF-8 subject', async () => {
  const { p12, dir } = opensslP12('/CN=Ủy ban nhân dân phường 5, thành phố Mỹ Tho/O=Tỉnh Tiền Giang/C=VN', 'mat-khau-ky-so');
  const own = await openDesk({ signing: { p12, password: 'mat-khau-ky-so' } });
  try {
    const { result, pdf } = await signedResult(own.ctx, own.desk);
    assert.equal(result.demoCertificate, false);
    assert.equal(result.signer, 'Ủy ban nhân dân phường 5, thành phố Mỹ Tho');
    const report = pdfsig(pdf);
    assert.match(report, /Signature is Valid/);
    assert.match(report, /Signer Certificate Common Name: Ủy ban nhân dân phường 5, thành phố Mỹ Tho/);
    assert.doesNotMatch(pdfText(pdf), /Chứng thư thử nghiệm/);
    assert.equal(await own.ctx.handle.db.selectFrom('meta').select('key').where('key', '=', 'signing_demo_certificate').executeTakeFirst(), undefined, 'no demo certificate is made');
  } finally {
    await own.ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // A wrong password stops at the first use, naming the variable.
  const wrong = new ResultSigning(ctx.handle.db, new AesSealer(ctx.services.keys.data, []), { p12, password: 'sai' }, () => ctx.clock.now());
  await assert.rejects(wrong.certificate(), /SIGNING_P12_PASSWORD/);
});

test('results resolve the dossier as before: the stage helper signs, and resolve follows', async () => {
  const d = await dossierAt(ctx, desk, 'resolved');
  const view = await ctx.app.inject({ url: `/api/v1/dossiers/${d.id}`, headers: desk.approver.auth });
  assert.equal(view.json().status, 'resolved');
  await must(ctx, desk.reception, d.id, { action: 'return_result', receivedBy: 'Nguyễn Thị Lan' });
});
