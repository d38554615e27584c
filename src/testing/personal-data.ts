// A dossier full of personal data to look for afterwards: a marriage registration whose applicant
// and whose partner (a form answer) each have a national ID number, with a phone and an email.
import assert from 'node:assert/strict';
import type { TestContext } from './context.ts';
import { areaCode, communeUnit, signedInCitizen } from './fixtures.ts';
import { attachRequiredDocuments } from './uploads.ts';

/** The values that must never be stored in clear (the phone as its distinctive digits, so both 0… and +84… are caught). */
export const secrets = {
  idNumber: '082195000123',
  partnerId: '082093007654',
  phoneDigits: '987654321',
  email: 'lan.scan.test@example.vn',
};

export function marriageRegistration() {
  return {
    procedureId: 'dang-ky-ket-hon',
    unitId: communeUnit,
    applicant: {
      fullName: 'Nguyễn Thị Lan',
      birthDate: '1995-03-14',
      idNumber: secrets.idNumber,
      phone: `0${secrets.phoneDigits}`,
      email: secrets.email,
      address: { line: 'Số 12 đường Hùng Vương', areaCode },
    },
    form: {
      declarant_side: 'ben_nu',
      declarant_ethnicity: 'Kinh',
      declarant_nationality: 'Việt Nam',
      declarant_marriage_count: 'lan_dau',
      partner_full_name: 'Trần Văn Hùng',
      partner_birth_date: '1993-08-02',
      partner_ethnicity: 'Kinh',
      partner_nationality: 'Việt Nam',
      partner_id_number: secrets.partnerId,
      partner_residence: { line: 'Số 40 đường Lê Lợi', areaCode },
      partner_marriage_count: 'lan_dau',
      marital_status_proof: 'khong_can',
      both_present: true,
      voluntary_commitment: true,
      copies: 1,
    },
    delivery: { method: 'online' },
  };
}

/** Files the marriage registration through the API as a signed-in citizen: draft, documents, submit. */
export async function fileMarriage(ctx: TestContext) {
  const { auth, user } = await signedInCitizen(ctx);
  const draft = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: auth, payload: marriageRegistration() });
  assert.equal(draft.statusCode, 201, draft.body);
  const id = draft.json().id as string;
  await attachRequiredDocuments(ctx, auth, id);
  const submitted = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/submit`, headers: auth });
  assert.equal(submitted.statusCode, 200, submitted.body);
  return { id, code: submitted.json().code as string, auth, user: user! };
}

/** Which of the secrets occur in some bytes: as UTF-8 text, and as JSON-escaped or UTF-16 text. */
export function leakedIn(bytes: Buffer): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    const forms = [Buffer.from(value, 'utf8'), Buffer.from(JSON.stringify(value).slice(1, -1), 'utf8'), Buffer.from(value, 'utf16le')];
    if (forms.some((f) => bytes.includes(f))) found.push(name);
  }
  return found;
}
