/**
 * Issue 17 "Running the day": one test per rule, each named after the rule (as QueueAggregate.rules.test.ts
 * does for DOMAIN.md). The last test checks that every rule of the table got exactly one test.
 *
 * | id  | feature   | rule                                                                                            |
 * |-----|-----------|-------------------------------------------------------------------------------------------------|
 * | T1  | Transfer  | a waiting patient transferred to another doctor keeps their place by their order key            |
 * | T2  | Transfer  | a transfer to "any doctor" joins the any-line by the same order key                             |
 * | T3  | Transfer  | a transfer is audited: EntryMoved with both doctors, who and why; no reason → refused           |
 * | T4  | Transfer  | only a waiting or booked (not yet arrived) patient can be transferred, and only to another line |
 * | T5  | Transfer  | a transfer is not a call: skip counts and priority are kept (no-starvation carries over)        |
 * | P1  | Pause     | a paused doctor's desk calls nobody (call next or out of order): QUEUE.DESK_PAUSED              |
 * | P2  | Pause     | an emergency is still called by a paused desk; other desks keep calling, "any" included         |
 * | P3  | Pause     | intake closed: no new walk-in or booking joins the day (QUEUE.INTAKE_CLOSED), emergencies do     |
 * | P4  | Pause     | reopened (no pause, intake open): the same commands succeed again                               |
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../shared/AppError';
import { QueueAggregate, type QueueState } from './QueueAggregate';
import { at, booked, callNext, ctx, entry, line, must, newQueue, walkIn } from './testing/queueTestKit';

/** The same day with the queue row's pause state changed (what set_desk_paused / set_queue_intake store). */
const withState = (q: QueueAggregate, state: Partial<QueueState>): QueueAggregate =>
  QueueAggregate.load({ ...q.toSnapshot(), queue: { ...q.state, ...state } });
const emergency = (q: QueueAggregate, id: string, hhmm: string, practitionerId: string | null = null) =>
  q.insertEmergency(ctx(hhmm), {
    entryId: id,
    patientId: null,
    patientName: `Patient ${id}`,
    practitionerId,
    appointmentTypeId: null,
    expectedDurationMinutes: 10,
    reason: 'collapsed',
  });

const RULES: Record<string, string> = {
  T1: 'Transfer: a waiting patient transferred to another doctor keeps their place by their order key',
  T2: 'Transfer: a transfer to "any doctor" joins the any-line by the same order key',
  T3: 'Transfer: audited (EntryMoved with both doctors, who and why); without a reason it is refused',
  T4: 'Transfer: only a waiting or booked (not yet arrived) patient, and only to another line',
  T5: 'Transfer: not a call — skip count and priority are kept',
  P1: 'Pause: a paused doctor’s desk calls nobody (call next or out of order): QUEUE.DESK_PAUSED',
  P2: 'Pause: an emergency is still called by a paused desk; other desks keep calling, "any" included',
  P3: 'Pause: intake closed — no new walk-in or booking joins the day (QUEUE.INTAKE_CLOSED); emergencies do',
  P4: 'Pause: reopened, the same commands succeed again',
};
const used = new Map<string, number>();
const rule = (id: keyof typeof RULES & string): string => {
  used.set(id, (used.get(id) ?? 0) + 1);
  return `${id} — ${RULES[id]}`;
};
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

describe('Transfer', () => {
  it(rule('T1'), () => {
    const q = newQueue();
    walkIn(q, 'b1', '09:00', { practitionerId: 'dr-b' });
    walkIn(q, 'a1', '09:05', { practitionerId: 'dr-a' });
    walkIn(q, 'b2', '09:10', { practitionerId: 'dr-b' });
    walkIn(q, 'b3', '09:20', { practitionerId: 'dr-b' });
    const before = entry(q, 'a1');
    const r = must(q.transfer(ctx('09:30'), { entryId: 'a1', practitionerId: 'dr-b', reason: 'Dr A left' }));
    // arrived at 09:05: behind b1 (09:00), ahead of b2 (09:10) — not at the end of Dr B's line
    expect(line(q, 'dr-b')).toEqual(['b1', 'a1', 'b2', 'b3']);
    expect(line(q, 'dr-a')).toEqual([]);
    const after = entry(q, 'a1');
    expect(after).toMatchObject({ practitionerId: 'dr-b', orderKey: before.orderKey, status: 'waiting' });
    expect(after.orderTiebreak).toBe(before.orderTiebreak);
    expect(r.events[0]?.payload).toMatchObject({ fromPosition: 1, toPosition: 2 });
    // Dr B's call next now reaches them in that order
    must(callNext(q, '09:31', 'dr-b', 'Room 2'));
    expect(entry(q, 'b1').status).toBe('called');
  });

  it(rule('T2'), () => {
    const q = newQueue();
    walkIn(q, 'n1', '09:00');
    walkIn(q, 'a1', '09:02', { practitionerId: 'dr-a' });
    walkIn(q, 'n2', '09:04');
    must(q.transfer(ctx('09:10'), { entryId: 'a1', practitionerId: null, reason: 'first free doctor' }));
    expect(line(q, null)).toEqual(['n1', 'a1', 'n2']);
    expect(q.positionOf('a1')).toBe(2);
    // and back to a doctor
    must(q.transfer(ctx('09:11'), { entryId: 'a1', practitionerId: 'dr-c', reason: 'asked for Dr C' }));
    expect(line(q, 'dr-c')).toEqual(['a1']);
    expect(line(q, null)).toEqual(['n1', 'n2']);
  });

  it(rule('T3'), () => {
    const q = newQueue();
    walkIn(q, 'a1', '09:00', { practitionerId: 'dr-a' });
    expect(code(q.transfer(ctx('09:10'), { entryId: 'a1', practitionerId: 'dr-b', reason: '  ' }))).toBe(
      ErrorCodes.QUEUE_REASON_REQUIRED,
    );
    expect(q.pendingEvents().map((e) => e.type)).toEqual(['WalkInAdded']);
    const r = must(
      q.transfer(ctx('09:10', 'reception-1'), {
        entryId: 'a1',
        practitionerId: 'dr-b',
        reason: ' Dr A ill ',
      }),
    );
    expect(r.events).toEqual([
      expect.objectContaining({
        type: 'EntryMoved',
        entryId: 'a1',
        actorId: 'reception-1',
        payload: expect.objectContaining({
          fromPractitionerId: 'dr-a',
          toPractitionerId: 'dr-b',
          reason: 'Dr A ill',
          transfer: true,
        }),
      }),
    ]);
    expect(r.changedEntries.map((e) => e.id)).toEqual(['a1']);
  });

  it(rule('T4'), () => {
    const q = newQueue();
    booked(q, 'bk', '11:00', { practitionerId: 'dr-a' });
    walkIn(q, 'w1', '09:00', { practitionerId: 'dr-a' });
    walkIn(q, 'w2', '09:01', { practitionerId: 'dr-a' });
    // a booked patient not yet arrived: their slot keeps their place in the new line
    must(
      q.transfer(ctx('09:05'), { entryId: 'bk', practitionerId: 'dr-b', reason: 'Dr A off this afternoon' }),
    );
    expect(entry(q, 'bk')).toMatchObject({ practitionerId: 'dr-b', status: 'scheduled' });
    // same line: refused, nothing changes
    expect(code(q.transfer(ctx('09:06'), { entryId: 'w2', practitionerId: 'dr-a', reason: 'x' }))).toBe(
      ErrorCodes.VALIDATION_FAILED,
    );
    // at the desk: refused
    must(callNext(q, '09:07', 'dr-a'));
    expect(entry(q, 'w1').status).toBe('called');
    expect(code(q.transfer(ctx('09:08'), { entryId: 'w1', practitionerId: 'dr-b', reason: 'x' }))).toBe(
      ErrorCodes.QUEUE_ILLEGAL_TRANSITION,
    );
    expect(entry(q, 'w1').practitionerId).toBe('dr-a');
    expect(code(q.transfer(ctx('09:08'), { entryId: 'nope', practitionerId: 'dr-b', reason: 'x' }))).toBe(
      ErrorCodes.QUEUE_ENTRY_NOT_FOUND,
    );
  });

  it(rule('T5'), () => {
    const q = newQueue({ max_skips: 1 });
    walkIn(q, 'a1', '09:00', { practitionerId: 'dr-a', priority: 'urgent' });
    walkIn(q, 'a2', '09:01', { practitionerId: 'dr-a' });
    walkIn(q, 'b1', '09:02', { practitionerId: 'dr-b' });
    walkIn(q, 'b2', '09:03', { practitionerId: 'dr-b' });
    must(
      q.callSpecific(ctx('09:04'), { entryId: 'b2', practitionerId: 'dr-b', room: 'R2', reason: 'child' }),
    );
    expect(entry(q, 'b1').skipCount).toBe(1);
    must(q.transfer(ctx('09:05'), { entryId: 'b1', practitionerId: 'dr-a', reason: 'Dr B busy' }));
    must(q.transfer(ctx('09:05'), { entryId: 'a1', practitionerId: 'dr-b', reason: 'urgent to Dr B' }));
    expect(entry(q, 'b1').skipCount).toBe(1);
    expect(entry(q, 'a1').priority).toBe('urgent');
    // b1 (skipped max_skips times) is still owed the next call in its new line
    expect(entry(q, 'a2').skipCount).toBe(0);
    must(callNext(q, '09:06', 'dr-a'));
    expect(entry(q, 'b1').status).toBe('called');
  });
});

describe('Pause / reopen', () => {
  const morning = () => {
    const q = newQueue();
    walkIn(q, 'a1', '09:00', { practitionerId: 'dr-a' });
    walkIn(q, 'n1', '09:01');
    walkIn(q, 'b1', '09:02', { practitionerId: 'dr-b' });
    return q;
  };

  it(rule('P1'), () => {
    const q = withState(morning(), { pausedPractitionerIds: ['dr-a'] });
    expect(code(callNext(q, '09:10', 'dr-a'))).toBe(ErrorCodes.QUEUE_DESK_PAUSED);
    expect(
      code(
        q.callSpecific(ctx('09:10'), { entryId: 'n1', practitionerId: 'dr-a', room: 'Room 1', reason: 'x' }),
      ),
    ).toBe(ErrorCodes.QUEUE_DESK_PAUSED);
    expect(q.pendingEvents()).toEqual([]);
    expect(q.entries().filter((e) => e.status === 'called')).toEqual([]);
  });

  it(rule('P2'), () => {
    const q = withState(morning(), { pausedPractitionerIds: ['dr-a'] });
    walkIn(q, 'n2', '09:03');
    must(callNext(q, '09:10', 'dr-b', 'Room 2'));
    expect(entry(q, 'n1').status).toBe('called'); // "any" is first in Dr B's merged line
    must(q.callNext(ctx('09:11'), { practitionerId: null, room: 'Desk 3' })); // a room desk calling "any"
    expect(entry(q, 'n2').status).toBe('called');
    must(emergency(q, 'e1', '09:12', 'dr-a'));
    must(callNext(q, '09:13', 'dr-a'));
    expect(entry(q, 'e1').status).toBe('called');
    expect(entry(q, 'a1').status).toBe('waiting');
  });

  it(rule('P3'), () => {
    const q = withState(morning(), { intakeClosedAt: at('11:00') });
    const walkInAt = (id: string) =>
      q.addWalkIn(ctx('11:05'), {
        entryId: id,
        patientId: null,
        patientName: 'Late walk-in',
        practitionerId: null,
        appointmentTypeId: null,
        expectedDurationMinutes: 10,
      });
    expect(code(walkInAt('w9'))).toBe(ErrorCodes.QUEUE_INTAKE_CLOSED);
    expect(() => booked(q, 'bk9', '12:00')).toThrow(ErrorCodes.QUEUE_INTAKE_CLOSED);
    expect(q.entry('w9')).toBeUndefined();
    must(emergency(q, 'e1', '11:06'));
    // those already in the line are still served
    must(callNext(q, '11:07', 'dr-a'));
    expect(entry(q, 'e1').status).toBe('called');
  });

  it(rule('P4'), () => {
    const paused = withState(morning(), { pausedPractitionerIds: ['dr-a'], intakeClosedAt: at('10:00') });
    const q = withState(paused, { pausedPractitionerIds: [], intakeClosedAt: null });
    must(callNext(q, '10:30', 'dr-a'));
    expect(entry(q, 'a1').status).toBe('called');
    walkIn(q, 'w2', '10:31');
    expect(line(q, null)).toEqual(['n1', 'w2']);
  });
});

describe('rule map', () => {
  afterAll(() => {
    expect(Object.keys(RULES).filter((id) => used.get(id) !== 1)).toEqual([]);
  });
  it('every rule of the table has exactly one test', () => {
    expect(used.size).toBe(Object.keys(RULES).length);
  });
});
