import { useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Dialog } from '../../components/Dialog';
import { useToast } from '../../components/Toasts';
import { useBooking, useFreeSlots, type MyVisit, type PublicClinic } from '../../hooks/useBooking';
import { SlotPicker, bookableDays } from '../clinic/SlotPicker';

/**
 * "Reschedule": the free slots of the visit's own type from the clinic's today (the booking page's picker);
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
  const days = bookableDays(clinic, today);
  const [picked, setDay] = useState<string | null>(null);
  const day = picked ?? days[0] ?? null;
  const [chosen, setSlot] = useState<string | null>(null);
  const free = useFreeSlots(
    day ? { clinicId: clinic.id, from: day, to: day, appointmentTypeId: visit.appointmentTypeId } : null,
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
    </Dialog>
  );
}
