/** The day's summary (served, no-shows, average and 90th-percentile wait), shown on the desk once the day is ended. */
import { useTranslation } from '../../i18n/TranslatorContext';
import type { QueueView } from '../../hooks/useQueue';

export function DaySummaryList({ summary }: { summary: NonNullable<QueueView['queue']['summary']> }) {
  const { t } = useTranslation();
  const minutes = (m: number | null) => (m === null ? '—' : t('dash.minutes', { m: Math.round(m) }));
  const items = [
    ['served', String(summary.served)],
    ['noShows', String(summary.noShows)],
    ['avgWait', minutes(summary.averageWaitMinutes)],
    ['p90Wait', minutes(summary.p90WaitMinutes)],
  ] as const;
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="day-summary">
      {items.map(([k, v]) => (
        <div key={k} className="rounded-xl bg-slate-50 p-3">
          <dt className="text-sm text-muted">{t(`dash.${k}`)}</dt>
          <dd className="tabular text-2xl font-bold" data-testid={`summary-${k}`}>
            {v}
          </dd>
        </div>
      ))}
    </dl>
  );
}
