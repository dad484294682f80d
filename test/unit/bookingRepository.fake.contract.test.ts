// The BookingRepository contract on the in-memory fake (the same suite runs on the Supabase adapter in
// test/integration/bookingRepository.contract.test.ts).
import { InMemoryBookingWorld } from '../../src/services/appointment/repositories/InMemoryBookingRepository';
import { systemClock } from '../../src/services/shared/Clock';
import { afterAll, vi } from 'vitest';
import { bookingRepositoryContract } from '../fixtures/contracts/bookingRepositoryContract';

// The contract takes "tomorrow" in Casablanca from the clock when its cases are collected, and the fake takes "today"
// when each case runs: on the machine's clock, a file that began at 23:59:59 in Casablanca looked for tomorrow's
// slots in today (test:hours at 22:59:45Z: 3 of 29 failed). Every Date in this file starts at 10:00 in Casablanca on
// a fixed day (+01 there in June 2026 by every zone-data version) and runs on from it; set before the contract's
// cases are collected.
vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
vi.setSystemTime(new Date('2026-06-10T09:00:00Z'));
afterAll(() => {
  vi.useRealTimers();
});

const EVERY_DAY = Object.fromEntries(
  [0, 1, 2, 3, 4, 5, 6].map((d) => [d, [{ start: '08:00', end: '20:00' }]]),
);

const ALL_DAY = Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, [{ start: '00:00', end: '24:00' }]]));

bookingRepositoryContract(
  'in-memory fake',
  async () => {
    const world = new InMemoryBookingWorld(systemClock);
    const clinicId = globalThis.crypto.randomUUID();
    world.addClinic({ id: clinicId, hours: EVERY_DAY, staffUserIds: ['staff-1'] });
    world.addPatient(clinicId, 'record-1', 'Walk In');
    return {
      patient: world.as('patient-1'),
      otherPatient: world.as('patient-2'),
      staff: world.as('staff-1'),
      anon: world.as(null),
      clinicId,
      recordPatientId: 'record-1',
      remote: {
        patient: world.remoteAs('patient-1'),
        otherPatient: world.remoteAs('patient-2'),
        anon: world.remoteAs(null),
        staff: world.remoteAs('staff-1'),
      },
      setBookingMode: async (mode: 'slotted' | 'fluid') => {
        const c = world.clinics.get(clinicId)!;
        world.clinics.set(clinicId, { ...c, settings: { ...c.settings, booking_mode: mode } });
      },
      addVisitType: async (durationMinutes: number, bookingMode: 'slotted' | 'fluid') => {
        const c = world.clinics.get(clinicId)!;
        const typeId = globalThis.crypto.randomUUID();
        world.clinics.set(clinicId, {
          ...c,
          appointmentTypes: [...c.appointmentTypes, { id: typeId, durationMinutes, bookingMode }],
        });
        return typeId;
      },
      setRemoteJoinCap: async (cap: number | null) => {
        const c = world.clinics.get(clinicId)!;
        world.clinics.set(clinicId, { ...c, hours: ALL_DAY, remoteJoinCap: cap });
      },
      addDoctorOnLeave: async (fromDay: string, toDay: string) => {
        world.leave.push({ practitionerId: 'doctor-1', fromDay, toDay });
        return 'doctor-1';
      },
      offerTypeOnlyBy: async (typeId: string, doctorId: string) => {
        const c = world.clinics.get(clinicId)!;
        world.clinics.set(clinicId, {
          ...c,
          appointmentTypes: c.appointmentTypes.map((t) =>
            t.id === typeId ? { ...t, practitionerIds: [doctorId] } : t,
          ),
        });
      },
    };
  },
  { today: '2026-06-10', now: () => Date.now() },
);
