/** The reader's language: persisted, and mirrored on <html lang dir> so RTL really mirrors the layout. */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ensureLanguage, type Language } from '../../i18n/lazy';

const isLanguage = (v: unknown): v is Language => v === 'ar' || v === 'fr' || v === 'en';
export const directionOf = (lng: Language): 'rtl' | 'ltr' => (lng === 'ar' ? 'rtl' : 'ltr');

export const LANGUAGE_STORAGE_KEY = 'queuemed.language';

export function initialLanguage(): Language {
  try {
    const fromUrl = new URLSearchParams(window.location.search).get('lang');
    if (isLanguage(fromUrl)) return fromUrl;
    const stored = window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    /* storage unavailable (private mode): fall through */
  }
  const nav = (navigator.language || 'fr').slice(0, 2);
  return isLanguage(nav) ? nav : 'fr';
}

export function applyDocumentLanguage(lng: Language) {
  document.documentElement.lang = lng;
  document.documentElement.dir = directionOf(lng);
}

export function useLanguage() {
  const { i18n } = useTranslation();
  const lng = (isLanguage(i18n.language) ? i18n.language : 'fr') as Language;
  const setLanguage = useCallback(
    (next: Language) => {
      void ensureLanguage(i18n, next).then(() => {
        void i18n.changeLanguage(next);
        applyDocumentLanguage(next);
      });
      try {
        window.localStorage.setItem(LANGUAGE_STORAGE_KEY, next);
      } catch {
        /* ignore */
      }
    },
    [i18n],
  );
  return { lng, dir: directionOf(lng), setLanguage };
}
