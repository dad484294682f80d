/** The reader's language (LanguageService): remembered, and mirrored on <html lang dir> so RTL really mirrors. */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ensureLanguage } from '../i18n/lazy';
import { browserLanguageService } from '../services/composition/language';
import { directionOf, isLanguage, type Language } from '../services/shared/LanguageService';

export { directionOf, type Language };

/** The language to start in (link, remembered choice, browser, French). */
export const initialLanguage = (): Language => browserLanguageService.initial();

export function applyDocumentLanguage(lng: Language) {
  document.documentElement.lang = lng;
  document.documentElement.dir = directionOf(lng);
}

export function useLanguage() {
  const { i18n } = useTranslation();
  const lng: Language = isLanguage(i18n.language) ? i18n.language : 'fr';
  const setLanguage = useCallback(
    (next: Language) => {
      void ensureLanguage(i18n, next).then(() => {
        void i18n.changeLanguage(next);
        applyDocumentLanguage(next);
      });
      browserLanguageService.remember(next);
    },
    [i18n],
  );
  return { lng, dir: directionOf(lng), setLanguage };
}
