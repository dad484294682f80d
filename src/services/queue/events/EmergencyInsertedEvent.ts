import type { QueueEventBase } from './QueueEventBase';

/** An emergency was inserted at the front (audited: actorId + reason); status waiting, priority emergency. */
export interface EmergencyInsertedPayload {
  readonly ticket: string;
  readonly practitionerId: string | null;
  readonly reason: string;
}

export type EmergencyInsertedEvent = QueueEventBase<'EmergencyInserted', EmergencyInsertedPayload>;
