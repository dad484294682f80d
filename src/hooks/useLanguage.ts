/** The reader's language (LanguageService): remembered, and mirrored on <html lang dir> so RTL really mirrors. */
import { useCallback } from 'react';
import { applyDocumentLanguage, useT } from '../i18n/TranslatorContext';
import { browserLanguageService } from '../services/composition/language';
import { directionOf, type Language } from '../services/shared/LanguageService';

export { applyDocumentLanguage, directionOf, type Language };

/** The language to start in (link, remembered choice, browser, French). */
export const initialLanguage = (): Language => browserLanguageService.initial();

export function useLanguage() {
  const { lng, dir, setLanguage: switchTo } = useT();
  const setLanguage = useCallback(
    (next: Language) => {
      switchTo(next);
      browserLanguageService.remember(next);
    },
    [switchTo],
  );
  return { lng, dir, setLanguage };
}
