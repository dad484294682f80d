/** The day at a glance: waiting, at a desk, seen, absent — and how accurate the wait estimates were. */
import { useTranslation } from '../../i18n/TranslatorContext';
import { cx } from '../../components/ui';
import type { QueueEntryView, QueueView } from '../../hooks/useQueue';

/**
 * Closed by End day while only called (never started): completed, but nobody saw the patient — not "Done"
 * (issue 15.14). Nothing else completes a visit that was never started.
 */
export const notSeenAtDayEnd = (e: QueueEntryView): boolean =>
  e.status === 'completed' && e.startedAt === null;

export function StatsBar({
  entries,
  accuracy = null,
}: {
  entries: readonly QueueEntryView[];
  accuracy?: QueueView['waitAccuracy'];
}) {
  const { t } = useTranslation();
  const count = (f: (e: QueueEntryView) => boolean) => entries.filter(f).length;
  const stats = [
    ['waiting', count((e) => e.status === 'waiting'), 'text-sky-800'],
    ['atDesk', count((e) => e.status === 'called' || e.status === 'in_service'), 'text-brand-800'],
    ['done', count((e) => e.status === 'completed' && !notSeenAtDayEnd(e)), 'text-ink'],
    ['absent', count((e) => e.status === 'absent'), 'text-warn-700'],
  ] as const;
  return (
    <div className="mb-5 grid grid-cols-2 gap-3 lg:grid-cols-4">
      {stats.map(([k, n, color]) => (
        <div key={k} className="rounded-2xl border border-line bg-white p-4">
          <p className="text-sm text-muted">{t(`dash.stats.${k}`)}</p>
          <p className={cx('tabular text-3xl font-bold', color)} data-testid={`stat-${k}`}>
            {n}
          </p>
        </div>
      ))}
      <WaitAccuracyCard accuracy={accuracy} />
    </div>
  );
}

/**
 * Yesterday's and this week's accuracy of the wait estimates patients were shown (issue 16): median
 * absolute error and share of waits inside the range, from the backtest on the clinic's own days.
 */
function WaitAccuracyCard({ accuracy }: { accuracy: QueueView['waitAccuracy'] }) {
  const { t } = useTranslation();
  const line = (
    key: 'yesterday' | 'week',
    s: { medianAbsError: number | null; coverage: number | null; n: number } | undefined,
  ) =>
    s && s.n > 0 && s.medianAbsError !== null && s.coverage !== null
      ? t(`dash.stats.accuracy.${key}`, {
          m: Math.max(1, Math.round(s.medianAbsError)),
          p: Math.round(s.coverage * 100),
        })
      : t(`dash.stats.accuracy.${key}None`);
  return (
    <div
      className="col-span-2 rounded-2xl border border-line bg-white p-4 lg:col-span-4"
      data-testid="stat-accuracy"
    >
      <p className="text-sm text-muted">{t('dash.stats.accuracy.title')}</p>
      <p className="tabular text-sm font-semibold">
        {line('yesterday', accuracy?.yesterday)} · {line('week', accuracy?.week)}
      </p>
    </div>
  );
}
