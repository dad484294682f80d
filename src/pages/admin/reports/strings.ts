/**
 * The Reports tab's texts (issue 19), in ar / fr / en. They ship in the tab's own lazy chunk, not in the
 * app's language bundle that every screen loads. fr and ar are typed against en: a missing key is a type
 * error. `{{x}}` placeholders are filled by `fill`. One file per concern in `texts/` (controls and summary,
 * visits, audit, SMS), merged here per language.
 */
import * as audit from './texts/audit';
import * as common from './texts/common';
import * as sms from './texts/sms';
import * as visits from './texts/visits';

type Lang = 'en' | 'fr' | 'ar';
const strings = (lng: Lang) => ({ ...common[lng], ...visits[lng], ...audit[lng], ...sms[lng] });
export const en = strings('en');
export type ReportStrings = typeof en;
export const fr: ReportStrings = strings('fr');
export const ar: ReportStrings = strings('ar');

export const REPORT_STRINGS = { en, fr, ar } as const;

/** The strings of a language (the app's languages; anything else falls back to English). */
export const stringsFor = (lng: string): ReportStrings =>
  lng === 'ar' || lng === 'fr' ? REPORT_STRINGS[lng] : REPORT_STRINGS.en;

/** Fills `{{name}}` placeholders. */
export const fill = (s: string, vars: Readonly<Record<string, string | number>>): string =>
  s.replace(/\{\{(\w+)\}\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
