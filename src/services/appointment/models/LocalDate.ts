/**
 * Calendar helpers for a clinic's local day. A local date is `YYYY-MM-DD` in the clinic's time zone; a
 * time zone is an IANA name (default `Africa/Casablanca`), validated and canonicalized.
 */
import { appError, ErrorCodes } from '../../shared/AppError';
import { err, ok } from '../../shared/Result';
import type { Result } from '../../shared/Result';
import { isoDateAt, isoDateOf, isValidTimeZone, utcOf } from '../../shared/models/ZonedTime';

export type LocalDate = string;
export const DEFAULT_TIME_ZONE = 'Africa/Casablanca';

/** Validates an IANA time zone name and returns its canonical spelling (`africa/casablanca` → `Africa/Casablanca`). */
export const parseTimeZone = (zone: string): Result<string> => {
  if (typeof zone !== 'string' || !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone) || !isValidTimeZone(zone)) {
    return err(appError(ErrorCodes.TIMEZONE_INVALID, 'Not an IANA time zone.', { field: 'timeZone' }));
  }
  return ok(new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone);
};

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const DAY_MS = 86_400_000;
const partsOf = (date: string) => {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, day };
};
/** Epoch milliseconds of a date's 00:00 UTC (no time zone involved). */
const utcMidnight = (date: string): number => utcOf({ ...partsOf(date), hour: 0, minute: 0 });

export const isLocalDate = (value: unknown): value is LocalDate => {
  if (typeof value !== 'string' || !DATE_RE.test(value)) return false;
  const p = partsOf(value);
  // a real calendar date: 2026-02-30 comes back as another day
  return p.month >= 1 && p.month <= 12 && isoDateAt(utcMidnight(value), 'UTC') === value;
};

/** The calendar fields and ISO weekday (Monday = 1) of a local date. A malformed date is a bug and throws. */
export const calendarOf = (
  date: LocalDate,
): { year: number; month: number; day: number; weekday: number } => {
  if (!isLocalDate(date)) throw new RangeError(`Not a local date (YYYY-MM-DD): ${String(date)}`);
  const p = partsOf(date);
  const d = new Date(utcMidnight(date)).getUTCDay();
  return { ...p, weekday: d === 0 ? 7 : d };
};

/** The local date (in `zone`) of an instant given in epoch milliseconds. */
export const localDateAt = (epochMs: number, zone: string): LocalDate => {
  const d = isoDateAt(epochMs, zone);
  if (d === null) throw new RangeError(`Not a valid instant or zone: ${String(epochMs)} ${zone}`);
  return d;
};

/** `date` plus `days` calendar days (no time zone involved). */
export const addDays = (date: LocalDate, days: number): LocalDate => {
  const t = new Date(utcMidnight(date));
  t.setUTCDate(t.getUTCDate() + days);
  return isoDateOf({ year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() });
};

/** Whole calendar days from `a` to `b` (negative when `b` is earlier). */
export const daysBetween = (a: LocalDate, b: LocalDate): number =>
  Math.round((utcMidnight(b) - utcMidnight(a)) / DAY_MS);
