/**
 * Clinic times shown with the UTC offsets the server computed (get_clinic_clock: Postgres's tz database),
 * never with the browser's own rules for the clinic's zone — a browser with stale rules (Debian's
 * Chromium puts Casablanca at UTC+0 in November 2026) would otherwise show every time an hour off.
 * An instant is shifted by the offset in force, then formatted as UTC, which every browser does right.
 */
import { DATE_TIME_OPTIONS, localeOf, TIME_OPTIONS } from '../../shared/timeFormats';

export interface ClinicOffsets {
  /** Ascending; each applies from its instant until the next one. */
  readonly offsets: readonly { readonly from: string; readonly offsetMinutes: number }[];
}

/** The offset (minutes east of UTC) in force at `instant`; before the first entry, the first one. */
export function offsetAt(clock: ClinicOffsets, instant: string | Date): number {
  const t = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  let found = clock.offsets[0]?.offsetMinutes ?? 0;
  for (const o of clock.offsets) {
    if (Date.parse(o.from) <= t) found = o.offsetMinutes;
    else break;
  }
  return found;
}

/** The clinic's wall-clock time of `instant`, as a Date whose UTC fields read as local time. */
export function wallClock(clock: ClinicOffsets, instant: string | Date): Date {
  const t = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return new Date(t + offsetAt(clock, instant) * 60_000);
}

/** The clinic's local date (YYYY-MM-DD) of an instant. */
export function clinicDayOf(clock: ClinicOffsets, instant: string | Date): string {
  return wallClock(clock, instant).toISOString().slice(0, 10);
}

/** HH:mm in the clinic (the reader's locale's digits and order). */
export function formatClinicTime(clock: ClinicOffsets, instant: string, lng: string): string {
  return new Intl.DateTimeFormat(localeOf(lng), { ...TIME_OPTIONS, timeZone: 'UTC' }).format(
    wallClock(clock, instant),
  );
}

/** Short weekday, day, month and time in the clinic. */
export function formatClinicDateTime(clock: ClinicOffsets, instant: string, lng: string): string {
  return new Intl.DateTimeFormat(localeOf(lng), { ...DATE_TIME_OPTIONS, timeZone: 'UTC' }).format(
    wallClock(clock, instant),
  );
}
