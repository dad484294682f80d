/**
 * The range a report covers (issue 19): a week (Monday–Sunday), a month, a quarter or a year around an
 * anchor day, moved back and forth by whole spans. Dates are clinic-local calendar days (YYYY-MM-DD);
 * "today" comes in as an argument (the clinic's clock), never from this module.
 */
export const REPORT_SPANS = ['week', 'month', 'quarter', 'year'] as const;
export type ReportSpan = (typeof REPORT_SPANS)[number];

export interface DayRange {
  readonly from: string;
  readonly to: string;
}

const DAY = /^(\d{4})-(\d\d)-(\d\d)$/;

function parse(day: string): Date {
  const m = DAY.exec(day);
  if (!m) throw new RangeError(`not a day: ${day}`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.toISOString().slice(0, 10) !== day) throw new RangeError(`not a day: ${day}`);
  return d;
}
const fmt = (d: Date): string => d.toISOString().slice(0, 10);
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));

export function isDay(s: string): boolean {
  try {
    parse(s);
    return true;
  } catch {
    return false;
  }
}

/** The span containing `anchor`. */
export function rangeOf(span: ReportSpan, anchor: string): DayRange {
  const a = parse(anchor);
  const y = a.getUTCFullYear();
  const m = a.getUTCMonth();
  switch (span) {
    case 'week': {
      const back = (a.getUTCDay() + 6) % 7; // Monday = 0
      const start = utc(y, m, a.getUTCDate() - back);
      return { from: fmt(start), to: fmt(utc(y, m, a.getUTCDate() - back + 6)) };
    }
    case 'month':
      return { from: fmt(utc(y, m, 1)), to: fmt(utc(y, m + 1, 0)) };
    case 'quarter': {
      const q = m - (m % 3);
      return { from: fmt(utc(y, q, 1)), to: fmt(utc(y, q + 3, 0)) };
    }
    case 'year':
      return { from: fmt(utc(y, 0, 1)), to: fmt(utc(y, 11, 31)) };
  }
}

/** The span `steps` spans after (negative: before) the one containing `anchor`. */
export function shiftRange(span: ReportSpan, anchor: string, steps: number): DayRange {
  const a = parse(anchor);
  const y = a.getUTCFullYear();
  const m = a.getUTCMonth();
  switch (span) {
    case 'week':
      return rangeOf(span, fmt(utc(y, m, a.getUTCDate() + 7 * steps)));
    case 'month':
      return rangeOf(span, fmt(utc(y, m + steps, 1)));
    case 'quarter':
      return rangeOf(span, fmt(utc(y, m + 3 * steps, 1)));
    case 'year':
      return rangeOf(span, fmt(utc(y + steps, 0, 1)));
  }
}

/** Days from `from` to `to`, both included (0 when reversed). */
export function daysIn(r: DayRange): number {
  return Math.max(0, Math.round((parse(r.to).getTime() - parse(r.from).getTime()) / 86_400_000) + 1);
}
