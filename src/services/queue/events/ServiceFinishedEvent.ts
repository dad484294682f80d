import type { QueueEventBase } from './QueueEventBase';
import type { EntryStatus } from '../models/QueueEntry';
/** The visit is completed. */
export interface ServiceFinishedPayload {
  readonly ticket: string;
  readonly practitionerId: string | null;
  readonly fromStatus: EntryStatus;
  /** finishedAt − startedAt in minutes; null when the service was never started. */
  readonly serviceMinutes: number | null;
  /** null when staff finished it; else what finished it automatically. */
  readonly automatic: 'auto_finish_on_next' | 'end_day' | null;
}

export type ServiceFinishedEvent = QueueEventBase<'ServiceFinished', ServiceFinishedPayload>;
