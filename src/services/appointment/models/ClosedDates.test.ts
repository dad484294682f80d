import { describe, expect, it } from 'vitest';
import { ClosedDates, MOROCCO_FIXED_HOLIDAYS } from './ClosedDates';

const make = (input: Parameters<typeof ClosedDates.create>[0]) => {
  const r = ClosedDates.create(input);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('ClosedDates', () => {
  it('closes single dates and inclusive ranges, with their reason', () => {
    const closed = make({
      dates: [
        { date: '2026-03-20', reason: 'Eid al-Fitr' },
        { date: '2026-08-03', until: '2026-08-07', reason: 'Annual leave' },
      ],
    });
    expect(closed.isClosed('2026-03-20')).toBe(true);
    expect(closed.reasonFor('2026-03-20')).toBe('Eid al-Fitr');
    expect(closed.isClosed('2026-03-21')).toBe(false);
    expect(['2026-08-02', '2026-08-03', '2026-08-07', '2026-08-08'].map((d) => closed.isClosed(d))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(closed.reasonFor('2026-08-05')).toBe('Annual leave');
    expect(closed.reasonFor('2026-08-08')).toBeUndefined();
  });

  it('closes recurring dates every year (Morocco’s fixed holidays)', () => {
    const closed = make({ recurring: MOROCCO_FIXED_HOLIDAYS });
    for (const d of ['2026-01-01', '2027-07-30', '2026-11-18', '2028-01-14'])
      expect(closed.isClosed(d), d).toBe(true);
    expect(closed.reasonFor('2026-07-30')).toBe('Throne Day');
    expect(closed.isClosed('2026-07-31')).toBe(false);
    expect(make({ recurring: [{ monthDay: '02-29' }] }).isClosed('2028-02-29')).toBe(true);
  });

  it('keeps the first reason given for a day and fills a missing one', () => {
    const closed = make({
      dates: [
        { date: '2026-05-01' },
        { date: '2026-05-01', reason: 'Labour Day' },
        { date: '2026-05-01', reason: 'x' },
      ],
      recurring: [{ monthDay: '01-01' }, { monthDay: '01-01', reason: 'New Year' }],
    });
    expect(closed.reasonFor('2026-05-01')).toBe('Labour Day');
    expect(closed.reasonFor('2026-01-01')).toBe('New Year');
  });

  it.each([
    [{ dates: [{ date: '2026-13-01' }] }],
    [{ dates: [{ date: '20260301' }] }],
    [{ dates: [{ date: '2026-03-05', until: '2026-03-01' }] }],
    [{ dates: [{ date: '2026-01-01', until: '2027-01-02' }] }],
    [{ recurring: [{ monthDay: '13-01' }] }],
    [{ recurring: [{ monthDay: '02-30' }] }],
    [{ recurring: [{ monthDay: '2-3' }] }],
  ])('refuses malformed or absurd entries with HOURS.INVALID: %j', (input) => {
    const r = ClosedDates.create(input);
    expect(!r.ok && r.error.code).toBe('HOURS.INVALID');
  });

  it('unions two sets of closed dates', () => {
    const a = make({ dates: [{ date: '2026-03-20', reason: 'Eid' }] });
    const b = make({
      dates: [{ date: '2026-03-21' }],
      recurring: [{ monthDay: '11-06', reason: 'Green March' }],
    });
    const u = a.union(b);
    expect(['2026-03-20', '2026-03-21', '2030-11-06', '2026-03-22'].map((d) => u.isClosed(d))).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(u.reasonFor('2026-03-20')).toBe('Eid');
    expect(a.union(ClosedDates.none)).toBe(a);
    expect(ClosedDates.none.union(a)).toBe(a);
    expect(ClosedDates.none.isClosed('2026-01-01')).toBe(false);
    expect(b.union(a).reasonFor('2026-03-20')).toBe('Eid');
  });
});
