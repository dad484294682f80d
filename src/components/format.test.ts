import { describe, expect, it } from 'vitest';
import { addDays, formatCountdown, formatTime, localDay, weekdayOf } from './format';

describe('format', () => {
  it('shows times in the clinic time zone, not the browser’s', () => {
    // 08:30 UTC is 09:30 in Casablanca (UTC+1 outside Ramadan)
    expect(formatTime('2026-11-24T08:30:00Z', 'fr')).toBe('09:30');
    expect(formatTime('2026-11-24T08:30:00Z', 'en', 'UTC')).toBe('08:30');
  });
  it('counts down as m:ss and never below zero', () => {
    expect(formatCountdown(425)).toBe('7:05');
    expect(formatCountdown(-3)).toBe('0:00');
  });
  it('computes local days across midnight', () => {
    expect(localDay(new Date('2026-11-24T23:30:00Z'))).toBe('2026-11-25');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(weekdayOf('2026-11-24')).toBe(2);
  });
});
