import { describe, expect, it } from 'vitest';
import { estimateWaits, waitFromPosition, waitRange } from './waitEstimate';

describe('waitRange', () => {
  it('rounds to 5-minute steps beyond 10 minutes and keeps the estimate inside the range', () => {
    const r = waitRange(26);
    expect(r).toEqual({ minutes: 25, low: 20, high: 35 });
    expect(r.low).toBeLessThanOrEqual(r.minutes);
    expect(r.high).toBeGreaterThan(r.minutes);
  });
  it('never shows a negative wait', () => {
    expect(waitRange(-4).low).toBe(0);
  });
});

describe('estimateWaits', () => {
  const now = Date.parse('2026-11-24T09:00:00Z');
  const e = (
    id: string,
    status: string,
    practitionerId: string | null,
    d = 15,
    startedAt: string | null = null,
  ) => ({
    id,
    status,
    practitionerId,
    expectedDurationMinutes: d,
    startedAt,
    calledAt: null,
  });
  it('adds the remaining desk time and the entries ahead in the same pool only', () => {
    const waits = estimateWaits(
      [
        e('busy', 'in_service', 'p1', 15, '2026-11-24T08:55:00Z'),
        e('a', 'waiting', 'p1'),
        e('b', 'waiting', 'p2'),
        e('c', 'waiting', 'p1'),
      ],
      2,
      now,
    );
    expect(waits.get('a')?.minutes).toBe(10); // 10 min left for the patient in service
    expect(waits.get('b')?.minutes).toBe(0); // nobody ahead for p2
    expect(waits.get('c')?.minutes).toBe(25); // 10 + 15
    expect(waits.has('busy')).toBe(false);
  });
  it('shares an "any" pool between practitioners', () => {
    const waits = estimateWaits([e('a', 'waiting', null, 20), e('b', 'waiting', null, 20)], 2, now);
    expect(waits.get('b')?.minutes).toBe(10);
  });
  it('gives later positions longer waits', () => {
    expect(waitFromPosition(4).minutes).toBeGreaterThan(waitFromPosition(1).minutes);
  });
});
