/**
 * The reader's language and its strings for every screen (issue 14): the app's root provides them with the
 * light translator (translator.ts), which reads the locale files by i18next's rules, so no screen downloads
 * i18next (≈ 17 KiB gzipped). `useTranslation()` keeps react-i18next's shape for what the screens use
 * (`t`, `i18n.language`, `i18n.dir()`, `i18n.exists`).
 */
import {
  createContext,
  useCallback,
  useContext,
  useLayoutEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { directionOf, type Language } from './languages';
import type { TFunction, TParams, Translations } from './translator';

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
  // <html lang dir> follow the language React has committed, before the browser paints it: set in the
  // same tick as setLng, the page showed one frame of the old text in the new direction (rtl French).
  useLayoutEffect(() => applyDocumentLanguage(lng), [lng]);
  const setLanguage = useCallback(
    (next: Language) => {
      void translations.ensure(next).then(() => setLng(next));
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

/** react-i18next's hook, for what the screens use of it: `t` and `i18n.language`, `i18n.dir()`, `i18n.exists`. */
export function useTranslation() {
  const { t, lng, dir, translations } = useT();
  return useMemo(
    () => ({
      t,
      i18n: {
        language: lng,
        dir: () => dir,
        exists: (key: string, params?: TParams) => translations.raw(lng, key, params) !== undefined,
      },
    }),
    [t, lng, dir, translations],
  );
}
