import { describe, expect, it } from 'vitest';
import { addDays, formatCalendarDay, formatCountdown, weekdayOf } from './format';

describe('format', () => {
  it('names a calendar date the same in every time zone (a date has no zone)', () => {
    expect(formatCalendarDay('2026-11-24', 'en')).toBe('Tuesday 24 November');
    expect(formatCalendarDay('2026-12-31', 'fr')).toBe('jeudi 31 décembre');
  });
  it('counts down as m:ss and never below zero', () => {
    expect(formatCountdown(425)).toBe('7:05');
    expect(formatCountdown(-3)).toBe('0:00');
  });
  it('adds calendar days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(weekdayOf('2026-11-24')).toBe(2);
  });
});
