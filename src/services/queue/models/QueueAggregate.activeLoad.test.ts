/**
 * Issue 12 (and 14): a command loads only the day's ACTIVE entries (scheduled, waiting, called, in service,
 * absent) plus the ones it names, and the whole day's figures the rules need (`dayCounts`). Each rule that
 * looks beyond the active entries gets a test named after it, and every command decides the same on the
 * partial load as on the whole day.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../shared/AppError';
import { QueueAggregate, countsAsWalkIn, type QueueSnapshot } from './QueueAggregate';
import { isFinal } from './QueueEntry';
import { callNext, ctx, entry, must, newQueue, startCalled, walkIn } from './testing/queueTestKit';

/** What a command's load brings of `whole`: the active entries, the named ones and the day's counts. */
const activeLoad = (whole: QueueSnapshot, named: readonly string[] = []): QueueSnapshot => ({
  ...whole,
  entries: whole.entries.filter((e) => !isFinal(e.status) || named.includes(e.id)),
  dayCounts: {
    walkIns: whole.entries.filter(countsAsWalkIn).length,
    lastTicket: whole.entries.reduce((m, e) => Math.max(m, e.ticketNumber), 0),
  },
});

/** A morning: w1 seen, w2 cancelled, w3 absent then no-show, w4 called, w5 … w6 waiting. */
const morning = (settings = {}) => {
  const q = newQueue(settings);
  for (const [i, t] of ['08:00', '08:01', '08:02', '08:03', '08:04', '08:05'].entries())
    walkIn(q, `w${i + 1}`, t);
  must(callNext(q, '08:10'));
  startCalled(q, '08:11');
  must(q.finish(ctx('08:20'), { entryId: 'w1' }));
  must(q.cancel(ctx('08:21'), { entryId: 'w2', reason: 'left' }));
  must(q.markAbsent(ctx('08:22'), { entryId: 'w3' }));
  must(q.expireGrace(ctx('08:40')));
  must(callNext(q, '08:41'));
  return q.toSnapshot();
};

describe('A command loads the active entries, not the day’s history', () => {
  it('max_walk_ins_per_day counts the day’s walk-ins that were not cancelled, also those not loaded (finished, no-show)', () => {
    const whole = morning({ max_walk_ins_per_day: 6 });
    const partial = activeLoad(whole);
    expect(partial.entries.map((e) => e.id)).toEqual(['w4', 'w5', 'w6']);
    // 6 walk-ins, 1 cancelled: one place left — on the partial load as on the whole day
    const q = QueueAggregate.load(partial);
    walkIn(q, 'w7', '08:50');
    const refused = q.addWalkIn(ctx('08:51'), {
      entryId: 'w8',
      patientId: null,
      patientName: 'Patient w8',
      practitionerId: null,
      appointmentTypeId: null,
      expectedDurationMinutes: 15,
    });
    expect(refused.ok ? 'ok' : refused.error.code).toBe(ErrorCodes.QUEUE_WALK_IN_LIMIT);
  });

  it('max_walk_ins_per_day: cancelling a loaded walk-in gives its place back; an emergency never takes one', () => {
    const q = QueueAggregate.load(activeLoad(morning({ max_walk_ins_per_day: 6 })));
    const add = (id: string) =>
      q.addWalkIn(ctx('08:50'), {
        entryId: id,
        patientId: null,
        patientName: id,
        practitionerId: null,
        appointmentTypeId: null,
        expectedDurationMinutes: 15,
      });
    must(add('w7')); // 6 counted now: w1, w3 … w7 (w2 was cancelled)
    expect(add('w8').ok).toBe(false);
    must(q.cancel(ctx('08:51'), { entryId: 'w6', reason: 'left' }));
    must(add('w8'));
    must(
      q.insertEmergency(ctx('08:52'), {
        entryId: 'e1',
        patientId: null,
        patientName: 'E',
        practitionerId: null,
        appointmentTypeId: null,
        expectedDurationMinutes: 15,
        reason: 'chest pain',
      }),
    );
  });

  it('a ticket number unique in that day: a new arrival takes a ticket above the day’s highest, also one not loaded', () => {
    const whole = morning();
    // the highest ticket of the day belongs to a finished entry: cancel w6 (ticket 6) on the whole day first
    const q0 = QueueAggregate.load(whole);
    must(q0.cancel(ctx('08:45'), { entryId: 'w6', reason: 'left' }));
    const partial = activeLoad(q0.toSnapshot());
    expect(partial.entries.some((e) => e.ticketNumber === 6)).toBe(false);
    const q = QueueAggregate.load(partial);
    walkIn(q, 'w7', '08:50');
    expect(entry(q, 'w7').ticketNumber).toBe(7);
  });

  it('Staff may re-activate a no_show of today: the no-show the command names is loaded with the active entries', () => {
    const whole = morning();
    const q = QueueAggregate.load(activeLoad(whole, ['w3']));
    must(q.reactivateNoShow(ctx('08:50'), { entryId: 'w3' }));
    expect(entry(q, 'w3').status).toBe('waiting');
    // not named: not loaded, so not found (QueueService always names the command's entry)
    const unnamed = QueueAggregate.load(activeLoad(whole));
    const r = unnamed.reactivateNoShow(ctx('08:50'), { entryId: 'w3' });
    expect(r.ok ? 'ok' : r.error.code).toBe(ErrorCodes.QUEUE_ENTRY_NOT_FOUND);
  });

  it('Return within grace: after the grace ended the named entry is refused with GRACE_EXPIRED, as on the whole day', () => {
    const q = QueueAggregate.load(activeLoad(morning(), ['w3']));
    const r = q.returnFromAbsence(ctx('08:50'), { entryId: 'w3' });
    expect(r.ok ? 'ok' : r.error.code).toBe(ErrorCodes.QUEUE_GRACE_EXPIRED);
  });

  it('Ending the day: the summary is over every entry, so ending it needs the whole day loaded', () => {
    const q = QueueAggregate.load(activeLoad(morning()));
    expect(q.wholeDay).toBe(false);
    expect(() => q.endDay(ctx('18:00'))).toThrow(/whole day/);
    expect(QueueAggregate.load(morning()).wholeDay).toBe(true);
  });

  it('every command decides the same changes and events on the active load as on the whole day', () => {
    const whole = morning({ max_walk_ins_per_day: 8 });
    const arrival = (id: string) => ({
      entryId: id,
      patientId: null,
      patientName: id,
      practitionerId: null,
      appointmentTypeId: null,
      expectedDurationMinutes: 15,
    });
    const commands: [string, string[], (q: QueueAggregate) => unknown][] = [
      ['callNext', [], (q) => q.callNext(ctx('08:50'), { practitionerId: 'dr-b', room: 'Room 2' })],
      ['start', ['w4'], (q) => q.start(ctx('08:50'), { entryId: 'w4' })],
      ['markAbsent', ['w4'], (q) => q.markAbsent(ctx('08:50'), { entryId: 'w4' })],
      ['cancel', ['w5'], (q) => q.cancel(ctx('08:50'), { entryId: 'w5', reason: 'left' })],
      ['cancel a final entry', ['w1'], (q) => q.cancel(ctx('08:50'), { entryId: 'w1', reason: 'x' })],
      ['reactivate', ['w3'], (q) => q.reactivateNoShow(ctx('08:50'), { entryId: 'w3' })],
      ['return', ['w3'], (q) => q.returnFromAbsence(ctx('08:50'), { entryId: 'w3' })],
      ['move', ['w6'], (q) => q.move(ctx('08:50'), { entryId: 'w6', toPosition: 1, reason: 'frail' })],
      ['walk-in', [], (q) => q.addWalkIn(ctx('08:50'), arrival('w7'))],
      ['emergency', [], (q) => q.insertEmergency(ctx('08:50'), { ...arrival('e1'), reason: 'fall' })],
      ['sweep', [], (q) => q.expireGrace(ctx('08:50'))],
    ];
    for (const [name, named, run] of commands) {
      const full = QueueAggregate.load(whole);
      const part = QueueAggregate.load(activeLoad(whole, named));
      expect(run(part), name).toEqual(run(full));
      expect(part.pendingChanges(), name).toEqual(full.pendingChanges());
      expect(part.pendingEvents(), name).toEqual(full.pendingEvents());
    }
  });
});
