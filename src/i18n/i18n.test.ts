import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../services/shared/AppError';
import { ar } from './locales/ar';
import { en } from './locales/en';
import { fr } from './locales/fr';
import { createI18n, directionOf, errorMessage, LANGUAGES } from './index';

/** Leaf entries as [path, value]; error codes contain dots, so paths are arrays joined with ' > '. */
function leaves(obj: object, path: string[] = []): [string, unknown][] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? leaves(v as object, [...path, k]) : [[[...path, k].join(' > '), v]],
  );
}
const keys = (obj: object) => leaves(obj).map(([k]) => k);

describe('i18n', () => {
  it('has every key in ar, fr and en, none empty', () => {
    const reference = keys(en).sort();
    for (const locale of [ar, fr]) expect(keys(locale).sort()).toEqual(reference);
    for (const locale of [ar, fr, en])
      for (const [k, value] of leaves(locale)) expect(String(value).trim(), k).not.toBe('');
  });

  it('has a translated message for every error code in every language', async () => {
    for (const lng of LANGUAGES) {
      const i18n = await createI18n(lng);
      for (const code of Object.values(ErrorCodes)) {
        expect(i18n.exists(`errors.${code}`), `${lng}: ${code}`).toBe(true);
      }
    }
  });

  it('shows a generic translated message for an unknown code, never the raw code', async () => {
    const i18n = await createI18n('ar');
    const msg = errorMessage(i18n, 'PGRST999');
    expect(msg).toBe(ar.errors.unknown);
    expect(errorMessage(i18n, 'BOOKING.SLOT_FULL')).toBe(ar.errors['BOOKING.SLOT_FULL']);
  });

  it('Arabic is right-to-left, French and English left-to-right', () => {
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('fr')).toBe('ltr');
    expect(directionOf('en')).toBe('ltr');
  });
});
