// Booking events on the in-process bus (the notification module sends the confirmation SMS on them).
export interface AppointmentBookedEvent {
  readonly type: 'AppointmentBooked';
  readonly clinicId: string;
  readonly entryId: string;
  readonly patientId: string;
  readonly ticket: string;
  /** null for a fluid booking (a place in the day's line, issue 17). */
  readonly slotStart: string | null;
  /** The visit's private tracking link (secret: never logged). */
  readonly trackingUrl: string;
  readonly occurredAt: string;
  readonly actorId: string | null;
}

export interface AppointmentCancelledEvent {
  readonly type: 'AppointmentCancelled';
  readonly entryId: string;
  readonly reason: string | null;
  readonly occurredAt: string;
  readonly actorId: string | null;
}

export type BookingBusEvents = {
  AppointmentBooked: AppointmentBookedEvent;
  AppointmentCancelled: AppointmentCancelledEvent;
};
