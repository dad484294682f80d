import type { QueueEventBase } from './QueueEventBase';
import type { EntryStatus } from '../models/QueueEntry';
/** Called but did not come / not in the room at their turn: → absent, grace period starts. */
export interface PatientMarkedAbsentPayload {
  readonly ticket: string;
  readonly fromStatus: EntryStatus;
  readonly graceMinutes: number;
  readonly graceEndsAt: string;
  /** The room they had been called to, if any (for the SMS). */
  readonly room: string | null;
}

export type PatientMarkedAbsentEvent = QueueEventBase<'PatientMarkedAbsent', PatientMarkedAbsentPayload>;
