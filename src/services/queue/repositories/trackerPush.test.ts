import { describe, expect, it } from 'vitest';
import type { TrackedVisit } from '../api/publicScreens';
import { mergePushedVisit, PushedVisitSchema, watchVisit, type PushedVisit } from './trackerPush';
import type { ChannelOptions } from './queueRowChannel';

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
  late_note: null,
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
      late: false,
      late_note: null,
      room: '3',
      doctor_name: 'د. أمل',
    });
  });
  it('cannot merge into a visit not waiting (read instead)', () => {
    expect(mergePushedVisit({ ...shown, status: 'absent' }, pushed)).toBeNull();
  });
  it('carries the running-late note: a new amount while late replaces the shown one (mreview25 F10)', () => {
    const note = (minutes: number) => ({
      minutes,
      reported_at: '2026-11-30T08:55:00Z',
      until: `2026-11-30T09:${minutes}:00Z`,
    });
    const late = { ...shown, late: true, late_note: note(10) };
    expect(mergePushedVisit(late, { ...pushed, late: true, late_note: note(20) })).toMatchObject({
      late: true,
      late_note: note(20),
    });
    // gone late, and back: the note comes and goes with the push
    expect(mergePushedVisit(shown, { ...pushed, late: true, late_note: note(10) })).toMatchObject({
      late: true,
      late_note: note(10),
    });
    expect(mergePushedVisit(late, pushed)).toMatchObject({ late: false, late_note: null });
  });
  it('refuses a malformed push', () => {
    expect(PushedVisitSchema.safeParse({ ...pushed, position: 1.5 }).success).toBe(false);
    expect(PushedVisitSchema.safeParse({ ...pushed, status: 'called' }).success).toBe(false);
    expect(PushedVisitSchema.safeParse({ ...pushed, estimate: { display: { kind: 'later' } } }).success).toBe(
      false,
    );
    const { late_note: _, ...noNote } = pushed;
    expect(PushedVisitSchema.safeParse(noNote).success).toBe(false);
    expect(PushedVisitSchema.safeParse({ ...pushed, late_note: { minutes: 5 } }).success).toBe(false);
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
  // rt27 (mreview26 F6): the caps counted UTF-16 units; the database counts characters (char_length), so a room or
  // doctor name it legally holds in emoji or astral CJK was refused, and every push of its visits was lost
  it('counts characters as the database does: a 40-character astral room and a 120-character name (trimmed) pass', () => {
    const room = '🩺'.repeat(39) + '𠀀'; // 40 characters, 80 UTF-16 units (char_length = 40, the column's cap)
    const name = '  ' + '👩‍⚕'.repeat(40) + '  '; // 120 characters inside btrim's spaces (240 units with surrogates)
    expect(room.length).toBe(80);
    expect([...name.trim()].length).toBe(120);
    expect(PushedVisitSchema.safeParse({ ...pushed, room, doctor_name: name }).success).toBe(true);
    // still one character over is refused, however it is counted
    expect(PushedVisitSchema.safeParse({ ...pushed, room: room + '🩺' }).success).toBe(false);
    expect(PushedVisitSchema.safeParse({ ...pushed, doctor_name: name.trim() + '𠀀' }).success).toBe(false);
    // btrim trims spaces only: a name padded with other blanks counts them, as the database's check does
    expect(PushedVisitSchema.safeParse({ ...pushed, doctor_name: '\t' + name.trim() }).success).toBe(false);
    // and through the channel: the push is handed to the screen, not dropped
    let channel: ChannelOptions | undefined;
    const heard: number[] = [];
    watchVisit(
      (o) => ((channel = o), () => undefined),
      'tracker:t',
      (version) => heard.push(version),
    );
    channel!.onRow({ ...pushed, room, doctor_name: name });
    expect(heard).toEqual([11]);
  });
});
