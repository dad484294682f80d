// ZonedTime replaced luxon in the browser's models (issue 14); luxon stays a dependency of the in-memory fakes
// and the simulator, so here it is the oracle: same answers on the same runtime zone rules. The instants are
// drawn from 2000-2040, around the clock changes of zones that have them; no test reads the wall clock.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import {
  dayMonthTimeAt,
  hhmmAt,
  instantOfWallTime,
  isoDateAt,
  isValidTimeZone,
  offsetMinutesAt,
  wallTimeAt,
} from './ZonedTime';

const ZONES = [
  'Africa/Casablanca',
  'Europe/Paris',
  'America/New_York',
  'Asia/Kolkata',
  'UTC',
  'Pacific/Chatham',
];
const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) });
const zone = fc.constantFrom(...ZONES);

describe('ZonedTime', () => {
  it('gives the same local date, HH:mm and UTC offset as luxon at any instant', () => {
    fc.assert(
      fc.property(instant, zone, (ms, z) => {
        const dt = DateTime.fromMillis(ms, { zone: z });
        expect(isoDateAt(ms, z)).toBe(dt.toISODate());
        expect(hhmmAt(ms, z)).toBe(dt.toFormat('HH:mm'));
        expect(offsetMinutesAt(ms, z)).toBe(dt.offset);
      }),
      { numRuns: 500 },
    );
  });

  it('turns a wall time back into the instant it names, the first one when the clocks go back', () => {
    fc.assert(
      fc.property(instant, zone, (ms, z) => {
        const w = wallTimeAt(ms, z)!;
        const t = instantOfWallTime(w, z);
        // the same wall time …
        expect(hhmmAt(t, z)).toBe(hhmmAt(ms, z));
        expect(isoDateAt(t, z)).toBe(isoDateAt(ms, z));
        // … and no earlier instant shows it (first occurrence); ms had its seconds
        const whole = ms - (ms % 60_000);
        expect(t).toBeLessThanOrEqual(whole);
        expect(
          hhmmAt(t - 60 * 60_000, z) === hhmmAt(ms, z) && isoDateAt(t - 60 * 60_000, z) === isoDateAt(ms, z),
        ).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('reads a wall time the clocks jumped over after the jump, as luxon did (Paris, 2026-03-29 02:30)', () => {
    const t = instantOfWallTime({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Paris');
    expect(t).toBe(
      DateTime.fromObject(
        { year: 2026, month: 3, day: 29, hour: 2, minute: 30 },
        { zone: 'Europe/Paris' },
      ).toMillis(),
    );
    expect(hhmmAt(t, 'Europe/Paris')).toBe('03:30');
  });

  it('takes the first of a wall time that happens twice (Paris, 2026-10-25 02:30 is at +02 first)', () => {
    const t = instantOfWallTime({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, 'Europe/Paris');
    expect(new Date(t).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('knows the zones luxon knows', () => {
    for (const z of [...ZONES, 'Mars/Olympus', 'Africa/Casablanc', '', 'not a zone'])
      expect(isValidTimeZone(z)).toBe(IANAZone.isValidZone(z));
  });

  it('says nothing for an instant outside the time range or an unknown zone', () => {
    expect(isoDateAt(9e15, 'UTC')).toBeNull();
    expect(isoDateAt(Number.NaN, 'UTC')).toBeNull();
    expect(isoDateAt(0, 'Mars/Olympus')).toBeNull();
    expect(dayMonthTimeAt(Number.NaN, 'UTC', 'fr')).toBeNull();
  });

  it('writes dd/MM HH:mm in the reader’s digits, as luxon’s setLocale did', () => {
    fc.assert(
      fc.property(instant, zone, fc.constantFrom('fr', 'en', 'ar'), (ms, z, lng) => {
        expect(dayMonthTimeAt(ms, z, lng)).toBe(
          DateTime.fromMillis(ms, { zone: z }).setLocale(lng).toFormat('dd/MM HH:mm'),
        );
      }),
      { numRuns: 300 },
    );
  });
});
