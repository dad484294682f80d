/**
 * Issue 17, rule F3 (docs/fluid-queues.md, src/services/appointment/models/BookingMode.ts): a fluid booking is a
 * booked entry with no slot. Before check-in it is never "slot reached" — never passed over, never counted as
 * present; at check-in it gets the check-in time as order key, like a walk-in, so it is served in order of
 * arrival. The database's public.check_in does the same (supabase/tests/fluidBooking.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { QueueAggregate } from './QueueAggregate';
import type { QueueEntry } from './QueueEntry';
import { estimateQueueWaits } from './QueueWaitEstimates';
import {
  at,
  booked,
  DAY,
  TZ,
  callNext,
  checkIn,
  entry,
  line,
  ms,
  must,
  newQueue,
  snapshot,
  startCalled,
  walkIn,
} from './testing/queueTestKit';

/** The day's queue as the database hands it over: `f` is a fluid booking (kind booked, no slot). */
const withFluidEntry = (build: (q: QueueAggregate) => void): QueueAggregate => {
  const q = newQueue();
  booked(q, 'f', '09:00');
  build(q);
  const entries: QueueEntry[] = q
    .entries()
    .map((e) => (e.id === 'f' ? { ...e, slotAt: null, orderKey: ms('07:00') } : e));
  return QueueAggregate.load(snapshot({}, entries));
};

describe('fluid entries in the queue (issue 17)', () => {
  it('F3 fluid: in line by arrival — never passed over before check-in, check-in time as order key', () => {
    const q = withFluidEntry((q0) => {
      booked(q0, 'b', '09:00');
      walkIn(q0, 'w1', '09:10');
    });
    // 09:30: 'f' (booked 07:00) and 'b' (slot 09:00) are ahead of 'w1'; 'b' (slot reached, not here) is passed
    // over, 'f' is not — it has no time to have reached
    must(callNext(q, '09:30'));
    expect(entry(q, 'w1').status).toBe('called');
    expect(entry(q, 'b').skipCount).toBe(1);
    expect(entry(q, 'f').skipCount).toBe(0);
    // a walk-in arrives at 09:35, the fluid patient at 09:40: served in order of arrival
    walkIn(q, 'w2', '09:35');
    checkIn(q, 'f', '09:40');
    expect(entry(q, 'f').orderKey).toBe(ms('09:40'));
    expect(entry(q, 'f').status).toBe('waiting');
    expect(line(q)).toEqual(['w2', 'f']);
  });
});

describe('fluid entries in the wait estimate (issue 17)', () => {
  const estimateOf = (q: QueueAggregate, id: string, now: string) =>
    estimateQueueWaits(
      {
        now: at(now),
        timeZone: TZ,
        entries: q.entries(),
        practitioners: [{ id: 'dr-a' }],
        appointmentTypes: [{ id: 'consultation', minutes: 15 }],
      },
      DAY,
    ).get(id);

  it('F3 fluid: a fluid booking not yet here is not counted ahead; once here it waits behind earlier arrivals', () => {
    const alone = newQueue();
    walkIn(alone, 'w', '09:05', { practitionerId: 'dr-a' });
    const base = estimateOf(alone, 'w', '09:10');
    expect(base?.kind).toBe('estimate');

    // a fluid booking made the evening before (order key 07:00, ahead of 'w'), not checked in: same estimate
    const q = withFluidEntry((q0) => walkIn(q0, 'w', '09:05', { practitionerId: 'dr-a' }));
    expect(estimateOf(q, 'w', '09:10')?.minutes).toBe(base?.minutes);

    // the control: a SLOTTED booking at 09:15 for the same doctor, not here yet, is expected ahead of 'w'
    const slotted = newQueue();
    booked(slotted, 'b', '09:00', { practitionerId: 'dr-a' });
    walkIn(slotted, 'w', '09:05', { practitionerId: 'dr-a' });
    expect(estimateOf(slotted, 'w', '09:10')?.minutes ?? 0).toBeGreaterThan(base?.minutes ?? 0);

    // the fluid patient arrives at 09:20: behind 'w', so told to wait longer than 'w'
    checkIn(q, 'f', '09:20');
    expect(estimateOf(q, 'f', '09:20')?.minutes ?? 0).toBeGreaterThan(
      estimateOf(q, 'w', '09:20')?.minutes ?? 0,
    );
  });
});

describe('a fluid place with a chosen doctor (issue 17, feat21a)', () => {
  /** `f`: a fluid booking with dr-a (kind booked, no slot, booked the evening before). */
  const withDoctorsFluidEntry = (build: (q: QueueAggregate) => void): QueueAggregate => {
    const q = newQueue();
    booked(q, 'f', '09:00', { practitionerId: 'dr-a' });
    build(q);
    const entries: QueueEntry[] = q
      .entries()
      .map((e) => (e.id === 'f' ? { ...e, slotAt: null, orderKey: ms('07:00') } : e));
    return QueueAggregate.load(snapshot({}, entries));
  };

  it('F7 fluid: a place with a chosen doctor is in that doctor’s line — by arrival there, called by that doctor only', () => {
    const q = withDoctorsFluidEntry((q0) => {
      walkIn(q0, 'w-any', '09:05');
      walkIn(q0, 'w-a', '09:08', { practitionerId: 'dr-a' });
    });
    // before check-in it is in nobody's way (F3): dr-a's line is the walk-in
    expect(line(q, 'dr-a')).toEqual(['w-a']);
    checkIn(q, 'f', '09:10');
    // checked in: the end of dr-a's line by arrival; "any doctor" has its own line
    expect(line(q, 'dr-a')).toEqual(['w-a', 'f']);
    expect(line(q, null)).toEqual(['w-any']);
    expect(q.positions().get('f')).toBe(2);
    // another doctor calls "any doctor" patients, never dr-a's fluid place
    must(callNext(q, '09:15', 'dr-b', 'Room 2'));
    expect(entry(q, 'w-any').status).toBe('called');
    const other = callNext(q, '09:16', 'dr-c', 'Room 3');
    expect(other.ok ? 'called' : other.error.code).toBe('QUEUE.NO_PATIENT_PRESENT');
    expect(entry(q, 'f').status).toBe('waiting');
    // dr-a calls their own line in order
    must(callNext(q, '09:20', 'dr-a', 'Room 1'));
    expect(entry(q, 'w-a').status).toBe('called');
    startCalled(q, '09:21', 'dr-a');
    must(callNext(q, '09:30', 'dr-a', 'Room 1'));
    expect(entry(q, 'f').status).toBe('called');
  });
});
