import { describe, expect, it } from 'vitest';
import { waitFromPosition, waitRange } from './waitEstimate';

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

describe('waitFromPosition', () => {
  it('gives later positions longer waits', () => {
    expect(waitFromPosition(4).minutes).toBeGreaterThan(waitFromPosition(1).minutes);
  });
});
