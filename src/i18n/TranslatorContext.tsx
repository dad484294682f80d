/**
 * The reader's language and its strings for every screen (issue 14): the app's root provides them with the
 * light translator (translator.ts), so the tracker and the board render without i18next. Screens that use
 * react-i18next get an i18next instance that follows this language (I18nextRoot, inside QueryRoot).
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { directionOf, type Language } from './languages';
import type { TFunction, Translations } from './translator';

export interface TranslatorValue {
  readonly lng: Language;
  readonly dir: 'rtl' | 'ltr';
  readonly t: TFunction;
  readonly translations: Translations;
  /** Loads the language's strings, then switches every screen to it (and <html lang dir>). */
  setLanguage(next: Language): void;
}

const Ctx = createContext<TranslatorValue | null>(null);

export function applyDocumentLanguage(lng: Language) {
  document.documentElement.lang = lng;
  document.documentElement.dir = directionOf(lng);
}

export function TranslatorProvider({
  translations,
  lng: initial,
  children,
}: {
  translations: Translations;
  lng: Language;
  children: ReactNode;
}) {
  const [lng, setLng] = useState(initial);
  const setLanguage = useCallback(
    (next: Language) => {
      void translations.ensure(next).then(() => {
        setLng(next);
        applyDocumentLanguage(next);
      });
    },
    [translations],
  );
  const value = useMemo<TranslatorValue>(
    () => ({
      lng,
      dir: directionOf(lng),
      t: (key, params) => translations.t(lng, key, params),
      translations,
      setLanguage,
    }),
    [lng, translations, setLanguage],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useT(): TranslatorValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('useT outside <TranslatorProvider>');
  return v;
}
