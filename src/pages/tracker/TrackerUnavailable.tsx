/**
 * What the tracker shows when its link answers no visit: an expired link (the database's 410 VISIT.LINK_EXPIRED a
 * day after the visit ended — links17) says so and why, as a state rather than an error; too many reads from the
 * patient's network (sec25: get_tracker_view counted per address, 429 RATE.LIMITED) says calmly that it tries again,
 * and does after the Retry-After the stack answered; anything else says the link is not valid. A lazy chunk of the
 * tracker, fetched only then; its states' strings (ar/fr/en) travel in it rather than in every screen's language
 * bundle (the screens' budgets are full).
 */
import { useEffect } from 'react';
import { useT } from '../../i18n/TranslatorContext';
import { linkExpiredAr } from '../../i18n/locales/ui/linkExpired.ar';
import { linkExpiredEn } from '../../i18n/locales/ui/linkExpired.en';
import { linkExpiredFr } from '../../i18n/locales/ui/linkExpired.fr';
import { trackerBusyAr } from '../../i18n/locales/ui/trackerBusy.ar';
import { trackerBusyEn } from '../../i18n/locales/ui/trackerBusy.en';
import { trackerBusyFr } from '../../i18n/locales/ui/trackerBusy.fr';
import type { ErrorCode } from '../../services/shared/AppError';

const EXPIRED = { ar: linkExpiredAr, fr: linkExpiredFr, en: linkExpiredEn } as const;
const BUSY = { ar: trackerBusyAr, fr: trackerBusyFr, en: trackerBusyEn } as const;
/** When the stack named no Retry-After: a few seconds, as the message says. */
const DEFAULT_RETRY_SECONDS = 5;

export default function TrackerUnavailable({
  error,
  retry,
}: {
  /** the failed read (each new refusal arms the next retry); its 429 carries retryAfterSeconds */
  error: {
    readonly code: ErrorCode;
    readonly details?: Readonly<Record<string, unknown>> | undefined;
  } | null;
  retry?: () => void;
}) {
  const { t, lng } = useT();
  const code = error?.code;
  const busy = code === 'RATE.LIMITED';
  const retryAfterSeconds = Number(error?.details?.['retryAfterSeconds']) || undefined;
  useEffect(() => {
    if (!busy || !retry) return;
    const seconds = Math.min(60, Math.max(1, retryAfterSeconds ?? DEFAULT_RETRY_SECONDS));
    const timer = setTimeout(retry, seconds * 1000);
    return () => clearTimeout(timer);
  }, [busy, retry, retryAfterSeconds, error]);
  if (busy) {
    const s = BUSY[lng];
    return (
      <div role="status" data-testid="tracker-busy" className="rounded-2xl bg-white p-6 text-center shadow">
        <h1 className="text-xl font-bold">{s.title}</h1>
        <p className="mt-2 text-sm text-muted">{s.body}</p>
        {retry && (
          <button
            type="button"
            onClick={retry}
            className="mt-4 min-h-11 rounded-xl border border-brand-700 px-4 text-sm font-semibold text-brand-700"
          >
            {s.retry}
          </button>
        )}
      </div>
    );
  }
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
