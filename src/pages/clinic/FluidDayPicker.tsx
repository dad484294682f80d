/**
 * The booking page's day picker for a FLUID visit type (issue 17, docs/fluid-queues.md): the days with places
 * left in the clinic's line (useFluidDays: get_fluid_days), no time buttons — the patient comes during opening
 * hours and is seen in order of arrival.
 */
import { useTranslation } from '../../i18n/TranslatorContext';
import { formatCalendarDay } from '../../components/format';
import { LoadingBlock, cx } from '../../components/ui';
import type { FluidDay } from '../../hooks/useBooking';

export function FluidDayPicker({
  days,
  day,
  onDay,
  legend,
}: {
  days: { readonly isPending: boolean; readonly data?: readonly FluidDay[] | undefined };
  day: string | null;
  onDay: (day: string) => void;
  legend: string;
}) {
  const { t, i18n } = useTranslation();
  return (
    <fieldset className="mb-5 min-w-0">
      <legend className="mb-2 text-sm font-semibold">{legend}</legend>
      <p className="mb-3 text-sm text-muted">{t('booking.fluidHint')}</p>
      {days.isPending ? (
        <LoadingBlock label={t('common.loading')} rows={2} />
      ) : !days.data || days.data.length === 0 ? (
        <p className="rounded-xl bg-slate-50 p-4 text-muted">{t('booking.noFluidDays')}</p>
      ) : (
        <div className="flex gap-2 overflow-x-auto pb-1" data-testid="fluid-days">
          {days.data.map((d) => (
            <button
              key={d.day}
              type="button"
              aria-pressed={day === d.day}
              onClick={() => onDay(d.day)}
              className={cx(
                'flex min-w-32 shrink-0 flex-col rounded-xl border px-3 py-2 text-sm font-semibold',
                day === d.day
                  ? 'border-brand-700 bg-brand-700 text-white'
                  : 'border-line bg-white hover:border-brand-500',
              )}
            >
              <span>{formatCalendarDay(d.day, i18n.language)}</span>
              <span className="text-xs font-normal">{t('booking.fluidPlaces', { n: d.remaining })}</span>
            </button>
          ))}
        </div>
      )}
    </fieldset>
  );
}
