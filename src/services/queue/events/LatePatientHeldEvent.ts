import type { QueueEventBase } from './QueueEventBase';

/** A patient who said they are running late reached their turn; they are held (not passed over) for the grace period. */
export interface LatePatientHeldPayload {
  readonly ticket: string;
  readonly turnCameAt: string;
  /** Until then the entry is not passed over (turn + grace_period_minutes). */
  readonly holdUntil: string;
  readonly calledEntryId: string;
}

export type LatePatientHeldEvent = QueueEventBase<'LatePatientHeld', LatePatientHeldPayload>;
