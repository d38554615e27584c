// Test files and uploads through the real multipart API.
import assert from 'node:assert/strict';
import type { TestContext } from './context.ts';

/** A real 1×1 PNG, as a phone screenshot would start. */
export const tinyPng = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

/** A minimal PDF a scanner might produce: one empty A4 page, with a correct cross-reference table (a result PDF must be readable to be signed). */
export const tinyPdf = (() => {
  const objects = ['<</Type/Catalog/Pages 2 0 R>>', '<</Type/Pages/Count 1/Kids[3 0 R]>>', '<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<<>>>>'];
  let body = '%PDF-1.4\n';
  const offsets = objects.map((o, i) => {
    const at = body.length;
    body += `${i + 1} 0 obj${o}endobj\n`;
    return at;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer<</Size ${objects.length + 1}/Root 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
})();

/** A multipart body with a `document` field and a `file`. */
export function multipartBody(document: string, file: { name: string; type: string; bytes: Buffer }) {
  const boundary = `----motcua${Date.now().toString(16)}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="document"\r\n\r\n${document}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`),
    file.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function upload(ctx: TestContext, auth: Record<string, string>, dossierId: string, document: string, file: { name: string; type: string; bytes: Buffer }) {
  const { body, contentType } = multipartBody(document, file);
  const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${dossierId}/attachments`, headers: { ...auth, 'content-type': contentType }, payload: body });
  return { status: res.statusCode, body: res.json() };
}

/** Attaches a photo to every required document of a draft. */
export async function attachRequiredDocuments(ctx: TestContext, auth: Record<string, string>, dossierId: string): Promise<void> {
  const dossier = await ctx.services.views.get((await ctx.services.accounts.userForToken(auth.authorization!.slice(7)))!, dossierId);
  const detail = await ctx.services.catalog.get(dossier.procedureId);
  for (const doc of detail.documents.filter((d) => d.required)) {
    const r = await upload(ctx, auth, dossierId, doc.key, { name: 'anh-chup.png', type: 'image/png', bytes: tinyPng });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
}
