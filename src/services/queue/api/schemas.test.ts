import { describe, expect, it } from 'vitest';
import {
  AddWalkInInputSchema,
  CallNextInputSchema,
  CommandContextSchema,
  MoveInputSchema,
  parseQueueSnapshot,
  QueueAggregate,
  RunningLateInputSchema,
} from './index';

const row = {
  id: 'e1',
  patientId: null,
  patientName: 'Amina B.',
  ticketNumber: 14,
  practitionerId: null,
  appointmentTypeId: null,
  expectedDurationMinutes: 15,
  priority: 'normal',
  kind: 'booked',
  status: 'waiting',
  slotAt: '2026-11-24 08:00:00+00',
  checkedInAt: '2026-11-24T08:55:00+01:00',
  orderKey: 1_763_971_200_000,
  calledAt: null,
  startedAt: null,
  finishedAt: null,
  absentAt: null,
  graceEndsAt: null,
  runningLateAt: null,
  lateTurnAt: null,
  cancelledAt: null,
  noShowAt: null,
};
const queue = { id: 'q1', clinicId: 'c1', day: '2026-11-24', version: 3, status: 'open' };

describe('queue api schemas', () => {
  it('parses a snapshot as the database returns it: timestamps normalised, defaults filled, ready to load', () => {
    const parsed = parseQueueSnapshot({ queue, entries: [row], settings: {} });
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    const s = parsed.data;
    expect(s.queue).toMatchObject({ timeZone: 'Africa/Casablanca', closedAt: null, summary: null });
    expect(s.entries[0]).toMatchObject({
      slotAt: '2026-11-24T08:00:00.000Z',
      checkedInAt: '2026-11-24T07:55:00.000Z',
      orderTiebreak: 14,
      skipCount: 0,
      room: null,
      servedBy: null,
      reactivations: 0,
      appointmentId: null,
    });
    expect(s.settings.max_skips).toBe(3);
    const q = QueueAggregate.load(s);
    expect(q.positionOf('e1')).toBe(1);
  });

  it('rejects unknown time zones, bad timestamps, statuses and settings', () => {
    expect(
      parseQueueSnapshot({ queue: { ...queue, timeZone: 'Nowhere/City' }, entries: [], settings: {} })
        .success,
    ).toBe(false);
    expect(
      parseQueueSnapshot({ queue, entries: [{ ...row, calledAt: 'yesterday-ish' }], settings: {} }).success,
    ).toBe(false);
    expect(parseQueueSnapshot({ queue, entries: [{ ...row, status: 'lost' }], settings: {} }).success).toBe(
      false,
    );
    expect(parseQueueSnapshot({ queue, entries: [], settings: { max_skips: 0 } }).success).toBe(false);
    expect(
      parseQueueSnapshot({ queue: { ...queue, day: '24/11/2026' }, entries: [], settings: {} }).success,
    ).toBe(false);
  });

  it('validates command inputs at the boundary', () => {
    expect(
      CommandContextSchema.parse({ now: new Date('2026-11-24T08:00:00Z'), actorId: null, correlationId: 'x' })
        .now,
    ).toBe('2026-11-24T08:00:00.000Z');
    expect(
      AddWalkInInputSchema.parse({ entryId: 'w', patientName: ' Said ', expectedDurationMinutes: 10 }),
    ).toEqual({
      entryId: 'w',
      patientId: null,
      patientName: 'Said',
      practitionerId: null,
      appointmentTypeId: null,
      expectedDurationMinutes: 10,
    });
    expect(
      AddWalkInInputSchema.safeParse({
        entryId: 'w',
        patientName: 'S',
        expectedDurationMinutes: 10,
        priority: 'emergency',
      }).success,
    ).toBe(false);
    expect(CallNextInputSchema.parse({ practitionerId: 'dr-a' })).toEqual({
      practitionerId: 'dr-a',
      room: null,
    });
    expect(MoveInputSchema.safeParse({ entryId: 'e', toPosition: 1, reason: '  ' }).success).toBe(false);
    expect(RunningLateInputSchema.safeParse({ entryId: 'e', source: 'pigeon' }).success).toBe(false);
  });
});

describe('queue event records', () => {
  it('every event the aggregate records parses as an event-log row', async () => {
    const { QueueEventRecordSchema } = await import('./index');
    const { newQueue, walkIn, callNext, must, ctx } = await import('../models/testing/queueTestKit');
    const q = newQueue();
    walkIn(q, 'a', '08:00');
    walkIn(q, 'b', '08:01');
    must(callNext(q, '08:02'));
    must(q.markAbsent(ctx('08:03'), { entryId: 'b' }));
    must(q.endDay(ctx('18:00')));
    const events = q.pendingEvents();
    expect(events.map((e) => e.type)).toEqual([
      'WalkInAdded',
      'WalkInAdded',
      'PatientCalled',
      'PatientMarkedAbsent',
      'GraceExpired',
      'DayEnded',
    ]);
    for (const e of events) expect(QueueEventRecordSchema.parse(JSON.parse(JSON.stringify(e)))).toEqual(e);
    expect(QueueEventRecordSchema.safeParse({ ...events[0], type: 'PatientTeleported' }).success).toBe(false);
  });
});
