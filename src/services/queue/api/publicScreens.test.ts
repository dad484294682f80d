// publicScreens.ts keeps its own copy of the visit statuses (the light screens must not load the queue
// domain — bundle weight, issue 14). This test is what keeps the copy honest.
import { describe, expect, it } from 'vitest';
import { ENTRY_STATUSES } from '../models/QueueEntry';
import { TrackedVisitSchema, VISIT_STATUSES } from './publicScreens';

describe('publicScreens', () => {
  it("lists exactly the queue domain's entry statuses", () => {
    expect([...VISIT_STATUSES].sort()).toEqual([...ENTRY_STATUSES].sort());
  });
  it('the tracker accepts every status of the domain and refuses any other', () => {
    const clock = {
      time_zone: 'Africa/Casablanca',
      now: '2026-11-30T09:00:00Z',
      today: '2026-11-30',
      offsets: [{ from: '2026-11-29T09:00:00Z', offset_minutes: 60 }],
    };
    const visit = (status: string) => ({
      entry_id: 'e1',
      clinic: {
        id: 'c1',
        name: 'Anfa',
        slug: 'anfa',
        default_language: 'fr',
        time_zone: 'Africa/Casablanca',
      },
      day: '2026-11-30',
      ticket: 'A-001',
      status,
      slot_start: null,
      room: null,
      grace_ends_at: null,
      late: false,
      position: null,
      clock,
    });
    for (const s of ENTRY_STATUSES) expect(TrackedVisitSchema.safeParse(visit(s)).success).toBe(true);
    expect(TrackedVisitSchema.safeParse(visit('paused')).success).toBe(false);
    // no clock, no tracker: its times would fall back to the browser's zone rules
    const { clock: _omit, ...noClock } = visit('waiting');
    expect(TrackedVisitSchema.safeParse(noClock).success).toBe(false);
  });
});
