// Small factories for tests: signed-in people and realistic dossiers.
import type { TestContext } from './context.ts';

let seq = 0;

/** A confirmed citizen, signed in: returns the Bearer header and the account. */
export async function signedInCitizen(ctx: TestContext, name = 'Nguyễn Thị Lan') {
  seq++;
  const username = `0912${String(process.pid % 1000).padStart(3, '0')}${String(seq).padStart(3, '0')}`;
  await ctx.services.accounts.addUser({ username, password: 'mat-khau-dai', name, role: 'citizen' });
  const { token, user } = await ctx.services.accounts.signIn({ username, password: 'mat-khau-dai', ip: '127.0.0.1', kind: 'bearer' });
  return { auth: { authorization: `Bearer ${token}` }, user, token };
}

/** Staff signed in with a role at a unit. */
export async function signedInStaff(ctx: TestContext, role: string, unitId: string, subtree = false) {
  seq++;
  const username = `staff.${role}.${seq}.${process.pid}`;
  await ctx.services.accounts.addUser({ username, password: 'mat-khau-dai', name: `Cán bộ ${role}`, role, unitId, subtree });
  const { token, user } = await ctx.services.accounts.signIn({ username, password: 'mat-khau-dai', ip: '127.0.0.1', kind: 'bearer' });
  return { auth: { authorization: `Bearer ${token}` }, user, token };
}

/** Phường 5, Mỹ Tho in 2017 (code 28249, Phường Đạo Thạnh since 2025). */
export const communeUnit = 'my-tho-phuong-5';
export const areaCode = '28249';

/** A complete birth registration, as a parent would fill it in. */
export function birthRegistration(overrides: Record<string, unknown> = {}) {
  return {
    procedureId: 'dang-ky-khai-sinh',
    unitId: communeUnit,
    applicant: {
      fullName: 'Nguyễn Thị Lan',
      birthDate: '1995-03-14',
      idNumber: '082195000123',
      phone: '0912345678',
      email: 'lan.nguyen@example.vn',
      address: { line: 'Số 12 đường Hùng Vương', areaCode },
    },
    form: {
      child_full_name: 'Trần Minh Khang',
      child_sex: 'nam',
      child_birth_date: '2026-11-20',
      child_ethnicity: 'Kinh',
      child_nationality: 'Việt Nam',
      child_birth_place_type: 'co_so_y_te',
      child_birth_facility: 'Bệnh viện Đa khoa tỉnh Tiền Giang',
      child_birth_place: { line: 'Bệnh viện Đa khoa tỉnh', areaCode },
      child_hometown: 'Mỹ Tho, Tiền Giang',
      mother_full_name: 'Nguyễn Thị Lan',
      mother_birth_year: 1995,
      mother_ethnicity: 'Kinh',
      mother_nationality: 'Việt Nam',
      mother_residence: { line: 'Số 12 đường Hùng Vương', areaCode },
      father_known: 'yes',
      father_full_name: 'Trần Văn Hùng',
      father_birth_year: 1993,
      father_ethnicity: 'Kinh',
      father_nationality: 'Việt Nam',
      father_residence: { line: 'Số 12 đường Hùng Vương', areaCode },
      parents_married: 'yes',
      declarant_relationship: 'me',
      copies: 1,
    },
    delivery: { method: 'online' },
    ...overrides,
  };
}
