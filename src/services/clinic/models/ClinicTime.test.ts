import { describe, expect, it } from 'vitest';
import { clinicDayOf, formatClinicDateTime, formatClinicTime, offsetAt } from './ClinicTime';

// Casablanca around Ramadan 2027 as get_clinic_clock returns it: UTC+1, UTC+0 from 7 Feb 02:00 UTC+1, back.
const clock = {
  offsets: [
    { from: '2027-01-31T09:00:00.000Z', offsetMinutes: 60 },
    { from: '2027-02-07T02:00:00.000Z', offsetMinutes: 0 },
    { from: '2027-03-14T02:00:00.000Z', offsetMinutes: 60 },
  ],
};

describe('ClinicTime (offsets from the server, never the browser zone rules)', () => {
  it('picks the offset in force at an instant (the first before the list starts)', () => {
    expect(offsetAt(clock, '2027-01-01T00:00:00Z')).toBe(60);
    expect(offsetAt(clock, '2027-02-07T01:59:59Z')).toBe(60);
    expect(offsetAt(clock, '2027-02-07T02:00:00Z')).toBe(0);
    expect(offsetAt(clock, '2027-03-20T10:00:00Z')).toBe(60);
  });

  it('formats times and days with that offset', () => {
    expect(formatClinicTime(clock, '2027-02-01T08:30:00Z', 'en')).toBe('09:30');
    expect(formatClinicTime(clock, '2027-02-10T08:30:00Z', 'en')).toBe('08:30');
    expect(formatClinicDateTime(clock, '2027-02-01T08:30:00Z', 'en')).toContain('09:30');
    // 23:30 UTC is already the next day in the clinic at UTC+1
    expect(clinicDayOf(clock, '2027-02-01T23:30:00Z')).toBe('2027-02-02');
    expect(clinicDayOf(clock, '2027-02-10T23:30:00Z')).toBe('2027-02-10');
  });

  it('does not depend on the machine zone rules: a November 2026 slot at UTC+1 reads 10:00', () => {
    const nov = { offsets: [{ from: '2026-11-15T09:00:00Z', offsetMinutes: 60 }] };
    expect(formatClinicTime(nov, '2026-11-16T09:00:00Z', 'fr')).toBe('10:00');
  });
});
