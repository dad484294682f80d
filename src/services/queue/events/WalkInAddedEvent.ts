import type { QueueEventBase } from './QueueEventBase';
import type { Priority } from '../models/QueueEntry';
/** A walk-in joined the line (status waiting). */
export interface WalkInAddedPayload {
  readonly ticket: string;
  readonly priority: Priority;
  readonly practitionerId: string | null;
  readonly position: number;
}

export type WalkInAddedEvent = QueueEventBase<'WalkInAdded', WalkInAddedPayload>;
