/** The booking page's answer: the ticket, its time or day, the chosen doctor (issue 17), the tracking link. */
import { useTranslation } from '../../i18n/TranslatorContext';
import { Link } from '../../components/router';
import { Card } from '../../components/ui';
import { formatCalendarDay } from '../../components/format';
import type { BookingWithLink, FluidBookingWithLink } from '../../hooks/useBooking';

export function BookedCard({
  booked,
  doctor,
  dateTimeOf,
}: {
  booked: BookingWithLink | FluidBookingWithLink;
  /** The chosen doctor's public name; none = any doctor. */
  doctor: string | undefined;
  /** The clinic's date and time of an instant (its zone, from the server). */
  dateTimeOf: (iso: string) => string;
}) {
  const { t, i18n } = useTranslation();
  return (
    <Card aria-labelledby="booked-title" className="border-brand-200 bg-brand-50">
      <h2 id="booked-title" className="text-2xl font-bold text-brand-900">
        {t('booking.success')}
      </h2>
      <p className="mt-2" data-testid="booked-body">
        {booked.slotStart === null
          ? t('booking.successFluid', {
              ticket: booked.ticket,
              day: formatCalendarDay(booked.day, i18n.language),
            })
          : t('booking.successBody', { ticket: booked.ticket, time: dateTimeOf(booked.slotStart) })}
      </p>
      {doctor && (
        <p className="mt-1 font-semibold" data-testid="booked-doctor">
          {t('booking.withDoctor')} <bdi>{doctor}</bdi>
        </p>
      )}
      <p
        className="mt-2 break-all rounded-lg bg-white p-3 font-mono text-sm"
        dir="ltr"
        data-testid="tracking-link"
      >
        {booked.trackingUrl}
      </p>
      <Link
        to={`/t/${booked.trackingToken}`}
        className="mt-4 inline-flex min-h-11 items-center rounded-xl bg-brand-700 px-4 font-semibold text-white"
      >
        {t('booking.openTracker')}
      </Link>
    </Card>
  );
}
