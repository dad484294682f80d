/**
 * The screens on react-i18next (all but the tracker and the board, issue 14) get an i18next instance here,
 * loaded with QueryRoot: it starts from the light translator's language and core bundle (the same locale
 * modules, already loaded) and follows the reader's language when they switch.
 */
import { useLayoutEffect, useState, type ReactNode } from 'react';
import i18next, { type i18n as I18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { useT } from './TranslatorContext';
import type { Translations } from './translator';
import type { Language } from './languages';

const coreOf = (translations: Translations, lng: Language) => {
  const core = translations.core(lng);
  // a copy: i18next merges later bundles (errors, a page's strings) into the object it holds
  return core ? structuredClone(core) : {};
};

export function createSyncI18n(translations: Translations, lng: Language): I18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng,
    fallbackLng: false,
    supportedLngs: ['ar', 'fr', 'en'],
    resources: { [lng]: { translation: coreOf(translations, lng) } },
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  return instance;
}

export default function I18nextRoot({ children, i18n: given }: { children: ReactNode; i18n?: I18n }) {
  const { lng, translations } = useT();
  const [i18n] = useState(() => given ?? createSyncI18n(translations, lng));
  useLayoutEffect(() => {
    if (i18n.language === lng) return;
    if (!i18n.hasResourceBundle(lng, 'translation'))
      i18n.addResourceBundle(lng, 'translation', coreOf(translations, lng), true, true);
    void i18n.changeLanguage(lng);
  }, [i18n, lng, translations]);
  return <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;
}
