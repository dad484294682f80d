/**
 * The fakes' mirror of private.sms_country_allowed (sec22a): strict E.164 in a listed country — and, as the
 * database's phone check since review23 L6, never +2120… (the trunk 0 kept after +212 is no number).
 */
import { describe, expect, it } from 'vitest';
import { smsCountryAllowed } from './smsCountries';

describe('smsCountryAllowed (the fakes, as the database answers)', () => {
  it('Moroccan E.164 numbers only; +2120… (a trunk 0 kept) is refused', () => {
    expect(smsCountryAllowed('+212612345678')).toBe(true);
    expect(smsCountryAllowed('+2120612345678')).toBe(false);
    expect(smsCountryAllowed('+21200612345678')).toBe(false);
    expect(smsCountryAllowed('+33612345678')).toBe(false);
    expect(smsCountryAllowed('+390612345678', ['39'])).toBe(true); // another country's 0 is its own
    expect(smsCountryAllowed('212612345678')).toBe(false);
    // sec24a (review24 L2): a +212 number has 9 national digits, starting 5–8
    expect(smsCountryAllowed('+2121234567')).toBe(false);
    expect(smsCountryAllowed('+212612398793123')).toBe(false);
    expect(smsCountryAllowed('+212412345678')).toBe(false);
    expect(smsCountryAllowed('+212522123456')).toBe(true);
  });
});
