/**
 * One payload schema per event type, in TS and SQL (issue 11): the events the domain records
 * (QueueAggregate, src/services/queue/events/*Event.ts) against private.queue_event_payload_schema(), which
 * verify_step enforces on every step a browser sends. A scripted day in the aggregate records every event
 * type; on both databases each recorded payload passes private.queue_event_payload_problem, and each type's
 * schema has exactly the keys the domain writes (optional keys aside).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  QUEUE_CONTROL_EVENT_TYPES,
  QUEUE_EVENT_TYPES,
  type QueueDomainEvent,
} from '../../src/services/queue/events';
import { undoableStep } from '../../src/services/queue/models/UndoStep';
import {
  at,
  booked,
  checkIn,
  ctx,
  must,
  newQueue,
  startCalled,
  walkIn,
} from '../../src/services/queue/models/testing/queueTestKit';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';

/** A clinic day in the aggregate that records every event type at least once. */
const scriptedDay = (): QueueDomainEvent[] => {
  const q = newQueue({ grace_period_minutes: 10 });
  const events: QueueDomainEvent[] = [];
  const keep = (r: { events: readonly QueueDomainEvent[] }) => events.push(...r.events);
  keep(booked(q, 'b-late', '08:00')); // EntryScheduled
  keep(booked(q, 'b-away', '07:55'));
  keep(walkIn(q, 'w1', '08:01')); // WalkInAdded
  keep(walkIn(q, 'w2', '08:02'));
  keep(walkIn(q, 'w3', '08:03'));
  keep(must(q.runningLate(ctx('08:04'), { entryId: 'b-late', source: 'sms' }))); // PatientRunningLate
  // b-late is late (held: LatePatientHeld), b-away not here (PatientPassedOver); w1 is called
  keep(must(q.callNext(ctx('08:10'), { practitionerId: 'dr-a', room: 'Room 1' })));
  keep(must(q.start(ctx('08:11'), { entryId: 'w1' }))); // ServiceStarted
  keep(must(q.finish(ctx('08:20'), { entryId: 'w1' }))); // ServiceFinished
  // out of order: w3 before w2 (PatientOvertaken), with a reason
  keep(
    must(
      q.callSpecific(ctx('08:21'), { practitionerId: 'dr-a', room: 'Room 1', entryId: 'w3', reason: 'lab' }),
    ),
  );
  keep(must(q.markAbsent(ctx('08:22'), { entryId: 'w3' }))); // PatientMarkedAbsent
  keep(must(q.returnFromAbsence(ctx('08:23'), { entryId: 'w3' }))); // PatientReturned
  keep(must(q.markAbsent(ctx('08:24'), { entryId: 'w3' })));
  keep(must(q.expireGrace(ctx('08:40')))); // GraceExpired
  keep(must(q.reactivateNoShow(ctx('08:41'), { entryId: 'w3' }))); // NoShowReactivated
  keep(checkIn(q, 'b-away', '08:42')); // PatientCheckedIn
  const beforeMove = new Map(q.entries().map((e) => [e.id, e] as const));
  const moved = must(
    q.move(ctx('08:45'), { entryId: 'b-away', toPosition: 1, practitionerId: null, reason: 'asked' }),
  );
  keep(moved); // EntryMoved
  const undoable = undoableStep('corr-08:45', at('08:45'), moved.events, beforeMove, moved.changedEntries);
  if (undoable === null) throw new Error('a move is undoable');
  keep(must(q.undo({ ...ctx('08:45'), correlationId: 'corr-undo' }, undoable))); // StepUndone
  keep(
    must(q.move(ctx('08:45'), { entryId: 'b-away', toPosition: 1, practitionerId: null, reason: 'asked' })),
  );
  keep(
    must(
      q.transfer(ctx('08:46'), { entryId: 'b-away', practitionerId: 'dr-b', reason: 'dr-a is in surgery' }),
    ),
  ); // EntryMoved (transfer)
  keep(
    must(
      q.insertEmergency(ctx('08:43'), {
        entryId: 'e1',
        patientId: null,
        patientName: 'E',
        practitionerId: null,
        appointmentTypeId: null,
        expectedDurationMinutes: 15,
        reason: 'chest pain',
      }),
    ),
  ); // EmergencyInserted
  keep(must(q.setPriority(ctx('08:44'), { entryId: 'w2', priority: 'urgent', reason: 'pregnant' }))); // PriorityChanged
  keep(must(q.cancel(ctx('08:46'), { entryId: 'b-late', reason: 'went home' }))); // EntryCancelled
  startCalled(q, '08:47');
  keep(must(q.endDay(ctx('20:00'), { automatic: true }))); // DayEnded
  return events;
};

describe('the scripted day', () => {
  it('records every event type of the vocabulary', () => {
    expect([...new Set(scriptedDay().map((e) => e.type))].sort()).toEqual([...QUEUE_EVENT_TYPES].sort());
  });
});

describe.each(DB_KINDS)('event payloads: TS domain = SQL schema on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind, { poolSize: 2 });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('every payload the domain records passes private.queue_event_payload_problem', async () => {
    const events = scriptedDay();
    const { rows } = await t.db.query<{ type: string; problem: string | null }>(
      `select x ->> 'type' as type, private.queue_event_payload_problem(x ->> 'type', x -> 'payload') as problem
       from jsonb_array_elements($1::jsonb) x`,
      // as the repository sends them (JSON: undefined fields vanish)
      [JSON.stringify(events.map((e) => ({ type: e.type, payload: e.payload })))],
    );
    expect(rows.filter((r) => r.problem !== null)).toEqual([]);
    expect(rows).toHaveLength(events.length);
  });

  it("each type's schema has exactly the keys the domain writes (and a schema for every type)", async () => {
    const { rows } = await t.db.query<{ s: Record<string, Record<string, string[]>> }>(
      'select private.queue_event_payload_schema() as s',
    );
    const schema = rows[0]!.s;
    // the domain's events and the pause RPCs' control events (dbEvents.test.ts), nothing else
    expect(Object.keys(schema).sort()).toEqual([...QUEUE_EVENT_TYPES, ...QUEUE_CONTROL_EVENT_TYPES].sort());
    const written = new Map<string, Set<string>>();
    for (const e of scriptedDay()) {
      const keys = written.get(e.type) ?? new Set<string>();
      for (const k of Object.keys(JSON.parse(JSON.stringify(e.payload)) as object)) keys.add(k);
      written.set(e.type, keys);
    }
    for (const type of QUEUE_EVENT_TYPES) {
      const required = Object.keys(schema[type] ?? {}).filter((k) => !k.endsWith('?'));
      const optional = new Set(
        Object.keys(schema[type] ?? {})
          .filter((k) => k.endsWith('?'))
          .map((k) => k.slice(0, -1)),
      );
      // every key the schema requires is written, and the domain writes nothing the schema lacks
      // (an optional key — e.g. EntryMoved's `transfer` — may be written or not)
      const keys = [...(written.get(type) ?? [])].filter((k) => !optional.has(k) || required.includes(k));
      expect({ type, keys: keys.sort() }).toEqual({ type, keys: required.sort() });
    }
  });
});
