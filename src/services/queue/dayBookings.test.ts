// Issue 17: a day's bookings as the staff's "Bookings" view lists them, shaped from the day's queue (get_queue):
// booked visits only (walk-ins are not bookings), slotted by time then fluid by place in the line (booking order,
// cancelled places not counted), final visits after; names of the visit type and the doctor from the directory.
import { describe, expect, it } from 'vitest';
import type { LoadedQueue } from './repositories/QueueRepository';
import type { QueueEntry } from './models/QueueEntry';
import { dayBookings } from './dayBookings';

const entry = (over: Partial<QueueEntry>): QueueEntry =>
  ({
    id: 'e',
    appointmentId: null,
    patientId: 'p',
    patientName: 'X',
    ticketNumber: 1,
    practitionerId: null,
    appointmentTypeId: null,
    kind: 'booked',
    status: 'scheduled',
    slotAt: null,
    ...over,
  }) as QueueEntry;

const loaded = (entries: QueueEntry[]): LoadedQueue =>
  ({
    snapshot: { queue: { day: '2026-12-03' }, entries },
    directory: {
      clinic: { ticketPrefix: 'B' },
      members: [{ id: 'doc-1', displayName: 'Dr Benali' }],
      appointmentTypes: [{ id: 'type-1', name: 'Vaccination' }],
    },
  }) as unknown as LoadedQueue;

describe('dayBookings', () => {
  it('slotted by time, then fluid places in booking order (a cancelled one does not count), final ones last; no walk-ins', () => {
    const out = dayBookings(
      loaded([
        entry({ id: 'walk', kind: 'walk_in', status: 'waiting', ticketNumber: 9 }),
        entry({ id: 'f2', ticketNumber: 4, appointmentTypeId: 'type-1' }),
        entry({ id: 's-late', ticketNumber: 2, slotAt: '2026-12-03T10:00:00.000Z', practitionerId: 'doc-1' }),
        entry({ id: 'f-gone', ticketNumber: 1, status: 'cancelled' }),
        entry({ id: 'f1', ticketNumber: 3 }),
        entry({ id: 's-early', ticketNumber: 5, slotAt: '2026-12-03T08:00:00.000Z' }),
      ]),
    );
    expect(out.day).toBe('2026-12-03');
    expect(out.bookings.map((b) => [b.entryId, b.ticket, b.fluidPlace])).toEqual([
      ['s-early', 'B-005', null],
      ['s-late', 'B-002', null],
      ['f1', 'B-003', 1],
      ['f2', 'B-004', 2],
      ['f-gone', 'B-001', null],
    ]);
    expect(out.bookings[1]).toMatchObject({ doctorName: 'Dr Benali', typeName: null });
    expect(out.bookings[3]).toMatchObject({ doctorName: null, typeName: 'Vaccination' });
  });
});
