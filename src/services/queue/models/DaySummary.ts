/**
 * The end-of-day summary (DOMAIN.md "Ending the day"), computed from the final entries.
 *
 * - served: entries completed (including those completed by the end of day itself).
 * - noShows: entries in `no_show`.
 * - wait (minutes) of a served entry: from max(checked-in, slot) — a patient who arrives early for a slot
 *   chose to wait — to its (last) call; never negative. Average and 90th percentile (nearest-rank) over the
 *   served entries that have both times; null when there are none.
 * - average service time (minutes) per practitioner: finishedAt − startedAt over completed entries that
 *   were started, grouped by the practitioner who served them (else the assigned one, else "unassigned").
 */
import type { QueueEntry } from './QueueEntry';

export const UNASSIGNED = 'unassigned';

export interface PractitionerServiceSummary {
  readonly practitionerId: string;
  readonly served: number;
  readonly averageServiceMinutes: number;
}

export interface DaySummary {
  readonly served: number;
  readonly noShows: number;
  readonly cancelled: number;
  readonly averageWaitMinutes: number | null;
  readonly p90WaitMinutes: number | null;
  readonly serviceByPractitioner: readonly PractitionerServiceSummary[];
}

const MINUTE = 60_000;
const t = (iso: string): number => new Date(iso).getTime();

/** Nearest-rank percentile of an ascending list (p in (0, 1]); null for an empty list. */
export const percentile = (sortedAsc: readonly number[], p: number): number | null => {
  if (sortedAsc.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sortedAsc.length));
  return sortedAsc[rank - 1] ?? null;
};

const mean = (xs: readonly number[]): number | null =>
  xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length;

export const waitMinutes = (e: QueueEntry): number | null => {
  if (e.calledAt === null || e.checkedInAt === null) return null;
  const from = Math.max(t(e.checkedInAt), e.slotAt === null ? -Infinity : t(e.slotAt));
  return Math.max(0, (t(e.calledAt) - from) / MINUTE);
};

export const serviceMinutes = (e: QueueEntry): number | null =>
  e.startedAt === null || e.finishedAt === null ? null : (t(e.finishedAt) - t(e.startedAt)) / MINUTE;

/**
 * Served = completed after being started. A patient only called when the day ended is closed as completed
 * but was never seen (nothing else completes a called patient: finish needs a started visit, and "call next"
 * never completes a called one), so is not served (issue 15.14); their wait still counts (they were called).
 */
export const summarizeDay = (entries: readonly QueueEntry[]): DaySummary => {
  const done = entries.filter((e) => e.status === 'completed');
  const served = done.filter((e) => e.startedAt !== null);
  const waits = done
    .map(waitMinutes)
    .filter((w): w is number => w !== null)
    .sort((a, b) => a - b);
  const byPractitioner = new Map<string, number[]>();
  for (const e of served) {
    const minutes = serviceMinutes(e);
    if (minutes === null) continue;
    const key = e.servedBy ?? e.practitionerId ?? UNASSIGNED;
    byPractitioner.set(key, [...(byPractitioner.get(key) ?? []), minutes]);
  }
  return {
    served: served.length,
    noShows: entries.filter((e) => e.status === 'no_show').length,
    cancelled: entries.filter((e) => e.status === 'cancelled').length,
    averageWaitMinutes: mean(waits),
    p90WaitMinutes: percentile(waits, 0.9),
    serviceByPractitioner: [...byPractitioner.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([practitionerId, xs]) => ({
        practitionerId,
        served: xs.length,
        averageServiceMinutes: mean(xs) ?? 0,
      })),
  };
};
