/**
 * The queue's entries → the wait estimator's day (`WaitEstimator.estimateClinicDay`) → the staff view's
 * `WaitEstimate` per waiting entry. Pure: the dashboard, the tracker and SMS show these same minutes.
 */
import type { QueueEntry } from './QueueEntry';
import { sortInOrder } from './QueueOrder';
import {
  estimateClinicDay,
  learnPastProfile,
  type ClinicDay,
  type DayEntry,
  type DayPractitioner,
  type DaySession,
  type HistoryVisit,
  type PastProfile,
} from './WaitEstimator';
import { roundForDisplay, type WaitEstimate } from './WaitTime';

export interface QueueWaitInput {
  readonly now: string;
  readonly timeZone: string;
  /** Every entry of the day (any status). */
  readonly entries: readonly QueueEntry[];
  /** The practitioners serving today, with today's sessions (empty: working now, no end known). */
  readonly practitioners: readonly { readonly id: string; readonly sessions?: readonly DaySession[] }[];
  readonly appointmentTypes: readonly { readonly id: string; readonly minutes: number }[];
  /** Completed visits of earlier days (today's are taken from `entries`). */
  readonly pastHistory?: readonly HistoryVisit[];
  /** `learnPastProfile` of the same earlier days, when cached by the caller. */
  readonly past?: PastProfile;
}

/** An entry without a type is estimated from its own expected duration (a per-duration pseudo type). */
const typeOf = (e: QueueEntry): string => e.appointmentTypeId ?? `untyped:${e.expectedDurationMinutes}`;

const dayEntry = (e: QueueEntry, order: ReadonlyMap<string, number>): DayEntry | null => {
  if (e.status !== 'waiting' && e.status !== 'scheduled' && e.status !== 'absent') return null;
  return {
    id: e.id,
    status: e.status,
    kind: e.kind,
    priority: e.priority,
    practitionerId: e.practitionerId,
    appointmentTypeId: typeOf(e),
    slotAt: e.slotAt,
    arrivedAt: e.checkedInAt,
    orderKey: e.orderKey,
    // QueueOrder among equal keys (entries added in the same millisecond): the order positions use
    tiebreak: order.get(e.id) ?? 0,
  };
};

/** The estimator's day for a queue (what the CLI would receive for the same moment). */
export const clinicDayOfQueue = (input: QueueWaitInput, day: string): ClinicDay => {
  const order = new Map(sortInOrder(input.entries).map((e, i) => [e.id, i]));
  const practitioners: DayPractitioner[] = input.practitioners.map((p) => {
    const current = input.entries.find(
      (e) => (e.status === 'in_service' || e.status === 'called') && e.servedBy === p.id,
    );
    const startedAt = current?.startedAt ?? current?.calledAt ?? null;
    return {
      id: p.id,
      sessions: p.sessions ?? [],
      serving:
        current === undefined || startedAt === null
          ? null
          : { entryId: current.id, appointmentTypeId: typeOf(current), startedAt },
    };
  });
  const today: HistoryVisit[] = input.entries
    .filter((e) => e.status === 'completed' && e.calledAt !== null && e.finishedAt !== null)
    .map((e) => ({
      day,
      practitionerId: e.servedBy,
      appointmentTypeId: typeOf(e),
      kind: e.kind,
      slotAt: e.slotAt,
      arrivedAt: e.checkedInAt,
      calledAt: e.calledAt,
      finishedAt: e.finishedAt,
      noShow: false,
    }));
  return {
    now: input.now,
    timeZone: input.timeZone,
    appointmentTypes: [
      ...input.appointmentTypes,
      ...[
        ...new Set(
          input.entries.filter((e) => e.appointmentTypeId === null).map((e) => e.expectedDurationMinutes),
        ),
      ].map((m) => ({ id: `untyped:${m}`, minutes: m })),
    ],
    practitioners,
    entries: input.entries.map((e) => dayEntry(e, order)).filter((e): e is DayEntry => e !== null),
    history: [...(input.pastHistory ?? []), ...today],
  };
};

/** Wait estimates of the waiting entries, in the staff view's shape. */
export const estimateQueueWaits = (input: QueueWaitInput, day: string): Map<string, WaitEstimate> => {
  const out = new Map<string, WaitEstimate>();
  if (!input.entries.some((e) => e.status === 'waiting')) return out;
  const clinicDay = clinicDayOfQueue(input, day);
  const past = input.past ?? learnPastProfile(clinicDay);
  const nowMs = Date.parse(input.now);
  const waitingIds = new Set(input.entries.filter((e) => e.status === 'waiting').map((e) => e.id));
  for (const est of estimateClinicDay(clinicDay, past)) {
    if (!waitingIds.has(est.entryId)) continue;
    // nobody works today, or nobody who works will call this patient today: "not known"
    if (input.practitioners.length === 0 || est.minutes === null || est.low === null || est.high === null) {
      out.set(est.entryId, {
        kind: 'unknown',
        minutes: 0,
        lowMinutes: 0,
        highMinutes: 0,
        expectedCallAt: null,
        visitsBefore: 0,
        display: { kind: 'unknown' },
      });
      continue;
    }
    out.set(
      est.entryId,
      Object.freeze({
        kind: 'estimate' as const,
        minutes: est.minutes,
        lowMinutes: est.low,
        highMinutes: est.high,
        expectedCallAt: new Date(nowMs + est.minutes * 60_000).toISOString(),
        visitsBefore: 0,
        display: roundForDisplay(est.minutes, est.low, est.high),
      }),
    );
  }
  return out;
};
