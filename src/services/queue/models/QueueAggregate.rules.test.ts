/**
 * One test per rule of DOMAIN.md's queue sections, each named after the rule (quoting its words).
 *
 * RULE → TEST MAP (38 rules). `rule(id)` below names each `it` from this table, and the last test checks
 * that every row got exactly one test, so the table and the tests cannot drift apart.
 *
 * | id  | DOMAIN.md section   | rule (quoted)                                                                                        |
 * |-----|---------------------|------------------------------------------------------------------------------------------------------|
 * | D1  | The day's queue     | One queue per clinic per local day                                                                   |
 * | D2  | The day's queue     | a ticket number unique in that day (shown as e.g. `A-014`)                                           |
 * | D3  | The day's queue     | optionally assigned to one practitioner (otherwise "any")                                            |
 * | D4  | The day's queue     | an appointment type (each with its own expected duration)                                            |
 * | D5  | The day's queue     | a priority: `normal`, `urgent`, `emergency`                                                          |
 * | D6  | The day's queue     | Statuses and the only allowed moves … Any other move is refused with a coded error                   |
 * | D7  | The day's queue     | Final: `completed`, `cancelled`, `no_show`                                                           |
 * | D8  | The day's queue     | any non-final status ─cancel─► cancelled                                                             |
 * | D9  | The day's queue     | Staff may re-activate a `no_show` of today: it re-enters as a fresh arrival … the event log says so  |
 * | D10 | The day's queue (proposed, issue 12) | a re-activated no-show re-enters without its slot: it never counts against capacity  |
 * | O1  | Order               | Priority class first: `emergency`, then `urgent`, then `normal`                                      |
 * | O2  | Order               | Emergencies and re-orders are audited with who and why                                               |
 * | O3  | Order               | a booked patient who checks in no later than `on_time_tolerance_minutes` (10) … keeps the slot time  |
 * | O4  | Order               | a later one, and every walk-in, gets the check-in time                                               |
 * | O5  | Order               | position is 1 + the number of entries … of the same practitioner pool ahead of them                  |
 * | O6  | Order               | Positions over the waiting entries are always 1, 2, 3, … with no gaps or repeats                     |
 * | O7  | Order (issue 11)    | check-in not earlier than `check_in_window_minutes` (60) before the slot                             |
 * | C1  | Calling             | Call next: the first present entry in order for that practitioner or "any" becomes `called` (room)   |
 * | C2  | Calling             | If `auto_finish_on_next` (true) the practitioner's current called/in-service patient is completed    |
 * | C3  | Calling             | Entries ahead … not present … are passed over; skip_count + 1 and an event. The patient keeps place  |
 * | C4  | Calling             | Call a specific patient out of order needs a reason                                                  |
 * | C5  | Calling             | every present entry it overtakes gets skip_count + 1 and a reassurance SMS ("you are still next")    |
 * | C6  | Calling             | No starvation: … skip_count has reached max_skips (3) must be called … call next picks it            |
 * | C7  | Calling             | No starvation: … calling someone else out of order is refused                                        |
 * | C8  | Calling             | Nothing is called when nobody is present: a coded result, not an exception                           |
 * | C9  | Calling (issue 12)  | A desk's call next while its own patient is called but not started never completes that patient     |
 * | A1  | Absence             | Mark absent (called but did not come, or not in the room at their turn): status absent, grace starts |
 * | A2  | Absence             | One setting; the UI, the SMS text and the database use the same number                               |
 * | A3  | Absence             | Return within grace: back to waiting, placed … `after_next` (after the next late_return_offset (1))  |
 * | A4  | Absence             | Return within grace: … `front`, or `end`. Event + SMS with the new position                          |
 * | A5  | Absence             | Grace expires: the entry becomes `no_show` automatically (checked whenever the queue is loaded/saved)|
 * | A6  | Absence             | the exact moment does not depend on anyone opening a screen                                          |
 * | A7  | Absence             | "I'm running late" … before their turn: the entry is kept and marked late; staff see it              |
 * | A8  | Absence             | it is not passed over as absent until grace_period_minutes after their turn came                     |
 * | E1  | Ending the day      | `called`/`in_service` become `completed`                                                             |
 * | E2  | Ending the day      | `scheduled`/`waiting`/`absent` become `no_show`, the queue closes                                    |
 * | E3  | Ending the day      | a summary (served, no-shows, average and 90th-percentile wait, average service time per practitioner)|
 * | E4  | Ending the day      | `end day` (staff, or automatically at closing time + 2 h)                                            |
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../shared/AppError';
import type { QueueDomainEvent } from '../events';
import { QueueAggregate } from './QueueAggregate';
import { ALLOWED_TRANSITIONS, ENTRY_STATUSES, holdsSlotCapacity, type EntryStatus } from './QueueEntry';
import {
  at,
  booked,
  callNext,
  checkIn,
  ctx,
  entry,
  line,
  ms,
  must,
  newQueue,
  startCalled,
  walkIn,
} from './testing/queueTestKit';

const RULES: Record<string, string> = {
  D1: 'One queue per clinic per local day',
  D2: 'a ticket number unique in that day (shown as e.g. `A-014`)',
  D3: 'optionally assigned to one practitioner (otherwise "any")',
  D4: 'an appointment type (each with its own expected duration)',
  D5: 'a priority: `normal`, `urgent`, `emergency`',
  D6: 'Statuses and the only allowed moves … Any other move is refused with a coded error',
  D7: 'Final: `completed`, `cancelled`, `no_show`',
  D8: 'any non-final status ─cancel─► cancelled',
  D9: 'Staff may re-activate a `no_show` of today: it re-enters as a fresh arrival (end of the line) and the event log says so',
  D10: "A re-activated no-show re-enters as a fresh arrival without its slot: it never counts against the slot's capacity again, so re-activation never overbooks a slot booked or held meanwhile (proposed)",
  O1: 'Priority class first: `emergency`, then `urgent`, then `normal`',
  O2: 'Emergencies and re-orders are audited with who and why',
  O3: 'a booked patient who checks in no later than `on_time_tolerance_minutes` (10) after the slot keeps the slot time as key',
  O4: 'a later one, and every walk-in, gets the check-in time',
  O5: "A patient's position is 1 + the number of entries that will be served before them (… of the same practitioner pool ahead of them)",
  O6: 'Positions over the waiting entries are always 1, 2, 3, … with no gaps or repeats',
  O7: 'A booked patient checks in no earlier than `check_in_window_minutes` (60) before the slot (QUEUE.CHECK_IN_TOO_EARLY)',
  C1: 'Call next: the first present entry in order for that practitioner or "any" becomes `called` (the board and an SMS say which room)',
  C2: "If `auto_finish_on_next` (true) the practitioner's current called/in-service patient is completed first",
  C3: 'Entries ahead in order that are not present (booked, slot reached, not yet checked in) are passed over; each entry passed over gets `skip_count + 1` and an event. The patient keeps their place',
  C4: 'Call a specific patient out of order needs a reason',
  C5: 'every present entry it overtakes gets `skip_count + 1` and a reassurance SMS ("you are still next")',
  C6: 'No starvation: a present entry whose `skip_count` has reached `max_skips` (3) must be called before any non-emergency entry — call next picks it',
  C7: 'No starvation: … and calling someone else out of order is refused',
  C8: 'Nothing is called when nobody is present: a coded result, not an exception',
  C9: "A desk's call next while its own patient is called but not started never marks that patient completed: it is refused (QUEUE.CALLED_NOT_STARTED) until they are started or marked absent",
  A1: 'Mark absent (called but did not come, or not in the room at their turn): status `absent`, and a grace period starts: `grace_ends_at = now + grace_period_minutes` (10)',
  A2: 'One setting; the UI, the SMS text and the database use the same number',
  A3: 'Return within grace: back to `waiting`, placed by `late_return_policy`: `after_next` (default: after the next `late_return_offset` (1) present patients)',
  A4: 'Return within grace: … `front`, or `end`. Event + SMS with the new position',
  A5: 'Grace expires: the entry becomes `no_show` automatically (checked whenever the queue is loaded or saved and by a periodic sweep)',
  A6: 'Grace expires: … the exact moment does not depend on anyone opening a screen',
  A7: 'A patient can say "I\'m running late" … before their turn: the entry is kept and marked late; staff see it',
  A8: 'it is not passed over as absent until `grace_period_minutes` after their turn came',
  E1: '`end day`: `called`/`in_service` become `completed`',
  E2: '`end day`: `scheduled`/`waiting`/`absent` become `no_show`, the queue closes',
  E3: 'a summary (served, no-shows, average and 90th-percentile wait, average service time per practitioner) is stored',
  E4: '`end day` (staff, or automatically at closing time + 2 h)',
};
const used = new Map<string, number>();
const rule = (id: keyof typeof RULES & string): string => {
  used.set(id, (used.get(id) ?? 0) + 1);
  return `${id} — ${RULES[id]}`;
};

const types = (events: readonly QueueDomainEvent[]) => events.map((e) => e.type);
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

describe('The day’s queue', () => {
  it(rule('D1'), () => {
    const q = newQueue();
    walkIn(q, 'w1', '09:00');
    // the next local day is another queue: commands on this one are refused
    const tomorrow = q.addWalkIn(
      { now: '2026-11-25T09:00:00.000Z', actorId: 's', correlationId: 'c' },
      {
        entryId: 'w2',
        patientId: null,
        patientName: 'X',
        practitionerId: null,
        appointmentTypeId: null,
        expectedDurationMinutes: 10,
      },
    );
    expect(code(tomorrow)).toBe(ErrorCodes.QUEUE_NOT_TODAY);
    // 23:30 local is still this day even though 23:30 UTC+1 is 22:30Z
    expect(code(q.checkIn(ctx('23:30'), { entryId: 'nope' }))).toBe(ErrorCodes.QUEUE_ENTRY_NOT_FOUND);
    // a booking for another day cannot enter this day's queue
    const other = q.addBooked(ctx('08:00'), {
      entryId: 'b',
      appointmentId: 'a',
      patientId: null,
      patientName: 'B',
      practitionerId: null,
      appointmentTypeId: null,
      expectedDurationMinutes: 10,
      slotAt: '2026-11-25T09:00:00.000Z',
    });
    expect(code(other)).toBe(ErrorCodes.QUEUE_NOT_TODAY);
  });

  it(rule('D2'), () => {
    const q = newQueue();
    booked(q, 'b1', '09:00');
    walkIn(q, 'w1', '08:30');
    walkIn(q, 'w2', '08:31');
    const tickets = q.entries().map((e) => e.ticketNumber);
    expect(new Set(tickets).size).toBe(3);
    expect(tickets.sort()).toEqual([1, 2, 3]);
    const ev = q.pendingEvents().find((e) => e.entryId === 'w2');
    // one rule for every kind: the clinic's prefix (default A), as the board, the tracker and the SMS show
    expect(ev?.payload).toMatchObject({ ticket: 'A-003' });
    expect(q.pendingEvents()[0]?.payload).toMatchObject({ ticket: 'A-001' });
    // a ticket given at booking time cannot be reused
    const dup = q.addBooked(ctx('08:40'), {
      entryId: 'b2',
      appointmentId: 'ap2',
      patientId: null,
      patientName: 'B2',
      practitionerId: null,
      appointmentTypeId: null,
      expectedDurationMinutes: 10,
      slotAt: at('10:00'),
      ticketNumber: 2,
    });
    expect(code(dup)).toBe(ErrorCodes.QUEUE_DUPLICATE_ENTRY);
  });

  it(rule('D3'), () => {
    const q = newQueue();
    walkIn(q, 'mine', '08:00', { practitionerId: 'dr-b' });
    walkIn(q, 'any', '08:05');
    // dr-a cannot take dr-b's patient: it calls the "any" patient although dr-b's arrived first
    const r = must(callNext(q, '08:10', 'dr-a'));
    expect(r.changedEntries.map((e) => e.id)).toEqual(['any']);
    // nobody left for dr-a
    expect(code(callNext(q, '08:11', 'dr-a', 'Room 9'))).toBe(ErrorCodes.QUEUE_NO_PATIENT_PRESENT);
    // and dr-a may not call dr-b's patient specifically either
    const specific = q.callSpecific(ctx('08:12'), {
      entryId: 'mine',
      practitionerId: 'dr-a',
      room: 'R',
      reason: 'x',
    });
    expect(code(specific)).toBe(ErrorCodes.QUEUE_ILLEGAL_TRANSITION);
    // dr-b gets their own
    expect(must(callNext(q, '08:13', 'dr-b', 'Room 2')).changedEntries.map((e) => e.id)).toEqual(['mine']);
  });

  it(rule('D4'), () => {
    const q = newQueue();
    booked(q, 'b1', '09:00', { durationMinutes: 30 });
    expect(entry(q, 'b1')).toMatchObject({ appointmentTypeId: 'consultation', expectedDurationMinutes: 30 });
    const bad = q.addWalkIn(ctx('09:00'), {
      entryId: 'w',
      patientId: null,
      patientName: 'W',
      practitionerId: null,
      appointmentTypeId: 'x',
      expectedDurationMinutes: 0,
    });
    expect(code(bad)).toBe(ErrorCodes.VALIDATION_FAILED);
  });

  it(rule('D5'), () => {
    const q = newQueue();
    walkIn(q, 'n', '08:00');
    walkIn(q, 'u', '08:01', { priority: 'urgent' });
    must(
      q.insertEmergency(ctx('08:02'), {
        entryId: 'e',
        patientId: null,
        patientName: 'E',
        practitionerId: null,
        appointmentTypeId: null,
        expectedDurationMinutes: 20,
        reason: 'chest pain',
      }),
    );
    expect(['n', 'u', 'e'].map((id) => entry(q, id).priority)).toEqual(['normal', 'urgent', 'emergency']);
    must(q.setPriority(ctx('08:03'), { entryId: 'n', priority: 'urgent', reason: 'fever rising' }));
    expect(entry(q, 'n').priority).toBe('urgent');
  });

  it(rule('D6'), () => {
    // Drive an entry into every status, then try every command; a command succeeds only along the diagram.
    const reach = (status: EntryStatus): QueueAggregate => {
      const q = newQueue();
      booked(q, 'x', '09:00');
      const steps: Record<EntryStatus, () => void> = {
        scheduled: () => undefined,
        waiting: () => checkIn(q, 'x', '08:55'),
        called: () => (steps.waiting(), must(callNext(q, '09:00'))),
        in_service: () => (steps.called(), must(q.start(ctx('09:01'), { entryId: 'x' }))),
        completed: () => (steps.in_service(), must(q.finish(ctx('09:10'), { entryId: 'x' }))),
        cancelled: () => must(q.cancel(ctx('08:00'), { entryId: 'x' })),
        absent: () => (steps.called(), must(q.markAbsent(ctx('09:02'), { entryId: 'x' }))),
        no_show: () => (steps.absent(), must(q.expireGrace(ctx('09:30')))),
      };
      steps[status]();
      expect(entry(q, 'x').status).toBe(status);
      return q;
    };
    const commands: Record<string, [EntryStatus, (q: QueueAggregate, t: string) => { ok: boolean }]> = {
      checkIn: ['waiting', (q, t) => q.checkIn(ctx(t), { entryId: 'x' })],
      call: [
        'called',
        (q, t) => q.callSpecific(ctx(t), { entryId: 'x', practitionerId: 'dr-a', room: 'R', reason: 'r' }),
      ],
      start: ['in_service', (q, t) => q.start(ctx(t), { entryId: 'x' })],
      finish: ['completed', (q, t) => q.finish(ctx(t), { entryId: 'x' })],
      markAbsent: ['absent', (q, t) => q.markAbsent(ctx(t), { entryId: 'x' })],
      cancel: ['cancelled', (q, t) => q.cancel(ctx(t), { entryId: 'x' })],
      reactivate: ['waiting', (q, t) => q.reactivateNoShow(ctx(t), { entryId: 'x' })],
    };
    const allowed: Array<[EntryStatus, string]> = [
      ['scheduled', 'checkIn'],
      ['scheduled', 'cancel'],
      ['waiting', 'call'],
      ['waiting', 'markAbsent'],
      ['waiting', 'cancel'],
      ['called', 'start'],
      ['called', 'markAbsent'],
      ['called', 'cancel'],
      ['in_service', 'finish'],
      ['in_service', 'cancel'],
      ['absent', 'cancel'],
      ['no_show', 'reactivate'],
    ];
    for (const from of ENTRY_STATUSES) {
      for (const [name, [to, run]] of Object.entries(commands)) {
        const q = reach(from);
        const before = JSON.stringify(q.toSnapshot());
        // within the grace of the absent status (09:02–09:12); after the no-show at 09:12
        const r = run(q, from === 'no_show' ? '09:40' : '09:08');
        const expected = allowed.some(([f, c]) => f === from && c === name);
        expect({ from, name, ok: r.ok }).toEqual({ from, name, ok: expected });
        if (expected) {
          expect(entry(q, 'x').status).toBe(to);
          expect(ALLOWED_TRANSITIONS[from]).toContain(to);
        } else {
          expect(code(r as never)).toMatch(/^QUEUE\./);
          expect(JSON.stringify(q.toSnapshot())).toBe(before);
        }
      }
    }
    // absent → waiting only by returning within grace (tested in A3/A4); scheduled → no_show at end of day (E2)
  });

  it(rule('D7'), () => {
    for (const final of ['completed', 'cancelled', 'no_show'] as const) {
      expect(ALLOWED_TRANSITIONS[final].filter((s) => s !== 'waiting')).toEqual([]);
    }
    expect(ALLOWED_TRANSITIONS.completed).toEqual([]);
    expect(ALLOWED_TRANSITIONS.cancelled).toEqual([]);
    const q = newQueue();
    walkIn(q, 'w', '08:00');
    must(q.cancel(ctx('08:01'), { entryId: 'w', reason: 'left' }));
    for (const r of [
      q.cancel(ctx('08:02'), { entryId: 'w' }),
      q.markAbsent(ctx('08:02'), { entryId: 'w' }),
      q.returnFromAbsence(ctx('08:02'), { entryId: 'w' }),
      q.reactivateNoShow(ctx('08:02'), { entryId: 'w' }),
    ]) {
      expect(code(r)).toBe(ErrorCodes.QUEUE_ILLEGAL_TRANSITION);
    }
    // a final entry is not callable
    expect(code(callNext(q, '08:03'))).toBe(ErrorCodes.QUEUE_NO_PATIENT_PRESENT);
  });

  it(rule('D8'), () => {
    const q = newQueue();
    booked(q, 's', '10:00');
    walkIn(q, 'w', '08:00');
    walkIn(q, 'c', '07:59');
    must(callNext(q, '08:01')); // c called
    const r = must(q.cancel(ctx('08:02'), { entryId: 'c', reason: 'felt better' }));
    expect(r.events[0]).toMatchObject({
      type: 'EntryCancelled',
      payload: { fromStatus: 'called', reason: 'felt better' },
    });
    must(q.cancel(ctx('08:03'), { entryId: 's' }));
    must(q.cancel(ctx('08:04'), { entryId: 'w', reason: '  ' }));
    expect(['s', 'w', 'c'].map((id) => entry(q, id).status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(entry(q, 'w').cancelledAt).toBe(at('08:04'));
    expect(q.pendingEvents().at(-1)?.payload).toMatchObject({ reason: null });
  });

  it(rule('D9'), () => {
    const q = newQueue();
    walkIn(q, 'gone', '08:00');
    walkIn(q, 'w2', '08:10');
    must(q.markAbsent(ctx('08:20'), { entryId: 'gone' }));
    must(q.expireGrace(ctx('08:31')));
    expect(entry(q, 'gone').status).toBe('no_show');
    walkIn(q, 'w3', '08:35');
    const r = must(q.reactivateNoShow(ctx('08:40', 'reception-7'), { entryId: 'gone' }));
    // fresh arrival: behind everyone present, skip count cleared
    expect(line(q)).toEqual(['w2', 'w3', 'gone']);
    expect(entry(q, 'gone')).toMatchObject({
      status: 'waiting',
      checkedInAt: at('08:40'),
      skipCount: 0,
      reactivations: 1,
    });
    expect(r.events).toEqual([
      expect.objectContaining({
        type: 'NoShowReactivated',
        actorId: 'reception-7',
        payload: expect.objectContaining({ freshArrival: true, previousNoShowAt: at('08:30'), position: 3 }),
      }),
    ]);
    // "of today": yesterday's no-show cannot be re-activated into a closed or past queue
    must(q.markAbsent(ctx('08:41'), { entryId: 'gone' }));
    must(q.endDay(ctx('23:00')));
    expect(code(q.reactivateNoShow(ctx('23:01'), { entryId: 'gone' }))).toBe(ErrorCodes.QUEUE_CLOSED);
  });

  it(rule('D10'), () => {
    const q = newQueue();
    booked(q, 'b', '11:00');
    checkIn(q, 'b', '10:05');
    expect(holdsSlotCapacity(entry(q, 'b'))).toBe(true); // a booked visit holds its slot …
    must(q.markAbsent(ctx('10:10'), { entryId: 'b' }));
    expect(holdsSlotCapacity(entry(q, 'b'))).toBe(true); // … while absent within grace …
    must(q.expireGrace(ctx('10:21')));
    expect(entry(q, 'b').status).toBe('no_show');
    expect(holdsSlotCapacity(entry(q, 'b'))).toBe(false); // … a no-show frees it …
    must(q.reactivateNoShow(ctx('10:30'), { entryId: 'b' }));
    // … and the re-activated fresh arrival does not take it back (its slot time stays on record)
    expect(entry(q, 'b')).toMatchObject({ status: 'waiting', slotAt: at('11:00'), reactivations: 1 });
    expect(holdsSlotCapacity(entry(q, 'b'))).toBe(false);
    walkIn(q, 'w', '10:31');
    expect(holdsSlotCapacity(entry(q, 'w'))).toBe(false); // a walk-in never holds a slot
  });
});

describe('Order: who is next', () => {
  it(rule('O1'), () => {
    const q = newQueue();
    walkIn(q, 'n', '08:00');
    walkIn(q, 'u', '08:10', { priority: 'urgent' });
    must(
      q.insertEmergency(ctx('08:20'), {
        entryId: 'e',
        patientId: null,
        patientName: 'E',
        practitionerId: null,
        appointmentTypeId: null,
        expectedDurationMinutes: 20,
        reason: 'bleeding',
      }),
    );
    expect(line(q)).toEqual(['e', 'u', 'n']);
    const called = ['08:30', '08:40', '08:50'].map((t) => {
      startCalled(q, t);
      return must(callNext(q, t)).events.at(-1)?.entryId;
    });
    expect(called).toEqual(['e', 'u', 'n']);
  });

  it(rule('O2'), () => {
    const q = newQueue();
    walkIn(q, 'a', '08:00');
    walkIn(q, 'b', '08:01');
    const noWhy = q.insertEmergency(ctx('08:02', 'dr-x'), {
      entryId: 'e',
      patientId: null,
      patientName: 'E',
      practitionerId: null,
      appointmentTypeId: null,
      expectedDurationMinutes: 20,
      reason: ' ',
    });
    expect(code(noWhy)).toBe(ErrorCodes.QUEUE_REASON_REQUIRED);
    expect(code(q.move(ctx('08:03'), { entryId: 'b', toPosition: 1, reason: '' }))).toBe(
      ErrorCodes.QUEUE_REASON_REQUIRED,
    );
    expect(code(q.setPriority(ctx('08:03'), { entryId: 'b', priority: 'urgent', reason: '' }))).toBe(
      ErrorCodes.QUEUE_REASON_REQUIRED,
    );
    const ins = must(
      q.insertEmergency(ctx('08:04', 'dr-x'), {
        entryId: 'e',
        patientId: null,
        patientName: 'E',
        practitionerId: null,
        appointmentTypeId: null,
        expectedDurationMinutes: 20,
        reason: 'fainted',
      }),
    );
    expect(ins.events[0]).toMatchObject({
      type: 'EmergencyInserted',
      actorId: 'dr-x',
      payload: { reason: 'fainted' },
    });
    const mv = must(q.move(ctx('08:05', 'rec-1'), { entryId: 'b', toPosition: 2, reason: 'elderly' }));
    expect(mv.events[0]).toMatchObject({
      type: 'EntryMoved',
      actorId: 'rec-1',
      correlationId: 'corr-08:05',
      payload: { fromPosition: 3, toPosition: 2, reason: 'elderly' },
    });
    expect(line(q)).toEqual(['e', 'b', 'a']);
    const pr = must(
      q.setPriority(ctx('08:06', 'dr-x'), { entryId: 'a', priority: 'urgent', reason: 'worse' }),
    );
    expect(pr.events[0]).toMatchObject({
      type: 'PriorityChanged',
      actorId: 'dr-x',
      payload: { from: 'normal', to: 'urgent', reason: 'worse' },
    });
    expect(line(q)).toEqual(['e', 'a', 'b']);
  });

  it(rule('O3'), () => {
    const q = newQueue();
    booked(q, 'early', '09:00');
    booked(q, 'edge', '09:10');
    walkIn(q, 'w', '09:05');
    checkIn(q, 'early', '08:40'); // before the slot: slot time
    checkIn(q, 'edge', '09:20'); // exactly tolerance (10) after the slot: still the slot time
    expect(entry(q, 'early').orderKey).toBe(ms('09:00'));
    expect(entry(q, 'edge').orderKey).toBe(ms('09:10'));
    expect(line(q)).toEqual(['early', 'w', 'edge']);
  });

  it(rule('O4'), () => {
    const q = newQueue();
    booked(q, 'late', '09:00');
    walkIn(q, 'w', '09:05');
    checkIn(q, 'late', '09:10:00.001'); // one millisecond past the tolerance: check-in time
    expect(entry(q, 'late').orderKey).toBe(ms('09:10:00.001'));
    expect(entry(q, 'w').orderKey).toBe(ms('09:05'));
    expect(line(q)).toEqual(['w', 'late']);
    expect(q.pendingEvents().at(-1)).toMatchObject({
      type: 'PatientCheckedIn',
      payload: { onTime: false, position: 2 },
    });
  });

  it(rule('O5'), () => {
    const q = newQueue();
    walkIn(q, 'a1', '08:00', { practitionerId: 'dr-a' });
    walkIn(q, 'any1', '08:01');
    walkIn(q, 'b1', '08:02', { practitionerId: 'dr-b' });
    walkIn(q, 'a2', '08:03', { practitionerId: 'dr-a' });
    walkIn(q, 'any2', '08:04');
    const pos = q.positions();
    // pools are disjoint: dr-a's, dr-b's and "any" each count from 1
    expect(Object.fromEntries(pos)).toEqual({ a1: 1, a2: 2, any1: 1, any2: 2, b1: 1 });
    // a called entry is at the desk, no longer ahead in the line
    must(callNext(q, '08:10', 'dr-a'));
    expect(q.positionOf('a2')).toBe(1);
    expect(q.positionOf('a1')).toBeNull();
    // an entry not yet arrived is not counted until it checks in
    booked(q, 'bk', '08:00', { practitionerId: 'dr-a' });
    expect(q.positionOf('a2')).toBe(1);
    checkIn(q, 'bk', '08:09');
    expect(q.positionOf('bk')).toBe(1);
    expect(q.positionOf('a2')).toBe(2);
  });

  it(rule('O7'), () => {
    const q = newQueue(); // check_in_window_minutes 60
    booked(q, 'b', '10:00');
    const early = q.checkIn(ctx('08:59'), { entryId: 'b' });
    expect(early).toMatchObject({
      ok: false,
      error: { code: ErrorCodes.QUEUE_CHECK_IN_TOO_EARLY, details: { opensAt: at('09:00') } },
    });
    expect(entry(q, 'b').status).toBe('scheduled');
    checkIn(q, 'b', '09:00');
    expect(entry(q, 'b').status).toBe('waiting');
    // configurable per clinic
    const wide = newQueue({ check_in_window_minutes: 180 });
    booked(wide, 'b', '10:00');
    checkIn(wide, 'b', '07:00');
    expect(entry(wide, 'b').status).toBe('waiting');
  });

  it(rule('O6'), () => {
    const q = newQueue();
    for (let i = 0; i < 6; i++) walkIn(q, `w${i}`, `08:0${i}`, { practitionerId: i % 2 ? 'dr-a' : null });
    must(q.markAbsent(ctx('08:10'), { entryId: 'w2' }));
    must(q.cancel(ctx('08:11'), { entryId: 'w3' }));
    must(callNext(q, '08:12', null, 'Room 3'));
    must(q.returnFromAbsence(ctx('08:13'), { entryId: 'w2' }));
    const byPool = new Map<string | null, number[]>();
    for (const e of q.entries().filter((x) => x.status === 'waiting')) {
      byPool.set(e.practitionerId, [...(byPool.get(e.practitionerId) ?? []), q.positionOf(e.id) ?? -1]);
    }
    for (const ps of byPool.values()) {
      expect([...ps].sort((a, b) => a - b)).toEqual(ps.map((_, i) => i + 1));
    }
    expect(byPool.get(null)).toEqual([1, 2]);
    expect(byPool.get('dr-a')).toEqual([1, 2]);
  });
});

describe('Calling', () => {
  it(rule('C1'), () => {
    const q = newQueue();
    booked(q, 'b', '09:00', { practitionerId: 'dr-a' });
    walkIn(q, 'w', '08:50');
    checkIn(q, 'b', '08:55');
    const r = must(q.callNext(ctx('09:00'), { practitionerId: 'dr-a', room: 'Room 4' }));
    expect(entry(q, 'w')).toMatchObject({
      status: 'called',
      room: 'Room 4',
      servedBy: 'dr-a',
      calledAt: at('09:00'),
    });
    expect(r.events.at(-1)).toMatchObject({
      type: 'PatientCalled',
      entryId: 'w',
      aggregateId: 'queue-1',
      clinicId: 'clinic-1',
      occurredAt: at('09:00'),
      payload: { ticket: 'A-002', room: 'Room 4', practitionerId: 'dr-a', outOfOrder: false },
    });
    // a room desk calls the "any" pool only
    walkIn(q, 'w2', '09:01');
    const desk = must(q.callNext(ctx('09:02'), { practitionerId: null, room: 'Room 5' }));
    expect(desk.events.at(-1)).toMatchObject({
      entryId: 'w2',
      payload: { room: 'Room 5', practitionerId: null },
    });
    expect(code(q.callNext(ctx('09:03'), { practitionerId: null, room: null }))).toBe(
      ErrorCodes.VALIDATION_FAILED,
    );
  });

  it(rule('C2'), () => {
    const q = newQueue();
    walkIn(q, 'a', '08:00');
    walkIn(q, 'b', '08:01');
    walkIn(q, 'c', '08:02');
    must(callNext(q, '08:10'));
    must(q.start(ctx('08:11'), { entryId: 'a' }));
    const r = must(callNext(q, '08:25'));
    expect(entry(q, 'a')).toMatchObject({ status: 'completed', finishedAt: at('08:25') });
    expect(types(r.events)).toEqual(['ServiceFinished', 'PatientCalled']);
    expect(r.events[0]?.payload).toMatchObject({ automatic: 'auto_finish_on_next', serviceMinutes: 14 });
    // with auto_finish_on_next off, a busy practitioner is refused and nothing changes
    const manual = newQueue({ auto_finish_on_next: false });
    walkIn(manual, 'x', '08:00');
    walkIn(manual, 'y', '08:01');
    must(callNext(manual, '08:10'));
    must(manual.start(ctx('08:11'), { entryId: 'x' }));
    expect(code(callNext(manual, '08:20'))).toBe(ErrorCodes.QUEUE_PRACTITIONER_BUSY);
    expect(entry(manual, 'x').status).toBe('in_service');
  });

  it(rule('C9'), () => {
    const q = newQueue();
    walkIn(q, 'a', '08:00');
    walkIn(q, 'b', '08:01');
    must(callNext(q, '08:10'));
    // the same desk clicks "call next" again 2 ms later: refused, the first patient stays called
    const again = q.callNext(
      { now: '2026-11-24T08:10:00.002Z', actorId: 'staff-1', correlationId: 'c2' },
      { practitionerId: 'dr-a', room: 'Room 4' },
    );
    expect(code(again)).toBe(ErrorCodes.QUEUE_CALLED_NOT_STARTED);
    expect(entry(q, 'a')).toMatchObject({ status: 'called', finishedAt: null });
    expect(entry(q, 'b').status).toBe('waiting');
    expect(q.pendingEvents().filter((e) => e.type === 'ServiceFinished')).toEqual([]);
    // calling out of order from that desk is refused the same way
    expect(
      code(
        q.callSpecific(ctx('08:11'), { entryId: 'b', practitionerId: 'dr-a', room: 'Room 4', reason: 'x' }),
      ),
    ).toBe(ErrorCodes.QUEUE_CALLED_NOT_STARTED);
    // once started (or marked absent), call next works and auto-finishes the started one
    must(q.start(ctx('08:12'), { entryId: 'a' }));
    must(callNext(q, '08:20'));
    expect(entry(q, 'a').status).toBe('completed');
    expect(entry(q, 'b').status).toBe('called');
    // another desk is not blocked by it
    walkIn(q, 'c', '08:21');
    must(q.callNext(ctx('08:22'), { practitionerId: null, room: 'Room 9' }));
    expect(entry(q, 'c').status).toBe('called');
  });

  it(rule('C3'), () => {
    const q = newQueue();
    booked(q, 'absent', '09:00');
    booked(q, 'future', '09:30');
    walkIn(q, 'w', '09:05');
    walkIn(q, 'w2', '09:06');
    const r = must(callNext(q, '09:10'));
    expect(types(r.events)).toEqual(['PatientPassedOver', 'PatientCalled']);
    expect(r.events[0]).toMatchObject({
      entryId: 'absent',
      payload: { skipCount: 1, calledEntryId: 'w', lateHoldOver: false },
    });
    // the slot of 'future' has not come: not passed over
    expect(entry(q, 'future').skipCount).toBe(0);
    expect(entry(q, 'absent')).toMatchObject({ status: 'scheduled', skipCount: 1, orderKey: ms('09:00') });
    // keeps their place: checking in (within tolerance) puts them first
    checkIn(q, 'absent', '09:10');
    expect(line(q)).toEqual(['absent', 'w2']);
  });

  it(rule('C4'), () => {
    const q = newQueue();
    walkIn(q, 'a', '08:00');
    walkIn(q, 'b', '08:01');
    const noReason = q.callSpecific(ctx('08:10'), {
      entryId: 'b',
      practitionerId: 'dr-a',
      room: 'R1',
      reason: '  ',
    });
    expect(code(noReason)).toBe(ErrorCodes.QUEUE_REASON_REQUIRED);
    expect(entry(q, 'b').status).toBe('waiting');
    const r = must(
      q.callSpecific(ctx('08:10'), {
        entryId: 'b',
        practitionerId: 'dr-a',
        room: 'R1',
        reason: 'needs the ECG room',
      }),
    );
    expect(r.events.find((e) => e.type === 'PatientCalled')).toMatchObject({
      entryId: 'b',
      payload: { outOfOrder: true, reason: 'needs the ECG room', room: 'R1' },
    });
  });

  it(rule('C5'), () => {
    const q = newQueue();
    walkIn(q, 'a', '08:00');
    walkIn(q, 'b', '08:01');
    booked(q, 'notHere', '07:30');
    walkIn(q, 'c', '08:02');
    walkIn(q, 'after', '08:03');
    const r = must(
      q.callSpecific(ctx('08:10'), {
        entryId: 'c',
        practitionerId: 'dr-a',
        room: 'R',
        reason: 'x-ray ready',
      }),
    );
    const overtaken = r.events.filter((e) => e.type === 'PatientOvertaken');
    expect(overtaken.map((e) => [e.entryId, e.payload])).toEqual([
      [
        'a',
        expect.objectContaining({
          skipCount: 1,
          position: 1,
          overtakenByEntryId: 'c',
          reason: 'x-ray ready',
        }),
      ],
      ['b', expect.objectContaining({ skipCount: 1, position: 2 })],
    ]);
    // only present entries ahead are overtaken: not the absent booking, not the one behind
    expect(entry(q, 'notHere').skipCount).toBe(0);
    expect(entry(q, 'after').skipCount).toBe(0);
  });

  it(rule('C6'), () => {
    const q = newQueue(); // max_skips 3
    walkIn(q, 'starved', '08:00');
    for (let i = 1; i <= 3; i++) walkIn(q, `v${i}`, `08:0${i}`);
    walkIn(q, 'later', '08:05');
    for (let i = 1; i <= 3; i++) {
      startCalled(q, `08:1${i}`, 'dr-a', 'R');
      must(
        q.callSpecific(ctx(`08:1${i}`), {
          entryId: `v${i}`,
          practitionerId: 'dr-a',
          room: 'R',
          reason: 'lab',
        }),
      );
    }
    expect(entry(q, 'starved').skipCount).toBe(3);
    // an emergency still goes first …
    must(
      q.insertEmergency(ctx('08:20'), {
        entryId: 'e',
        patientId: null,
        patientName: 'E',
        practitionerId: null,
        appointmentTypeId: null,
        expectedDurationMinutes: 20,
        reason: 'collapse',
      }),
    );
    startCalled(q, '08:21');
    expect(must(callNext(q, '08:21')).events.at(-1)?.entryId).toBe('e');
    // … then call next picks the starved entry
    startCalled(q, '08:30');
    expect(must(callNext(q, '08:30')).events.at(-1)?.entryId).toBe('starved');
    // and picks it even when it is not first in order: those ahead are overtaken (event each)
    const q2 = newQueue({ max_skips: 1 });
    booked(q2, 'b', '08:05');
    walkIn(q2, 'x', '08:06');
    walkIn(q2, 'y', '08:07');
    must(q2.callSpecific(ctx('08:08'), { entryId: 'y', practitionerId: 'dr-a', room: 'R', reason: 'lab' }));
    expect(entry(q2, 'x').skipCount).toBe(1);
    checkIn(q2, 'b', '08:09'); // on time: slot key 08:05, ahead of x
    expect(line(q2)).toEqual(['b', 'x']);
    startCalled(q2, '08:10');
    const r = must(callNext(q2, '08:10'));
    expect(r.events.find((e) => e.type === 'PatientCalled')?.entryId).toBe('x');
    expect(types(r.events)).not.toContain('PatientPassedOver'); // b is present: overtaken, not passed over
    expect(r.events.filter((e) => e.type === 'PatientOvertaken')).toMatchObject([
      {
        entryId: 'b',
        payload: { skipCount: 1, reason: 'no_starvation', overtakenByEntryId: 'x', position: 1 },
      },
    ]);
  });

  it(rule('C7'), () => {
    const q = newQueue({ max_skips: 2 });
    walkIn(q, 's', '08:00');
    walkIn(q, 'a', '08:01');
    walkIn(q, 'b', '08:02');
    walkIn(q, 'c', '08:03');
    must(q.callSpecific(ctx('08:10'), { entryId: 'a', practitionerId: 'dr-a', room: 'R', reason: 'r' }));
    startCalled(q, '08:20', 'dr-a', 'R');
    must(q.callSpecific(ctx('08:20'), { entryId: 'b', practitionerId: 'dr-a', room: 'R', reason: 'r' }));
    const before = JSON.stringify(q.toSnapshot());
    const refused = q.callSpecific(ctx('08:30'), {
      entryId: 'c',
      practitionerId: 'dr-a',
      room: 'R',
      reason: 'r',
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: ErrorCodes.QUEUE_SKIP_CAP_REACHED, details: { mustCallEntryId: 's' } },
    });
    expect(JSON.stringify(q.toSnapshot())).toBe(before);
    // an emergency may still be called out of order
    must(q.setPriority(ctx('08:31'), { entryId: 'c', priority: 'emergency', reason: 'seizure' }));
    startCalled(q, '08:32', 'dr-a', 'R');
    must(
      q.callSpecific(ctx('08:32'), { entryId: 'c', practitionerId: 'dr-a', room: 'R', reason: 'seizure' }),
    );
    // and the starved entry itself may be called specifically
    startCalled(q, '08:40', 'dr-a', 'R');
    must(
      q.callSpecific(ctx('08:40'), { entryId: 's', practitionerId: 'dr-a', room: 'R', reason: 'its turn' }),
    );
    expect(entry(q, 's').status).toBe('called');
  });

  it(rule('C8'), () => {
    const q = newQueue();
    booked(q, 'notYet', '09:00');
    const r = callNext(q, '09:05');
    expect(r).toMatchObject({ ok: false, error: { code: ErrorCodes.QUEUE_NO_PATIENT_PRESENT } });
    // nothing changed: not even the pass-over of the absent booking
    expect(entry(q, 'notYet').skipCount).toBe(0);
    expect(q.pendingEvents().map((e) => e.type)).toEqual(['EntryScheduled']);
  });
});

describe('Absence, grace period, late arrival', () => {
  it(rule('A1'), () => {
    const q = newQueue();
    walkIn(q, 'a', '08:00');
    walkIn(q, 'w', '08:01');
    must(callNext(q, '08:10'));
    const r = must(q.markAbsent(ctx('08:12'), { entryId: 'a' }));
    expect(entry(q, 'a')).toMatchObject({
      status: 'absent',
      absentAt: at('08:12'),
      graceEndsAt: at('08:22'),
    });
    expect(r.events[0]).toMatchObject({
      type: 'PatientMarkedAbsent',
      payload: { fromStatus: 'called', graceMinutes: 10, graceEndsAt: at('08:22'), room: 'Room 1' },
    });
    // also from waiting ("not in the room at their turn"); it frees the desk
    must(q.markAbsent(ctx('08:13'), { entryId: 'w' }));
    expect(entry(q, 'w').status).toBe('absent');
    expect(entry(q, 'a').servedBy).toBeNull();
  });

  it(rule('A2'), () => {
    const q = newQueue({ grace_period_minutes: 7 });
    walkIn(q, 'a', '08:00');
    const r = must(q.markAbsent(ctx('08:10'), { entryId: 'a' }));
    const ev = r.events[0];
    expect(ev?.type).toBe('PatientMarkedAbsent');
    const e = entry(q, 'a');
    const dbMinutes =
      (new Date(e.graceEndsAt ?? '').getTime() - new Date(e.absentAt ?? '').getTime()) / 60_000;
    expect(ev?.payload).toMatchObject({ graceMinutes: 7, graceEndsAt: e.graceEndsAt });
    expect(dbMinutes).toBe(7);
    expect(q.settings.grace_period_minutes).toBe(7);
  });

  it(rule('A3'), () => {
    const q = newQueue(); // after_next, offset 1
    walkIn(q, 'r', '08:00');
    walkIn(q, 'a', '08:01');
    walkIn(q, 'b', '08:02');
    walkIn(q, 'c', '08:03');
    must(q.markAbsent(ctx('08:05'), { entryId: 'r' }));
    const r = must(q.returnFromAbsence(ctx('08:14'), { entryId: 'r' }));
    expect(line(q)).toEqual(['a', 'r', 'b', 'c']);
    expect(r.events[0]).toMatchObject({
      type: 'PatientReturned',
      payload: { policy: 'after_next', offset: 1, position: 2 },
    });
    expect(entry(q, 'r').graceEndsAt).toBeNull();
    // offset 2, and fewer present than the offset → end
    const q2 = newQueue({ late_return_offset: 2 });
    walkIn(q2, 'r', '08:00');
    walkIn(q2, 'a', '08:01');
    must(q2.markAbsent(ctx('08:05'), { entryId: 'r' }));
    must(q2.returnFromAbsence(ctx('08:06'), { entryId: 'r' }));
    expect(line(q2)).toEqual(['a', 'r']);
    // after the grace: refused, coded
    const q3 = newQueue();
    walkIn(q3, 'r', '08:00');
    must(q3.markAbsent(ctx('08:05'), { entryId: 'r' }));
    expect(code(q3.returnFromAbsence(ctx('08:15'), { entryId: 'r' }))).toBe(ErrorCodes.QUEUE_GRACE_EXPIRED);
  });

  it(rule('A4'), () => {
    for (const [policy, expected, position] of [
      ['front', ['r', 'a', 'b'], 1],
      ['end', ['a', 'b', 'r'], 3],
    ] as const) {
      const q = newQueue({ late_return_policy: policy });
      walkIn(q, 'r', '08:00');
      walkIn(q, 'a', '08:01');
      walkIn(q, 'b', '08:02');
      must(q.markAbsent(ctx('08:05'), { entryId: 'r' }));
      const r = must(q.returnFromAbsence(ctx('08:09'), { entryId: 'r' }));
      expect(line(q)).toEqual(expected);
      expect(r.events[0]).toMatchObject({ type: 'PatientReturned', payload: { policy, position } });
    }
  });

  it(rule('A5'), () => {
    const q = newQueue();
    walkIn(q, 'a', '08:00');
    walkIn(q, 'b', '08:01');
    must(q.markAbsent(ctx('08:05'), { entryId: 'a' }));
    // loading a saved queue later and applying expiry (what the service does on load and the sweep does)
    const reloaded = QueueAggregate.load(q.toSnapshot());
    const r = must(reloaded.expireGrace(ctx('08:15')));
    expect(r.events).toMatchObject([{ type: 'GraceExpired', entryId: 'a' }]);
    expect(entry(reloaded, 'a').status).toBe('no_show');
    // any other command also applies it first (here: one minute before the end nothing happens)
    const other = QueueAggregate.load(q.toSnapshot());
    must(other.expireGrace(ctx('08:14')));
    expect(entry(other, 'a').status).toBe('absent');
    const call = must(callNext(other, '08:16'));
    expect(types(call.events)).toEqual(['GraceExpired', 'PatientCalled']);
    expect(entry(other, 'a').status).toBe('no_show');
  });

  it(rule('A6'), () => {
    const base = newQueue();
    walkIn(base, 'a', '08:00');
    must(base.markAbsent(ctx('08:05'), { entryId: 'a' }));
    const soon = QueueAggregate.load(base.toSnapshot());
    const late = QueueAggregate.load(base.toSnapshot());
    must(soon.expireGrace(ctx('08:15')));
    must(late.expireGrace(ctx('11:40')));
    expect(entry(soon, 'a').noShowAt).toBe(at('08:15'));
    expect(entry(late, 'a').noShowAt).toBe(at('08:15'));
  });

  it(rule('A7'), () => {
    const q = newQueue();
    booked(q, 'b', '09:00');
    const r = must(q.runningLate(ctx('08:45', null), { entryId: 'b', source: 'tracking_link' }));
    expect(entry(q, 'b')).toMatchObject({ status: 'scheduled', runningLateAt: at('08:45') });
    expect(r.events[0]).toMatchObject({
      type: 'PatientRunningLate',
      actorId: null,
      payload: { source: 'tracking_link' },
    });
    // saying it again changes nothing
    expect(must(q.runningLate(ctx('08:50'), { entryId: 'b', source: 'sms' })).events).toEqual([]);
    // once present it is not "before their turn" in the waiting room any more
    checkIn(q, 'b', '09:05');
    expect(code(q.runningLate(ctx('09:06'), { entryId: 'b', source: 'app' }))).toBe(
      ErrorCodes.QUEUE_ILLEGAL_TRANSITION,
    );
  });

  it(rule('A8'), () => {
    const q = newQueue(); // grace 10
    booked(q, 'late', '09:00');
    must(q.runningLate(ctx('08:50'), { entryId: 'late', source: 'sms' }));
    for (let i = 0; i < 4; i++) walkIn(q, `w${i}`, `09:01:0${i}`);
    const first = must(callNext(q, '09:02'));
    expect(types(first.events)).toEqual(['LatePatientHeld', 'PatientCalled']);
    expect(first.events[0]?.payload).toMatchObject({ turnCameAt: at('09:02'), holdUntil: at('09:12') });
    startCalled(q, '09:11');
    must(callNext(q, '09:11')); // still within the hold: not passed over
    expect(entry(q, 'late')).toMatchObject({ skipCount: 0, lateTurnAt: at('09:02'), status: 'scheduled' });
    startCalled(q, '09:12');
    const after = must(callNext(q, '09:12')); // hold over: passed over like anyone not present
    expect(after.events.find((e) => e.type === 'PatientPassedOver')).toMatchObject({
      entryId: 'late',
      payload: { skipCount: 1, lateHoldOver: true },
    });
  });
});

describe('Ending the day', () => {
  const dayWithEverything = () => {
    const q = newQueue();
    walkIn(q, 'served', '08:00', { practitionerId: 'dr-a' });
    walkIn(q, 'inService', '08:05', { practitionerId: 'dr-b' });
    walkIn(q, 'called', '08:06');
    walkIn(q, 'waiting', '08:07');
    walkIn(q, 'absent', '08:08');
    booked(q, 'scheduled', '11:00');
    must(callNext(q, '08:10', 'dr-a'));
    must(q.start(ctx('08:12'), { entryId: 'served' }));
    must(q.finish(ctx('08:32'), { entryId: 'served' }));
    must(callNext(q, '08:35', 'dr-b', 'Room 2'));
    must(q.start(ctx('08:36'), { entryId: 'inService' }));
    must(callNext(q, '08:40', null, 'Room 3'));
    must(q.markAbsent(ctx('08:41'), { entryId: 'absent' }));
    return q;
  };

  it(rule('E1'), () => {
    const q = dayWithEverything();
    const r = must(q.endDay(ctx('08:45')));
    expect(entry(q, 'inService')).toMatchObject({ status: 'completed', finishedAt: at('08:45') });
    expect(entry(q, 'called').status).toBe('completed');
    expect(r.events.at(-1)?.payload).toMatchObject({ completedEntryIds: ['inService', 'called'] });
  });

  it(rule('E2'), () => {
    const q = dayWithEverything();
    const r = must(q.endDay(ctx('08:45')));
    expect(r.events.at(-1)?.payload).toMatchObject({ noShowEntryIds: ['waiting', 'absent', 'scheduled'] });
    expect(['waiting', 'absent', 'scheduled'].map((id) => entry(q, id).status)).toEqual([
      'no_show',
      'no_show',
      'no_show',
    ]);
    expect(q.state).toMatchObject({ status: 'closed', closedAt: at('08:45') });
    expect(q.pendingQueueState()).toMatchObject({ status: 'closed' });
    const closed = q.addWalkIn(ctx('08:50'), {
      entryId: 'n',
      patientId: null,
      patientName: 'N',
      practitionerId: null,
      appointmentTypeId: null,
      expectedDurationMinutes: 5,
    });
    expect(code(closed)).toBe(ErrorCodes.QUEUE_CLOSED);
    expect(code(q.endDay(ctx('08:51')))).toBe(ErrorCodes.QUEUE_CLOSED);
  });

  it(rule('E3'), () => {
    const q = dayWithEverything();
    const r = must(q.endDay(ctx('08:45')));
    // waits: served 10, inService 30, called 34 (minutes from check-in to call)
    const summary = q.state.summary;
    expect(summary).toEqual({
      served: 2, // served + inService: "called" was never started, so not seen (issue 15.14)
      noShows: 3,
      cancelled: 0,
      averageWaitMinutes: (10 + 30 + 34) / 3,
      p90WaitMinutes: 34,
      serviceByPractitioner: [
        { practitionerId: 'dr-a', served: 1, averageServiceMinutes: 20 },
        { practitionerId: 'dr-b', served: 1, averageServiceMinutes: 9 },
      ],
    });
    expect(r.events.at(-1)).toMatchObject({ type: 'DayEnded', entryId: null, payload: { summary } });
  });

  it(rule('E4'), () => {
    const q = dayWithEverything();
    // automatically, by the system, after midnight (closing 23:00 + 2 h): allowed although not "today"
    const r = must(
      q.endDay(
        { now: '2026-11-25T00:30:00.000Z', actorId: null, correlationId: 'sweep' },
        { automatic: true },
      ),
    );
    expect(r.events.at(-1)).toMatchObject({ type: 'DayEnded', actorId: null, payload: { automatic: true } });
    const staff = dayWithEverything();
    expect(must(staff.endDay(ctx('18:00', 'owner-1'))).events.at(-1)).toMatchObject({
      actorId: 'owner-1',
      payload: { automatic: false },
    });
  });
});

describe('rule map', () => {
  afterAll(() => {
    expect(Object.keys(RULES).filter((id) => used.get(id) !== 1)).toEqual([]);
    expect(Object.keys(RULES)).toHaveLength(38);
  });
  it('every rule of the table has exactly one test', () => {
    expect(used.size).toBe(Object.keys(RULES).length);
  });
});
