import type { QueueEventBase } from './QueueEventBase';

/** The practitioner started seeing the patient: called → in_service. */
export interface ServiceStartedPayload {
  readonly ticket: string;
  readonly practitionerId: string | null;
  readonly room: string | null;
}

export type ServiceStartedEvent = QueueEventBase<'ServiceStarted', ServiceStartedPayload>;
