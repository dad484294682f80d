// The in-memory fakes take their clinics' zone rules from an explicit offsets table when a test gives one, not
// from Node's ICU (whose tz release differs between machines, issue 14). The tables here are made up on purpose
// (+03:30 for Casablanca, no tz release has it), so each answer below comes from the table or the test fails.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { createInMemoryServices } from '../composition/inMemory';
import { ManualClock } from './Clock';
import { fixedZoneRules } from './ZoneRules';

const MADE_UP = fixedZoneRules({
  'Africa/Casablanca': [
    { from: '2026-01-01T00:00:00Z', offsetMinutes: 210 },
    { from: '2026-09-20T02:00:00Z', offsetMinutes: -30 },
  ],
});

describe('fixedZoneRules', () => {
  it("gives luxon the table's offsets on either side of a change, and refuses a zone the fixture did not name", () => {
    const zone = MADE_UP('Africa/Casablanca');
    expect(zone.offset(Date.parse('2026-09-20T01:59:00Z'))).toBe(210);
    expect(zone.offset(Date.parse('2026-09-20T02:00:00Z'))).toBe(-30);
    expect(zone.offset(Date.parse('2025-06-01T00:00:00Z'))).toBe(210); // before the first row: the first's
    expect(DateTime.fromISO('2026-09-19T22:00:00Z', { zone }).toFormat('yyyy-MM-dd HH:mm')).toBe(
      '2026-09-20 01:30',
    );
    expect(DateTime.fromISO('2026-09-20T10:00', { zone }).toISO()).toBe('2026-09-20T10:00:00.000-00:30');
    expect(zone.formatOffset(Date.parse('2026-01-02T00:00:00Z'), 'short')).toBe('+03:30');
    expect(() => MADE_UP('Africa/Lagos')).toThrow(/no zone rules for Africa\/Lagos/);
  });

  it("makes the in-memory clinic clock answer the table's today and offsets, whatever Node's tz release", async () => {
    const made = createInMemoryServices({
      actorId: 'owner',
      clock: new ManualClock('2026-09-19T22:00:00Z'),
      zones: MADE_UP,
    });
    made.clinicWorld.addUser('owner');
    const c = await made.services.clinic.createClinic({ name: 'Cabinet', slug: 'cabinet' });
    if (!c.ok) throw new Error(c.error.code);
    const clock = await made.services.clinic.clock(c.value.clinicId);
    if (!clock.ok) throw new Error(clock.error.code);
    // 22:00 UTC + 03:30 is already the 20th at the clinic; that day's offsets change at 02:00 UTC
    expect(clock.value.today).toBe('2026-09-20');
    expect(clock.value.offsets).toEqual([
      { from: '2026-09-19T09:00:00.000Z', offsetMinutes: 210 },
      { from: '2026-09-20T02:00:00.000Z', offsetMinutes: -30 },
    ]);
  });

  it("makes the in-memory booking world open by the table's wall time", async () => {
    // Tuesday 2026-11-24, open 09:00-10:00; the table says -00:30 then: 10:00 UTC is 09:30 (open, by no tz
    // release: +00 gives 10:00, +01 11:00, both closed), 09:20 UTC is 08:50 (closed; +00 would say open)
    const at = async (instant: string) => {
      const made = createInMemoryServices({
        actorId: 'patient-1',
        clock: new ManualClock(instant),
        zones: MADE_UP,
      });
      made.bookingWorld.addClinic({
        id: 'c1',
        hours: { 2: [{ start: '09:00', end: '10:00' }] },
        remoteJoinCap: 3,
      });
      const state = await (await made.services.remoteJoin()).state('c1');
      if (!state.ok) throw new Error(state.error.code);
      return state.value;
    };
    expect(await at('2026-11-24T10:00:00Z')).toMatchObject({ open: true, reason: null });
    expect(await at('2026-11-24T09:20:00Z')).toMatchObject({ open: false, reason: 'outside_hours' });
  });
});
