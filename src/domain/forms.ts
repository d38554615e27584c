// Form definitions: the fields a procedure asks for, as data. The portal renders them and the
// server validates answers with the same definition. Every procedure starts with the shared
// applicant section; the most-used procedures add their own sections (data/reference/forms/).

export type Text = { vi: string; en: string };

export const fieldTypes = [
  'text', 'textarea', 'date', 'number', 'select', 'radio', 'checkbox', 'email', 'phone', 'citizen_id', 'address',
] as const;
export type FieldType = (typeof fieldTypes)[number];

export type FieldOption = { value: string; label: Text };

export type ShowIf = { field: string; equals: string | boolean } | { field: string; in: string[] };

export type FormField = {
  key: string;
  type: FieldType;
  label: Text;
  hint?: Text;
  required?: boolean;
  maxLength?: number;
  /** Numbers, or for dates "today" or YYYY-MM-DD. */
  min?: number | string;
  max?: number | string;
  options?: FieldOption[];
  showIf?: ShowIf;
  unit?: Text;
};

export type FormSection = { key: string; title: Text; fields: FormField[] };

export type FormDefinition = {
  procedureId: string;
  version: number;
  legalForm?: string;
  sections: FormSection[];
};

const choiceTypes: ReadonlySet<FieldType> = new Set(['select', 'radio', 'checkbox']);

/** Problems in a definition, each naming the field; empty when it is sound. */
export function checkFormDefinition(def: FormDefinition): string[] {
  const problems: string[] = [];
  const seen = new Map<string, FormField>();
  for (const section of def.sections) {
    if (!section.key || !section.title?.vi || !section.title?.en) problems.push(`section ${section.key}: needs a key and a vi/en title`);
    for (const f of section.fields) {
      const at = `${def.procedureId}.${f.key}`;
      if (!/^[a-z][a-zA-Z0-9_.]*$/.test(f.key)) problems.push(`${at}: the key must be snake_case ASCII`);
      if (seen.has(f.key)) problems.push(`${at}: the key is used twice`);
      if (!fieldTypes.includes(f.type)) problems.push(`${at}: unknown type "${f.type}"`);
      if (!f.label?.vi || !f.label?.en) problems.push(`${at}: needs a vi and an en label`);
      if ((f.type === 'select' || f.type === 'radio') && !f.options?.length) problems.push(`${at}: a ${f.type} needs options`);
      if (f.options && !choiceTypes.has(f.type)) problems.push(`${at}: only select, radio and checkbox take options`);
      if (f.showIf) {
        const target = seen.get(f.showIf.field);
        if (!target) problems.push(`${at}: showIf names "${f.showIf.field}", which is not an earlier field`);
        else if (!choiceTypes.has(target.type)) problems.push(`${at}: showIf must depend on a choice field`);
      }
      seen.set(f.key, f);
    }
  }
  return problems;
}

export type Audience = 'citizen' | 'business' | 'both';

const t = (vi: string, en: string): Text => ({ vi, en });

/** The applicant section every procedure starts with; organisations add who they are. */
export function applicantSection(audience: Audience): FormSection {
  const person: FormField[] = [
    { key: 'applicant.fullName', type: 'text', label: t('Họ, chữ đệm và tên', 'Full name'), required: true, maxLength: 100 },
    { key: 'applicant.birthDate', type: 'date', label: t('Ngày, tháng, năm sinh', 'Date of birth'), required: true, max: 'today' },
    { key: 'applicant.idNumber', type: 'citizen_id', label: t('Số định danh cá nhân (CCCD)', 'Personal ID number (CCCD)'), required: true,
      hint: t('12 chữ số, in trên thẻ căn cước', '12 digits, printed on the citizen ID card') },
    { key: 'applicant.phone', type: 'phone', label: t('Số điện thoại', 'Phone number'), required: true,
      hint: t('Để nhận thông báo về hồ sơ', 'For messages about your dossier') },
    { key: 'applicant.email', type: 'email', label: t('Thư điện tử', 'Email'), required: false },
    { key: 'applicant.address', type: 'address', label: t('Nơi cư trú', 'Place of residence'), required: true },
  ];
  if (audience === 'citizen') return { key: 'applicant', title: t('Người nộp hồ sơ', 'Applicant'), fields: person };
  const organisation: FormField[] = [
    { key: 'applicant.kind', type: 'radio', label: t('Nộp hồ sơ với tư cách', 'Filing as'), required: true,
      options: [
        { value: 'person', label: t('Cá nhân', 'An individual') },
        { value: 'organisation', label: t('Tổ chức, doanh nghiệp', 'An organisation or business') },
      ] },
    { key: 'applicant.organisationName', type: 'text', label: t('Tên tổ chức, doanh nghiệp', 'Name of the organisation'), required: true,
      maxLength: 200, showIf: { field: 'applicant.kind', equals: 'organisation' } },
    { key: 'applicant.taxCode', type: 'text', label: t('Mã số doanh nghiệp / mã số thuế', 'Enterprise code / tax code'), required: false,
      maxLength: 14, showIf: { field: 'applicant.kind', equals: 'organisation' } },
  ];
  return { key: 'applicant', title: t('Người nộp hồ sơ', 'Applicant'), fields: [...organisation, ...person] };
}

/** What a procedure without its own form still asks: what the applicant wants, in words. */
export function genericRequestSection(): FormSection {
  return {
    key: 'request',
    title: t('Nội dung đề nghị', 'Your request'),
    fields: [
      { key: 'request_details', type: 'textarea', label: t('Nội dung đề nghị giải quyết', 'What you are asking for'), required: true,
        maxLength: 2000, hint: t('Nêu ngắn gọn việc cần giải quyết', 'Say briefly what you need') },
    ],
  };
}
