// "My visits" ticket label (issue 11): the in-memory twin renders every ticket with the clinic's prefix, as
// the database's private.ticket_label does (it hard-coded `A-`); supabase/tests/rulesParity.test.ts holds
// ticket_label to TicketNumber.render.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/Clock';
import { InMemoryBookingWorld } from './InMemoryBookingRepository';

const EVERY_DAY = Object.fromEntries(
  [0, 1, 2, 3, 4, 5, 6].map((d) => [d, [{ start: '08:00', end: '20:00' }]]),
);

describe('tickets of a clinic with its own prefix', () => {
  it('book, My visits and the tracker show QM-001, not A-001', async () => {
    const now = DateTime.fromISO('2026-11-24T07:00:00', { zone: 'Africa/Casablanca' });
    const world = new InMemoryBookingWorld(new ManualClock(now.toJSDate()));
    world.addClinic({ id: 'c1', hours: EVERY_DAY, ticketPrefix: 'QM' });
    const patient = world.as('patient-1');
    const b = await patient.book({
      clinicId: 'c1',
      slotStart: now.plus({ days: 1 }).set({ hour: 9, minute: 0 }).toUTC().toISO()!,
      fullName: 'Amina Benali',
      language: 'fr',
    });
    if (!b.ok) throw new Error(b.error.code);
    expect(b.value.ticket).toBe('QM-001');
    const mine = await patient.myVisits();
    expect(mine.ok && mine.value.map((v) => v.ticket)).toEqual(['QM-001']);
    const status = await world.as(null).visitStatus(b.value.trackingToken);
    expect(status.ok && status.value.ticket).toBe('QM-001');
  });
});
