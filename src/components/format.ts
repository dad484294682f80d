/**
 * Calendar arithmetic and countdowns for the screens. Clinic times (an instant shown as the clinic's wall
 * clock) are NOT formatted here: they need the clinic's UTC offsets from the server (ClinicTime, through
 * `useClinicTime` / the light screens' `screenClock`), never the browser's own rules for a time zone.
 */
import { DAY_OPTIONS, localeOf } from '../services/shared/timeFormats';

/** "mardi 1 décembre" for a calendar date (YYYY-MM-DD): a date has no time zone. */
export function formatCalendarDay(day: string, lng: string): string {
  return new Intl.DateTimeFormat(localeOf(lng), { ...DAY_OPTIONS, timeZone: 'UTC' }).format(
    new Date(`${day}T12:00:00Z`),
  );
}
/** mm:ss of a countdown (never negative). */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
export function weekdayOf(day: string): number {
  return new Date(`${day}T12:00:00Z`).getUTCDay();
}
