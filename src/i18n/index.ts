/**
 * Internationalisation: Arabic (right-to-left), French and English are all first-class. Resources are
 * typed against English, so a key missing in French or Arabic fails the type check, and a test checks
 * every key and every error code in every language.
 */
import i18next, { type i18n as I18n } from 'i18next';
import { ar } from './locales/ar';
import { en } from './locales/en';
import { fr } from './locales/fr';
import { errorsAr } from './locales/errors.ar';
import { errorsEn } from './locales/errors.en';
import { errorsFr } from './locales/errors.fr';
import { adminAr } from './locales/ui/admin.ar';
import { adminEn } from './locales/ui/admin.en';
import { adminFr } from './locales/ui/admin.fr';
import { bookingAr } from './locales/ui/booking.ar';
import { bookingEn } from './locales/ui/booking.en';
import { bookingFr } from './locales/ui/booking.fr';
import { dashAr } from './locales/ui/dash.ar';
import { dashEn } from './locales/ui/dash.en';
import { dashFr } from './locales/ui/dash.fr';
import { doctorsAr } from './locales/ui/doctors.ar';
import { doctorsEn } from './locales/ui/doctors.en';
import { doctorsFr } from './locales/ui/doctors.fr';
import { directoryAr } from './locales/ui/directory.ar';
import { directoryEn } from './locales/ui/directory.en';
import { directoryFr } from './locales/ui/directory.fr';
import { kioskAr } from './locales/ui/kiosk.ar';
import { kioskEn } from './locales/ui/kiosk.en';
import { kioskFr } from './locales/ui/kiosk.fr';
import { kioskMoreAr } from './locales/ui/kioskMore.ar';
import { kioskMoreEn } from './locales/ui/kioskMore.en';
import { kioskMoreFr } from './locales/ui/kioskMore.fr';
import { LANGUAGES, type Language } from './languages';

export { LANGUAGES, directionOf, isLanguage, type Language } from './languages';
// the core bundle with the coded errors' messages merged in (the app loads those on demand: lazy.ts)
const withErrors = <C extends { errors: object }, E extends { errors: object; errorHints: object }>(
  core: C,
  e: E,
) => ({ ...core, errors: { ...core.errors, ...e.errors }, errorHints: e.errorHints });

// every string, the admin, kiosk, desk and booking screens' too (the app loads those with their page: pageStrings.ts)
export const resources = {
  ar: {
    translation: {
      ...withErrors(ar, errorsAr),
      admin: adminAr,
      kiosk: kioskAr,
      kioskMore: kioskMoreAr,
      dash: dashAr,
      booking: bookingAr,
      doctors: doctorsAr,
      directory: directoryAr,
    },
  },
  fr: {
    translation: {
      ...withErrors(fr, errorsFr),
      admin: adminFr,
      kiosk: kioskFr,
      kioskMore: kioskMoreFr,
      dash: dashFr,
      booking: bookingFr,
      doctors: doctorsFr,
      directory: directoryFr,
    },
  },
  en: {
    translation: {
      ...withErrors(en, errorsEn),
      admin: adminEn,
      kiosk: kioskEn,
      kioskMore: kioskMoreEn,
      dash: dashEn,
      booking: bookingEn,
      doctors: doctorsEn,
      directory: directoryEn,
    },
  },
} as const;

/** Creates an isolated i18next instance (one per app, one per test). */
export async function createI18n(lng: Language = 'fr'): Promise<I18n> {
  const instance = i18next.createInstance();
  await instance.init({
    lng,
    fallbackLng: 'fr',
    supportedLngs: [...LANGUAGES],
    resources,
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  return instance;
}

/** The translated message for a coded error; unknown codes get a generic message, never a raw error. */
export function errorMessage(i18n: I18n, code: string | undefined): string {
  const key = `errors.${code ?? 'unknown'}`;
  return i18n.exists(key) ? i18n.t(key) : i18n.t('errors.unknown');
}
