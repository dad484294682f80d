import { useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { usePageStrings } from '../../i18n/pageStrings';
import { Dialog } from '../../components/Dialog';
import { LoadingBlock } from '../../components/ui';
import { addDays, formatCalendarDay } from '../../components/format';
import { useToast } from '../../components/Toasts';
import {
  useBooking,
  useFluidDays,
  useFreeSlots,
  type MyVisit,
  type PublicClinic,
} from '../../hooks/useBooking';
import { useRescheduleFluid } from '../../hooks/useRescheduleFluid';
import { useSingleFlight } from '../../hooks/useSingleFlight';
import type { AppErrorException } from '../../hooks/AppErrorException';
import { FluidDayPicker } from '../clinic/FluidDayPicker';
import { SlotPicker, bookableDays } from '../clinic/SlotPicker';

/**
 * "Reschedule": the free slots of the visit's own type and doctor from the clinic's today (the booking page's picker);
 * the visit stays where it is until the server has taken the new slot (one operation). A refusal (slot just
 * taken, too late) is a translated toast and the dialog stays, with the slots refreshed.
 */
export function RescheduleDialog({
  visit,
  clinic,
  today,
  timeOf,
  dateTimeOf,
  onClose,
}: {
  visit: MyVisit;
  clinic: PublicClinic;
  today: string;
  timeOf: (iso: string) => string;
  dateTimeOf: (iso: string) => string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const { reschedule } = useBooking();
  const strings = usePageStrings('booking'); // the pickers' strings travel with them (issue 14)
  const days = bookableDays(clinic, today);
  const [picked, setDay] = useState<string | null>(null);
  const day = picked ?? days[0] ?? null;
  const [chosen, setSlot] = useState<string | null>(null);
  // the moved visit keeps its doctor (private.book): only that doctor's free times (not on leave, in their hours)
  const free = useFreeSlots(
    day
      ? {
          clinicId: clinic.id,
          from: day,
          to: day,
          appointmentTypeId: visit.appointmentTypeId,
          practitionerId: visit.practitionerId,
        }
      : null,
  );
  const current = visit.slotStart ? new Date(visit.slotStart).getTime() : null;
  const data = free.data?.filter((s) => new Date(s.start).getTime() !== current);
  const slot = chosen && data?.some((s) => s.start === chosen) ? chosen : null;
  return (
    <Dialog
      open
      title={t('visits.rescheduleTitle')}
      description={t('visits.rescheduleBody', { minutes: clinic.booking.minCancelNoticeMinutes })}
      confirmLabel={
        slot ? `${t('visits.rescheduleConfirm')} · ${timeOf(slot)}` : t('visits.rescheduleConfirm')
      }
      dismissLabel={t('common.close')}
      busy={reschedule.isPending}
      onClose={onClose}
      onConfirm={() => {
        if (!slot) return undefined;
        // the promise keeps the dialog from sending a second move while this one is in flight
        return reschedule.mutateAsync({ clinicId: clinic.id, entryId: visit.entryId, slotStart: slot }).then(
          (moved) => {
            toast.ok(t('visits.rescheduled', { time: dateTimeOf(moved.slotStart), ticket: moved.ticket }));
            onClose();
          },
          (e: unknown) => {
            setSlot(null);
            toast.error(e);
          },
        );
      }}
    >
      <p className="mb-3 text-sm">
        <span className="tabular font-mono font-bold" dir="ltr">
          {visit.ticket}
        </span>{' '}
        · {visit.slotStart ? dateTimeOf(visit.slotStart) : ''}
      </p>
      {!strings ? (
        <LoadingBlock label={t('common.loading')} />
      ) : (
        <SlotPicker
          days={days}
          day={day}
          onDay={(d) => {
            setDay(d);
            setSlot(null);
          }}
          slots={{ isPending: free.isPending, data }}
          slot={slot}
          onSlot={setSlot}
          timeOf={timeOf}
          dayLegend={t('booking.step2')}
          slotLegend={t('booking.step3')}
        />
      )}
    </Dialog>
  );
}

/**
 * "Another day" for a FLUID visit (issue 17, docs/fluid-queues.md): the days of the visit's own type with places
 * left (the booking page's FluidDayPicker, from the clinic's today, 14 days), the visit's own day left out. One
 * operation on the server (reschedule_fluid_place): the visit keeps its place until the new day's is taken; a
 * refusal (day just filled, too late) is a translated toast and the dialog stays, with the days refreshed; a
 * visit that changed meanwhile (another tab moved, cancelled or checked it in) closes it with a plain message.
 */
export function FluidRescheduleDialog({
  visit,
  clinic,
  today,
  onClose,
}: {
  visit: MyVisit;
  clinic: PublicClinic;
  today: string;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const move = useSingleFlight(useRescheduleFluid());
  const strings = usePageStrings('booking');
  const days = useFluidDays({
    clinicId: clinic.id,
    from: today,
    to: addDays(today, 13),
    appointmentTypeId: visit.appointmentTypeId,
  });
  const offered = { isPending: days.isPending, data: days.data?.filter((d) => d.day !== visit.day) };
  const [picked, setPicked] = useState<string | null>(null);
  const day = picked && offered.data?.some((d) => d.day === picked) ? picked : null;
  const dayLabel = (d: string) => formatCalendarDay(d, i18n.language);
  return (
    <Dialog
      open
      title={t('visits.rescheduleTitle')}
      description={t('visits.moveDayBody', { minutes: clinic.booking.minCancelNoticeMinutes })}
      confirmLabel={
        day ? `${t('visits.rescheduleConfirm')} · ${dayLabel(day)}` : t('visits.rescheduleConfirm')
      }
      dismissLabel={t('common.close')}
      busy={move.isPending}
      onClose={onClose}
      onConfirm={() => {
        if (!day) return undefined;
        // the promise keeps the dialog from sending a second move while this one is in flight
        return move.mutateAsync({ clinicId: clinic.id, entryId: visit.entryId, day }).then(
          (moved) => {
            toast.ok(t('visits.movedDay', { day: dayLabel(moved.day), ticket: moved.ticket }));
            onClose();
          },
          (e: AppErrorException) => {
            setPicked(null);
            // a stale tab: the visit was moved, cancelled or checked in since My visits was read (the database
            // refuses QUEUE.ILLEGAL_TRANSITION); My visits is read again (the hook) — say so, and close
            if (e.code !== 'QUEUE.ILLEGAL_TRANSITION') return toast.error(e);
            toast.info(t('visits.moveDayStale'));
            onClose();
          },
        );
      }}
    >
      <p className="mb-3 text-sm">
        <span className="tabular font-mono font-bold" dir="ltr">
          {visit.ticket}
        </span>{' '}
        · {t('visits.fluidDay', { day: dayLabel(visit.day) })}
      </p>
      {strings ? (
        <FluidDayPicker days={offered} day={day} onDay={setPicked} legend={t('booking.step2')} />
      ) : (
        <LoadingBlock label={t('common.loading')} />
      )}
    </Dialog>
  );
}
