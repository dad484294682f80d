/**
 * A moment in time as the domain accepts it: a `Date`, an ISO-8601 string with an offset
 * (`2026-02-16T09:00:00Z`, what `timestamptz` gives as JSON) or epoch milliseconds. Models turn it into
 * epoch milliseconds at the edge and hand out ISO-8601 UTC strings (immutable, JSON-ready).
 */
export type Instant = Date | string | number;

/** Epoch milliseconds of an instant. An unreadable instant is a bug in the caller and throws. */
export const toEpochMs = (instant: Instant): number => {
  const ms =
    instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) throw new RangeError(`Not a valid instant: ${String(instant)}`);
  return ms;
};

/** ISO-8601 UTC (`2026-02-16T09:00:00.000Z`). */
export const toIsoUtc = (instant: Instant): string => new Date(toEpochMs(instant)).toISOString();

export const MINUTE_MS = 60_000;
