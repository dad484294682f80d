/** A clinic's public card: name, address, phone and opening hours (beside the booking flow on ClinicPage). */
import { useTranslation } from '../../i18n/TranslatorContext';
import { useErrorText } from '../../i18n/pageStrings';
import { Card, EmptyState } from '../../components/ui';
import type { PublicClinic } from '../../hooks/useBooking';

export function ClinicInfo({ c }: { c: PublicClinic }) {
  const { t } = useTranslation();
  const byDay = new Map<number, string[]>();
  for (const w of c.workingHours)
    byDay.set(w.weekday, [...(byDay.get(w.weekday) ?? []), `${w.start}–${w.end}`]);
  return (
    <Card as="div">
      <h1 className="text-2xl font-bold">
        <bdi>{c.name}</bdi>
      </h1>
      {/* mixed-direction text (issue 15.8): each value is isolated in its own direction */}
      {c.address && (
        <p className="mt-1 text-muted" dir="auto">
          {c.address}
        </p>
      )}
      {c.phone && (
        <p className="mt-1 text-muted">
          <bdi dir="ltr">{c.phone}</bdi>
        </p>
      )}
      <h2 className="mb-2 mt-5 font-semibold">{t('booking.hours')}</h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        {[1, 2, 3, 4, 5, 6, 0].map((d) => (
          <div key={d} className="contents">
            <dt className="font-medium">{t(`booking.weekday.${d}` as 'booking.weekday.0')}</dt>
            <dd className="tabular text-muted" dir="ltr">
              {byDay.get(d)?.join(' · ') ?? t('booking.closedDay')}
            </dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}

/**
 * No clinic to show: "this page does not exist" when there is none by that address; when it could not be read
 * (offline, or the booking code's chunk failed to load: lazyPort's coded error), that coded error in the reader's
 * language — "this page does not exist" would send a patient away for good.
 */
export function ClinicMissing({ error }: { error: { code: string } | null }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  if (!error || error.code === 'NOT_FOUND') return <EmptyState icon="🧭" title={t('shell.notFound')} />;
  return (
    <div role="alert">
      <EmptyState icon="⚠️" title={errorText(error.code)} />
    </div>
  );
}
