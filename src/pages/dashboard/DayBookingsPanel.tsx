/**
 * "Bookings" on the desk (issue 17): a later day's booked visits — until now no staff screen listed tomorrow's
 * (or any later day's) bookings. A day picker (tomorrow by the clinic's own clock unless chosen), the day's
 * visits by time (slotted) then by place in the line (fluid), each with its patient, visit type, doctor and
 * status; a booked visit can be cancelled with a reason after a confirmation (the patient is told by SMS).
 * Loaded on demand (React.lazy in DayBookingsButton) so the dashboard's first render does not carry it; the
 * reads and the cancel are the staff's own (get_queue, cancel_appointment), checked by the database.
 */
import { useId, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { useErrorText, usePageStrings } from '../../i18n/pageStrings';
import { useToast } from '../../components/Toasts';
import { addDays, formatCalendarDay } from '../../components/format';
import { Badge, Button, Field, Input, LoadingBlock } from '../../components/ui';
import { useClinicTime } from '../../hooks/useClinicService';
import { useCancelBooking, useDayBookings, type DayBooking } from '../../hooks/useDayBookings';
import { useSingleFlight } from '../../hooks/useSingleFlight';
import { ReasonDialog } from './forms';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export default function DayBookingsPanel({ clinicId }: { clinicId: string }) {
  const { t, i18n } = useTranslation();
  const ready = usePageStrings('records');
  const errorText = useErrorText();
  const toast = useToast();
  const headingId = useId();
  const clinicTime = useClinicTime(clinicId, i18n.language);
  const [picked, setPicked] = useState<string | null>(null);
  const day = picked ?? (clinicTime ? addDays(clinicTime.today, 1) : null);
  // the chosen day's own offsets (a day across a clock change shows its times right)
  const dayTime = useClinicTime(clinicId, i18n.language, day, day);
  const list = useDayBookings(clinicId, day);
  const cancel = useSingleFlight(useCancelBooking(clinicId));
  const [cancelling, setCancelling] = useState<DayBooking | null>(null);
  if (!ready) return null;

  const when = (b: DayBooking) =>
    b.slotAt !== null
      ? (dayTime?.time(b.slotAt) ?? '')
      : b.fluidPlace !== null
        ? t('records.daysFluidPlace', { n: b.fluidPlace })
        : '—';
  return (
    <section
      aria-labelledby={headingId}
      data-testid="day-bookings"
      className="rounded-2xl border border-line bg-white p-4"
    >
      <h2 id={headingId} className="mb-3 text-lg font-bold">
        {t('records.daysTitle')}
      </h2>
      <div className="mb-4 max-w-60">
        <Field label={t('records.daysDay')}>
          {(id, describedBy) => (
            <Input
              id={id}
              type="date"
              aria-describedby={describedBy}
              value={day ?? ''}
              onChange={(e) => {
                if (DAY.test(e.target.value)) setPicked(e.target.value);
              }}
            />
          )}
        </Field>
      </div>
      {day === null || list.isPending ? (
        <LoadingBlock label={t('common.loading')} rows={3} />
      ) : list.isError ? (
        <p role="alert" className="rounded-xl bg-red-50 p-4 text-red-900">
          {errorText(list.error.code)}
        </p>
      ) : list.data.bookings.length === 0 ? (
        <p className="rounded-xl bg-slate-50 p-4 text-muted">
          {t('records.daysEmpty', { day: formatCalendarDay(day, i18n.language) })}
        </p>
      ) : (
        <ul
          aria-label={t('records.daysList', { day: formatCalendarDay(day, i18n.language) })}
          className="flex flex-col gap-2"
        >
          {list.data.bookings.map((b) => (
            <li
              key={b.entryId}
              className="flex flex-wrap items-center gap-x-4 gap-y-1 rounded-xl border border-line p-3"
            >
              <span className="tabular min-w-24 font-semibold" dir="ltr">
                {when(b)}
              </span>
              <span className="tabular font-mono font-bold" dir="ltr">
                {b.ticket}
              </span>
              <span className="min-w-40 flex-1 font-semibold">{b.patientName}</span>
              <span className="text-sm text-muted">{b.typeName ?? '—'}</span>
              <span className="text-sm">{b.doctorName ?? t('records.daysAnyDoctor')}</span>
              <Badge tone={b.status === 'cancelled' ? 'neutral' : 'info'}>
                {t(`status.${b.status}` as 'status.waiting')}
              </Badge>
              {b.status === 'scheduled' && (
                <Button
                  size="sm"
                  variant="secondary"
                  aria-label={t('records.daysCancel', { ticket: b.ticket, name: b.patientName })}
                  onClick={() => setCancelling(b)}
                >
                  {t('dash.actions.cancel')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      <ReasonDialog
        open={cancelling !== null}
        danger
        title={cancelling ? t('records.desk.cancelTitle', { ticket: cancelling.ticket }) : ''}
        description={t('records.desk.cancelBody')}
        confirmLabel={t('dash.actions.cancel')}
        busy={cancel.isPending}
        onClose={() => setCancelling(null)}
        onSubmit={(reason) => {
          // a reason is required (the field says so; Enter must not send an empty one either)
          if (!cancelling || reason === '') return;
          const { entryId, ticket } = cancelling;
          cancel.mutate(
            { entryId, reason },
            {
              onSuccess: () => {
                toast.ok(t('records.daysCancelled', { ticket }));
                setCancelling(null);
              },
              onError: (e) => {
                // the view was stale: the visit moved, was cancelled, or its day passed since the list was read
                // (the database refuses with QUEUE.ILLEGAL_TRANSITION / NOT_FOUND) — read the day again and say so
                if (e.code !== 'QUEUE.ILLEGAL_TRANSITION' && e.code !== 'NOT_FOUND') return toast.error(e);
                setCancelling(null);
                void list.refetch();
                toast.info(t('records.daysStale', { ticket }));
              },
            },
          );
        }}
      />
    </section>
  );
}
