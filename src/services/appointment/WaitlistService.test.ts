// WaitlistService (issue 17, waitlist and gap filling) on the in-memory booking world: the patient's path
// (ask → offered → take it, exactly once; an offer past its time is refused), input checks, who sees what.
// The database's own rules (which request gets a freed slot, holds, expiry by the sweep) are
// supabase/tests/waitlistOffers.test.ts.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../shared/Clock';
import { WaitlistService } from './WaitlistService';
import { InMemoryBookingWorld } from './repositories/InMemoryBookingRepository';
import { InMemoryWaitlist } from './repositories/InMemoryWaitlistRepository';

const NOW = '2026-11-24T08:00:00.000Z';

const setup = () => {
  const clock = new ManualClock(NOW);
  const world = new InMemoryBookingWorld(clock);
  world.addClinic({ id: 'c1', hours: {}, staffUserIds: ['recep'] });
  world.patients.set('p1', { clinicId: 'c1', userId: 'u1', fullName: 'Amina' });
  world.visits.push({
    entryId: 'e1',
    clinicId: 'c1',
    patientId: 'p1',
    userId: 'u1',
    day: '2026-11-24',
    ticketNumber: 4,
    slotStart: '2026-11-24T11:00:00.000Z',
    slotEnd: '2026-11-24T11:15:00.000Z',
    status: 'scheduled',
    token: 'tok',
    late: false,
    typeId: null,
    rescheduledFrom: null,
  });
  const waitlist = new InMemoryWaitlist(world, clock);
  return { clock, world, waitlist, as: (user: string) => new WaitlistService(waitlist.as(user)) };
};

describe('WaitlistService', () => {
  it('W2 waitlist: accepting moves the visit, exactly once — ask, be offered, take it; a second take is refused', async () => {
    const { world, waitlist, as } = setup();
    const patient = as('u1');
    const asked = await patient.request('e1');
    if (!asked.ok) throw new Error(asked.error.code);
    expect(asked.value.position).toBe(1);
    expect(await patient.request('e1')).toEqual(asked); // one open request per visit
    waitlist.offer(asked.value.requestId, '2026-11-24T09:00:00.000Z');
    const mine = await patient.mine();
    expect(mine.ok && mine.value[0]).toMatchObject({
      status: 'offered',
      offeredSlotStart: '2026-11-24T09:00:00.000Z',
    });
    // another patient cannot take it
    const other = await as('u2').accept(asked.value.requestId);
    expect(!other.ok && other.error.code).toBe('NOT_FOUND');
    const moved = await patient.accept(asked.value.requestId);
    if (!moved.ok) throw new Error(moved.error.code);
    expect(moved.value).toMatchObject({ slotStart: '2026-11-24T09:00:00.000Z', rescheduledFrom: 'e1' });
    expect(world.visits.find((v) => v.entryId === 'e1')?.status).toBe('cancelled');
    const again = await patient.accept(asked.value.requestId);
    expect(!again.ok && again.error.code).toBe('WAITLIST.OFFER_EXPIRED');
  });

  it('W3 waitlist: an offer nobody takes passes on — past its time it cannot be taken', async () => {
    const { clock, waitlist, as } = setup();
    const patient = as('u1');
    const asked = await patient.request('e1');
    if (!asked.ok) throw new Error(asked.error.code);
    waitlist.offer(asked.value.requestId, '2026-11-24T09:00:00.000Z');
    clock.advanceMinutes(15);
    const late = await patient.accept(asked.value.requestId);
    expect(!late.ok && late.error.code).toBe('WAITLIST.OFFER_EXPIRED');
  });

  it('refuses malformed input with a coded error and reaches nothing; staff see the list, patients do not', async () => {
    const { as } = setup();
    for (const r of [
      await as('u1').request(''),
      await as('u1').accept(''),
      await as('recep').setOfferMinutes('c1', 3),
    ])
      expect(!r.ok && r.error.code).toBe('VALIDATION.FAILED');
    await as('u1').request('e1');
    const list = await as('recep').forClinic('c1');
    expect(list.ok && list.value.requests.map((r) => [r.patientName, r.status, r.position])).toEqual([
      ['Amina', 'waiting', 1],
    ]);
    const patientList = await as('u1').forClinic('c1');
    expect(!patientList.ok && patientList.error.code).toBe('AUTH.FORBIDDEN');
  });
});
