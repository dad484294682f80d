/** Header (brand, navigation for the signed-in role, language switcher) around every non-fullscreen page. */
import type { ReactNode } from 'react';
import { useT } from '../i18n/TranslatorContext';
import { LanguageSwitcher } from './LanguageSwitcher';
import { Link, usePath } from './router';
import { cx } from './ui';

export { LanguageSwitcher };

export interface NavItem {
  to: string;
  label: string;
}

export function AppShell({
  children,
  nav = [],
  right,
  narrow,
  kiosk,
}: {
  children: ReactNode;
  nav?: NavItem[];
  right?: ReactNode;
  narrow?: boolean;
  /** A patient-facing kiosk (issue 15.5): the brand is not a link — nothing on screen leads out of it. */
  kiosk?: boolean;
}) {
  const { t } = useT();
  const path = usePath();
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:start-2 focus:top-2 focus:z-50 focus:rounded-lg focus:bg-white focus:p-2"
      >
        {t('nav.skip')}
      </a>
      <header className="sticky top-0 z-30 border-b border-line bg-white/90 backdrop-blur">
        <div
          className={cx(
            // wraps rather than widening the page: a phone must never scroll sideways (issue 15)
            'mx-auto flex flex-wrap items-center gap-x-3 gap-y-2 px-4 py-2.5',
            narrow ? 'max-w-2xl' : 'max-w-7xl',
          )}
        >
          {kiosk ? (
            <div className="flex items-center gap-2 font-bold text-brand-900">
              <span aria-hidden className="grid size-8 place-items-center rounded-lg bg-brand-700 text-white">
                Q
              </span>
              <span className="text-lg">{t('app.name')}</span>
            </div>
          ) : (
            <Link to="/" className="flex items-center gap-2 rounded-lg font-bold text-brand-900">
              <span aria-hidden className="grid size-8 place-items-center rounded-lg bg-brand-700 text-white">
                Q
              </span>
              {/* on a phone with a signed-in bar (sign out + languages) the logo stands for the name, which
                  stays the link's accessible name: "Se déconnecter" and AR/FR/EN would not fit beside it */}
              <span className={cx('text-lg', right != null && 'max-sm:sr-only')}>{t('app.name')}</span>
            </Link>
          )}
          {nav.length > 0 && (
            <nav aria-label={t('nav.menu')} className="ms-2 hidden gap-1 md:flex">
              {nav.map((n) => (
                <Link
                  key={n.to}
                  to={n.to}
                  aria-current={path.startsWith(n.to) ? 'page' : undefined}
                  className={cx(
                    'rounded-lg px-3 py-2 text-sm font-semibold',
                    path.startsWith(n.to) ? 'bg-brand-50 text-brand-900' : 'text-muted hover:text-ink',
                  )}
                >
                  {n.label}
                </Link>
              ))}
            </nav>
          )}
          <div className="ms-auto flex items-center gap-2">
            {right}
            <LanguageSwitcher compact />
          </div>
        </div>
        {nav.length > 0 && (
          <nav
            aria-label={t('nav.menu')}
            className="flex gap-1 overflow-x-auto border-t border-line px-3 py-1.5 md:hidden"
          >
            {nav.map((n) => (
              <Link
                key={n.to}
                to={n.to}
                aria-current={path.startsWith(n.to) ? 'page' : undefined}
                className={cx(
                  'whitespace-nowrap rounded-lg px-3 py-1.5 text-sm font-semibold',
                  path.startsWith(n.to) ? 'bg-brand-50 text-brand-900' : 'text-muted',
                )}
              >
                {n.label}
              </Link>
            ))}
          </nav>
        )}
      </header>
      <main id="main" className={cx('mx-auto w-full flex-1 px-4 py-6', narrow ? 'max-w-2xl' : 'max-w-7xl')}>
        {children}
      </main>
    </div>
  );
}
