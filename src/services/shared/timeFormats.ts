/**
 * The one place that says how QueueMed writes a clinic time: the reader's locale per app language, and the
 * Intl options of a time and of a date with time (24-hour in every language — issue 15.16). Pure constants:
 * the clinic clock model (ClinicTime) and the components both read them, and the light screens import
 * this file alone (no zod, no other module).
 */
export const LOCALES = { ar: 'ar-MA', fr: 'fr-MA', en: 'en-GB' } as const;
export const localeOf = (lng: string): string => (LOCALES as Record<string, string>)[lng] ?? 'fr-MA';

/** A clock time 'HH:MM', 00:00–23:59 (working hours, the fluid reminder time): one regex for every screen. */
export const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** HH:mm */
export const TIME_OPTIONS: Intl.DateTimeFormatOptions = {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
};
/** "Tue 1 Dec, 09:30" */
export const DATE_TIME_OPTIONS: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  ...TIME_OPTIONS,
};
/** "Tuesday 1 December" */
export const DAY_OPTIONS: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' };
