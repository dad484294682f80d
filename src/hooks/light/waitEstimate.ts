/**
 * What the patient tracker shows for a wait: "about 25 min (20–35)", never a false precision, from the
 * position alone (the tracker sees no other patients). Staff rows show the WaitTime model's estimate that
 * QueueService computes.
 */
export interface WaitRange {
  readonly minutes: number;
  readonly low: number;
  readonly high: number;
}

const roundTo = (m: number) => (m < 10 ? Math.max(0, Math.round(m)) : Math.round(m / 5) * 5);

/** A range around `minutes` (20–80 % band ≈ ×0.8 … ×1.4), rounded: 5-minute steps beyond 10 minutes. */
export function waitRange(minutes: number): WaitRange {
  const m = Math.max(0, minutes);
  const low = roundTo(m * 0.8);
  const high = Math.max(roundTo(m * 1.4), low + (m < 10 ? 2 : 5));
  return { minutes: Math.min(Math.max(roundTo(m), low), high), low, high };
}

/** A patient's estimate from their position alone (the tracker sees no other patients). */
export function waitFromPosition(position: number, averageMinutes = 12, practitioners = 1): WaitRange {
  return waitRange(
    ((Math.max(1, position) - 1) * averageMinutes + averageMinutes / 2) / Math.max(1, practitioners),
  );
}
