/** `PreferenceStore` and `LanguageEnvironment` in a browser (localStorage may be unavailable: private mode). */
import type { LanguageEnvironment, PreferenceStore } from '../LanguageService';

export const browserPreferenceStore: PreferenceStore = {
  get(key) {
    try {
      return window.localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key, value) {
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
