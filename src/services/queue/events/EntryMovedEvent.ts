import type { QueueEventBase } from './QueueEventBase';

/** Staff re-ordered the line or transferred a patient to another line (audited: actorId + reason). */
export interface EntryMovedPayload {
  readonly ticket: string;
  readonly fromPosition: number;
  readonly toPosition: number;
  readonly fromPractitionerId: string | null;
  readonly toPractitionerId: string | null;
  readonly reason: string;
  /** A transfer to another line that kept the order key (issue 17); absent for a re-order. */
  readonly transfer?: boolean;
}

export type EntryMovedEvent = QueueEventBase<'EntryMoved', EntryMovedPayload>;
