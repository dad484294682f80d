/**
 * A day's booked visits as the staff's "Bookings" list shows them (issue 17: no staff screen listed tomorrow's or
 * a later day's bookings). Built from the day's queue as get_queue answers it to the clinic's staff (RLS: staff
 * only), so nothing new is exposed. Loaded with the lazy view (QueueService.dayBookings imports this module),
 * never with the dashboard's first render. Pure.
 */
import type { LoadedQueue } from './repositories/QueueRepository';
import type { EntryStatus } from './models/QueueEntry';

export interface DayBooking {
  readonly entryId: string;
  /** As on the board and in SMS: the clinic's prefix, e.g. `A-014`. */
  readonly ticket: string;
  readonly patientName: string;
  /** The visit type's name; null when the visit has none. */
  readonly typeName: string | null;
  /** The doctor's display name; null for "any doctor". */
  readonly doctorName: string | null;
  /** A slotted visit's time; null for a fluid one. */
  readonly slotAt: string | null;
  /** A fluid visit's place in the day's line (1 = booked first, cancelled places not counted); else null. */
  readonly fluidPlace: number | null;
  readonly status: EntryStatus;
}

export interface DayBookings {
  readonly day: string;
  /** Slotted visits by time, then fluid places by their number; cancelled and other final ones after, by ticket. */
  readonly bookings: readonly DayBooking[];
}

const FINAL: readonly EntryStatus[] = ['completed', 'cancelled', 'no_show'];

export function dayBookings(loaded: LoadedQueue): DayBookings {
  const { snapshot, directory } = loaded;
  const prefix = directory.clinic.ticketPrefix || snapshot.ticketPrefix || 'A';
  const typeName = new Map(directory.appointmentTypes.map((t) => [t.id, t.name]));
  const doctorName = new Map(directory.members.map((m) => [m.id, m.displayName]));
  const booked = snapshot.entries.filter((e) => e.kind === 'booked');
  // fluid places in booking order (order key = the booking time until check-in; then the arrival)
  const fluid = booked
    .filter((e) => e.slotAt === null && e.status !== 'cancelled')
    .sort((a, b) => a.ticketNumber - b.ticketNumber);
  const place = new Map(fluid.map((e, i) => [e.id, i + 1]));
  const rows: DayBooking[] = booked.map((e) => ({
    entryId: e.id,
    ticket: `${prefix}-${String(e.ticketNumber).padStart(3, '0')}`,
    patientName: e.patientName,
    typeName: e.appointmentTypeId === null ? null : (typeName.get(e.appointmentTypeId) ?? null),
    doctorName: e.practitionerId === null ? null : (doctorName.get(e.practitionerId) ?? null),
    slotAt: e.slotAt,
    fluidPlace: place.get(e.id) ?? null,
    status: e.status,
  }));
  const rank = (b: DayBooking) => (FINAL.includes(b.status) ? 1 : 0);
  rows.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.slotAt === null ? 1 : 0) - (b.slotAt === null ? 1 : 0) ||
      (a.slotAt ?? '').localeCompare(b.slotAt ?? '') ||
      (a.fluidPlace ?? 0) - (b.fluidPlace ?? 0) ||
      a.ticket.localeCompare(b.ticket),
  );
  return { day: snapshot.queue.day, bookings: rows };
}
