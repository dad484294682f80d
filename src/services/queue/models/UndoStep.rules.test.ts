/**
 * Issue 17 "Undo the last step of a desk within 10 seconds": one test per rule of UndoStep.ts, named after
 * it. The last test checks that every rule got exactly one test.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../shared/AppError';
import type { CommandContext, CommandResult, QueueAggregate } from './QueueAggregate';
import type { QueueEntry } from './QueueEntry';
import { at, booked, entry, line, must, newQueue, startCalled, walkIn } from './testing/queueTestKit';
import { undoableStep, UNDO_WINDOW_SECONDS, type UndoableStep } from './UndoStep';

const RULES: Record<string, string> = {
  U1: 'Undo: only a call, an absence, a finish or a move/transfer is undoable (not an arrival, a check-in, a cancellation, the end of day)',
  U2: 'Undo: only within the undo window (10 s); later it is refused with QUEUE.UNDO_EXPIRED',
  U3: 'Undo: refused with QUEUE.UNDO_ENTRY_CHANGED when an entry of the step changed since (e.g. the called patient was started)',
  U4: 'Undo: refused with QUEUE.UNDO_DESK_BUSY when the desk the patient goes back to has another patient now',
  U5: 'Undo: every entry goes back to its state before the step, with one StepUndone per entry, reason "undo"',
  U6: 'Undo: an undo is not itself undoable',
};
const used = new Map<string, number>();
const rule = (id: keyof typeof RULES & string): string => {
  used.set(id, (used.get(id) ?? 0) + 1);
  return `${id} — ${RULES[id]}`;
};

/** A context `seconds` after `hhmm` (the undo window is seconds long). */
const ctxAt = (hhmm: string, seconds = 0, correlationId = `c-${hhmm}-${seconds}`): CommandContext => ({
  now: new Date(new Date(at(hhmm)).getTime() + seconds * 1000).toISOString(),
  actorId: 'staff-1',
  correlationId,
});

/** Runs one command as the service does and describes it for undo (null: not undoable). */
const step = (
  q: QueueAggregate,
  c: CommandContext,
  command: (c: CommandContext) => CommandResult,
): UndoableStep | null => {
  const before = new Map(q.entries().map((e) => [e.id, e] as const));
  const r = must(command(c));
  return undoableStep(c.correlationId, c.now, r.events, before, r.changedEntries);
};
const must1 = (s: UndoableStep | null): UndoableStep => {
  if (s === null) throw new Error('expected an undoable step');
  return s;
};
const code = (r: CommandResult) => (r.ok ? 'ok' : r.error.code);
const shape = (e: QueueEntry) => ({
  status: e.status,
  room: e.room,
  servedBy: e.servedBy,
  skipCount: e.skipCount,
  orderKey: e.orderKey,
  practitionerId: e.practitionerId,
  calledAt: e.calledAt,
  finishedAt: e.finishedAt,
  graceEndsAt: e.graceEndsAt,
});

describe('Undo', () => {
  it(rule('U1'), () => {
    const q = newQueue();
    booked(q, 'b1', '09:00');
    expect(step(q, ctxAt('08:50'), (c) => q.checkIn(c, { entryId: 'b1' }))).toBeNull();
    expect(
      step(q, ctxAt('08:51'), (c) =>
        q.addWalkIn(c, {
          entryId: 'w1',
          patientId: null,
          patientName: 'W',
          practitionerId: null,
          appointmentTypeId: null,
          expectedDurationMinutes: 15,
        }),
      ),
    ).toBeNull();
    expect(step(q, ctxAt('08:52'), (c) => q.cancel(c, { entryId: 'w1', reason: 'left' }))).toBeNull();
    // the four undoable actions
    expect(
      step(q, ctxAt('09:00'), (c) => q.callNext(c, { practitionerId: 'dr-a', room: 'Room 1' }))?.action,
    ).toBe('PatientCalled');
    expect(step(q, ctxAt('09:01'), (c) => q.markAbsent(c, { entryId: 'b1' }))?.action).toBe(
      'PatientMarkedAbsent',
    );
    walkIn(q, 'w2', '09:02');
    walkIn(q, 'w3', '09:02');
    expect(
      step(q, ctxAt('09:03'), (c) =>
        q.move(c, { entryId: 'w3', toPosition: 1, practitionerId: null, reason: 'frail' }),
      )?.action,
    ).toBe('EntryMoved');
    must(q.callNext(ctxAt('09:04'), { practitionerId: 'dr-a', room: 'Room 1' }));
    startCalled(q, '09:05');
    expect(step(q, ctxAt('09:06'), (c) => q.finish(c, { entryId: 'w3' }))?.action).toBe('ServiceFinished');
    expect(step(q, ctxAt('20:00'), (c) => q.endDay(c, {}))).toBeNull();
  });

  it(rule('U2'), () => {
    const q = newQueue();
    walkIn(q, 'w1', '09:00');
    const s = must1(
      step(q, ctxAt('09:10'), (c) => q.callNext(c, { practitionerId: 'dr-a', room: 'Room 1' })),
    );
    const late = q.undo(ctxAt('09:10', UNDO_WINDOW_SECONDS + 1), s);
    expect(code(late)).toBe(ErrorCodes.QUEUE_UNDO_EXPIRED);
    expect(entry(q, 'w1').status).toBe('called'); // nothing changed
    expect(code(q.undo(ctxAt('09:10', UNDO_WINDOW_SECONDS), s))).toBe('ok');
  });

  it(rule('U3'), () => {
    const q = newQueue();
    walkIn(q, 'w1', '09:00');
    const s = must1(
      step(q, ctxAt('09:10'), (c) => q.callNext(c, { practitionerId: 'dr-a', room: 'Room 1' })),
    );
    must(q.start(ctxAt('09:10', 3), { entryId: 'w1' }));
    const r = q.undo(ctxAt('09:10', 5), s);
    expect(code(r)).toBe(ErrorCodes.QUEUE_UNDO_ENTRY_CHANGED);
    expect(r.ok ? null : r.error.details).toMatchObject({ entryId: 'w1', status: 'in_service' });
    expect(entry(q, 'w1').status).toBe('in_service');
  });

  it(rule('U4'), () => {
    const q = newQueue();
    walkIn(q, 'w1', '09:00');
    walkIn(q, 'w2', '09:01');
    must(q.callNext(ctxAt('09:10'), { practitionerId: 'dr-a', room: 'Room 1' }));
    // w1 marked absent (undoable), then the desk calls w2 at once
    const s = must1(step(q, ctxAt('09:11'), (c) => q.markAbsent(c, { entryId: 'w1' })));
    must(q.callNext(ctxAt('09:11', 2), { practitionerId: 'dr-a', room: 'Room 1' }));
    const r = q.undo(ctxAt('09:11', 4), s);
    expect(code(r)).toBe(ErrorCodes.QUEUE_UNDO_DESK_BUSY);
    expect(r.ok ? null : r.error.details).toMatchObject({ entryId: 'w1', busyEntryId: 'w2' });
    expect(entry(q, 'w1').status).toBe('absent');
  });

  it(rule('U5'), () => {
    const q = newQueue();
    booked(q, 'b-away', '08:30'); // not here: passed over by the call (skip count + 1)
    walkIn(q, 'w1', '08:40');
    walkIn(q, 'w2', '08:41');
    const before = new Map(q.entries().map((e) => [e.id, shape(e)] as const));
    const lineBefore = line(q);
    const s = must1(
      step(q, ctxAt('09:10'), (c) => q.callNext(c, { practitionerId: 'dr-a', room: 'Room 1' })),
    );
    expect(entry(q, 'b-away').skipCount).toBe(1);
    expect(entry(q, 'w1').status).toBe('called');
    const r = must(q.undo(ctxAt('09:10', 6, 'undo-1'), s));
    for (const id of ['b-away', 'w1', 'w2']) expect(shape(entry(q, id))).toEqual(before.get(id));
    expect(line(q)).toEqual(lineBefore);
    expect(r.events.map((e) => [e.type, e.entryId])).toEqual(
      s.entries.map((x) => ['StepUndone', x.after.id]),
    );
    expect(r.events.find((e) => e.entryId === 'w1')).toMatchObject({
      type: 'StepUndone',
      correlationId: 'undo-1',
      actorId: 'staff-1',
      payload: {
        undoes: s.correlationId,
        undoneTypes: ['PatientCalled'],
        fromStatus: 'called',
        toStatus: 'waiting',
        reason: 'undo',
      },
    });
    // the same for an absence (back to called at the same desk) and a finish (back in service)
    const q2 = newQueue();
    walkIn(q2, 'w1', '09:00');
    must(q2.callNext(ctxAt('09:10'), { practitionerId: 'dr-a', room: 'Room 1' }));
    const absent = must1(step(q2, ctxAt('09:11'), (c) => q2.markAbsent(c, { entryId: 'w1' })));
    must(q2.undo(ctxAt('09:11', 1), absent));
    expect(entry(q2, 'w1')).toMatchObject({
      status: 'called',
      room: 'Room 1',
      servedBy: 'dr-a',
      graceEndsAt: null,
    });
    must(q2.start(ctxAt('09:12'), { entryId: 'w1' }));
    const finished = must1(step(q2, ctxAt('09:20'), (c) => q2.finish(c, { entryId: 'w1' })));
    must(q2.undo(ctxAt('09:20', 9), finished));
    expect(entry(q2, 'w1')).toMatchObject({ status: 'in_service', finishedAt: null });
  });

  it(rule('U6'), () => {
    const q = newQueue();
    walkIn(q, 'w1', '09:00');
    const s = must1(
      step(q, ctxAt('09:10'), (c) => q.callNext(c, { practitionerId: 'dr-a', room: 'Room 1' })),
    );
    expect(step(q, ctxAt('09:10', 2), (c) => q.undo(c, s))).toBeNull();
    // and undoing the same step twice is refused: the entry is no longer as the step left it
    expect(code(q.undo(ctxAt('09:10', 3), s))).toBe(ErrorCodes.QUEUE_UNDO_ENTRY_CHANGED);
  });
});

afterAll(() => {
  expect(Object.keys(RULES).filter((id) => used.get(id) !== 1)).toEqual([]);
});
