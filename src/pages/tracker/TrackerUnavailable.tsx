/**
 * What the tracker shows when its link answers no visit: an expired link (the database's 410 VISIT.LINK_EXPIRED a
 * day after the visit ended — links17) says so and why, as a state rather than an error; anything else says the
 * link is not valid. A lazy chunk of the tracker, fetched only then; the expired state's strings (ar/fr/en) travel
 * in it rather than in every screen's language bundle (the screens' budgets are full).
 */
import { useT } from '../../i18n/TranslatorContext';
import { linkExpiredAr } from '../../i18n/locales/ui/linkExpired.ar';
import { linkExpiredEn } from '../../i18n/locales/ui/linkExpired.en';
import { linkExpiredFr } from '../../i18n/locales/ui/linkExpired.fr';
import type { ErrorCode } from '../../services/shared/AppError';

const EXPIRED = { ar: linkExpiredAr, fr: linkExpiredFr, en: linkExpiredEn } as const;

export default function TrackerUnavailable({ code }: { code: ErrorCode | undefined }) {
  const { t, lng } = useT();
  const expired = EXPIRED[lng];
  return (
    <div role="alert" className="rounded-2xl bg-white p-6 text-center shadow">
      {code === 'VISIT.LINK_EXPIRED' ? (
        <>
          <h1 className="text-xl font-bold">{expired.title}</h1>
          <p className="mt-2 text-sm text-muted">{expired.body}</p>
        </>
      ) : (
        <h1 className="text-xl font-bold">{t('tracker.notFound')}</h1>
      )}
    </div>
  );
}
