import type { QueueEventBase } from './QueueEventBase';
import type { EntryStatus } from '../models/QueueEntry';
/** Any non-final status → cancelled. */
export interface EntryCancelledPayload {
  readonly ticket: string;
  readonly fromStatus: EntryStatus;
  readonly reason: string | null;
  /** Logged by the database: who cancelled (a patient who cancelled is not told so again) and how. */
  readonly by?: 'staff' | 'patient';
  readonly via?: 'sms';
}

export type EntryCancelledEvent = QueueEventBase<'EntryCancelled', EntryCancelledPayload>;
