/**
 * The app's i18n instance, loading only the reader's language up front (the other two load when the
 * reader switches). Keeps the first screen — the patient tracker on a cheap phone — light.
 */
import i18next, { type i18n as I18n } from 'i18next';
import type { Resources } from './locales/en';
import type { Language } from './languages';

export type { Language } from './languages';

const loaders: Record<Language, () => Promise<Resources>> = {
  ar: () => import('./locales/ar').then((m) => m.ar),
  fr: () => import('./locales/fr').then((m) => m.fr),
  en: () => import('./locales/en').then((m) => m.en),
};

export async function ensureLanguage(i18n: I18n, lng: Language): Promise<void> {
  if (!i18n.hasResourceBundle(lng, 'translation'))
    i18n.addResourceBundle(lng, 'translation', await loaders[lng](), true, true);
}

export async function createAppI18n(lng: Language): Promise<I18n> {
  const instance = i18next.createInstance();
  const resources = await loaders[lng]();
  await instance.init({
    lng,
    fallbackLng: false,
    supportedLngs: ['ar', 'fr', 'en'],
    resources: { [lng]: { translation: resources } },
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}

/** The translated message for a coded error; unknown codes get a generic message, never a raw error. */
export function translateError(i18n: I18n, code: string | undefined): string {
  const key = `errors.${code ?? 'unknown'}`;
  return i18n.exists(key) ? i18n.t(key) : i18n.t('errors.unknown');
}
