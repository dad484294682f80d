/**
 * The days a clinic is closed beyond its weekly hours: single dates or ranges (holidays, the doctor's
 * leave) and dates closed every year (`MM-DD`). Immutable; built by `ClosedDates.create`.
 *
 * Morocco's religious holidays (Eid al-Fitr, Eid al-Adha, Islamic New Year, the Prophet's birthday)
 * follow the lunar calendar and are set by moon sighting, so they cannot be computed in advance: clinics
 * add them as dates. The fixed civil holidays are in `MOROCCO_FIXED_HOLIDAYS`, ready to opt into.
 */
import { z } from '../../shared/zod';
import { appError, ErrorCodes } from '../../shared/AppError';
import { err, ok } from '../../shared/Result';
import type { Result } from '../../shared/Result';
import { addDays, daysBetween, isLocalDate } from './LocalDate';
import type { LocalDate } from './LocalDate';

export interface ClosedDateEntry {
  /** First closed day, `YYYY-MM-DD`. */
  readonly date: LocalDate;
  /** Last closed day of a range, inclusive (defaults to `date`). */
  readonly until?: LocalDate;
  readonly reason?: string;
}

export interface RecurringClosedDate {
  /** `MM-DD`, closed every year. */
  readonly monthDay: string;
  readonly reason?: string;
}

/** Morocco's fixed-date public holidays. */
export const MOROCCO_FIXED_HOLIDAYS: readonly RecurringClosedDate[] = Object.freeze([
  { monthDay: '01-01', reason: "New Year's Day" },
  { monthDay: '01-11', reason: 'Proclamation of Independence' },
  { monthDay: '01-14', reason: 'Amazigh New Year (Yennayer)' },
  { monthDay: '05-01', reason: 'Labour Day' },
  { monthDay: '07-30', reason: 'Throne Day' },
  { monthDay: '08-14', reason: 'Oued Ed-Dahab Day' },
  { monthDay: '08-20', reason: 'Revolution of the King and the People' },
  { monthDay: '08-21', reason: 'Youth Day' },
  { monthDay: '10-31', reason: 'Unity Day (Eid al-Wahda)' },
  { monthDay: '11-06', reason: 'Green March' },
  { monthDay: '11-18', reason: 'Independence Day' },
]);

/** A range longer than this is surely a typo (closing a clinic for years is not done with dates). */
export const MAX_CLOSED_RANGE_DAYS = 366;

/** The stored form (e.g. a `jsonb` column or an admin form): what `toJSON` gives and `fromJSON` reads. */
export const ClosedDatesSchema = z.strictObject({
  dates: z._default(
    z
      .array(
        z.strictObject({
          date: z.string(),
          until: z.optional(z.string()),
          reason: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(120))),
        }),
      )
      .check(z.maxLength(1000)),
    [],
  ),
  recurring: z._default(
    z
      .array(
        z.strictObject({
          monthDay: z.string(),
          reason: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(120))),
        }),
      )
      .check(z.maxLength(366)),
    [],
  ),
});
export type ClosedDatesJson = z.output<typeof ClosedDatesSchema>;

const MONTH_DAY = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const invalid = (message: string, details: Record<string, unknown>) =>
  err(appError(ErrorCodes.HOURS_INVALID, message, details));

export class ClosedDates {
  private constructor(
    private readonly dates: ReadonlyMap<LocalDate, string | undefined>,
    private readonly yearly: ReadonlyMap<string, string | undefined>,
    private readonly source: ClosedDatesJson,
  ) {
    Object.freeze(this);
  }

  static readonly none: ClosedDates = new ClosedDates(new Map(), new Map(), { dates: [], recurring: [] });

  /** Reads the stored form; a malformed shape is `HOURS.INVALID` with the zod issues' paths. */
  static fromJSON(json: unknown): Result<ClosedDates> {
    const parsed = ClosedDatesSchema.safeParse(json ?? {});
    if (!parsed.success) {
      return invalid('Closed dates are malformed.', {
        issues: parsed.error.issues.map((i) => i.path.join('.')),
      });
    }
    return ClosedDates.create(parsed.data);
  }

  /** The entries as given (ranges stay ranges), for storage. */
  toJSON(): ClosedDatesJson {
    return this.source;
  }

  static create(input: {
    dates?: readonly ClosedDateEntry[];
    recurring?: readonly RecurringClosedDate[];
  }): Result<ClosedDates> {
    const dates = new Map<LocalDate, string | undefined>();
    for (const [index, entry] of (input.dates ?? []).entries()) {
      const until = entry.until ?? entry.date;
      if (!isLocalDate(entry.date) || !isLocalDate(until)) {
        return invalid('A closed date must be YYYY-MM-DD.', { field: 'dates', index });
      }
      const span = daysBetween(entry.date, until);
      if (span < 0) return invalid('A closed range ends before it starts.', { field: 'dates', index });
      if (span >= MAX_CLOSED_RANGE_DAYS) {
        return invalid('A closed range is at most a year.', { field: 'dates', index });
      }
      for (let d = 0; d <= span; d++) {
        const day = addDays(entry.date, d);
        if (!dates.has(day) || dates.get(day) === undefined) dates.set(day, entry.reason);
      }
    }
    const yearly = new Map<string, string | undefined>();
    for (const [index, entry] of (input.recurring ?? []).entries()) {
      if (!MONTH_DAY.test(entry.monthDay) || !isLocalDate(`2024-${entry.monthDay}`)) {
        return invalid('A yearly closed date must be MM-DD.', { field: 'recurring', index });
      }
      if (!yearly.has(entry.monthDay) || yearly.get(entry.monthDay) === undefined) {
        yearly.set(entry.monthDay, entry.reason);
      }
    }
    const strip = <T extends object>(o: T): T =>
      Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
    const source: ClosedDatesJson = {
      dates: (input.dates ?? []).map((d) => strip({ date: d.date, until: d.until, reason: d.reason })),
      recurring: (input.recurring ?? []).map((r) => strip({ monthDay: r.monthDay, reason: r.reason })),
    };
    return ok(new ClosedDates(dates, yearly, source));
  }

  isClosed(date: LocalDate): boolean {
    return this.dates.has(date) || this.yearly.has(date.slice(5));
  }

  /** Why the clinic is closed that day, if it is and a reason was given. */
  reasonFor(date: LocalDate): string | undefined {
    return this.dates.get(date) ?? this.yearly.get(date.slice(5));
  }

  /** Closed when either is closed. */
  union(other: ClosedDates): ClosedDates {
    if (other === ClosedDates.none) return this;
    if (this === ClosedDates.none) return other;
    const merged = ClosedDates.create({
      dates: [...this.source.dates, ...other.source.dates],
      recurring: [...this.source.recurring, ...other.source.recurring],
    });
    // both sides were valid on their own, so their union is too
    if (!merged.ok) throw new Error(merged.error.message);
    return merged.value;
  }
}
