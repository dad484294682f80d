/** Numbers, dates and times in the clinic's time zone and the reader's locale. */
export const LOCALES = { ar: 'ar-MA', fr: 'fr-MA', en: 'en-GB' } as const;
export const localeOf = (lng: string): string => LOCALES[(lng as keyof typeof LOCALES) ?? 'fr'] ?? 'fr-MA';

export function formatTime(
  iso: string | null | undefined,
  lng: string,
  timeZone = 'Africa/Casablanca',
): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(localeOf(lng), {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(new Date(iso));
}
export function formatDay(iso: string, lng: string, timeZone = 'Africa/Casablanca'): string {
  return new Intl.DateTimeFormat(localeOf(lng), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone,
  }).format(new Date(iso));
}
export function formatDateTime(
  iso: string | null | undefined,
  lng: string,
  timeZone = 'Africa/Casablanca',
): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(localeOf(lng), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23', // clinic times are 24-hour in every language (issue 15.16)
    timeZone,
  }).format(new Date(iso));
}
/** mm:ss of a countdown (never negative). */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
/** The local calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function localDay(d: Date, timeZone = 'Africa/Casablanca'): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d);
}
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
export function weekdayOf(day: string): number {
  return new Date(`${day}T12:00:00Z`).getUTCDay();
}
