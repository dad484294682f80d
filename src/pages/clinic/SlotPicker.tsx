/**
 * The booking page's day + free-slot picker, shared by the booking flow (ClinicPage) and "Reschedule" on
 * My visits (issue 17): the clinic's open days of the next two weeks from ITS today (server clock), then the
 * free slots of the chosen day (useFreeSlots, fetched by the caller so it can check a chosen slot is still free).
 */
import { useTranslation } from '../../i18n/TranslatorContext';
import { addDays, formatCalendarDay, weekdayOf } from '../../components/format';
import { LoadingBlock, cx } from '../../components/ui';
import type { FreeSlot, PublicClinic } from '../../hooks/useBooking';

/** The clinic's working days among the 14 days from `today` (its own local date). */
export function bookableDays(c: Pick<PublicClinic, 'workingHours'>, today: string): string[] {
  return today
    ? Array.from({ length: 14 }, (_, i) => addDays(today, i)).filter((d) =>
        c.workingHours.some((w) => w.weekday === weekdayOf(d)),
      )
    : [];
}

export function SlotPicker({
  days,
  day,
  onDay,
  slots,
  slot,
  onSlot,
  timeOf,
  dayLegend,
  slotLegend,
}: {
  days: readonly string[];
  day: string | null;
  onDay: (day: string) => void;
  slots: { readonly isPending: boolean; readonly data?: readonly FreeSlot[] | undefined };
  slot: string | null;
  onSlot: (slotStart: string) => void;
  /** The clinic's clock time of an instant (its zone, from the server). */
  timeOf: (iso: string) => string;
  dayLegend: string;
  slotLegend: string;
}) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <fieldset className="mb-5 min-w-0">
        <legend className="mb-2 text-sm font-semibold">{dayLegend}</legend>
        <div className="flex gap-2 overflow-x-auto pb-1">
          {days.map((d) => (
            <button
              key={d}
              type="button"
              aria-pressed={day === d}
              onClick={() => onDay(d)}
              className={cx(
                'min-w-28 shrink-0 rounded-xl border px-3 py-2 text-sm font-semibold',
                day === d
                  ? 'border-brand-700 bg-brand-700 text-white'
                  : 'border-line bg-white hover:border-brand-500',
              )}
            >
              {formatCalendarDay(d, i18n.language)}
            </button>
          ))}
        </div>
      </fieldset>
      <fieldset className="mb-5 min-w-0">
        <legend className="mb-2 text-sm font-semibold">{slotLegend}</legend>
        {slots.isPending ? (
          <LoadingBlock label={t('common.loading')} rows={2} />
        ) : !slots.data || slots.data.length === 0 ? (
          <p className="rounded-xl bg-slate-50 p-4 text-muted">{t('booking.noSlots')}</p>
        ) : (
          <div className="grid grid-cols-3 gap-2 sm:grid-cols-5" data-testid="slots">
            {slots.data.map((s) => (
              <button
                key={s.start}
                type="button"
                aria-pressed={slot === s.start}
                onClick={() => onSlot(s.start)}
                className={cx(
                  'tabular rounded-xl border py-2 text-sm font-semibold',
                  slot === s.start
                    ? 'border-brand-700 bg-brand-700 text-white'
                    : 'border-line bg-white hover:border-brand-500',
                )}
              >
                {timeOf(s.start)}
              </button>
            ))}
          </div>
        )}
      </fieldset>
    </>
  );
}
