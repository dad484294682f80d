/** The language switcher (ar / fr / en): its own module, so the tracker and the board load it without the app's header. */
import { useT } from '../i18n/TranslatorContext';
import type { Language } from '../i18n/languages';
import { useLanguage } from '../hooks/useLanguage';
import { cx } from './ui';

const LANGUAGES: Language[] = ['ar', 'fr', 'en'];
const NAMES: Record<Language, string> = { ar: 'العربية', fr: 'Français', en: 'English' };

export function LanguageSwitcher({ compact = false }: { compact?: boolean }) {
  const { t } = useT();
  const { lng, setLanguage } = useLanguage();
  return (
    <div
      role="group"
      aria-label={t('app.language')}
      className="flex rounded-xl border border-line bg-white p-0.5"
    >
      {LANGUAGES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={lng === l}
          onClick={() => setLanguage(l)}
          className={cx(
            'min-h-9 rounded-lg px-2.5 text-sm font-semibold',
            lng === l ? 'bg-brand-700 text-white' : 'text-ink hover:bg-brand-50',
          )}
        >
          {compact ? l.toUpperCase() : NAMES[l]}
        </button>
      ))}
    </div>
  );
}
