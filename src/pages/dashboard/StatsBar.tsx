/** The day at a glance: waiting, at a desk, seen, absent. */
import { useTranslation } from 'react-i18next';
import { cx } from '../../components/ui';
import type { QueueEntryView } from '../../hooks/useQueue';

/**
 * Closed by End day while only called (never started): completed, but nobody saw the patient — not "Done"
 * (issue 15.14). Nothing else completes a visit that was never started.
 */
export const notSeenAtDayEnd = (e: QueueEntryView): boolean =>
  e.status === 'completed' && e.startedAt === null;

export function StatsBar({ entries }: { entries: readonly QueueEntryView[] }) {
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
    </div>
  );
}
