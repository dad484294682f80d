/** `PreferenceStore` and `LanguageEnvironment` in a browser (localStorage may be unavailable: private mode). */
import { LANGUAGE_STORAGE_KEY, type LanguageEnvironment, type PreferenceStore } from '../LanguageService';

export const browserPreferenceStore: PreferenceStore = {
  get(key) {
    try {
      return window.localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key, value) {
    // the language chosen, also for the server that renders the tracker's first view in it (lcp23)
    if (key === LANGUAGE_STORAGE_KEY)
      document.cookie = `${key}=${encodeURIComponent(value)}; path=/; max-age=31536000; samesite=lax`;
    try {
      window.localStorage.setItem(key, value);
    } catch {
      /* storage unavailable: the choice lasts for this page only */
    }
  },
};

export const browserLanguageEnvironment: LanguageEnvironment = {
  linkLanguage: () => {
    try {
      return new URLSearchParams(window.location.search).get('lang');
    } catch {
      return null;
    }
  },
  browserLanguage: () => (typeof navigator === 'undefined' ? 'fr' : navigator.language),
};
