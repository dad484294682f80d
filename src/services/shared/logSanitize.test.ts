// Names in free text (issue 19): the people a page has shown are masked wherever they appear in a log line's
// text, whole words only, any case, Latin or Arabic script; the sanitiser applies the masker to every string.
import { describe, expect, it } from 'vitest';
import { collectNames, maskNames, nameMasker, NAME_MASK, scrub } from './logSanitize';
import { maskPath, sanitizeLogValue, scrubText } from './logTextSanitize';
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

// review26 L4: what the client-logs ingest let through — the browser and the server share this sanitiser.
describe('scrubText', () => {
  const TOKEN = '3f9a0c5be1d24a7f8c6e0b9d1a2f3e4c5b6a7d8e9f0a1b2c3d4e5f6a7b8c9f1a'; // a 64-hex tracking token
  const JWT =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwicm9sZSI6ImFub24ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

  it.each([
    ['ZWSP', '0661\u200b234567'],
    ['ZWJ', '0661\u200d234567'],
    ['word joiner', '06\u206061\u206023\u206045\u206067'],
    ['soft hyphen', '0661\u00ad234567'],
    ['bidi marks', '\u202e0661234567\u202c'],
  ])('a phone with a format character (%s) inside is masked', (_name, phone) => {
    const out = scrubText(`tel ${phone} busy`);
    expect(out).toBe('tel 066••••67 busy');
    expect(out).not.toContain('234567');
  });

  it('e-mail addresses are masked (Latin and other scripts)', () => {
    expect(scrubText('mail amine.tazi@gmail.com failed')).toBe('mail [email] failed');
    expect(scrubText('to: "Fatima" <fatima+rdv@clinique-anfa.ma>')).toBe('to: "Fatima" <[email]>');
    expect(scrubText('بريد أمين@مثال.المغرب')).not.toContain('@');
  });

  it('tracking tokens in paths, URLs and query values become :token', () => {
    expect(scrubText(`GET /t/${TOKEN} 404`)).toBe('GET /t/:token 404');
    expect(scrubText(`open https://q.ma/t/${TOKEN}?lang=ar`)).toBe('open https://q.ma/t/:token?lang=ar');
    expect(scrubText(`rpc?p_tracking_token=${TOKEN}`)).toBe('rpc?p_tracking_token=:token');
    expect(scrubText(`token ${TOKEN} pasted`)).toBe('token :token pasted');
    expect(maskPath(`/t/${TOKEN}`)).toBe('/t/:token');
    expect(maskPath(`/t/${TOKEN.slice(0, 30)}\u200b${TOKEN.slice(30)}`)).toBe('/t/:token');
  });

  it('Bearer credentials and JWTs are redacted', () => {
    expect(scrubText(`Authorization: Bearer ${JWT}`)).toBe('Authorization: Bearer [redacted]');
    expect(scrubText(`apikey=${JWT}`)).not.toContain('eyJ');
    expect(scrubText(`token was ${JWT}.`)).toBe('token was [jwt].');
  });

  it('ordinary text survives: Arabic, French place names, room numbers, tickets, times, uuids, function names', () => {
    for (const text of [
      'الانتظار المتوقع 25 دقيقة في القاعة 3',
      'Cabinet de l’Aïn Sebaâ — Casablanca, rue Ibn Battouta',
      'room 12, ticket A-007 at 10:30, HTTP 400 code 21211',
      'clinic c0ffee42-b7a1-4e3d-9f2a-5d6e7f8a9b0c failed',
      'POST /rest/v1/rpc/get_queue_view 503 after 1200 ms',
      'Bearing 12° — the Berber word is ⵜⴰⵎⴰⵣⵉⵖⵜ',
    ])
      expect(scrubText(text)).toBe(text);
  });

  it('sanitizeLogValue: authorization / apikey / cookie keys redacted, every string scrubbed', () => {
    expect(
      sanitizeLogValue({
        headers: { Authorization: `Bearer ${JWT}`, apikey: JWT, Cookie: 'sb=1', accept: 'application/json' },
        url: `https://q.ma/t/${TOKEN}`,
        note: 'amina@gmail.com',
        room: 'Salle 12',
      }),
    ).toEqual({
      headers: {
        Authorization: '[redacted]',
        apikey: '[redacted]',
        Cookie: '[redacted]',
        accept: 'application/json',
      },
      url: 'https://q.ma/t/:token',
      note: '[email]',
      room: 'Salle 12',
    });
  });
});
