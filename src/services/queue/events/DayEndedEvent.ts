import type { QueueEventBase } from './QueueEventBase';
import type { DaySummary } from '../models/DaySummary';
/** The day ended: called/in_service → completed, scheduled/waiting/absent → no_show, the queue closed. */
export interface DayEndedPayload {
  readonly summary: DaySummary;
  readonly automatic: boolean;
  readonly completedEntryIds: readonly string[];
  readonly noShowEntryIds: readonly string[];
}

export type DayEndedEvent = QueueEventBase<'DayEnded', DayEndedPayload>;
