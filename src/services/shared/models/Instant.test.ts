import { describe, expect, it } from 'vitest';
import { toEpochMs, toIsoUtc } from './Instant';

describe('Instant', () => {
  it('reads a Date, an ISO string with offset and epoch milliseconds as the same moment', () => {
    const ms = Date.UTC(2026, 1, 16, 8, 0);
    expect(toEpochMs(new Date(ms))).toBe(ms);
    expect(toEpochMs('2026-02-16T09:00:00+01:00')).toBe(ms);
    expect(toEpochMs(ms)).toBe(ms);
    expect(toIsoUtc('2026-02-16T09:00:00+01:00')).toBe('2026-02-16T08:00:00.000Z');
  });

  it('throws on an unreadable instant (a bug, not an expected failure)', () => {
    expect(() => toEpochMs('tomorrow')).toThrow(RangeError);
    expect(() => toEpochMs(Number.NaN)).toThrow(RangeError);
    expect(() => toEpochMs(new Date('x'))).toThrow(RangeError);
  });
});
