import { describe, expect, it } from 'vitest';
import { msToSecondsDecimal, secondsDecimalToMs } from './queueEntryRow';

describe('queue entry order key ↔ numeric seconds', () => {
  it.each([
    0, 1, 999, 1_764_578_400_123, 1_764_578_400_123.5, 1_764_578_400_000.0625, 99.9, -1500, 1999999.9,
  ])('%s ms survives the round trip exactly', (ms) => {
    expect(secondsDecimalToMs(msToSecondsDecimal(ms))).toBe(ms);
  });

  it('reads what PostgreSQL prints for numeric (trailing zeros, integers, JSON numbers)', () => {
    expect(secondsDecimalToMs('1764578400.1234000')).toBe(1_764_578_400_123.4);
    expect(secondsDecimalToMs('2000')).toBe(2_000_000);
    expect(secondsDecimalToMs('0.0005')).toBe(0.5);
    expect(secondsDecimalToMs('-1.5')).toBe(-1500);
  });
});
