import { describe, expect, it } from 'vitest';
import { daysIn, isDay, rangeOf, shiftRange } from './ReportRange';

describe('ReportRange', () => {
  it('gives the ISO week (Monday–Sunday), month, quarter and year around a day', () => {
    expect(rangeOf('week', '2026-11-30')).toEqual({ from: '2026-11-30', to: '2026-12-06' }); // a Monday
    expect(rangeOf('week', '2026-12-06')).toEqual({ from: '2026-11-30', to: '2026-12-06' }); // a Sunday
    expect(rangeOf('month', '2028-02-10')).toEqual({ from: '2028-02-01', to: '2028-02-29' }); // leap year
    expect(rangeOf('quarter', '2026-11-30')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(rangeOf('year', '2026-11-30')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  });

  it('moves by whole spans across month and year ends', () => {
    expect(shiftRange('month', '2026-01-31', -1)).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(shiftRange('month', '2026-01-31', 1)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(shiftRange('week', '2026-12-31', 1)).toEqual({ from: '2027-01-04', to: '2027-01-10' });
    expect(shiftRange('quarter', '2026-11-30', 1)).toEqual({ from: '2027-01-01', to: '2027-03-31' });
    expect(shiftRange('year', '2026-11-30', -2)).toEqual({ from: '2024-01-01', to: '2024-12-31' });
  });

  it('counts days inclusively and recognises real calendar days only', () => {
    expect(daysIn({ from: '2028-01-01', to: '2028-12-31' })).toBe(366);
    expect(daysIn({ from: '2026-11-02', to: '2026-11-01' })).toBe(0);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2026-2-1')).toBe(false);
    expect(isDay('2028-02-29')).toBe(true);
  });
});
