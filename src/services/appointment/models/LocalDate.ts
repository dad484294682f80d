/**
 * Calendar helpers for a clinic's local day. A local date is `YYYY-MM-DD` in the clinic's time zone; a
 * time zone is an IANA name (default `Africa/Casablanca`), validated and canonicalized.
 */
import { DateTime, IANAZone } from 'luxon';
import { appError, ErrorCodes } from '../../shared/AppError';
import { err, ok } from '../../shared/Result';
import type { Result } from '../../shared/Result';

export type LocalDate = string;
export const DEFAULT_TIME_ZONE = 'Africa/Casablanca';

/** Validates an IANA time zone name and returns its canonical spelling (`africa/casablanca` → `Africa/Casablanca`). */
export const parseTimeZone = (zone: string): Result<string> => {
  if (
    typeof zone !== 'string' ||
    !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone) ||
    !IANAZone.isValidZone(zone)
  ) {
    return err(appError(ErrorCodes.TIMEZONE_INVALID, 'Not an IANA time zone.', { field: 'timeZone' }));
  }
  return ok(new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone);
};

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export const isLocalDate = (value: unknown): value is LocalDate =>
  typeof value === 'string' && DATE_RE.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;

/** Start of a local date in a zone, as a luxon DateTime. A malformed date is a bug and throws. */
export const startOfLocalDate = (date: LocalDate, zone: string): DateTime => {
  if (!isLocalDate(date)) throw new RangeError(`Not a local date (YYYY-MM-DD): ${String(date)}`);
  return DateTime.fromISO(date, { zone });
};

/** The local date (in `zone`) of an instant given in epoch milliseconds. */
export const localDateAt = (epochMs: number, zone: string): LocalDate =>
  DateTime.fromMillis(epochMs, { zone }).toISODate() as LocalDate;

/** `date` plus `days` calendar days (no time zone involved). */
export const addDays = (date: LocalDate, days: number): LocalDate =>
  DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() as LocalDate;

/** Whole calendar days from `a` to `b` (negative when `b` is earlier). */
export const daysBetween = (a: LocalDate, b: LocalDate): number =>
  Math.round(DateTime.fromISO(b, { zone: 'UTC' }).diff(DateTime.fromISO(a, { zone: 'UTC' }), 'days').days);
