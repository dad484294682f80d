import type { QueueEventBase } from './QueueEventBase';

/** A booked appointment of the day entered the queue (status scheduled). */
export interface EntryScheduledPayload {
  readonly ticket: string;
  readonly appointmentId: string | null;
  readonly slotAt: string | null;
  readonly practitionerId: string | null;
}

export type EntryScheduledEvent = QueueEventBase<'EntryScheduled', EntryScheduledPayload>;
