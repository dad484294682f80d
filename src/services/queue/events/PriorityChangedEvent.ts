import type { QueueEventBase } from './QueueEventBase';
import type { Priority } from '../models/QueueEntry';
/** Staff changed an entry's priority class (audited: actorId + reason). */
export interface PriorityChangedPayload {
  readonly ticket: string;
  readonly from: Priority;
  readonly to: Priority;
  readonly reason: string;
}

export type PriorityChangedEvent = QueueEventBase<'PriorityChanged', PriorityChangedPayload>;
