/**
 * The clinic directory's strings (`directory.*`, dir20), loaded by the directory page and the admin's listing section
 * themselves rather than through pageStrings.ts's table: that table sits in every screen's first load, and the
 * tracker and the board are at their size budgets (issue 14). Same behaviour as usePageStrings.
 */
import { useEffect, useState } from 'react';
import type { Language } from './languages';
import { useT } from './TranslatorContext';

const loaders: Record<Language, () => Promise<object>> = {
  ar: () => import('./locales/ui/directory.ar').then((m) => m.directoryAr),
  fr: () => import('./locales/ui/directory.fr').then((m) => m.directoryFr),
  en: () => import('./locales/ui/directory.en').then((m) => m.directoryEn),
};

/** True once `directory.*` is in place in the reader's language; `screen`: a failed load is thrown at render. */
export function useDirectoryStrings(screen = false): boolean {
  const { lng, translations } = useT();
  const [, loaded] = useState(0);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    if (!translations.hasKey(lng, 'directory'))
      loaders[lng]().then(
        (bundle) => {
          if (!translations.hasKey(lng, 'directory')) translations.add(lng, { directory: bundle });
          if (live) loaded((n) => n + 1);
        },
        () => live && setFailed(true),
      );
    return () => {
      live = false;
    };
  }, [translations, lng]);
  if (failed && screen) throw new Error('the directory strings could not be loaded');
  return translations.hasKey(lng, 'directory');
}
