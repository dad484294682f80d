/**
 * Undo of a desk's last step (issue 17): the step a desk just made (call, absent, finish, move/transfer) can
 * be undone for `UNDO_WINDOW_SECONDS` by an inverse command that puts every entry it changed back as it
 * was. Pure: the step is described by the entries before and after it, its event types and its time.
 *
 * Rules (tests: UndoStep.rules.test.ts, named U1…U6):
 *   U1 only a call, an absence, a finish or a move/transfer is undoable — not an arrival, a check-in, a
 *      cancellation, the end of the day, or an undo;
 *   U2 only within the undo window — the database judges it by its own clock (private.now()), the domain
 *      refuses what is already over by the desk's clock;
 *   U3 refused when an entry the step changed has changed since (started, called again, moved …);
 *   U4 refused when the patient would go back to a desk that has another patient now;
 *   U5 the undo restores each entry's state before the step and records one StepUndone per entry,
 *      reason `undo`, naming the step it undoes;
 *   U6 the undo itself is not undoable (no undo of an undo).
 */
import type { QueueDomainEvent, QueueEventType } from '../events';
import type { QueueEntry } from './QueueEntry';

export const UNDO_WINDOW_SECONDS = 10;
export const UNDO_REASON = 'undo';

/** The event types a step must have one of to be undoable (its main action). */
export const UNDOABLE_ACTIONS = [
  'PatientCalled',
  'PatientMarkedAbsent',
  'ServiceFinished',
  'EntryMoved',
] as const satisfies readonly QueueEventType[];

/** The other events an undoable step may carry (the side effects of a call; grace expiries of the load). */
const SIDE_EFFECTS: readonly QueueEventType[] = [
  'PatientPassedOver',
  'PatientOvertaken',
  'LatePatientHeld',
  'GraceExpired',
];

export type UndoAction = (typeof UNDOABLE_ACTIONS)[number];

export interface UndoableStep {
  /** The step's command id (= its events' correlation id). */
  readonly correlationId: string;
  readonly action: UndoAction;
  /** When the desk decided the step (its clock); the database judges the window by its own. */
  readonly at: string;
  /** Each entry the step changed (except grace expiries), as it was before and as the step left it. */
  readonly entries: readonly {
    readonly before: QueueEntry;
    readonly after: QueueEntry;
    readonly types: readonly QueueEventType[];
  }[];
}

/**
 * The undoable description of a step just saved, or null when the step is not undoable (U1, U6): it added
 * an entry, or recorded an event outside the undoable ones.
 */
export const undoableStep = (
  correlationId: string,
  at: Date | string,
  events: readonly QueueDomainEvent[],
  before: ReadonlyMap<string, QueueEntry>,
  after: readonly QueueEntry[],
): UndoableStep | null => {
  const action = UNDOABLE_ACTIONS.find((a) => events.some((e) => e.type === a));
  if (action === undefined) return null;
  if (
    !events.every(
      (e) => (UNDOABLE_ACTIONS as readonly string[]).includes(e.type) || SIDE_EFFECTS.includes(e.type),
    )
  )
    return null;
  const expired = new Set(events.filter((e) => e.type === 'GraceExpired').map((e) => e.entryId));
  const entries: UndoableStep['entries'][number][] = [];
  for (const a of after) {
    if (expired.has(a.id)) continue; // a grace expiry applied on load is the clock's, not the desk's
    const b = before.get(a.id);
    if (b === undefined) return null; // an arrival
    entries.push({ before: b, after: a, types: events.filter((e) => e.entryId === a.id).map((e) => e.type) });
  }
  return entries.length === 0 ? null : { correlationId, action, at: new Date(at).toISOString(), entries };
};

/** What must be as the step left it for the undo to be safe (U3); timestamps are the database's. */
export const unchangedSince = (now: QueueEntry, left: QueueEntry): boolean =>
  now.status === left.status &&
  now.orderKey === left.orderKey &&
  now.orderTiebreak === left.orderTiebreak &&
  now.practitionerId === left.practitionerId &&
  now.skipCount === left.skipCount &&
  now.priority === left.priority &&
  now.servedBy === left.servedBy &&
  now.room === left.room;

/** The fields an undo puts back (the step's own changes; identity and booking fields never change). */
export const restoredFrom = (now: QueueEntry, before: QueueEntry): QueueEntry => ({
  ...now,
  status: before.status,
  orderKey: before.orderKey,
  orderTiebreak: before.orderTiebreak,
  practitionerId: before.practitionerId,
  skipCount: before.skipCount,
  priority: before.priority,
  servedBy: before.servedBy,
  room: before.room,
  calledAt: before.calledAt,
  startedAt: before.startedAt,
  finishedAt: before.finishedAt,
  absentAt: before.absentAt,
  graceEndsAt: before.graceEndsAt,
  lateTurnAt: before.lateTurnAt,
});
