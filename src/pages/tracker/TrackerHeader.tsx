/** The tracker's header: the app's name (home link) and the language switch (moved out of TrackerPage, links17). */
import { LanguageSwitcher } from '../../components/LanguageSwitcher';
import { Link } from '../../components/router';
import { useT } from '../../i18n/TranslatorContext';

export function TrackerHeader() {
  const { t } = useT();
  return (
    <header className="mx-auto flex max-w-md items-center justify-between px-4 pt-4">
      <Link to="/" className="flex items-center gap-2 font-bold text-brand-900">
        <span
          aria-hidden
          className="grid size-7 place-items-center rounded-lg bg-brand-700 text-sm text-white"
        >
          Q
        </span>
        {t('app.name')}
      </Link>
      <LanguageSwitcher compact />
    </header>
  );
}
