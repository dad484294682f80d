// Names in free text (issue 19): the people a page has shown are masked wherever they appear in a log line's
// text, whole words only, any case, Latin or Arabic script; the sanitiser applies the masker to every string.
import { describe, expect, it } from 'vitest';
import { collectNames, maskNames, nameMasker, NAME_MASK, sanitizeLogValue, scrub } from './logSanitize';
import { forgetKnownNames, knownNames, MAX_KNOWN_NAMES, rememberNamesIn } from './knownNames';

describe('nameMasker', () => {
  it('masks full names and their words, whole words only, any case', () => {
    const mask = nameMasker(['Amina Benali', 'Ali']);
    expect(mask('save failed for Amina Benali (A-007)')).toBe(`save failed for ${NAME_MASK} (A-007)`);
    expect(mask('AMINA called; benali late')).toBe(`${NAME_MASK} called; ${NAME_MASK} late`);
    expect(mask('Amina  Benali')).toBe(NAME_MASK);
    // "Ali" is a name, but not inside another word
    expect(mask('Ali at Alimentation Benalité')).toBe(`${NAME_MASK} at Alimentation Benalité`);
  });

  it('masks Arabic names, with or without the rest of the name', () => {
    const mask = nameMasker(['فاطمة الزهراء العلوي']);
    expect(mask('تعذر حفظ فاطمة الزهراء العلوي')).toBe(`تعذر حفظ ${NAME_MASK}`);
    expect(mask('فاطمة: missing')).toBe(`${NAME_MASK}: missing`);
    expect(mask('فاطمةه')).toBe('فاطمةه');
  });

  it('leaves text alone without names; names shorter than 2 letters are ignored, regex characters are literal', () => {
    expect(nameMasker([])('Amina')).toBe('Amina');
    expect(maskNames('a b c', ['a', ' '])).toBe('a b c');
    expect(maskNames('Dr. (J.) Martin .* here', ['(J.) Martin'])).toBe(`Dr. ${NAME_MASK} .* here`);
  });

  it('sanitizeLogValue masks names in every string, keys included', () => {
    const mask = nameMasker(['Camille Dubois']);
    expect(
      sanitizeLogValue(
        { note: 'Camille Dubois is late', list: ['camille'], 'Dubois?': 1, fullName: 'x' },
        0,
        mask,
      ),
    ).toEqual({
      note: `${NAME_MASK} is late`,
      list: [NAME_MASK],
      [`${NAME_MASK}?`]: 1,
      fullName: '[redacted]',
    });
  });
});

describe('known names', () => {
  it('collects strings under name-like keys, deep in arrays and objects', () => {
    const names = collectNames(
      {
        entries: [
          { patientName: 'Camille Dubois', ticket: 'A-001' },
          { patient: { full_name: 'يوسف بنجلون' } },
        ],
        name: ' ',
      },
      new Set(),
    );
    expect([...names].sort()).toEqual(['Camille Dubois', 'يوسف بنجلون']);
  });

  it('remembers what the screens received, bounded, with a version for the cached masker', () => {
    forgetKnownNames();
    const v0 = knownNames().version;
    rememberNamesIn([{ patientName: 'Camille Dubois' }]);
    const v1 = knownNames().version;
    expect(v1).toBeGreaterThan(v0);
    rememberNamesIn([{ patientName: 'Camille Dubois' }]);
    expect(knownNames().version).toBe(v1);
    rememberNamesIn(Array.from({ length: MAX_KNOWN_NAMES + 5 }, (_, i) => ({ name: `Patient ${i}` })));
    const { names } = knownNames();
    expect(names).toHaveLength(MAX_KNOWN_NAMES);
    expect(names).not.toContain('Camille Dubois');
    expect(names).toContain(`Patient ${MAX_KNOWN_NAMES + 4}`);
    forgetKnownNames();
    expect(knownNames().names).toEqual([]);
  });
});

// Attack review of session 16: the edge functions' redactPhones is this scrub; bracketed and slashed numbers
// leaked before (the pattern allowed only spaces, dots and dashes between digits).
describe('scrub', () => {
  it.each([
    ['+212 6-12-34-56-78', '+212••••78'],
    ['06.12.34.56.78', '061••••78'],
    ['+212 (0)6 12 34 56 78', '+212••••78'],
    ['(+212) 612 34 56 78', '(+212••••78'],
    ['06/12/34/56/78', '061••••78'],
    ['+212\u00a0612\u00a0345\u00a0678', '+212••••78'],
    // attack review of session 17: other scripts' digits and commas were logged in full
    ['+٢١٢٦٠٠٠٠٠١٠٠', '+٢١٢••••٠٠'], // Arabic-Indic digits
    ['۰۶۰۰۰۰۰۱۰۰', '۰۶۰••••۰۰'], // Eastern Arabic-Indic (Persian) digits
    ['06,00,00,01,00', '060••••00'], // commas
    ['٠٦،٠٠،٠٠،٠١،٠٠', '٠٦٠••••٠٠'], // Arabic comma
    ['+212 ٦١٢ 34 56 78', '+212••••78'], // mixed scripts
    ['\uFF0B212 612 345 678', '+212••••78'], // full-width plus
  ])('masks %s', (input, want) => {
    expect(scrub(`SMS to ${input} failed`)).toBe(`SMS to ${want} failed`);
  });
  it('no phone in any of those forms survives a POST /client-logs value', () => {
    const v = sanitizeLogValue({ msg: 'call +٢١٢٦٠٠٠٠٠١٠٠ or ۰۶۰۰۰۰۰۱۰۰ or 06,00,00,01,00' }) as {
      msg: string;
    };
    expect(v.msg).not.toMatch(/\p{Nd}{4}/u);
    expect(v.msg).not.toContain('00,00');
  });
  it('leaves tickets, times and short codes alone', () => {
    expect(scrub('ticket A-007 at 10:30, HTTP 400 code 21211')).toBe(
      'ticket A-007 at 10:30, HTTP 400 code 21211',
    );
  });
});
