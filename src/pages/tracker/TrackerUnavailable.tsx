/**
 * What the tracker shows when its link answers no visit: an expired link (the database's 410 VISIT.LINK_EXPIRED a
 * day after the visit ended, or once its day passed unfinished — links17) says so and why, as a state rather than
 * an error; anything else says the link is not valid.
 */
import { useT } from '../../i18n/TranslatorContext';
import type { ErrorCode } from '../../services/shared/AppError';

export function TrackerUnavailable({ code }: { code: ErrorCode | undefined }) {
  const { t } = useT();
  return (
    <div role="alert" className="rounded-2xl bg-white p-6 text-center shadow">
      {code === 'VISIT.LINK_EXPIRED' ? (
        <>
          <h1 className="text-xl font-bold">{t('tracker.expiredTitle')}</h1>
          <p className="mt-2 text-sm text-muted">{t('tracker.expiredBody')}</p>
        </>
      ) : (
        <h1 className="text-xl font-bold">{t('tracker.notFound')}</h1>
      )}
    </div>
  );
}
