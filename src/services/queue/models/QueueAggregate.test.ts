/** Edge cases of QueueAggregate beyond the one-test-per-rule file: loading, validation, placement, limits. */
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../shared/AppError';
import { placeAt, QueueAggregate } from './QueueAggregate';
import {
  at,
  booked,
  callNext,
  checkIn,
  ctx,
  DAY,
  entry,
  line,
  must,
  newQueue,
  snapshot,
  startCalled,
  walkIn,
} from './testing/queueTestKit';

const patient = (id: string) => ({
  entryId: id,
  patientId: null,
  patientName: `P ${id}`,
  practitionerId: null,
  appointmentTypeId: null,
  expectedDurationMinutes: 10,
});
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

describe('QueueAggregate — loading and persistence', () => {
  it('refuses a snapshot with an unknown time zone or duplicate entry ids (bugs throw)', () => {
    const s = snapshot();
    expect(() => QueueAggregate.load({ ...s, queue: { ...s.queue, timeZone: 'Mars/Olympus' } })).toThrow(
      /time zone/,
    );
    const q = newQueue();
    walkIn(q, 'a', '08:00');
    const e = entry(q, 'a');
    expect(() => QueueAggregate.load(snapshot({}, [e, e]))).toThrow(/Duplicate/);
  });

  it("renders every ticket in its events with the clinic's prefix from the snapshot, whatever the kind", () => {
    const q = QueueAggregate.load({ ...snapshot(), ticketPrefix: 'QM' });
    expect(q.ticketPrefix).toBe('QM');
    booked(q, 'b', '09:00');
    walkIn(q, 'w', '08:30');
    must(q.insertEmergency(ctx('08:31'), { ...patient('e'), reason: 'chest pain' }));
    const tickets = q.pendingEvents().map((e) => [e.entryId, (e.payload as { ticket?: string }).ticket]);
    expect(tickets).toEqual([
      ['b', 'QM-001'],
      ['w', 'QM-002'],
      ['e', 'QM-003'],
    ]);
    const called = must(callNext(q, '08:32'));
    expect(called.events).toMatchObject([
      { type: 'PatientCalled', entryId: 'e', payload: { ticket: 'QM-003' } },
    ]);
    // the prefix survives a snapshot round-trip; a snapshot without one renders with the default `A`
    expect(QueueAggregate.load(q.toSnapshot()).ticketPrefix).toBe('QM');
    expect(newQueue().ticketPrefix).toBe('A');
  });

  it('an invalid `now` is a bug and throws', () => {
    const q = newQueue();
    expect(() => q.expireGrace({ now: 'not a time', actorId: null, correlationId: 'c' })).toThrow(/now/);
  });

  it('reports exactly the entries changed since load, the loaded version, and the queue row only once ended', () => {
    const first = newQueue();
    walkIn(first, 'a', '08:00');
    walkIn(first, 'b', '08:01');
    walkIn(first, 'c', '08:02');
    const q = QueueAggregate.load(first.toSnapshot());
    expect(q.loadedVersion).toBe(7);
    expect(q.pendingChanges()).toEqual([]);
    expect(q.pendingEvents()).toEqual([]);
    const r = must(callNext(q, '08:10'));
    expect(r.changedEntries.map((e) => e.id)).toEqual(['a']);
    must(q.markAbsent(ctx('08:11'), { entryId: 'b' }));
    expect(q.pendingChanges().map((e) => [e.id, e.status])).toEqual([
      ['a', 'called'],
      ['b', 'absent'],
    ]);
    expect(q.pendingEvents().map((e) => e.type)).toEqual(['PatientCalled', 'PatientMarkedAbsent']);
    expect(q.pendingQueueState()).toBeNull();
    expect(q.state.status).toBe('open');
    must(q.endDay(ctx('20:00')));
    expect(q.pendingQueueState()).toMatchObject({ status: 'closed', version: 7 });
    // a snapshot round-trips
    expect(QueueAggregate.load(q.toSnapshot()).entries()).toEqual(q.entries());
  });
});

describe('QueueAggregate — validation and limits', () => {
  it('refuses a duplicate entry id, an empty name, a bad slot, a reused appointment or a bad ticket', () => {
    const q = newQueue();
    walkIn(q, 'a', '08:00');
    expect(code(q.addWalkIn(ctx('08:01'), patient('a')))).toBe(ErrorCodes.QUEUE_DUPLICATE_ENTRY);
    expect(code(q.addWalkIn(ctx('08:01'), { ...patient('n'), patientName: ' ' }))).toBe(
      ErrorCodes.VALIDATION_FAILED,
    );
    const bookedInput = { ...patient('b'), appointmentId: 'ap-1', slotAt: at('10:00') };
    expect(code(q.addBooked(ctx('08:01'), { ...bookedInput, slotAt: 'soon' }))).toBe(
      ErrorCodes.VALIDATION_FAILED,
    );
    expect(code(q.addBooked(ctx('08:01'), { ...bookedInput, ticketNumber: 0 }))).toBe(
      ErrorCodes.VALIDATION_FAILED,
    );
    must(q.addBooked(ctx('08:01'), { ...bookedInput, ticketNumber: 40 }));
    expect(entry(q, 'b').ticketNumber).toBe(40);
    expect(code(q.addBooked(ctx('08:02'), { ...bookedInput, entryId: 'b2' }))).toBe(
      ErrorCodes.QUEUE_DUPLICATE_ENTRY,
    );
    // the next free number follows the highest one used
    walkIn(q, 'c', '08:03');
    expect(entry(q, 'c').ticketNumber).toBe(41);
    // a booked entry without an appointment id may be added twice (different entries)
    must(q.addBooked(ctx('08:04'), { ...bookedInput, entryId: 'x1', appointmentId: null }));
    must(q.addBooked(ctx('08:04'), { ...bookedInput, entryId: 'x2', appointmentId: null }));
  });

  it('applies max_walk_ins_per_day to walk-ins (cancelled ones do not count; emergencies are never refused)', () => {
    const q = newQueue({ max_walk_ins_per_day: 2 });
    walkIn(q, 'a', '08:00');
    walkIn(q, 'b', '08:01');
    expect(q.addWalkIn(ctx('08:02'), patient('c'))).toMatchObject({
      ok: false,
      error: { code: ErrorCodes.QUEUE_WALK_IN_LIMIT, details: { limit: 2 } },
    });
    must(q.insertEmergency(ctx('08:03'), { ...patient('e'), reason: 'trauma' }));
    must(q.cancel(ctx('08:04'), { entryId: 'a' }));
    must(q.addWalkIn(ctx('08:05'), patient('c')));
    expect(newQueue({ max_walk_ins_per_day: 0 }).addWalkIn(ctx('08:00'), patient('z')).ok).toBe(false);
  });

  it('a room desk calling an unassigned patient specifically needs a room', () => {
    const q = newQueue();
    walkIn(q, 'a', '08:00');
    const r = q.callSpecific(ctx('08:05'), { entryId: 'a', practitionerId: null, room: null, reason: 'r' });
    expect(code(r)).toBe(ErrorCodes.VALIDATION_FAILED);
    expect(
      code(q.callSpecific(ctx('08:05'), { entryId: 'zz', practitionerId: null, room: 'R', reason: 'r' })),
    ).toBe(ErrorCodes.QUEUE_ENTRY_NOT_FOUND);
    // a practitioner-less call of a patient assigned to dr-b is served by dr-b
    walkIn(q, 'b', '08:01', { practitionerId: 'dr-b' });
    must(q.callSpecific(ctx('08:06'), { entryId: 'b', practitionerId: null, room: 'R2', reason: 'ready' }));
    expect(entry(q, 'b')).toMatchObject({ status: 'called', servedBy: 'dr-b', room: 'R2' });
  });

  it('finishing needs a started service; priority cannot be set to what it is or once called', () => {
    const q = newQueue();
    walkIn(q, 'a', '08:00');
    must(callNext(q, '08:01'));
    expect(q.finish(ctx('08:02'), { entryId: 'a' })).toMatchObject({
      ok: false,
      error: { code: ErrorCodes.QUEUE_ILLEGAL_TRANSITION, details: { from: 'called', to: 'completed' } },
    });
    expect(code(q.setPriority(ctx('08:02'), { entryId: 'a', priority: 'urgent', reason: 'r' }))).toBe(
      ErrorCodes.QUEUE_ILLEGAL_TRANSITION,
    );
    walkIn(q, 'b', '08:03');
    expect(code(q.setPriority(ctx('08:04'), { entryId: 'b', priority: 'normal', reason: 'r' }))).toBe(
      ErrorCodes.QUEUE_ILLEGAL_TRANSITION,
    );
    expect(code(q.setPriority(ctx('08:04'), { entryId: 'nope', priority: 'urgent', reason: 'r' }))).toBe(
      ErrorCodes.QUEUE_ENTRY_NOT_FOUND,
    );
  });
});

describe('QueueAggregate — moves', () => {
  it('moves within the entry’s class, to another pool, and refuses positions outside the class', () => {
    const q = newQueue();
    walkIn(q, 'u', '08:00', { priority: 'urgent' });
    walkIn(q, 'a', '08:01');
    walkIn(q, 'b', '08:02');
    walkIn(q, 'c', '08:03');
    expect(q.move(ctx('08:04'), { entryId: 'c', toPosition: 1, reason: 'r' })).toMatchObject({
      ok: false,
      error: { code: ErrorCodes.QUEUE_INVALID_POSITION, details: { min: 2, max: 4 } },
    });
    expect(code(q.move(ctx('08:04'), { entryId: 'c', toPosition: 5, reason: 'r' }))).toBe(
      ErrorCodes.QUEUE_INVALID_POSITION,
    );
    must(q.move(ctx('08:05'), { entryId: 'c', toPosition: 2, reason: 'r' }));
    expect(line(q)).toEqual(['u', 'c', 'a', 'b']);
    must(q.move(ctx('08:06'), { entryId: 'c', toPosition: 4, reason: 'r' }));
    expect(line(q)).toEqual(['u', 'a', 'b', 'c']);
    must(q.move(ctx('08:07'), { entryId: 'c', toPosition: 3, reason: 'r' }));
    expect(line(q)).toEqual(['u', 'a', 'c', 'b']);
    // reassign to dr-a's (empty) pool
    const r = must(
      q.move(ctx('08:08'), { entryId: 'b', toPosition: 1, practitionerId: 'dr-a', reason: 'specialist' }),
    );
    expect(r.events[0]?.payload).toMatchObject({
      fromPractitionerId: null,
      toPractitionerId: 'dr-a',
      fromPosition: 4,
      toPosition: 1,
    });
    expect(line(q, 'dr-a')).toEqual(['b']);
    // only waiting entries move
    must(callNext(q, '08:09', null, 'R'));
    expect(code(q.move(ctx('08:10'), { entryId: 'u', toPosition: 1, reason: 'r' }))).toBe(
      ErrorCodes.QUEUE_ILLEGAL_TRANSITION,
    );
    expect(code(q.move(ctx('08:10'), { entryId: 'x', toPosition: 1, reason: 'r' }))).toBe(
      ErrorCodes.QUEUE_ENTRY_NOT_FOUND,
    );
  });

  it('keeps placing exactly between equal slot keys (slot capacity > 1)', () => {
    const q = newQueue({ late_return_policy: 'after_next', late_return_offset: 1 });
    walkIn(q, 'r', '08:30');
    booked(q, 'b1', '09:00');
    booked(q, 'b2', '09:00');
    booked(q, 'b3', '09:00');
    for (const id of ['b1', 'b2', 'b3']) checkIn(q, id, '08:40');
    must(q.markAbsent(ctx('08:45'), { entryId: 'r' }));
    must(q.returnFromAbsence(ctx('08:46'), { entryId: 'r' }));
    expect(line(q)).toEqual(['b1', 'r', 'b2', 'b3']);
    for (let i = 0; i < 5; i++) {
      must(q.move(ctx('08:47'), { entryId: 'b3', toPosition: 2, reason: 'r' }));
      expect(line(q)[1]).toBe('b3');
      must(q.move(ctx('08:47'), { entryId: 'r', toPosition: 3, reason: 'r' }));
      expect(line(q)[2]).toBe('r');
    }
  });
});

describe('placeAt', () => {
  const e = (orderKey: number, orderTiebreak: number) => ({ orderKey, orderTiebreak }) as never;
  it('places an arrival on an empty line at now, else before, after or between neighbours', () => {
    expect(placeAt([], 0, { ticketNumber: 9 }, 500)).toEqual({ orderKey: 500, orderTiebreak: 9 });
    expect(placeAt([e(100, 1)], 0, { ticketNumber: 9 }, 500)).toEqual({ orderKey: 99, orderTiebreak: 9 });
    expect(placeAt([e(100, 1)], 1, { ticketNumber: 9 }, 500)).toEqual({ orderKey: 101, orderTiebreak: 9 });
    expect(placeAt([e(100, 1), e(200, 2)], 1, { ticketNumber: 9 }, 500)).toEqual({
      orderKey: 150,
      orderTiebreak: 9,
    });
  });
  it('uses the tiebreak when the keys are equal or no number fits between them', () => {
    expect(placeAt([e(100, 1), e(100, 2)], 1, { ticketNumber: 9 }, 0)).toEqual({
      orderKey: 100,
      orderTiebreak: 1.5,
    });
    const a = 1_764_000_000_000;
    const b = a + 2 ** -12; // adjacent doubles at this magnitude: no midpoint exists
    expect(b).toBeGreaterThan(a);
    expect(placeAt([e(a, 4), e(b, 2)], 1, { ticketNumber: 9 }, 0)).toEqual({ orderKey: a, orderTiebreak: 5 });
  });
});

describe('QueueAggregate — details the rules depend on', () => {
  it('uses the clinic’s time zone for "today" and for a slot’s day (00:30 at UTC+1 is the previous UTC day)', () => {
    // A zone at UTC+1 in every tz release (Lagos: no clock change since 1919). Casablanca would make this test
    // depend on the runtime's zone data: Morocco is at +01 on the fixture day by tzdata 2025 and at +00 for good
    // since 2026-09-20 by 2026c+, where 00:30 is not the previous UTC day at all. Morocco's own rules are the
    // database's (get_clinic_clock), tested there.
    const base = snapshot();
    const q = QueueAggregate.load({ ...base, queue: { ...base.queue, timeZone: 'Africa/Lagos' } });
    const local = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+01:00`).toISOString();
    const when = (hhmm: string) => ({
      now: local(DAY, hhmm),
      actorId: 'staff-1',
      correlationId: `c-${hhmm}`,
    });
    const slot = (id: string, slotAt: string) => ({ ...patient(id), appointmentId: `ap-${id}`, slotAt });
    must(q.addBooked(when('00:10'), slot('early', local(DAY, '00:30'))));
    expect(entry(q, 'early').slotAt).toBe('2026-11-23T23:30:00.000Z');
    // 00:30 the next day is still DAY in UTC, but not the queue's day in the clinic
    expect(code(q.addBooked(when('00:10'), slot('tomorrow', local('2026-11-25', '00:30'))))).toBe(
      ErrorCodes.QUEUE_NOT_TODAY,
    );
    must(q.addWalkIn(when('00:30'), patient('night')));
    // a booking may enter the day's queue the evening before (no "today" guard on addBooked)
    must(
      q.addBooked(
        { now: '2026-11-23T19:00:00.000Z', actorId: null, correlationId: 'c' },
        slot('b2', local(DAY, '10:00')),
      ),
    );
    expect(
      code(
        q.addBooked(when('08:00'), {
          ...patient('b3'),
          patientName: '',
          appointmentId: null,
          slotAt: local(DAY, '10:00'),
        }),
      ),
    ).toBe(ErrorCodes.VALIDATION_FAILED);
    expect(code(q.insertEmergency(when('08:00'), { ...patient('night'), reason: 'r' }))).toBe(
      ErrorCodes.QUEUE_DUPLICATE_ENTRY,
    );
  });

  it('trims names and audit reasons', () => {
    const q = newQueue();
    must(q.addWalkIn(ctx('08:00'), { ...patient('a'), patientName: '  Amina  ' }));
    expect(entry(q, 'a').patientName).toBe('Amina');
    walkIn(q, 'b', '08:01');
    walkIn(q, 'c', '08:02');
    const reasons = [
      must(q.insertEmergency(ctx('08:03'), { ...patient('e'), reason: '  trauma ' })),
      must(q.move(ctx('08:04'), { entryId: 'c', toPosition: 2, reason: ' elderly ' })),
      must(q.setPriority(ctx('08:05'), { entryId: 'b', priority: 'urgent', reason: ' fever ' })),
      must(
        q.callSpecific(ctx('08:06'), { entryId: 'c', practitionerId: 'dr-a', room: 'R', reason: ' lab ' }),
      ),
      must(q.cancel(ctx('08:07'), { entryId: 'a', reason: ' left ' })),
    ].map((r) => (r.events.find((e) => 'reason' in e.payload)?.payload as { reason: string }).reason);
    expect(reasons).toEqual(['trauma', 'elderly', 'fever', 'lab', 'left']);
  });

  it('counts only walk-ins toward max_walk_ins_per_day, and a 1-minute visit is valid', () => {
    const q = newQueue({ max_walk_ins_per_day: 1 });
    booked(q, 'b1', '09:00');
    booked(q, 'b2', '09:30');
    must(q.addWalkIn(ctx('08:00'), { ...patient('w'), expectedDurationMinutes: 1 }));
    expect(code(q.addWalkIn(ctx('08:01'), patient('w2')))).toBe(ErrorCodes.QUEUE_WALK_IN_LIMIT);
  });

  it('a practitioner may call without naming a room, and call their own assigned patient specifically', () => {
    const q = newQueue();
    walkIn(q, 'a', '08:00', { practitionerId: 'dr-a' });
    walkIn(q, 'b', '08:01', { practitionerId: 'dr-a' });
    walkIn(q, 'c', '08:02', { practitionerId: 'dr-a' });
    must(q.callNext(ctx('08:05'), { practitionerId: 'dr-a', room: null }));
    expect(entry(q, 'a')).toMatchObject({ status: 'called', room: null, servedBy: 'dr-a' });
    startCalled(q, '08:06', 'dr-a', null);
    must(q.callSpecific(ctx('08:06'), { entryId: 'c', practitionerId: 'dr-a', room: null, reason: 'ready' }));
    expect(entry(q, 'c').status).toBe('called');
    const r = must(q.start(ctx('08:07'), { entryId: 'c' }));
    expect(r.events).toMatchObject([
      {
        type: 'ServiceStarted',
        entryId: 'c',
        payload: { ticket: 'A-003', practitionerId: 'dr-a', room: null },
      },
    ]);
  });

  it('room desks calling "any" are separate desks: one room’s call does not finish another room’s patient', () => {
    const q = newQueue();
    walkIn(q, 'a', '08:00');
    walkIn(q, 'b', '08:01');
    walkIn(q, 'c', '08:02');
    must(callNext(q, '08:05', null, 'Room 3'));
    must(callNext(q, '08:06', null, 'Room 5'));
    expect([entry(q, 'a').status, entry(q, 'b').status]).toEqual(['called', 'called']);
    must(callNext(q, '08:07', 'dr-x', 'Room 3')); // a practitioner desk is not the room desk either
    expect(entry(q, 'a').status).toBe('called');
    // Room 3 calls again: its own patient (a, now started) is completed, Room 5's (b) is not
    walkIn(q, 'd', '08:10');
    must(q.start(ctx('08:19'), { entryId: 'a' }));
    must(callNext(q, '08:20', null, 'Room 3'));
    expect([entry(q, 'a').status, entry(q, 'b').status]).toEqual(['completed', 'called']);
  });

  it('passes over only not-present entries ahead whose slot has come', () => {
    const q = newQueue();
    walkIn(q, 'w', '08:50');
    booked(q, 'behind', '09:00'); // slot come, but behind the walk-in in order
    booked(q, 'notYet', '09:30'); // ahead of the early arrival below, slot not come
    booked(q, 'early', '10:00');
    checkIn(q, 'early', '09:01');
    must(callNext(q, '09:05')); // calls w
    expect(entry(q, 'behind').skipCount).toBe(0);
    startCalled(q, '09:10');
    must(callNext(q, '09:10')); // calls early: passes over 'behind' (slot come), not 'notYet'
    expect(entry(q, 'early').status).toBe('called');
    expect(entry(q, 'behind').skipCount).toBe(1);
    expect(entry(q, 'notYet').skipCount).toBe(0);
  });

  it('a return is placed among the entries of its own class (after_next counts same-class patients)', () => {
    const q = newQueue();
    walkIn(q, 'r', '08:00');
    walkIn(q, 'u', '08:01', { priority: 'urgent' });
    walkIn(q, 'a', '08:02');
    walkIn(q, 'b', '08:03');
    must(q.markAbsent(ctx('08:04'), { entryId: 'r' }));
    must(q.returnFromAbsence(ctx('08:05'), { entryId: 'r' }));
    expect(line(q)).toEqual(['u', 'a', 'r', 'b']);
  });

  it('grace expiry happens once, and the sweep still runs on a closed day', () => {
    const q = newQueue();
    walkIn(q, 'a', '08:00');
    walkIn(q, 'b', '08:01');
    must(q.markAbsent(ctx('08:02'), { entryId: 'a' }));
    expect(must(q.expireGrace(ctx('08:30'))).events.map((e) => e.type)).toEqual(['GraceExpired']);
    expect(must(q.expireGrace(ctx('08:31'))).events).toEqual([]);
    expect(must(callNext(q, '08:32')).events.map((e) => e.type)).toEqual(['PatientCalled']);
    must(q.endDay(ctx('20:00')));
    expect(must(q.expireGrace(ctx('20:01'))).events).toEqual([]);
  });
});
