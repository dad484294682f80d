/**
 * The light translator (translator.ts) says what i18next says (issue 14): every screen renders with it, from the
 * same locale files i18next read. Every key of the core bundle (tracker, board, status, day.*, shell, common…),
 * of the error messages and of every page's section (admin, dash, kiosk…), in ar/fr/en: bare, with its
 * placeholders given, with them missing, and with plural counts 0, 1, 2, 3, 11, 100 (Arabic has all six forms).
 */
import i18next, { type i18n as I18n } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../services/shared/AppError';
import { ar } from './locales/ar';
import { en } from './locales/en';
import { fr } from './locales/fr';
import { errorsAr } from './locales/errors.ar';
import { errorsEn } from './locales/errors.en';
import { errorsFr } from './locales/errors.fr';
import { LANGUAGES, type Language } from './languages';
import { translateError } from './lazy';
import { pageStringsOf } from './pageStrings';
import { createTranslations, errorText, interpolate, type Translations } from './translator';

const CORE = { ar, fr, en } as const;
const ERRORS = { ar: errorsAr, fr: errorsFr, en: errorsEn } as const;
const PLURAL = /_(zero|one|two|few|many|other)$/;
const COUNTS = [0, 1, 2, 3, 11, 100];

/** Every key as i18next is asked for it (`a.b.c`; plural keys once, without their suffix), with its strings. */
function keysOf(obj: object, path: string[] = []): [string, string[]][] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null
      ? keysOf(v as object, [...path, k])
      : [[[...path, k.replace(PLURAL, '')].join('.'), [String(v)]] as [string, string[]]],
  );
}
function keyTable(obj: object): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const [k, vs] of keysOf(obj)) m.set(k, [...(m.get(k) ?? []), ...vs]);
  return m;
}
const placeholders = (ss: string[]) =>
  [...new Set(ss.flatMap((s) => [...s.matchAll(/\{\{-?\s*(\w+)\s*\}\}/g)].map((m) => m[1]!)))].filter(
    (n) => n !== 'count',
  );

const SECTIONS = [
  'admin',
  'kiosk',
  'kioskMore',
  'records',
  'landing',
  'visits',
  'join',
  'dash',
  'myName',
  'doctors',
] as const;
const sections: Partial<Record<Language, object>> = {};
const reference: Partial<Record<Language, I18n>> = {};
const light: Partial<Record<Language, Translations>> = {};

beforeAll(async () => {
  for (const lng of LANGUAGES) {
    const i = i18next.createInstance();
    // the app's own options (lazy.ts createAppI18n)
    await i.init({
      lng,
      fallbackLng: false,
      supportedLngs: [...LANGUAGES],
      resources: { [lng]: { translation: structuredClone(CORE[lng]) } },
      interpolation: { escapeValue: false },
      returnNull: false,
    });
    i.addResourceBundle(lng, 'translation', structuredClone(ERRORS[lng]), true, true);
    const pages: Record<string, object> = {};
    for (const section of SECTIONS) pages[section] = await pageStringsOf(section, lng);
    sections[lng] = pages;
    i.addResourceBundle(lng, 'translation', structuredClone(pages), true, true);
    reference[lng] = i;
    const tr = createTranslations();
    await tr.ensure(lng);
    await tr.ensureErrors(lng);
    tr.add(lng, pages);
    light[lng] = tr;
  }
});

describe('the light translator says what i18next says', () => {
  it.each(LANGUAGES)(
    'every core and error key in %s: bare, with params, without, and plural counts',
    (lng) => {
      const i = reference[lng]!;
      const tr = light[lng]!;
      const table = new Map([...keyTable(CORE[lng]), ...keyTable(ERRORS[lng])]);
      // the tracker's and the board's own strings are among them
      for (const k of [
        'tracker.eta',
        'tracker.absent',
        'board.announce',
        'day.tracker.room',
        'status.waiting',
      ])
        expect(table.has(k)).toBe(true);
      let compared = 0;
      let plurals = 0;
      for (const [key, strings] of table) {
        const names = placeholders(strings);
        const given = Object.fromEntries(names.map((n, j) => [n, `‹${n}${j}›`]));
        const cases: Record<string, unknown>[] = [{}, given, { [names[0] ?? 'x']: null }];
        for (const count of COUNTS) cases.push({ ...given, count }, { count });
        for (const params of cases) {
          const expected = i.t(key, params);
          expect(tr.t(lng, key, params), `${lng} ${key} ${JSON.stringify(params)}`).toBe(expected);
          compared++;
        }
        if (strings.length > 1) plurals++;
      }
      expect(compared).toBe(table.size * 15);
      expect(plurals).toBeGreaterThan(0);
    },
  );

  it.each(LANGUAGES)(
    'chooses each plural form of %s as Intl.PluralRules does, and as i18next',
    async (lng) => {
      // a key whose forms name themselves (the locales' Arabic zero/many/other texts are alike)
      const forms = ['zero', 'one', 'two', 'few', 'many', 'other'];
      const bundle = { k: Object.fromEntries(forms.map((f) => [`n_${f}`, `${f} {{count}}`])) };
      const i = i18next.createInstance();
      await i.init({ lng, fallbackLng: false, resources: { [lng]: { translation: bundle } } });
      const tr = createTranslations({ [lng]: bundle });
      const chosen = COUNTS.map((count) => tr.t(lng, 'k.n', { count }));
      expect(chosen).toEqual(COUNTS.map((count) => i.t('k.n', { count })));
      // the count 0 takes `_zero` in every language (i18next's rule); the others Intl.PluralRules' category
      expect(chosen).toEqual(
        COUNTS.map((n) => `${n === 0 ? 'zero' : new Intl.PluralRules(lng).select(n)} ${n}`),
      );
      if (lng === 'ar') expect(chosen).toEqual(['zero 0', 'one 1', 'two 2', 'few 3', 'many 11', 'other 100']);
    },
  );

  // (a key naming a branch, `t('tracker')`, is a programming error: i18next answers a warning text, this the key)
  it('answers the key for a missing key and a language it has not loaded, as i18next does', () => {
    const tr = light.fr!;
    for (const key of ['tracker.nope', 'nope.deeper.still', 'errors.NOT.A.CODE'])
      expect(tr.t('fr', key)).toBe(reference.fr!.t(key));
    expect(createTranslations().t('ar', 'tracker.title')).toBe('tracker.title');
    // nothing inherited answers: a key or a placeholder named like an Object method
    expect(tr.t('fr', 'constructor')).toBe('constructor');
    expect(tr.t('fr', 'tracker.toString')).toBe('tracker.toString');
    expect(interpolate('{{toString}} {{__proto__}}', {})).toBe('{{toString}} {{__proto__}}');
  });

  it('interpolates once: a value holding braces is not interpolated again', () => {
    expect(interpolate('{{a}} {{b}}', { a: '{{b}}', b: 'x' })).toBe('{{b}} x');
    expect(reference.en!.t('tracker.calledBody', { room: '{{room}}' })).toBe(
      light.en!.t('en', 'tracker.calledBody', { room: '{{room}}' }),
    );
  });

  it.each(LANGUAGES)('gives every error code the message and hint lazy.translateError gives (%s)', (lng) => {
    const params = [
      undefined,
      { toPosition: 9, min: 1, max: 4 },
      { count: 3, time: '10:30', variant: 'at' },
      { count: 1, time: '10:30', reason: 'at' },
      { count: 0 },
      { reason: 'assigned_to_other_practitioner', doctor: 'Dr A' },
      { reason: 'assigned_to_other_practitioner', doctor: null },
      { reason: 'booking_address', retryAfterSeconds: 1800 },
    ];
    for (const code of [...Object.values(ErrorCodes), undefined, 'NOT.A.CODE'])
      for (const p of params)
        expect(errorText(light[lng]!, lng, code, p), `${lng} ${code}`).toBe(
          translateError(reference[lng]!, code, p),
        );
  });

  it.each(LANGUAGES)(
    'a booking refused by the per-address limit says so on the booking screen, not just "too many attempts" (%s)',
    (lng) => {
      // the local stack's 429 (secmisc18): RATE.LIMITED with details {"reason":"booking_address"}
      const booking = errorText(light[lng]!, lng, 'RATE.LIMITED', { reason: 'booking_address' });
      const generic = errorText(light[lng]!, lng, 'RATE.LIMITED');
      expect(booking).not.toBe(generic);
      expect(booking).toBe(
        { en: errorsEn, fr: errorsFr, ar: errorsAr }[lng].errorHints['RATE.LIMITED|booking_address'],
      );
      expect(booking).not.toMatch(/\{\{/);
    },
  );
});
