/**
 * A clinic's opening hours: per weekday one or more intervals of local wall-clock time (a split day
 * such as 09:00–13:00 and 15:00–19:00 is normal), in the clinic's IANA time zone (default
 * `Africa/Casablanca`), plus closed dates. Immutable; built by `WorkingHours.create`.
 *
 * Time zones and clock changes: an interval is a wall-clock time on a local date, turned into real
 * instants with that date's UTC offset. So "09:00" stays 09:00 on both sides of Morocco's Ramadan clock
 * change (UTC+1 → UTC+0 → UTC+1). On the night of a change an interval that spans it lasts an hour more
 * or less in real time; a wall time that does not exist that night (clocks jump forward) is read as the
 * first instant after the jump (an interval lying wholly inside the jump vanishes), and a wall time that
 * happens twice (clocks go back) as its first occurrence.
 */
import { z } from '../../shared/zod';
import { appError, ErrorCodes } from '../../shared/AppError';
import { err, ok } from '../../shared/Result';
import type { Result } from '../../shared/Result';
import { MINUTE_MS, toEpochMs } from '../../shared/models/Instant';
import type { Instant } from '../../shared/models/Instant';
import { hhmmAt, instantOfWallTime, offsetMinutesAt } from '../../shared/models/ZonedTime';
import { HH_MM } from '../../shared/timeFormats';
import { ClosedDates, ClosedDatesSchema } from './ClosedDates';
import {
  DEFAULT_TIME_ZONE,
  addDays,
  daysBetween,
  isLocalDate,
  localDateAt,
  parseTimeZone,
  calendarOf,
} from './LocalDate';
import type { LocalDate } from './LocalDate';

import { WEEKDAYS, type Weekday } from './Weekdays';
export { WEEKDAYS, type Weekday };

/** Wall-clock times `HH:mm`; `end` may be `24:00` (open until midnight). */
export interface HoursInterval {
  readonly start: string;
  readonly end: string;
}
export type WeeklyHours = Readonly<Partial<Record<Weekday, readonly HoursInterval[]>>>;

const IntervalSchema = z.strictObject({ start: z.string(), end: z.string() });
const WeeklySchema = z.strictObject(
  Object.fromEntries(WEEKDAYS.map((d) => [d, z.optional(z.array(IntervalSchema).check(z.maxLength(12)))])),
);

/**
 * The stored form (a clinic's `jsonb` column, the admin form): what `toJSON` gives and `fromJSON` reads.
 * Shape only; the rules (HH:mm, order, overlaps, IANA zone) are checked by `WorkingHours.create`.
 */
export const WorkingHoursSchema = z.strictObject({
  timeZone: z._default(z.string(), DEFAULT_TIME_ZONE),
  weekly: WeeklySchema,
  closedDates: z.optional(ClosedDatesSchema),
  seasons: z._default(
    z
      .array(
        z.strictObject({
          from: z.string(),
          until: z.string(),
          label: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(80))),
          weekly: WeeklySchema,
        }),
      )
      .check(z.maxLength(50)),
    [],
  ),
});
export type WorkingHoursJson = {
  timeZone: string;
  weekly: Partial<Record<Weekday, HoursInterval[]>>;
  closedDates: z.output<typeof ClosedDatesSchema>;
  seasons: {
    from: LocalDate;
    until: LocalDate;
    label?: string;
    weekly: Partial<Record<Weekday, HoursInterval[]>>;
  }[];
};

/**
 * Different weekly hours for a date range, e.g. Ramadan hours (many clinics work 09:00–15:00 without a
 * break during Ramadan) or summer hours. Within `from`–`until` (inclusive) the season's weekly hours
 * replace the usual ones; closed dates still apply.
 */
export interface SeasonalHours {
  readonly from: LocalDate;
  readonly until: LocalDate;
  readonly label?: string;
  readonly weekly: WeeklyHours;
}

/** An opening interval on a given local date, as real instants. */
export interface OpenInterval {
  readonly localDate: LocalDate;
  /** ISO-8601 UTC. */
  readonly start: string;
  readonly end: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** Minutes since local midnight. */
interface MinuteInterval {
  readonly from: number;
  readonly to: number;
}

const parseTime = (value: unknown, allowMidnightEnd: boolean): number | null => {
  if (typeof value !== 'string') return null;
  if (allowMidnightEnd && value === '24:00') return 24 * 60;
  const m = HH_MM.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
};

const hoursInvalid = (message: string, details: Record<string, unknown>) =>
  err(appError(ErrorCodes.HOURS_INVALID, message, details));

/** How far ahead `nextOpening` looks before concluding the clinic never opens. */
const NEXT_OPENING_SEARCH_DAYS = 400;

type Schedule = ReadonlyMap<number, readonly MinuteInterval[]>;

/** Parses a weekly schedule; `where` is added to error details (e.g. `{ season: 0 }`). */
const parseWeekly = (weekly: WeeklyHours, where: Record<string, unknown>): Result<Schedule> => {
  if (typeof weekly !== 'object' || weekly === null) {
    return hoursInvalid('Weekly hours are required.', { ...where, field: 'weekly' });
  }
  const byWeekday = new Map<number, readonly MinuteInterval[]>();
  for (const [key, intervals] of Object.entries(weekly)) {
    const isoWeekday = (WEEKDAYS as readonly string[]).indexOf(key) + 1;
    if (isoWeekday === 0) return hoursInvalid(`Unknown weekday "${key}".`, { ...where, weekday: key });
    if (intervals === undefined) continue;
    if (!Array.isArray(intervals))
      return hoursInvalid('Intervals must be a list.', { ...where, weekday: key });
    const parsed: MinuteInterval[] = [];
    for (const [index, interval] of (intervals as readonly HoursInterval[]).entries()) {
      const from = parseTime(interval?.start, false);
      const to = parseTime(interval?.end, true);
      if (from === null || to === null) {
        return hoursInvalid('Times are HH:mm (end may be 24:00).', {
          ...where,
          weekday: key,
          index,
          problem: 'format',
        });
      }
      if (to <= from) {
        return hoursInvalid('An interval must end after it starts.', {
          ...where,
          weekday: key,
          index,
          problem: 'order',
        });
      }
      parsed.push({ from, to });
    }
    parsed.sort((a, b) => a.from - b.from);
    for (let i = 1; i < parsed.length; i++) {
      if ((parsed[i] as MinuteInterval).from < (parsed[i - 1] as MinuteInterval).to) {
        return hoursInvalid('Intervals of one day must not overlap.', {
          ...where,
          weekday: key,
          index: i,
          problem: 'overlap',
        });
      }
    }
    if (parsed.length > 0) byWeekday.set(isoWeekday, Object.freeze(parsed));
  }
  return ok(byWeekday);
};

const formatMinutes = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

const toWeekly = (schedule: Schedule): Partial<Record<Weekday, HoursInterval[]>> => {
  const out: Partial<Record<Weekday, HoursInterval[]>> = {};
  for (const [isoWeekday, intervals] of schedule) {
    out[WEEKDAYS[isoWeekday - 1] as Weekday] = intervals.map((i) => ({
      start: formatMinutes(i.from),
      end: formatMinutes(i.to),
    }));
  }
  return out;
};

interface Season {
  readonly from: LocalDate;
  readonly until: LocalDate;
  readonly label: string | undefined;
  readonly schedule: Schedule;
}

export const MAX_SEASON_DAYS = 366;

export class WorkingHours {
  private constructor(
    readonly timeZone: string,
    private readonly byWeekday: Schedule,
    readonly closedDates: ClosedDates,
    private readonly seasons: readonly Season[],
  ) {
    Object.freeze(this);
  }

  /**
   * Refuses, with `HOURS.INVALID` and details (`weekday`, `index`, and `season` for seasonal hours): an
   * unknown weekday key, a time not in `HH:mm`, an interval that does not end after it starts,
   * overlapping intervals on one day, a season with bad or reversed dates, longer than a year, or
   * overlapping another season; with `TIMEZONE.INVALID`: a time zone that is not an IANA name.
   */
  static create(input: {
    weekly: WeeklyHours;
    timeZone?: string;
    closedDates?: ClosedDates;
    seasons?: readonly SeasonalHours[];
  }): Result<WorkingHours> {
    const zone = parseTimeZone(input.timeZone ?? DEFAULT_TIME_ZONE);
    if (!zone.ok) return zone;
    const schedule = parseWeekly(input.weekly, {});
    if (!schedule.ok) return schedule;
    const seasons: Season[] = [];
    for (const [index, season] of (input.seasons ?? []).entries()) {
      if (!isLocalDate(season.from) || !isLocalDate(season.until)) {
        return hoursInvalid('Season dates are YYYY-MM-DD.', { season: index });
      }
      const span = daysBetween(season.from, season.until);
      if (span < 0 || span >= MAX_SEASON_DAYS) {
        return hoursInvalid('A season runs forward and lasts at most a year.', { season: index });
      }
      const overlapping = seasons.findIndex((o) => season.from <= o.until && o.from <= season.until);
      if (overlapping !== -1) {
        return hoursInvalid('Seasons must not overlap.', { season: index, overlaps: overlapping });
      }
      const parsed = parseWeekly(season.weekly, { season: index });
      if (!parsed.ok) return parsed;
      seasons.push({ from: season.from, until: season.until, label: season.label, schedule: parsed.value });
    }
    return ok(new WorkingHours(zone.value, schedule.value, input.closedDates ?? ClosedDates.none, seasons));
  }

  /** Reads the stored form; a malformed shape is `HOURS.INVALID` with the zod issues' paths. */
  static fromJSON(json: unknown): Result<WorkingHours> {
    const parsed = WorkingHoursSchema.safeParse(json);
    if (!parsed.success) {
      return hoursInvalid('Working hours are malformed.', {
        issues: parsed.error.issues.map((i) => i.path.join('.')),
      });
    }
    const closed = ClosedDates.fromJSON(parsed.data.closedDates ?? {});
    if (!closed.ok) return closed;
    return WorkingHours.create({
      timeZone: parsed.data.timeZone,
      weekly: parsed.data.weekly as WeeklyHours,
      closedDates: closed.value,
      seasons: parsed.data.seasons.map((season) => ({ ...season, weekly: season.weekly as WeeklyHours })),
    });
  }

  toJSON(): WorkingHoursJson {
    return {
      timeZone: this.timeZone,
      weekly: toWeekly(this.byWeekday),
      closedDates: this.closedDates.toJSON(),
      seasons: this.seasons.map((season) => ({
        from: season.from,
        until: season.until,
        ...(season.label === undefined ? {} : { label: season.label }),
        weekly: toWeekly(season.schedule),
      })),
    };
  }

  /** The same hours with more closed dates. */
  withClosedDates(closed: ClosedDates): WorkingHours {
    return new WorkingHours(this.timeZone, this.byWeekday, this.closedDates.union(closed), this.seasons);
  }

  /** The season a local date falls in (its label, e.g. "Ramadan"), if any. */
  seasonOn(
    date: LocalDate,
  ): { readonly from: LocalDate; readonly until: LocalDate; readonly label?: string } | null {
    const season = this.seasons.find((o) => o.from <= date && date <= o.until);
    if (season === undefined) return null;
    return season.label === undefined
      ? { from: season.from, until: season.until }
      : { from: season.from, until: season.until, label: season.label };
  }

  /** The usual weekly schedule back as `HH:mm` intervals (sorted), e.g. for a settings form. */
  get weekly(): WeeklyHours {
    return toWeekly(this.byWeekday);
  }

  /** The local date (clinic's zone) of an instant. */
  localDateOf(instant: Instant): LocalDate {
    return localDateAt(toEpochMs(instant), this.timeZone);
  }

  /** `HH:mm` in the clinic's zone. */
  labelOf(instant: Instant): string {
    return hhmmAt(toEpochMs(instant), this.timeZone);
  }

  /** The opening intervals of a local date as real instants; none on a closed date or a closed weekday. */
  intervalsOn(date: LocalDate): OpenInterval[] {
    const day = calendarOf(date);
    if (this.closedDates.isClosed(date)) return [];
    const season = this.seasons.find((o) => o.from <= date && date <= o.until);
    const intervals = (season?.schedule ?? this.byWeekday).get(day.weekday) ?? [];
    const at = (minutes: number): number => {
      if (minutes === 24 * 60)
        return instantOfWallTime({ ...calendarOf(addDays(date, 1)), hour: 0, minute: 0 }, this.timeZone);
      const hour = Math.floor(minutes / 60);
      const minute = minutes % 60;
      const t0 = instantOfWallTime({ ...day, hour, minute }, this.timeZone);
      if (hhmmAt(t0, this.timeZone) === `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`)
        return t0;
      // A wall time the clocks jumped over: the first real instant after the jump.
      const offsetAt = (ms: number) => offsetMinutesAt(ms, this.timeZone);
      let t = t0;
      for (let guard = 0; guard < 24 * 60 && offsetAt(t - MINUTE_MS) === offsetAt(t); guard++) t -= MINUTE_MS;
      return t;
    };
    const out: OpenInterval[] = [];
    for (const { from, to } of intervals) {
      const startMs = at(from);
      const endMs = at(to);
      // On a clock-change night an interval can vanish entirely; it cannot turn around.
      if (endMs <= startMs) continue;
      out.push({
        localDate: date,
        start: new Date(startMs).toISOString(),
        end: new Date(endMs).toISOString(),
        startMs,
        endMs,
      });
    }
    return out;
  }

  /** Whether the clinic is open at that instant (interval start inclusive, end exclusive). */
  isOpenAt(instant: Instant): boolean {
    const t = toEpochMs(instant);
    return this.intervalsOn(localDateAt(t, this.timeZone)).some((i) => i.startMs <= t && t < i.endMs);
  }

  /**
   * The interval open at `instant`, else the next one to open; `null` if the clinic does not open in the
   * next 400 days. (`start` may be before `instant` when the clinic is open at that moment.)
   */
  nextOpening(instant: Instant): OpenInterval | null {
    const t = toEpochMs(instant);
    if (this.byWeekday.size === 0 && this.seasons.every((o) => o.schedule.size === 0)) return null;
    const first = localDateAt(t, this.timeZone);
    for (let d = 0; d <= NEXT_OPENING_SEARCH_DAYS; d++) {
      const found = this.intervalsOn(addDays(first, d)).find((i) => i.endMs > t);
      if (found !== undefined) return found;
    }
    return null;
  }

  /** Minutes the clinic is open between two instants (e.g. to count working time across a break). */
  openMinutesBetween(from: Instant, to: Instant): number {
    const a = toEpochMs(from);
    const b = toEpochMs(to);
    if (b <= a) return 0;
    let total = 0;
    const last = localDateAt(b, this.timeZone);
    for (let date = localDateAt(a, this.timeZone); date <= last; date = addDays(date, 1)) {
      for (const i of this.intervalsOn(date))
        total += Math.max(0, Math.min(b, i.endMs) - Math.max(a, i.startMs));
    }
    return total / MINUTE_MS;
  }
}
