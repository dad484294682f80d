import { describe, expect, it } from 'vitest';
import { ClosedDates } from './ClosedDates';
import { addDays, daysBetween, isLocalDate, parseTimeZone } from './LocalDate';
import { WorkingHours } from './WorkingHours';
import type { WeeklyHours } from './WorkingHours';

const SPLIT = [
  { start: '09:00', end: '13:00' },
  { start: '15:00', end: '19:00' },
];
const weekly: WeeklyHours = {
  monday: SPLIT,
  tuesday: SPLIT,
  wednesday: SPLIT,
  thursday: SPLIT,
  friday: [
    { start: '09:00', end: '12:00' },
    { start: '15:00', end: '19:00' },
  ],
  saturday: [{ start: '09:00', end: '13:00' }],
};
const make = (input: Parameters<typeof WorkingHours.create>[0]) => {
  const r = WorkingHours.create(input);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const hours = make({ weekly });
const closedDates = (input: Parameters<typeof ClosedDates.create>[0]) => {
  const r = ClosedDates.create(input);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('WorkingHours', () => {
  it('defaults to Africa/Casablanca and validates the time zone', () => {
    expect(hours.timeZone).toBe('Africa/Casablanca');
    expect(make({ weekly, timeZone: 'europe/paris' }).timeZone).toBe('Europe/Paris');
    for (const tz of ['Mars/Olympus', '+01:00', '', 'Africa/Casablanca; DROP']) {
      const r = WorkingHours.create({ weekly, timeZone: tz });
      expect(!r.ok && r.error.code, tz).toBe('TIMEZONE.INVALID');
    }
    expect(parseTimeZone(42 as unknown as string).ok).toBe(false);
  });

  it.each([
    [{ monday: [{ start: '9:00', end: '13:00' }] }, 'monday'],
    [{ monday: [{ start: '09:00', end: '25:00' }] }, 'monday'],
    [{ monday: [{ start: '24:00', end: '24:00' }] }, 'monday'],
    [{ tuesday: [{ start: '13:00', end: '09:00' }] }, 'tuesday'],
    [{ tuesday: [{ start: '09:00', end: '09:00' }] }, 'tuesday'],
    [
      {
        friday: [
          { start: '09:00', end: '13:00' },
          { start: '12:30', end: '18:00' },
        ],
      },
      'friday',
    ],
    [{ funday: [{ start: '09:00', end: '13:00' }] }, 'funday'],
    [{ monday: 'all day' }, 'monday'],
  ])('refuses invalid hours with HOURS.INVALID: %j', (bad, weekday) => {
    const r = WorkingHours.create({ weekly: bad as unknown as WeeklyHours });
    expect(!r.ok && r.error.code).toBe('HOURS.INVALID');
    expect(!r.ok && r.error.details?.['weekday']).toBe(weekday);
  });

  it('refuses missing weekly hours', () => {
    const r = WorkingHours.create({ weekly: null as unknown as WeeklyHours });
    expect(!r.ok && r.error.code).toBe('HOURS.INVALID');
  });

  it('accepts adjacent intervals, a day open until 24:00, and returns the schedule sorted', () => {
    const h = make({
      weekly: {
        sunday: [
          { start: '20:00', end: '24:00' },
          { start: '08:00', end: '12:00' },
          { start: '12:00', end: '13:00' },
        ],
        monday: undefined,
      },
    });
    expect(h.weekly).toEqual({
      sunday: [
        { start: '08:00', end: '12:00' },
        { start: '12:00', end: '13:00' },
        { start: '20:00', end: '24:00' },
      ],
    });
    expect(h.intervalsOn('2026-06-07').at(-1)?.end).toBe('2026-06-07T23:00:00.000Z'); // local midnight, UTC+1
  });

  it('Booking: working hours per weekday as one or more intervals (split day 09:00–13:00 and 15:00–19:00)', () => {
    // Monday 2026-06-08, Morocco on UTC+1
    expect(hours.intervalsOn('2026-06-08')).toEqual([
      {
        localDate: '2026-06-08',
        start: '2026-06-08T08:00:00.000Z',
        end: '2026-06-08T12:00:00.000Z',
        startMs: Date.UTC(2026, 5, 8, 8),
        endMs: Date.UTC(2026, 5, 8, 12),
      },
      {
        localDate: '2026-06-08',
        start: '2026-06-08T14:00:00.000Z',
        end: '2026-06-08T18:00:00.000Z',
        startMs: Date.UTC(2026, 5, 8, 14),
        endMs: Date.UTC(2026, 5, 8, 18),
      },
    ]);
    expect(hours.intervalsOn('2026-06-07')).toEqual([]); // Sunday: closed
  });

  it('is open inside an interval, closed during the lunch break, at closing time and on closed weekdays', () => {
    expect(hours.isOpenAt('2026-06-08T09:00:00+01:00')).toBe(true);
    expect(hours.isOpenAt('2026-06-08T12:59:59+01:00')).toBe(true);
    expect(hours.isOpenAt('2026-06-08T13:00:00+01:00')).toBe(false);
    expect(hours.isOpenAt('2026-06-08T14:30:00+01:00')).toBe(false);
    expect(hours.isOpenAt('2026-06-08T08:59:00+01:00')).toBe(false);
    expect(hours.isOpenAt('2026-06-07T10:00:00+01:00')).toBe(false);
    expect(hours.isOpenAt(new Date('2026-06-12T11:59:00+01:00'))).toBe(true); // Friday closes at 12:00
    expect(hours.isOpenAt('2026-06-12T12:15:00+01:00')).toBe(false);
  });

  it('Booking: closed dates close the whole day', () => {
    const h = make({
      weekly,
      closedDates: closedDates({ dates: [{ date: '2026-06-08', reason: 'Training' }] }),
    });
    expect(h.intervalsOn('2026-06-08')).toEqual([]);
    expect(h.isOpenAt('2026-06-08T10:00:00+01:00')).toBe(false);
    expect(h.isOpenAt('2026-06-09T10:00:00+01:00')).toBe(true);
    const both = h.withClosedDates(closedDates({ dates: [{ date: '2026-06-09' }] }));
    expect(both.isOpenAt('2026-06-09T10:00:00+01:00')).toBe(false);
    expect(both.closedDates.reasonFor('2026-06-08')).toBe('Training');
  });

  it('finds the interval open now, or the next one across a break, a weekend and closed dates', () => {
    expect(hours.nextOpening('2026-06-08T10:00:00+01:00')?.start).toBe('2026-06-08T08:00:00.000Z');
    expect(hours.nextOpening('2026-06-08T12:50:00+01:00')?.end).toBe('2026-06-08T12:00:00.000Z');
    expect(hours.nextOpening('2026-06-08T13:00:00+01:00')?.start).toBe('2026-06-08T14:00:00.000Z');
    expect(hours.nextOpening('2026-06-13T13:00:00+01:00')?.start).toBe('2026-06-15T08:00:00.000Z'); // Sat → Mon
    const leave = closedDates({ dates: [{ date: '2026-06-15', until: '2026-06-16' }] });
    expect(hours.withClosedDates(leave).nextOpening('2026-06-13T13:00:00+01:00')?.localDate).toBe(
      '2026-06-17',
    );
    expect(make({ weekly: {} }).nextOpening('2026-06-08T10:00:00Z')).toBeNull();
    const allYear = closedDates({
      dates: [
        { date: '2026-06-08', until: '2027-06-07' },
        { date: '2027-06-08', until: '2027-08-01' },
      ],
    });
    expect(hours.withClosedDates(allYear).nextOpening('2026-06-08T10:00:00Z')).toBeNull();
  });

  it('counts open minutes between two instants, skipping breaks and closed days', () => {
    expect(hours.openMinutesBetween('2026-06-08T12:50:00+01:00', '2026-06-08T15:10:00+01:00')).toBe(20);
    expect(hours.openMinutesBetween('2026-06-13T12:00:00+01:00', '2026-06-15T09:30:00+01:00')).toBe(90);
    expect(hours.openMinutesBetween('2026-06-08T15:10:00+01:00', '2026-06-08T12:50:00+01:00')).toBe(0);
  });

  it('gives local dates and labels in the clinic zone', () => {
    expect(hours.localDateOf('2026-06-07T23:30:00Z')).toBe('2026-06-08');
    expect(hours.labelOf('2026-06-07T23:30:00Z')).toBe('00:30');
  });

  it('throws on a malformed local date (a caller bug)', () => {
    expect(() => hours.intervalsOn('2026-6-8')).toThrow(RangeError);
    expect(isLocalDate('2026-02-30')).toBe(false);
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(daysBetween('2026-03-01', '2026-02-27')).toBe(-2);
  });
});

describe("Booking: slots are computed in the clinic's time zone and stay right across daylight-saving changes", () => {
  // What this Node's tz database (ICU 78, tzdata 2025c) says for Africa/Casablanca in 2026:
  //   2026-02-15 02:00Z clocks go back 03:00 → 02:00 (UTC+1 → UTC+0, for Ramadan)
  //   2026-03-22 02:00Z clocks go forward 02:00 → 03:00 (UTC+0 → UTC+1)
  it('the tz database has the Ramadan clock changes this suite relies on', () => {
    expect(hours.labelOf('2026-02-15T01:59:00Z')).toBe('02:59');
    expect(hours.labelOf('2026-02-15T02:00:00Z')).toBe('02:00');
    expect(hours.labelOf('2026-03-22T01:59:00Z')).toBe('01:59');
    expect(hours.labelOf('2026-03-22T02:00:00Z')).toBe('03:00');
  });

  it('09:00 stays 09:00 local before, during and after Ramadan time', () => {
    expect(hours.intervalsOn('2026-02-13')[0]?.start).toBe('2026-02-13T08:00:00.000Z'); // Fri, UTC+1
    expect(hours.intervalsOn('2026-02-16')[0]?.start).toBe('2026-02-16T09:00:00.000Z'); // Mon, UTC+0
    expect(hours.intervalsOn('2026-03-20')[0]?.start).toBe('2026-03-20T09:00:00.000Z'); // Fri, UTC+0
    expect(hours.intervalsOn('2026-03-23')[0]?.start).toBe('2026-03-23T08:00:00.000Z'); // Mon, UTC+1
  });

  it('a night interval spanning the clock change lasts an hour more (back) or less (forward)', () => {
    const night = make({ weekly: { sunday: [{ start: '00:00', end: '06:00' }] } });
    const [back] = night.intervalsOn('2026-02-15');
    expect(back && (back.endMs - back.startMs) / 3_600_000).toBe(7);
    const [forward] = night.intervalsOn('2026-03-22');
    expect(forward && (forward.endMs - forward.startMs) / 3_600_000).toBe(5);
  });

  it('a wall time the clocks jump over means the first instant after the jump; a repeated one its first occurrence', () => {
    const sunday = (date: string, start: string, end: string) =>
      make({ weekly: { sunday: [{ start, end }] } })
        .intervalsOn(date)
        .map((i) => [i.start, i.end]);
    // 02:00–03:00 does not exist on 2026-03-22
    expect(sunday('2026-03-22', '02:30', '04:30')).toEqual([
      ['2026-03-22T02:00:00.000Z', '2026-03-22T03:30:00.000Z'],
    ]);
    expect(sunday('2026-03-22', '01:00', '02:30')).toEqual([
      ['2026-03-22T01:00:00.000Z', '2026-03-22T02:00:00.000Z'],
    ]);
    expect(sunday('2026-03-22', '02:00', '02:30')).toEqual([]); // wholly inside the jump: vanishes
    // 02:00–03:00 happens twice on 2026-02-15
    expect(sunday('2026-02-15', '02:30', '04:00')).toEqual([
      ['2026-02-15T01:30:00.000Z', '2026-02-15T04:00:00.000Z'],
    ]);
  });
});

describe('WorkingHours stored form (jsonb / admin form)', () => {
  const stored = {
    timeZone: 'Africa/Casablanca',
    weekly: { monday: SPLIT, saturday: [{ start: '09:00', end: '13:00' }] },
    closedDates: {
      dates: [{ date: '2026-03-20', until: '2026-03-21', reason: 'Eid al-Fitr' }],
      recurring: [{ monthDay: '07-30', reason: 'Throne Day' }],
    },
    seasons: [
      {
        from: '2026-02-18',
        until: '2026-03-19',
        label: 'Ramadan',
        weekly: { monday: [{ start: '09:30', end: '15:30' }] },
      },
    ],
  };

  it('round-trips through toJSON/fromJSON, ranges kept as ranges', () => {
    const r = WorkingHours.fromJSON(stored);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.toJSON()).toEqual(stored);
    expect(JSON.parse(JSON.stringify(r.value))).toEqual(stored);
    expect(r.value.intervalsOn('2026-03-21')).toEqual([]);
    expect(r.value.intervalsOn('2026-07-27')).toHaveLength(2);
    expect(r.value.intervalsOn('2027-07-30')).toEqual([]); // a Friday, closed every year anyway
  });

  it('defaults the time zone and closed dates', () => {
    const r = WorkingHours.fromJSON({ weekly: { monday: SPLIT } });
    expect(r.ok && r.value.toJSON()).toEqual({
      timeZone: 'Africa/Casablanca',
      weekly: { monday: SPLIT },
      closedDates: { dates: [], recurring: [] },
      seasons: [],
    });
  });

  it.each([
    [null, 'HOURS.INVALID'],
    [{ weekly: { monday: [{ start: '09:00' }] } }, 'HOURS.INVALID'],
    [{ weekly: { someday: [] } }, 'HOURS.INVALID'],
    [{ weekly: {}, extra: 1 }, 'HOURS.INVALID'],
    [{ weekly: {}, closedDates: { dates: [{ day: '2026-01-01' }] } }, 'HOURS.INVALID'],
    [{ weekly: {}, closedDates: { dates: [{ date: '2026-02-30' }] } }, 'HOURS.INVALID'],
    [{ weekly: { monday: [{ start: '13:00', end: '09:00' }] } }, 'HOURS.INVALID'],
    [{ weekly: {}, timeZone: 'Morocco' }, 'TIMEZONE.INVALID'],
    [{ weekly: {}, seasons: [{ from: '2026-02-18', weekly: {} }] }, 'HOURS.INVALID'],
  ])('refuses %j with a code', (json, code) => {
    const r = WorkingHours.fromJSON(json);
    expect(!r.ok && r.error.code).toBe(code);
  });

  it('ClosedDates round-trips on its own and refuses a malformed shape', () => {
    const c = ClosedDates.fromJSON(stored.closedDates);
    expect(c.ok && c.value.toJSON()).toEqual(stored.closedDates);
    expect(ClosedDates.fromJSON(undefined).ok).toBe(true);
    const bad = ClosedDates.fromJSON({ recurring: [{ monthDay: '07-30', reason: '' }] });
    expect(!bad.ok && bad.error.details?.['issues']).toEqual(['recurring.0.reason']);
  });
});

describe('seasonal hours (e.g. Ramadan hours)', () => {
  const RAMADAN = { monday: [{ start: '09:30', end: '15:30' }], saturday: [] };
  const withRamadan = make({
    weekly,
    seasons: [{ from: '2026-02-18', until: '2026-03-19', label: 'Ramadan', weekly: RAMADAN }],
  });

  it("replace the usual weekly hours inside the season's dates only", () => {
    // Monday 2026-02-23, in Ramadan, Morocco on UTC+0: one continuous interval
    expect(withRamadan.intervalsOn('2026-02-23').map((i) => [i.start, i.end])).toEqual([
      ['2026-02-23T09:30:00.000Z', '2026-02-23T15:30:00.000Z'],
    ]);
    expect(withRamadan.intervalsOn('2026-02-28')).toEqual([]); // Saturday closed during the season
    expect(withRamadan.intervalsOn('2026-02-24')).toEqual([]); // Tuesday not listed in the season: closed
    // first and last day belong to the season; the day after is back to the split day (UTC+0 until 03-22)
    expect(withRamadan.intervalsOn('2026-03-16')).toHaveLength(1);
    expect(withRamadan.intervalsOn('2026-03-20').map((i) => i.start)).toEqual([
      '2026-03-20T09:00:00.000Z',
      '2026-03-20T15:00:00.000Z',
    ]);
    expect(withRamadan.seasonOn('2026-02-18')).toEqual({
      from: '2026-02-18',
      until: '2026-03-19',
      label: 'Ramadan',
    });
    expect(withRamadan.seasonOn('2026-03-20')).toBeNull();
  });

  it('keep closed dates and carry over when closed dates are added', () => {
    const closed = closedDates({ dates: [{ date: '2026-02-23' }] });
    expect(withRamadan.withClosedDates(closed).intervalsOn('2026-02-23')).toEqual([]);
    expect(withRamadan.withClosedDates(closed).intervalsOn('2026-03-02')).toHaveLength(1);
  });

  it('let a clinic open only in a season', () => {
    const seasonal = make({
      weekly: {},
      seasons: [{ from: '2026-07-01', until: '2026-08-31', weekly: { monday: SPLIT } }],
    });
    expect(seasonal.nextOpening('2026-06-08T10:00:00Z')?.localDate).toBe('2026-07-06');
    expect(seasonal.seasonOn('2026-07-06')).toEqual({ from: '2026-07-01', until: '2026-08-31' });
  });

  it.each([
    [[{ from: '2026-02-30', until: '2026-03-19', weekly: {} }], { season: 0 }],
    [[{ from: '2026-03-19', until: '2026-02-18', weekly: {} }], { season: 0 }],
    [[{ from: '2026-01-01', until: '2027-01-02', weekly: {} }], { season: 0 }],
    [
      [
        { from: '2026-02-18', until: '2026-03-19', weekly: {} },
        { from: '2026-03-19', until: '2026-04-01', weekly: {} },
      ],
      { season: 1, overlaps: 0 },
    ],
    [
      [{ from: '2026-02-18', until: '2026-03-19', weekly: { monday: [{ start: '15:00', end: '09:00' }] } }],
      { season: 0 },
    ],
  ])('refuses invalid seasons with HOURS.INVALID: %j', (seasons, details) => {
    const r = WorkingHours.create({ weekly, seasons });
    expect(!r.ok && r.error.code).toBe('HOURS.INVALID');
    expect(!r.ok && r.error.details).toMatchObject(details);
  });
});
