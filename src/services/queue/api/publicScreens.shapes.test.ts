// What the public screens refuse (issue 14): the tracker and the board parse every answer before showing it.
// These cases pin the parsing the screens rely on — a wrong type, a missing field, an unparseable time, an
// unknown status or estimate kind, a fractional position — and that a valid answer comes out with only the
// fields the screens know (unknown ones dropped), whatever validator publicScreens.ts is built on.
import { describe, expect, it } from 'vitest';
import {
  BoardClinicSchema,
  PushedBoardSchema,
  QueueDayStatusSchema,
  ScreenClockSchema,
  TrackedVisitSchema,
  VisitRunningLateSchema,
  WaitingBoardSchema,
} from './publicScreens';
import { createFetchPublicScreensRepository } from '../repositories/FetchPublicScreensRepository';
import { ErrorCodes } from '../../shared/AppError';

const clock = {
  time_zone: 'Africa/Casablanca',
  now: '2026-11-30T09:00:00Z',
  today: '2026-11-30',
  offsets: [{ from: '2026-11-29T09:00:00Z', offset_minutes: 60 }],
};
const visit = () => ({
  entry_id: 'e1',
  clinic: { id: 'c1', name: 'Anfa', slug: 'anfa', default_language: 'fr', time_zone: 'Africa/Casablanca' },
  day: '2026-11-30',
  ticket: 'A-001',
  status: 'waiting',
  slot_start: '2026-11-30T10:00:00+00:00',
  room: '2',
  grace_ends_at: null,
  late: false,
  position: 3,
  queue_version: 7,
  estimate: { display: { kind: 'minutes', minutes: 20, low: 10, high: 30 } },
  accuracy_minutes: null,
  clock,
  desk_paused: false,
  arrive_by: null,
  late_note: { minutes: 10, reported_at: '2026-11-30T09:10:00Z', until: null },
});
type Json = Record<string, unknown>;
/** a copy of the visit with one change at a dotted path (undefined deletes the field) */
function withChange(path: string, value: unknown): Json {
  const v = structuredClone(visit()) as Json;
  const keys = path.split('.');
  let o = v as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete o[last];
  else o[last] = value;
  return v;
}

describe('the tracker refuses a malformed visit', () => {
  it('accepts the well-formed visit and returns its fields', () => {
    const r = TrackedVisitSchema.safeParse(visit());
    expect(r.success).toBe(true);
    expect(r.success && r.data).toEqual(visit());
  });
  it('drops fields it does not know (never passes unknown server fields to the screen)', () => {
    const r = TrackedVisitSchema.safeParse({
      ...visit(),
      phone: '+212600000000',
      clinic: { ...visit().clinic, x: 1 },
    });
    expect(r.success).toBe(true);
    expect(r.success && r.data).toEqual(visit());
  });
  it('optional fields may be absent, nullable ones null', () => {
    for (const k of [
      'queue_version',
      'estimate',
      'accuracy_minutes',
      'desk_paused',
      'intake_closed',
      'arrive_by',
      'late_note',
    ])
      expect(TrackedVisitSchema.safeParse(withChange(k, undefined)).success, k).toBe(true);
    for (const k of [
      'slot_start',
      'room',
      'grace_ends_at',
      'position',
      'queue_version',
      'estimate',
      'late_note',
    ])
      expect(TrackedVisitSchema.safeParse(withChange(k, null)).success, k).toBe(true);
    for (const display of [{ kind: 'soon' }, { kind: 'unknown' }])
      expect(TrackedVisitSchema.safeParse(withChange('estimate', { display })).success).toBe(true);
  });
  it.each([
    ['not an object', null],
    ['an array', [visit()]],
    ['a string', 'waiting'],
  ])('refuses %s', (_what, body) => {
    expect(TrackedVisitSchema.safeParse(body).success).toBe(false);
  });
  it.each<[string, unknown]>([
    ['entry_id', undefined],
    ['entry_id', 42],
    ['clinic', null],
    ['clinic.name', undefined],
    ['clinic.default_language', 'de'],
    ['day', null],
    ['ticket', 1],
    ['status', 'paused'],
    ['status', null],
    ['slot_start', 'tomorrow at ten'],
    ['slot_start', 1764493200000],
    ['grace_ends_at', 'not a time'],
    ['room', 2],
    ['late', 'false'],
    ['late', undefined],
    ['position', 2.5],
    ['position', '3'],
    ['queue_version', '7'],
    ['estimate', { display: { kind: 'hours', hours: 1 } }],
    ['estimate', { display: { kind: 'minutes', minutes: 20 } }],
    ['estimate', { display: null }],
    ['estimate.display.minutes', '20'],
    ['accuracy_minutes', 'five'],
    ['clock', undefined],
    ['clock.offsets', null],
    ['clock.offsets', [{ from: 'x', offset_minutes: 0 }]],
    ['clock.offsets', [{ from: '2026-11-29T09:00:00Z', offset_minutes: '60' }]],
    ['clock.now', 'now'],
    ['desk_paused', 1],
    ['arrive_by', 930],
    ['late_note', { minutes: 10 }],
    ['late_note.minutes', '10'],
  ])('refuses %s = %j', (path, value) => {
    expect(TrackedVisitSchema.safeParse(withChange(path, value)).success).toBe(false);
  });
});

describe('the board refuses a malformed answer', () => {
  const board = {
    clinic: { name: 'Anfa', default_language: 'ar', time_zone: 'Africa/Casablanca' },
    day: '2026-11-30',
    version: 4,
    now_serving: [{ ticket: 'A-001', name: 'S. A.', room: '1' }],
    next: [
      { ticket: 'A-002', name: null, room: null },
      { ticket: 'A-003', name: null },
    ],
    day_status: 'open',
    clock,
    paused_rooms: ['2'],
    intake_closed: false,
  };
  it('accepts the well-formed board, a pushed row, a day status, a clinic and a late note', () => {
    expect(WaitingBoardSchema.safeParse(board)).toEqual({ success: true, data: board });
    const pushed = { ...board, queue_id: 'q', clinic_id: 'c', day_status: 'closed' } as Json;
    delete pushed.clock;
    delete pushed.clinic;
    expect(PushedBoardSchema.safeParse(pushed)).toEqual({ success: true, data: pushed });
    const status = { day: '2026-11-30', status: 'closed', closed_at: '2026-11-30T18:00:00Z' };
    expect(QueueDayStatusSchema.safeParse(status)).toEqual({ success: true, data: status });
    const clinic = {
      id: 'c',
      slug: 'anfa',
      name: 'Anfa',
      time_zone: 'Africa/Casablanca',
      default_language: 'en',
    };
    expect(BoardClinicSchema.safeParse(clinic)).toEqual({ success: true, data: clinic });
    expect(ScreenClockSchema.safeParse(clock)).toEqual({ success: true, data: clock });
    expect(VisitRunningLateSchema.safeParse({ entry_id: 'e', note: null }).success).toBe(true);
  });
  it.each<[string, Json]>([
    ['a version as text', { ...board, version: '4' }],
    ['a serving ticket without a room field', { ...board, now_serving: [{ ticket: 'A-1', name: null }] }],
    ['a next entry as a string', { ...board, next: ['A-002'] }],
    ['an unknown day status', { ...board, day_status: 'maybe' }],
    ['paused rooms as one string', { ...board, paused_rooms: '2' }],
    ['a clinic in another language', { ...board, clinic: { ...board.clinic, default_language: 'es' } }],
  ])('refuses %s', (_what, body) => {
    expect(WaitingBoardSchema.safeParse(body).success).toBe(false);
  });
  it('refuses a pushed row without its queue id, a day status with a bad time, a late note without entry', () => {
    expect(PushedBoardSchema.safeParse({ ...board, clinic_id: 'c', day_status: 'open' }).success).toBe(false);
    expect(QueueDayStatusSchema.safeParse({ day: 'd', status: 'open', closed_at: 'soon' }).success).toBe(
      false,
    );
    expect(VisitRunningLateSchema.safeParse({ note: null }).success).toBe(false);
  });
});

describe('the public screens port turns a malformed answer into a coded error', () => {
  const calls: string[] = [];
  const answering = (body: unknown) =>
    createFetchPublicScreensRepository({
      supabaseUrl: 'http://127.0.0.1:1',
      supabaseAnonKey: 'anon',
      fetch: async (input) => {
        calls.push(String(input).replace(/^.*\/rpc\//, ''));
        return new Response(
          JSON.stringify(String(input).includes('running_late') ? { entry_id: 'e1', note: null } : body),
          {
            status: 200,
            headers: { 'Content-Type': 'application/json' },
          },
        );
      },
    });
  it('a well-formed visit reaches the tracker, its running-late note with it: one request (trk22)', async () => {
    calls.length = 0;
    const r = await answering(visit()).visit('token-0000000000');
    expect(r.ok && r.value).toEqual(visit());
    expect(calls).toEqual(['get_tracker_view']);
  });
  it('a malformed one is INTERNAL, never shown', async () => {
    const r = await answering(withChange('status', 'paused')).visit('token-0000000000');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe(ErrorCodes.INTERNAL);
    expect(!r.ok && r.error.message).toContain('unexpected response shape');
  });
});
