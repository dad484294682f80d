import { describe, expect, it } from 'vitest';
import type { QueueEntry } from '../api';
import {
  EntryRowSchema,
  entryChangeRow,
  entryDiffRow,
  entryFromRow,
  entryInsertRow,
  msToSecondsDecimal,
  secondsDecimalToMs,
} from './queueEntryRow';

describe('queue entry order key ↔ numeric seconds', () => {
  it.each([
    0, 1, 999, 1_764_578_400_123, 1_764_578_400_123.5, 1_764_578_400_000.0625, 99.9, -1500, 1999999.9,
  ])('%s ms survives the round trip exactly', (ms) => {
    expect(secondsDecimalToMs(msToSecondsDecimal(ms))).toBe(ms);
  });

  it('reads what PostgreSQL prints for numeric (trailing zeros, integers, JSON numbers)', () => {
    expect(secondsDecimalToMs('1764578400.1234000')).toBe(1_764_578_400_123.4);
    expect(secondsDecimalToMs('2000')).toBe(2_000_000);
    expect(secondsDecimalToMs('0.0005')).toBe(0.5);
    expect(secondsDecimalToMs('-1.5')).toBe(-1500);
  });
});

describe('a save sends only the columns that changed (issue 12)', () => {
  const loaded = {
    id: 'e1',
    appointmentId: null,
    patientId: 'p1',
    patientName: 'Amina',
    ticketNumber: 3,
    practitionerId: null,
    appointmentTypeId: null,
    expectedDurationMinutes: 15,
    priority: 'normal',
    kind: 'walk_in',
    status: 'waiting',
    slotAt: null,
    checkedInAt: '2026-11-24T08:00:00.000Z',
    orderKey: 1_764_000_000_000,
    orderTiebreak: 3,
    calledAt: null,
    startedAt: null,
    finishedAt: null,
    absentAt: null,
    graceEndsAt: null,
    runningLateAt: null,
    lateTurnAt: null,
    cancelledAt: null,
    noShowAt: null,
    skipCount: 0,
    room: null,
    servedBy: null,
    reactivations: 0,
  } as const satisfies QueueEntry;

  it('a call sends the id, status, time, room and desk — nothing else', () => {
    const called = {
      ...loaded,
      status: 'called',
      calledAt: '2026-11-24T08:10:00.000Z',
      room: 'Room 1',
      servedBy: 'dr',
    } as const;
    expect(entryDiffRow(called, loaded)).toEqual({
      id: 'e1',
      status: 'called',
      called_at: '2026-11-24T08:10:00.000Z',
      called_room: 'Room 1',
      served_by: 'dr',
    });
  });

  it('a cleared field travels as null; without the loaded entry every changeable column is sent', () => {
    const back = { ...loaded, checkedInAt: null };
    expect(entryDiffRow(back, loaded)).toEqual({ id: 'e1', checked_in_at: null });
    expect(Object.keys(entryDiffRow(loaded, undefined))).toEqual(Object.keys(entryChangeRow(loaded)));
  });
});

describe('a booked entry round-trips its appointment (issue 11)', () => {
  const booked = (appointmentId: string | null): QueueEntry => ({
    id: 'a5000000-0000-4000-8000-000000000077',
    appointmentId,
    patientId: 'a3000000-0000-4000-8000-000000000001',
    patientName: 'Amina',
    ticketNumber: 4,
    practitionerId: null,
    appointmentTypeId: null,
    expectedDurationMinutes: 15,
    priority: 'normal',
    kind: 'booked',
    status: 'scheduled',
    slotAt: '2026-11-24T09:00:00.000Z',
    checkedInAt: null,
    orderKey: Date.parse('2026-11-24T09:00:00.000Z'),
    orderTiebreak: 4,
    calledAt: null,
    startedAt: null,
    finishedAt: null,
    absentAt: null,
    graceEndsAt: null,
    runningLateAt: null,
    lateTurnAt: null,
    cancelledAt: null,
    noShowAt: null,
    skipCount: 0,
    room: null,
    servedBy: null,
    reactivations: 0,
  });
  /** What the database stores for a saved entry (its columns, the rest at their defaults), read back. */
  const saveAndLoad = (e: QueueEntry) => {
    const row = { ...entryInsertRow(e), id: e.id, patient: { full_name: e.patientName } } as Record<
      string,
      unknown
    >;
    for (const k of Object.keys(EntryRowSchema.shape)) if (!(k in row)) row[k] = null;
    row.order_key = String(row.order_key);
    return entryFromRow(EntryRowSchema.parse(row), new Map(), 15) as QueueEntry;
  };

  it('a booked entry saved without an appointment loads back without one (not with its own id)', () => {
    expect(saveAndLoad(booked(null)).appointmentId).toBeNull();
  });
  it('a booked entry of an appointment loads back with that appointment', () => {
    const id = 'a6000000-0000-4000-8000-000000000009';
    expect(saveAndLoad(booked(id)).appointmentId).toBe(id);
  });
});

describe('an entry row is parsed once, with the domain’s constraints (issue 12)', () => {
  const row = {
    id: 'e7',
    patient_id: 'p7',
    practitioner_id: null,
    appointment_type_id: null,
    kind: 'walk_in',
    status: 'waiting',
    priority: 'urgent',
    ticket_number: 7,
    order_key: '1764578400.5',
    order_tiebreak: '7',
    skip_count: 1,
    slot_start: null,
    running_late_at: null,
    running_late_minutes: null,
    late_turn_at: null,
    checked_in_at: '2026-11-24 08:00:00.5+00',
    called_at: null,
    started_at: null,
    finished_at: null,
    absent_at: null,
    grace_ends_at: null,
    no_show_at: null,
    cancelled_at: null,
    called_room: null,
    served_by: null,
    reactivations: 0,
    expected_duration_minutes: null,
    appointment_id: null,
    patient: { full_name: 'Salma' },
  };

  it('a valid row maps straight to the entry QueueSnapshotSchema would have produced', async () => {
    const { QueueSnapshotSchema } = await import('../api');
    const entry = entryFromRow(EntryRowSchema.parse(row), new Map(), 20);
    const queue = { id: 'q', clinicId: 'c', day: '2026-11-24', version: 1, status: 'open' };
    const twice = QueueSnapshotSchema.parse({ queue, settings: {}, entries: [entry] });
    expect(twice.entries[0]).toEqual(entry);
    expect(entry).toMatchObject({
      checkedInAt: '2026-11-24T08:00:00.500Z',
      orderKey: 1_764_578_400_500,
      expectedDurationMinutes: 20,
    });
  });

  it.each([
    ['an unknown status', { status: 'lost' }],
    ['an unknown priority', { priority: 'vip' }],
    ['an unreadable timestamp', { called_at: 'yesterday-ish' }],
    ['a ticket number 0', { ticket_number: 0 }],
    ['a negative skip count', { skip_count: -1 }],
    ['an order key that is not a number', { order_key: '12abc' }],
    ['an order tiebreak that is not a number', { order_tiebreak: 'x' }],
    ['an empty patient name', { patient: { full_name: '' } }],
    ['a visit of 0 minutes', { expected_duration_minutes: 0 }],
    ['running late by 500 minutes', { running_late_minutes: 500 }],
    ['a room name of 101 characters', { called_room: 'x'.repeat(101) }],
  ])('refuses %s (as the domain snapshot does)', (_what, change) => {
    expect(EntryRowSchema.safeParse({ ...row, ...change }).success).toBe(false);
  });
});
