import { describe, expect, it } from 'vitest';
import { toE164Digits } from './phoneInput';

describe('toE164Digits', () => {
  it('turns the usual Moroccan ways of typing a mobile number into the same account phone', () => {
    for (const typed of [
      '06 00 00 01 00',
      '0600000100',
      '+212 600 000 100',
      '00212600000100',
      '212600000100',
    ])
      expect(toE164Digits(typed), typed).toBe('212600000100');
  });
  it('reads Arabic-Indic digits like ASCII ones (the sign-in phone uses the one domain parser)', () => {
    expect(toE164Digits('٠٦١٢٠٠٠١١١')).toBe('212612000111');
    expect(toE164Digits('٠٠٢١٢ ٦١٢ ٠٠٠ ١١١')).toBe('212612000111');
  });
  it('leaves foreign numbers alone', () => {
    expect(toE164Digits('+33 6 12 34 56 78')).toBe('33612345678');
  });
});
