// The waitlist contract on the in-memory fake WaitlistService's tests use (the Supabase adapter runs it in
// test/integration/waitlist.contract.test.ts). The fake's offers stand in for the database's trigger.
import { ManualClock } from '../../src/services/shared/Clock';
import { InMemoryBookingWorld } from '../../src/services/appointment/repositories/InMemoryBookingRepository';
import { InMemoryWaitlist } from '../../src/services/appointment/repositories/InMemoryWaitlistRepository';
import { waitlistRepositoryContract } from '../fixtures/contracts/waitlistRepositoryContract';

waitlistRepositoryContract('in-memory fake', async () => {
  const clock = new ManualClock('2026-11-24T08:00:00.000Z');
  const world = new InMemoryBookingWorld(clock);
  world.addClinic({ id: 'c1', hours: {}, staffUserIds: ['owner', 'recep'], adminUserIds: ['owner'] });
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
  return {
    patient: waitlist.as('u1'),
    entryId: 'e1',
    visitSlotStart: '2026-11-24T11:00:00.000Z',
    otherPatient: waitlist.as('u2'),
    staff: waitlist.as('owner'),
    receptionist: waitlist.as('recep'),
    clinicId: 'c1',
    offerEarlierSlot: async (requestId) => {
      waitlist.offer(requestId, '2026-11-24T10:00:00.000Z');
      return '2026-11-24T10:00:00.000Z';
    },
    letOfferExpire: async () => {
      clock.advanceMinutes(15);
    },
  };
});
