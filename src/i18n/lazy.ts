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
export function translateError(
  i18n: I18n,
  code: string | undefined,
  params?: Readonly<Record<string, unknown>>,
): string {
  const hint = params ? errorHint(i18n, code, params) : null;
  if (hint !== null) return hint;
  const key = `errors.${code ?? 'unknown'}`;
  return i18n.exists(key) ? i18n.t(key) : i18n.t('errors.unknown');
}

/**
 * An error that says what to do (issue 15.11), when the error carries what it needs: `errorHints.<code>|<variant>`
 * or `errorHints.<code>`, with `params` (the error's details and what the screen adds: a doctor's name, a
 * time). `variant` is `params.variant`, else `params.reason`. `params.count` picks plural forms. Used only if
 * every {{placeholder}} of the hint is given, else null (the plain message then).
 */
export function errorHint(
  i18n: I18n,
  code: string | undefined,
  params: Readonly<Record<string, unknown>>,
): string | null {
  if (!code) return null;
  const variant = params.variant ?? params.reason;
  const keys = [
    ...(typeof variant === 'string' ? [`errorHints.${code}|${variant}`] : []),
    `errorHints.${code}`,
  ];
  for (const key of keys) {
    const opts = 'count' in params ? { count: Number(params.count) } : {};
    if (!i18n.exists(key, opts)) continue;
    // the hint's text uninterpolated, to check that every placeholder is given
    const raw = i18n.t(key, { ...opts, interpolation: { prefix: '\u0000', suffix: '\u0001' } });
    const needed = [...raw.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!);
    if (needed.every((n) => n === 'count' || (params[n] !== undefined && params[n] !== null))) {
      return i18n.t(key, { ...params, ...opts });
    }
  }
  return null;
}
