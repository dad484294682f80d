/**
 * An i18next instance as the app had it before issue 14 (one language's core, the errors on demand): the tests'
 * reference. The browser translates with translator.ts (no i18next download); translator.test.ts compares the
 * two on every key, and translateError here with errorText there on every error code.
 */
import i18next, { type i18n as I18n } from 'i18next';
import type { Resources } from './locales/en';
import type { ErrorResources } from './locales/errors.en';
import { isLanguage, type Language } from './languages';

export type { Language } from './languages';

const loaders: Record<Language, () => Promise<Resources>> = {
  ar: () => import('./locales/ar').then((m) => m.ar),
  fr: () => import('./locales/fr').then((m) => m.fr),
  en: () => import('./locales/en').then((m) => m.en),
};

export async function ensureLanguage(i18n: I18n, lng: Language): Promise<void> {
  if (!i18n.hasResourceBundle(lng, 'translation'))
    i18n.addResourceBundle(lng, 'translation', structuredClone(await loaders[lng]()), true, true);
}

/**
 * The coded errors' messages (`errors.*` but the core's two, and `errorHints.*`) are a bundle of their own per
 * language, loaded on demand (src/i18n/README.md): a screen's first render does not carry ~60 messages it
 * shows only when something fails. Toasts wait for it before showing a message; components that render
 * an error inline use `useErrorText` (pageStrings.ts); `preloadErrorStrings` fetches it once the page is idle.
 */
const errorLoaders: Record<Language, () => Promise<ErrorResources>> = {
  ar: () => import('./locales/errors.ar').then((m) => m.errorsAr),
  fr: () => import('./locales/errors.fr').then((m) => m.errorsFr),
  en: () => import('./locales/errors.en').then((m) => m.errorsEn),
};

const languageOf = (i18n: I18n, lng?: string): Language => {
  const l = lng ?? i18n.language;
  return isLanguage(l) ? l : 'fr';
};

/** True once the coded errors' messages of `lng` (default: the current language) are in place. */
export function hasErrorStrings(i18n: I18n, lng?: string): boolean {
  // `errorHints` lives only in the errors bundle
  return typeof i18n.getResource(languageOf(i18n, lng), 'translation', 'errorHints') === 'object';
}

export async function ensureErrorStrings(i18n: I18n, lng?: string): Promise<void> {
  const l = languageOf(i18n, lng);
  if (!hasErrorStrings(i18n, l))
    i18n.addResourceBundle(l, 'translation', structuredClone(await errorLoaders[l]()), true, true);
}

/** Loads the current language's error messages once the page has loaded and the browser is idle. */
export function preloadErrorStrings(i18n: I18n): () => void {
  if (typeof window === 'undefined' || hasErrorStrings(i18n)) return () => {};
  let cancel = () => {};
  const go = () => {
    const idle = window.requestIdleCallback?.bind(window);
    if (idle) {
      const id = idle(() => void ensureErrorStrings(i18n).catch(() => {}), { timeout: 3000 });
      cancel = () => window.cancelIdleCallback(id);
    } else void ensureErrorStrings(i18n).catch(() => {}); // a failed preload is retried when an error shows
  };
  if (document.readyState === 'complete') go();
  else {
    window.addEventListener('load', go, { once: true });
    cancel = () => window.removeEventListener('load', go);
  }
  return () => cancel();
}

export async function createAppI18n(lng: Language): Promise<I18n> {
  const instance = i18next.createInstance();
  // a copy: i18next merges later bundles (errors, a page's strings) into the object it holds, and the
  // module's own object must stay the core bundle (tests build many instances)
  const resources = structuredClone(await loaders[lng]());
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
