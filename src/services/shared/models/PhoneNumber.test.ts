import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PhoneNumber, normalizePhoneInput } from './PhoneNumber';

const valid = (input: string, region?: Parameters<typeof PhoneNumber.create>[1]) => {
  const r = PhoneNumber.create(input, region);
  if (!r.ok) throw new Error(`expected ${input} to be valid, got ${r.error.message}`);
  return r.value;
};
const reasonOf = (input: string) => {
  const r = PhoneNumber.create(input);
  if (r.ok) throw new Error(`expected ${input} to be refused`);
  expect(r.error.code).toBe('PHONE.INVALID');
  return r.error.details?.['reason'];
};

describe('PhoneNumber', () => {
  it.each([
    ['0612345678'],
    ['+212 6 12 34 56 78'],
    ['00212612345678'],
    ['06-12-34-56-78'],
    ['06.12.34.56.78'],
    ['(+212) 612-345-678'],
    ['٠٦١٢٣٤٥٦٧٨'], // Arabic-Indic digits, as typed on an Arabic keyboard
    ['۰۶۱۲۳۴۵۶۷۸'], // Eastern Arabic digits
    ['\u00a006 12 34 56 78\u200f'],
  ])('accepts the Moroccan mobile %j and stores it as E.164', (input) => {
    const phone = valid(input);
    expect(phone.e164).toBe('+212612345678');
    expect(phone.country).toBe('MA');
    expect(phone.countryCallingCode).toBe('212');
    expect(phone.canReceiveSms).toBe(true);
    expect(String(phone)).toBe('+212612345678');
    expect(JSON.stringify({ phone })).toBe('{"phone":"+212612345678"}');
  });

  it('uses Morocco as the default region and another region when asked', () => {
    expect(valid('0712345678').e164).toBe('+212712345678');
    expect(valid('06 12 34 56 78', 'FR').e164).toBe('+33612345678');
    expect(valid('06 12 34 56 78', 'FR').country).toBe('FR');
    expect(valid('+33 6 12 34 56 78').country).toBe('FR');
  });

  it('knows a landline cannot receive SMS', () => {
    const landline = valid('0522 12 34 56');
    expect(landline.e164).toBe('+212522123456');
    expect(landline.type).toBe('FIXED_LINE');
    expect(landline.canReceiveSms).toBe(false);
  });

  it('refuses non-numbers, letters, SQL metacharacters and emoji with PHONE.INVALID', () => {
    expect(reasonOf('')).toBe('empty');
    expect(reasonOf('   ')).toBe('empty');
    expect(reasonOf('abc')).toBe('invalid_characters');
    expect(reasonOf('06123456ab')).toBe('invalid_characters');
    expect(reasonOf("0612345678'; DROP TABLE patients;--")).toBe('invalid_characters');
    expect(reasonOf('0612345678 OR 1=1')).toBe('invalid_characters');
    expect(reasonOf('06123456📞')).toBe('invalid_characters');
    expect(reasonOf('06 12 34 56 78 😀')).toBe('invalid_characters');
    expect(reasonOf('+-()')).toBe('not_a_number');
    expect(reasonOf('++212612345678')).toBe('invalid_characters');
  });

  it('refuses numbers that are too short or too long', () => {
    expect(reasonOf('06123')).toBe('too_short');
    expect(reasonOf('06123456789')).toBe('too_long');
    expect(reasonOf('061234567890123')).toBe('too_long');
    expect(reasonOf('0'.repeat(41))).toBe('too_long');
  });

  it('refuses a number the numbering plan does not have', () => {
    expect(reasonOf('0740123456')).toBe('invalid'); // 074 is not allocated
    // right length for Morocco, but no Moroccan number starts with 01
    expect(reasonOf('0112345678')).toBe('invalid');
    expect(reasonOf('+999 612345678')).toBe('invalid_country');
  });

  it('refuses a non-string at run time (input from outside TypeScript)', () => {
    expect(PhoneNumber.create(612345678 as unknown as string).ok).toBe(false);
  });

  it('never echoes the refused input in the error (it may be a real number)', () => {
    const r = PhoneNumber.create('0612345');
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain('0612345');
  });

  it('masks the number for logs: country code, first digit and last two only', () => {
    const phone = valid('0612345678');
    expect(phone.masked()).toBe('+2126••••••78');
    expect(phone.masked()).not.toContain('12345');
    expect(valid('+33 6 12 34 56 78').masked()).toBe('+336••••••78');
  });

  it('compares by E.164 value', () => {
    expect(valid('0612345678').equals(valid('+212612345678'))).toBe(true);
    expect(valid('0612345678').equals(valid('0612345679'))).toBe(false);
  });

  it('is immutable', () => {
    const phone = valid('0612345678');
    expect(Object.isFrozen(phone)).toBe(true);
    expect(() => {
      (phone as unknown as { e164: string }).e164 = '+212700000000';
    }).toThrow();
  });

  it('normalizes exotic digits and spaces before parsing', () => {
    expect(normalizePhoneInput(' ٠٦\u00a0۱۲ ')).toBe('06 12');
  });

  it('property: every accepted number is E.164 and its mask hides all but 3 national digits', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (input) => {
        const r = PhoneNumber.create(input);
        if (!r.ok) {
          expect(r.error.code).toBe('PHONE.INVALID');
        } else {
          expect(r.value.e164).toMatch(/^\+[1-9]\d{6,14}$/);
          expect(r.value.masked().replace(/\D/g, '').length).toBe(r.value.countryCallingCode.length + 3);
        }
      }),
    );
  });

  it('property: any Moroccan mobile in an allocated range is accepted, however it is typed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('60', '61', '62', '63', '64', '65', '66', '67', '69', '70', '71', '76', '77', '78'),
        fc.stringMatching(/^\d{7}$/),
        fc.constantFrom('0', '+212', '00212', '+212 '),
        fc.constantFrom('', ' ', '-', '.'),
        (lead, rest, prefix, sep) => {
          const digits = lead + rest;
          const typed = prefix + digits.replace(/(\d\d)(?=\d)/g, `$1${sep}`);
          const r = PhoneNumber.create(typed);
          expect(r.ok && r.value.e164).toBe(`+212${digits}`);
        },
      ),
    );
  });
});
