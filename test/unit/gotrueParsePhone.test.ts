/**
 * sec24a (review24 L2): the local auth's parsePhone refuses a number libphonenumber does not find valid — before, it
 * fell back to the raw digits and an SMS code was "sent" to +212612398793123 (too long), +212512398791 (no such
 * landline) or +212812398792. The refusal is GoTrue's 400 validation_failed (the sign-in screen: PHONE.INVALID).
 */
import { describe, expect, it } from 'vitest';
import { parsePhone } from '../../supabase/local/auth/gotrue';

const refusal = (v: unknown): unknown => {
  try {
    return parsePhone(v);
  } catch (e) {
    const x = e as { status?: number; body?: { error_code?: string } };
    return { status: x.status, code: x.body?.error_code };
  }
};

describe('parsePhone (local auth)', () => {
  it('valid numbers: their E.164 digits; the trunk 0 after +212 dropped; blank is null', () => {
    expect(parsePhone('+212612000922')).toBe('212612000922');
    expect(parsePhone('212 (0) 6 12 00 09 31')).toBe('212612000931');
    expect(parsePhone('+212522123456')).toBe('212522123456');
    expect(parsePhone('+33612345678')).toBe('33612345678');
    expect(parsePhone('')).toBeNull();
    expect(parsePhone(undefined)).toBeNull();
  });

  it('numbers libphonenumber finds invalid are refused with 400 validation_failed, not kept as digits', () => {
    for (const bad of [
      '+212612398793123',
      '+212512398791',
      '+212812398792',
      '+2121234567',
      '+2120000000',
      '+447700900123',
      "+212612000922' or 1=1 --",
      '+٢١٢٦١٢٠٠٠٩٢٢',
    ]) {
      expect([bad, refusal(bad)]).toEqual([bad, { status: 400, code: 'validation_failed' }]);
    }
  });
});
