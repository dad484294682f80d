/**
 * Wall-clock time in an IANA time zone, on the platform's own Intl (issue 14: luxon, 22.6 KiB gzipped, was
 * in every staff screen's first load for the handful of things below, which it too did with Intl).
 *
 * The zone rules are the runtime's (browser or Node ICU), exactly as they were with luxon; where the clinic's
 * rules must be the server's, the offsets come from get_clinic_clock (ClinicTime.ts), not from here.
 * Pure: no clock is read, every instant comes in as epoch milliseconds.
 */

export interface WallTime {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number;
  readonly hour: number; // 0-23
  readonly minute: number;
  readonly second: number;
}

const MAX_MS = 8.64e15; // ECMAScript's time range
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterOf = (zone: string): Intl.DateTimeFormat => {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
};

/** True when the runtime knows `zone` as a time zone (what luxon's IANAZone.isValidZone asked Intl). */
export const isValidTimeZone = (zone: string): boolean => {
  if (typeof zone !== 'string' || zone === '') return false;
  try {
    formatterOf(zone).format(0);
    return true;
  } catch {
    return false;
  }
};

/** The wall time in `zone` at an instant, or null for an instant outside the time range or an unknown zone. */
export const wallTimeAt = (epochMs: number, zone: string): WallTime | null => {
  if (!Number.isFinite(epochMs) || Math.abs(epochMs) > MAX_MS) return null;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = formatterOf(zone).formatToParts(epochMs);
  } catch {
    return null;
  }
  const n = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  const era = parts.find((p) => p.type === 'era')?.value ?? 'AD';
  const y = n('year');
  const hour = n('hour');
  return {
    year: era.startsWith('B') ? 1 - y : y,
    month: n('month'),
    day: n('day'),
    hour: hour === 24 ? 0 : hour, // engines that predate hourCycle h23 say 24 at midnight
    minute: n('minute'),
    second: n('second'),
  };
};

/** Epoch milliseconds of a wall time read as UTC (years 0-99 are years, not 1900-1999). */
export const utcOf = (w: Omit<WallTime, 'second'> & { second?: number }): number => {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second ?? 0, 0);
  return d.getTime();
};

/** The zone's UTC offset at an instant, in minutes (Casablanca in summer: 60). NaN when unknown. */
export const offsetMinutesAt = (epochMs: number, zone: string): number => {
  const w = wallTimeAt(epochMs, zone);
  if (!w) return NaN;
  const whole = epochMs - (((epochMs % 1000) + 1000) % 1000);
  return Math.round((utcOf(w) - whole) / 60_000);
};

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** `YYYY-MM-DD` of a wall time (the ISO calendar date). */
export const isoDateOf = (w: Pick<WallTime, 'year' | 'month' | 'day'>): string =>
  `${w.year < 0 ? '-' : ''}${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;

/** The local calendar date in `zone` of an instant, `YYYY-MM-DD`; null as wallTimeAt. */
export const isoDateAt = (epochMs: number, zone: string): string | null => {
  const w = wallTimeAt(epochMs, zone);
  return w ? isoDateOf(w) : null;
};

/** `HH:mm` (24-hour, Latin digits) in `zone` at an instant. */
export const hhmmAt = (epochMs: number, zone: string): string => {
  const w = wallTimeAt(epochMs, zone);
  if (!w) throw new RangeError(`Not a valid instant or zone: ${String(epochMs)} ${zone}`);
  return `${pad(w.hour)}:${pad(w.minute)}`;
};

/** ISO weekday (Monday = 1 … Sunday = 7) of a calendar date. */
export const isoWeekdayOf = (w: Pick<WallTime, 'year' | 'month' | 'day'>): number => {
  const d = new Date(utcOf({ ...w, hour: 0, minute: 0 })).getUTCDay();
  return d === 0 ? 7 : d;
};

/**
 * The instant a wall time happens in `zone`. A wall time that happens twice (clocks go back) is its first
 * occurrence; one that does not happen (clocks jump forward) is read with the offset before the jump, which
 * lands after the jump (as luxon's DateTime.fromObject did) — callers that need the jump itself walk back.
 */
export const instantOfWallTime = (w: Omit<WallTime, 'second'>, zone: string): number => {
  const local = utcOf({ year: w.year, month: w.month, day: w.day, hour: w.hour, minute: w.minute });
  const before = offsetMinutesAt(local - DAY_MS, zone);
  const after = offsetMinutesAt(local + DAY_MS, zone);
  if (Number.isNaN(before) || Number.isNaN(after)) throw new RangeError(`Not a valid time zone: ${zone}`);
  const candidates = [...new Set([before, after, offsetMinutesAt(local, zone)])]
    .filter((o) => !Number.isNaN(o))
    .map((o) => local - o * 60_000)
    .sort((a, b) => a - b);
  for (const t of candidates) {
    const at = wallTimeAt(t, zone);
    if (at && utcOf(at) === local) return t;
  }
  return local - Math.min(before, after) * 60_000;
};

/**
 * `dd/MM HH:mm` in `zone` with the digits of `language` (Arabic-Indic in Arabic, as luxon's setLocale gave);
 * null for an unreadable instant or zone.
 */
export const dayMonthTimeAt = (epochMs: number, zone: string, language: string): string | null => {
  const w = wallTimeAt(epochMs, zone);
  if (!w) return null;
  const nf = new Intl.NumberFormat(language, { minimumIntegerDigits: 2, useGrouping: false });
  return `${nf.format(w.day)}/${nf.format(w.month)} ${nf.format(w.hour)}:${nf.format(w.minute)}`;
};
