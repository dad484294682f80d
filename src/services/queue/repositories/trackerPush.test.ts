import { describe, expect, it } from 'vitest';
import type { TrackedVisit } from '../api/publicScreens';
import { mergePushedVisit, PushedVisitSchema, trackerTopic, type PushedVisit } from './trackerPush';
import { createHash } from 'node:crypto';

const shown: TrackedVisit = {
  entry_id: 'e1',
  clinic: { id: 'c1', name: 'Anfa', slug: 'anfa', default_language: 'ar', time_zone: 'Africa/Casablanca' },
  day: '2026-11-30',
  ticket: 'A-007',
  status: 'waiting',
  slot_start: null,
  room: null,
  grace_ends_at: null,
  late: false,
  position: 3,
  queue_version: 10,
  clock: { time_zone: 'Africa/Casablanca', now: '2026-11-30T09:00:00Z', today: '2026-11-30', offsets: [] },
  late_note: null,
};
const pushed: PushedVisit = {
  queue_version: 11,
  status: 'waiting',
  position: 2,
  estimate: { display: { kind: 'soon' } },
  desk_paused: true,
  intake_closed: false,
  arrive_by: null,
  late: false,
  room: '3',
  doctor_name: 'د. أمل',
};

describe('trackerPush (trk25)', () => {
  it('merges what a push says into the shown visit, keeping the rest (ticket, clock, note)', () => {
    expect(mergePushedVisit(shown, pushed)).toEqual({
      ...shown,
      queue_version: 11,
      position: 2,
      estimate: { display: { kind: 'soon' } },
      desk_paused: true,
      intake_closed: false,
      arrive_by: null,
      room: '3',
      doctor_name: 'د. أمل',
    });
  });
  it('cannot merge into a visit not waiting, nor across a running-late change (read instead)', () => {
    expect(mergePushedVisit({ ...shown, status: 'absent' }, pushed)).toBeNull();
    expect(mergePushedVisit(shown, { ...pushed, late: true })).toBeNull();
  });
  it('refuses a malformed push', () => {
    expect(PushedVisitSchema.safeParse({ ...pushed, position: 1.5 }).success).toBe(false);
    expect(PushedVisitSchema.safeParse({ ...pushed, status: 'called' }).success).toBe(false);
    expect(PushedVisitSchema.safeParse({ ...pushed, estimate: { display: { kind: 'later' } } }).success).toBe(
      false,
    );
    expect(PushedVisitSchema.safeParse(pushed).success).toBe(true);
  });
  // fix26a (review26 M1): a forged push carried a room of any length ("Caisse: payez 200 DH au …") and place 1
  it('refuses a push no database could have written: a room over 40 characters, a name over 120, a place below 1', () => {
    expect(PushedVisitSchema.safeParse({ ...pushed, room: 'x'.repeat(41) }).success).toBe(false);
    expect(PushedVisitSchema.safeParse({ ...pushed, doctor_name: 'D'.repeat(121) }).success).toBe(false);
    expect(PushedVisitSchema.safeParse({ ...pushed, position: 0 }).success).toBe(false);
    expect(PushedVisitSchema.safeParse({ ...pushed, queue_version: -1 }).success).toBe(false);
    expect(
      PushedVisitSchema.safeParse({ ...pushed, room: 'x'.repeat(40), doctor_name: 'D'.repeat(120) }).success,
    ).toBe(true);
  });
  it("names the topic sha256(sha256(token)) — the database's private.tracker_topic of the stored hash", async () => {
    const once = createHash('sha256').update('tok-é').digest();
    expect(await trackerTopic('tok-é')).toBe(`tracker:${createHash('sha256').update(once).digest('hex')}`);
  });
});
