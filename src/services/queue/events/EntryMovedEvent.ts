import type { QueueEventBase } from './QueueEventBase';

/** Staff re-ordered the line (audited: actorId + reason). */
export interface EntryMovedPayload {
  readonly ticket: string;
  readonly fromPosition: number;
  readonly toPosition: number;
  readonly fromPractitionerId: string | null;
  readonly toPractitionerId: string | null;
  readonly reason: string;
}

export type EntryMovedEvent = QueueEventBase<'EntryMoved', EntryMovedPayload>;
