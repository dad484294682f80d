/** The clinic directory's fixed vocabulary and caps (dir20; docs/domain-rules.md D4, D5), shared by the UI. */
/** The directory's specialty codes (D4), translated by the UI (`directory.specialty.<code>`). */
export const SPECIALTIES = [
  'general',
  'dentistry',
  'paediatrics',
  'gynaecology',
  'ophthalmology',
  'dermatology',
  'cardiology',
  'ent',
  'physiotherapy',
  'radiology',
  'psychiatry',
  'other',
] as const;
export type Specialty = (typeof SPECIALTIES)[number];

/** D5: the caps the database enforces too. */
export const DIRECTORY_LIMITS = { pageSize: 20, maxOffset: 200, maxQueryLength: 80 } as const;
