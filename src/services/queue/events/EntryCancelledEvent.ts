import type { QueueEventBase } from './QueueEventBase';
import type { EntryStatus } from '../models/QueueEntry';
/** Any non-final status → cancelled. */
export interface EntryCancelledPayload {
  readonly ticket: string;
  readonly fromStatus: EntryStatus;
  readonly reason: string | null;
}

export type EntryCancelledEvent = QueueEventBase<'EntryCancelled', EntryCancelledPayload>;
