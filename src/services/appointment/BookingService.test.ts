// BookingService on the in-memory booking fake: validation, events after success only, tracking links.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { appError, ErrorCodes } from '../shared/AppError';
import { ManualClock } from '../shared/Clock';
import { err } from '../shared/Result';
import { createEventBus } from '../shared/EventBus';
import type { BookingBusEvents } from './api/events';
import { BookingService } from './BookingService';
import { InMemoryBookingWorld } from './repositories/InMemoryBookingRepository';

const TZ = 'Africa/Casablanca';
const at = (day: string, hhmm: string) =>
  DateTime.fromISO(`${day}T${hhmm}`, { zone: TZ }).toUTC().toISO() ?? '';

function setup(userId: string | null = 'patient-1') {
  const clock = new ManualClock(at('2026-11-24', '09:00'));
  const world = new InMemoryBookingWorld(clock);
  world.addClinic({
    id: 'c1',
    hours: {
      3: [
        { start: '09:00', end: '13:00' },
        { start: '15:00', end: '19:00' },
      ],
    },
    staffUserIds: ['staff-1'],
  });
  const bus = createEventBus<BookingBusEvents>();
  const events: unknown[] = [];
  bus.subscribeAll((_t, e) => {
    events.push(e);
  });
  const service = new BookingService({
    repo: world.as(userId),
    bus,
    clock,
    actor: () => userId,
    trackingUrl: (t) => `https://q.example/t/${t}`,
  });
  return { service, events, world, clock };
}

describe('BookingService', () => {
  it('lists the free slots of a split day (09–13, 15–19) on Wednesday 2026-11-25', async () => {
    const { service } = setup();
    const r = await service.freeSlots({ clinicId: 'c1', from: '2026-11-25' });
    expect(r.ok && r.value.length).toBe(24);
    expect(r.ok && r.value[11]?.start).toBe(at('2026-11-25', '12:40'));
    expect(r.ok && r.value[12]?.start).toBe(at('2026-11-25', '15:00'));
    expect((await service.freeSlots({ clinicId: 'c1', from: 'tomorrow' })).ok).toBe(false);
  });

  it('books: returns ticket + tracking link and publishes AppointmentBooked once', async () => {
    const { service, events } = setup();
    const r = await service.book({ clinicId: 'c1', slotStart: at('2026-11-25', '15:20'), fullName: 'Amina' });
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.trackingUrl).toBe(`https://q.example/t/${r.value.trackingToken}`);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'AppointmentBooked',
        entryId: r.value.entryId,
        trackingUrl: r.value.trackingUrl,
        actorId: 'patient-1',
      }),
    ]);
  });

  it('publishes nothing when the booking is refused, and validates input first', async () => {
    const { service, events } = setup();
    const r1 = await service.book({ clinicId: 'c1', slotStart: at('2026-11-25', '13:00'), fullName: 'A' });
    expect(!r1.ok && r1.error.code).toBe('BOOKING.SLOT_UNAVAILABLE');
    const r2 = await service.book({ clinicId: 'c1', slotStart: 'soon' });
    expect(!r2.ok && r2.error.code).toBe('VALIDATION.FAILED');
    expect(events).toEqual([]);
  });

  it('staff book a fluid place (issue 17): a day, no time, the tracking link and AppointmentBooked; a bad day is VALIDATION.FAILED; a patient is refused', async () => {
    const clock = new ManualClock(at('2026-11-24', '09:00'));
    const world = new InMemoryBookingWorld(clock);
    world.addClinic({
      id: 'c1',
      hours: { 3: [{ start: '09:00', end: '13:00' }] },
      staffUserIds: ['staff-1'],
      appointmentTypes: [{ id: 'fluid-1', durationMinutes: 20, bookingMode: 'fluid' }],
    });
    world.addPatient('c1', 'p1', 'سلمى 🌙', null, '+212612000111');
    const events: unknown[] = [];
    const bus = createEventBus<BookingBusEvents>();
    bus.subscribeAll((_t, e) => {
      events.push(e);
    });
    const service = (userId: string) =>
      new BookingService({ repo: world.as(userId), bus, clock, trackingUrl: (t) => `/t/${t}` });
    const input = { clinicId: 'c1', patientId: 'p1', day: '2026-11-25', appointmentTypeId: 'fluid-1' };
    expect(await service('patient-1').staffBookFluid(input)).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN' },
    });
    const bad = await service('staff-1').staffBookFluid({ ...input, day: '25/11/2026' });
    expect(!bad.ok && bad.error.code).toBe('VALIDATION.FAILED');
    expect(events).toEqual([]);
    const r = await service('staff-1').staffBookFluid(input);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value).toMatchObject({ day: '2026-11-25', slotStart: null, fluid: true, patientId: 'p1' });
    expect(r.value.trackingUrl).toBe(`/t/${r.value.trackingToken}`);
    expect(events).toEqual([expect.objectContaining({ type: 'AppointmentBooked', slotStart: null })]);
    // 240 open minutes / 20 = 12 places, one taken
    const days = await service('staff-1').fluidDays({
      clinicId: 'c1',
      from: '2026-11-25',
      appointmentTypeId: 'fluid-1',
    });
    expect(days.ok && days.value).toEqual([{ day: '2026-11-25', remaining: 11 }]);
  });

  it('reschedule: the new visit (own link) replaces the old one, AppointmentBooked for it only; RS2 too late on the pinned clock; refusals publish nothing', async () => {
    const { service, events, clock } = setup();
    const b = await service.book({ clinicId: 'c1', slotStart: at('2026-11-25', '09:00'), fullName: 'A' });
    if (!b.ok) throw new Error(b.error.code);
    events.length = 0;
    const moved = await service.reschedule({
      entryId: b.value.entryId,
      slotStart: at('2026-11-25', '15:20'),
    });
    if (!moved.ok) throw new Error(moved.error.code);
    expect(moved.value).toMatchObject({
      rescheduledFrom: b.value.entryId,
      slotStart: at('2026-11-25', '15:20'),
    });
    expect(moved.value.trackingUrl).toBe(`https://q.example/t/${moved.value.trackingToken}`);
    expect(events).toEqual([
      expect.objectContaining({ type: 'AppointmentBooked', entryId: moved.value.entryId }),
    ]);
    const visits = await service.myVisits();
    expect(visits.ok && visits.value.map((v) => v.status)).toEqual(['cancelled', 'scheduled']);
    events.length = 0;
    clock.set(at('2026-11-25', '13:30')); // 110 min before 15:20, the cancel notice is 120
    const late = await service.reschedule({
      entryId: moved.value.entryId,
      slotStart: at('2026-11-25', '16:00'),
    });
    expect(!late.ok && late.error.code).toBe('BOOKING.RESCHEDULE_TOO_LATE');
    const bad = await service.reschedule({ entryId: moved.value.entryId, slotStart: 'later' });
    expect(!bad.ok && bad.error.code).toBe('VALIDATION.FAILED');
    expect(events).toEqual([]);
  });

  it('reschedule tries again when the database answers CONCURRENCY.RETRY (nothing written), at most 3 times; other refusals are final', async () => {
    const { service, events, world } = setup();
    const b = await service.book({ clinicId: 'c1', slotStart: at('2026-11-25', '09:00'), fullName: 'A' });
    if (!b.ok) throw new Error(b.error.code);
    events.length = 0;
    const repo = world.as('patient-1');
    let busy = 2;
    let calls = 0;
    const flaky = new BookingService({
      repo: Object.assign(Object.create(repo) as typeof repo, {
        reschedule: (entryId: string, slotStart: string) => {
          calls++;
          return busy-- > 0
            ? Promise.resolve(err(appError(ErrorCodes.CONCURRENCY_RETRY, 'deadlock')))
            : repo.reschedule(entryId, slotStart);
        },
      }),
      bus: createEventBus<BookingBusEvents>(),
      clock: world.clock,
      actor: () => 'patient-1',
    });
    const moved = await flaky.reschedule({ entryId: b.value.entryId, slotStart: at('2026-11-25', '15:20') });
    expect(moved.ok && moved.value.rescheduledFrom).toBe(b.value.entryId);
    expect(calls).toBe(3);
    busy = 5;
    calls = 0;
    const gaveUp = await flaky.reschedule({
      entryId: moved.ok ? moved.value.entryId : '',
      slotStart: at('2026-11-25', '16:00'),
    });
    expect(!gaveUp.ok && gaveUp.error.code).toBe('CONCURRENCY.RETRY');
    expect(calls).toBe(3);
    calls = 0;
    busy = 0;
    const same = await flaky.reschedule({
      entryId: moved.ok ? moved.value.entryId : '',
      slotStart: at('2026-11-25', '15:20'),
    });
    expect(!same.ok && same.error.code).toBe('BOOKING.RESCHEDULE_SAME_SLOT');
    expect(calls).toBe(1);
  });

  it('cancel publishes AppointmentCancelled; too late for the patient is BOOKING.CANCEL_TOO_LATE but staff always can', async () => {
    const { service, events, world, clock } = setup();
    const b = await service.book({ clinicId: 'c1', slotStart: at('2026-11-25', '09:00'), fullName: 'A' });
    if (!b.ok) throw new Error(b.error.code);
    clock.set(at('2026-11-25', '07:30'));
    const late = await service.cancel(b.value.entryId);
    expect(!late.ok && late.error.code).toBe('BOOKING.CANCEL_TOO_LATE');
    const staff = new BookingService({
      repo: world.as('staff-1'),
      bus: createEventBus<BookingBusEvents>(),
      clock,
    });
    expect((await staff.cancel(b.value.entryId, 'doctor ill')).ok).toBe(true);
    expect(events.filter((e) => (e as { type: string }).type === 'AppointmentCancelled')).toHaveLength(0);
    const mine = setup();
    const b2 = await mine.service.book({
      clinicId: 'c1',
      slotStart: at('2026-11-25', '16:00'),
      fullName: 'A',
    });
    if (!b2.ok) throw new Error(b2.error.code);
    expect((await mine.service.cancel(b2.value.entryId)).ok).toBe(true);
    expect(mine.events.at(-1)).toMatchObject({ type: 'AppointmentCancelled', entryId: b2.value.entryId });
  });

  it('check-in on the day of the visit; the tracking link shows the visit; a malformed token is NOT_FOUND', async () => {
    const { service, clock } = setup();
    const b = await service.book({ clinicId: 'c1', slotStart: at('2026-11-25', '10:00'), fullName: 'A' });
    if (!b.ok) throw new Error(b.error.code);
    const early = await service.checkIn(b.value.entryId);
    expect(!early.ok && early.error.code).toBe('QUEUE.NOT_TODAY');
    clock.set(at('2026-11-25', '09:55'));
    expect((await service.checkIn(b.value.entryId)).ok).toBe(true);
    const v = await service.visitStatus(b.value.trackingToken);
    expect(v.ok && v.value.status).toBe('waiting');
    const bad = await service.visitStatus('x');
    expect(!bad.ok && bad.error.code).toBe('NOT_FOUND');
    expect((await service.runningLate({ trackingToken: b.value.trackingToken })).ok).toBe(true);
    expect((await service.myVisits()).ok).toBe(true);
  });

  it('kioskAttemptLimit: 5 wrong answers lock the ticket for 10 minutes, then the right digits check in', async () => {
    const { service, world, clock } = setup('staff-1');
    world.addPatient('c1', 'p1', 'Karim', null, '+212612000111');
    const b = await service.staffBook({
      clinicId: 'c1',
      patientId: 'p1',
      slotStart: at('2026-11-25', '10:00'),
    });
    const k = await service.pairKiosk('c1', 'Entrance');
    if (!b.ok || !k.ok) throw new Error('setup failed');
    clock.set(at('2026-11-25', '09:50'));
    for (const digits of ['0000', '1111', '2222', '3333', '4444'])
      expect(await service.kioskCheckIn(k.value.token, 'A-001', digits)).toEqual({
        ok: true,
        value: { found: false },
      });
    const locked = await service.kioskCheckIn(k.value.token, 'A-001', '٠١١١');
    expect(!locked.ok && locked.error.code).toBe('KIOSK.TOO_MANY_ATTEMPTS');
    clock.set(at('2026-11-25', '10:00'));
    const r = await service.kioskCheckIn(k.value.token, 'A-001', '٠١١١');
    expect(r.ok && r.value.found).toBe(true);
    // revoked: stops at once
    expect((await service.revokeKiosk(k.value.id)).ok).toBe(true);
    const gone = await service.kioskCheckIn(k.value.token, 'A-001', '0111');
    expect(!gone.ok && gone.error.code).toBe('KIOSK.NOT_PAIRED');
  });

  it('desk booking (issue 17): a new caller typed 06… becomes a patient in E.164 and gets the slot; the same phone and name is found again, another name on the same phone is a new patient', async () => {
    const { service, world, events } = setup('staff-1');
    const r = await service.deskBook({
      clinicId: 'c1',
      patient: { fullName: ' سلمى 🌙 ', phone: '06 12 00 04 47' },
      slotStart: at('2026-11-25', '10:00'),
    });
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.patient).toMatchObject({ fullName: 'سلمى 🌙', created: true });
    expect(world.patients.get(r.value.patient.patientId)).toMatchObject({
      clinicId: 'c1',
      phone: '+212612000447',
      userId: null,
    });
    expect(r.value).toMatchObject({
      slotStart: at('2026-11-25', '10:00'),
      patientId: r.value.patient.patientId,
    });
    expect(events).toEqual([expect.objectContaining({ type: 'AppointmentBooked', actorId: 'staff-1' })]);
    const again = await service.deskBook({
      clinicId: 'c1',
      patient: { fullName: 'سلمى 🌙', phone: '+212612000447' },
      slotStart: at('2026-11-25', '10:20'),
    });
    // the same patient (found, not made twice): one visit a day still applies to her
    expect(!again.ok && again.error.code).toBe('QUEUE.DUPLICATE_ENTRY');
    expect(world.patients.size).toBe(1);
    const child = await service.deskBook({
      clinicId: 'c1',
      patient: { fullName: 'Yassine', phone: '0612000447' },
      slotStart: at('2026-11-25', '10:20'),
    });
    if (!child.ok) throw new Error(child.error.code);
    expect(child.value.patient.created).toBe(true);
    expect(world.patients.size).toBe(2);
  });

  it('desk booking: a new caller whose booking is refused (slot full) is not kept — one transaction, no stray record', async () => {
    const { service, world, events } = setup('staff-1');
    world.addPatient('c1', 'p1', 'Karim', null, '+212612000111');
    const first = await service.staffBook({
      clinicId: 'c1',
      patientId: 'p1',
      slotStart: at('2026-11-25', '10:00'),
    });
    if (!first.ok) throw new Error(first.error.code);
    const r = await service.deskBook({
      clinicId: 'c1',
      patient: { fullName: 'Salma', phone: '0612000451' },
      slotStart: at('2026-11-25', '10:00'),
    });
    expect(!r.ok && r.error.code).toBe('BOOKING.SLOT_FULL');
    expect([...world.patients.keys()]).toEqual(['p1']);
    expect(events).toEqual([
      expect.objectContaining({ type: 'AppointmentBooked', entryId: first.value.entryId }),
    ]);
  });

  it('desk booking: a malformed phone is PHONE.INVALID and writes nothing; a patient, or staff of another clinic, is refused; exactly one of slot and day', async () => {
    const { service, world, events } = setup('staff-1');
    const slotStart = at('2026-11-25', '10:00');
    for (const phone of ['12', '06 12 ab 04 47', '+999 1']) {
      const r = await service.deskBook({ clinicId: 'c1', patient: { fullName: 'A', phone }, slotStart });
      expect(!r.ok && r.error.code, phone).toBe('PHONE.INVALID');
    }
    const both = await service.deskBook({
      clinicId: 'c1',
      patient: { fullName: 'A', phone: '0612000447' },
      slotStart,
      day: '2026-11-25',
    });
    expect(!both.ok && both.error.code).toBe('VALIDATION.FAILED');
    expect(world.patients.size).toBe(0);
    expect(world.visits).toHaveLength(0);
    const asPatient = new BookingService({
      repo: world.as('patient-1'),
      bus: createEventBus<BookingBusEvents>(),
    });
    const refused = await asPatient.deskBook({
      clinicId: 'c1',
      patient: { fullName: 'A', phone: '0612000447' },
      slotStart,
    });
    expect(!refused.ok && refused.error.code).toBe('AUTH.FORBIDDEN');
    world.addClinic({
      id: 'c2',
      hours: { 3: [{ start: '09:00', end: '13:00' }] },
      staffUserIds: ['staff-2'],
    });
    const other = new BookingService({ repo: world.as('staff-2'), bus: createEventBus<BookingBusEvents>() });
    const r2 = await other.deskBook({
      clinicId: 'c1',
      patient: { fullName: 'A', phone: '0612000447' },
      slotStart,
    });
    expect(!r2.ok && r2.error.code).toBe('AUTH.FORBIDDEN');
    expect(world.patients.size).toBe(0);
    expect(events).toEqual([]);
  });
});
