import { useTranslation } from '../i18n/TranslatorContext';
import { AppShell } from '../components/AppShell';
import { Link } from '../components/router';
import { EmptyState } from '../components/ui';

export default function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <AppShell>
      <h1 className="sr-only">{t('shell.notFound')}</h1>
      <EmptyState
        icon="🧭"
        title={t('shell.notFound')}
        action={
          <Link to="/" className="font-semibold text-brand-800 underline">
            {t('shell.goHome')}
          </Link>
        }
      />
    </AppShell>
  );
}
