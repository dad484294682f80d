/**
 * What the screens show for a wait: "about 25 min (20–35)", never a false precision. Staff rows get an
 * estimate from the expected durations of the entries ahead in the same pool, shared by the practitioners
 * serving it; patients see the same shape from their position.
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

export interface WaitInput {
  readonly id: string;
  readonly status: string;
  readonly practitionerId: string | null;
  readonly expectedDurationMinutes: number;
  readonly startedAt: string | null;
  readonly calledAt: string | null;
}

/**
 * For each waiting entry (in queue order): the minutes until it is likely called. Entries at a desk
 * contribute their remaining time; entries ahead in the same pool (same practitioner, or "any")
 * contribute their expected duration, divided by the practitioners serving that pool.
 */
export function estimateWaits(
  ordered: readonly WaitInput[],
  practitionerCount: number,
  nowMs: number,
): Map<string, WaitRange> {
  const servers = Math.max(1, practitionerCount);
  const out = new Map<string, WaitRange>();
  const remainingAtDesk = ordered
    .filter((e) => e.status === 'called' || e.status === 'in_service')
    .map((e) => {
      const since = Date.parse(e.startedAt ?? e.calledAt ?? '') || nowMs;
      return { e, left: Math.max(1, e.expectedDurationMinutes - (nowMs - since) / 60_000) };
    });
  const waiting = ordered.filter((e) => e.status === 'waiting');
  waiting.forEach((target, i) => {
    const samePool = (o: WaitInput) =>
      target.practitionerId === null ||
      o.practitionerId === null ||
      o.practitionerId === target.practitionerId;
    const poolServers = target.practitionerId === null ? servers : 1;
    const desk = remainingAtDesk.filter((d) => samePool(d.e)).reduce((s, d) => s + d.left, 0);
    const ahead = waiting
      .slice(0, i)
      .filter(samePool)
      .reduce((s, o) => s + o.expectedDurationMinutes, 0);
    out.set(target.id, waitRange((desk + ahead) / poolServers));
  });
  return out;
}

/** A patient's estimate from their position alone (the tracker sees no other patients). */
export function waitFromPosition(position: number, averageMinutes = 12, practitioners = 1): WaitRange {
  return waitRange(
    ((Math.max(1, position) - 1) * averageMinutes + averageMinutes / 2) / Math.max(1, practitioners),
  );
}
