/**
 * The booking page's doctor choice (issue 17, doctor20): "any doctor" or one of the doctors who offer the chosen
 * visit type, named as the clinic shows them publicly (get_public_clinic's practitioners: display names only).
 * The slots shown are then that doctor's (get_free_slots p_practitioner_id) and the booking carries them; the
 * database still refuses a doctor who does not offer the type or is on leave (BOOKING.PRACTITIONER_NOT_OFFERED,
 * PRACTITIONER.ON_LEAVE / OFF_HOURS), so a choice gone stale while the page was open is refused, not booked.
 */
import { useTranslation } from '../../i18n/TranslatorContext';
import { cx } from '../../components/ui';
import type { PublicClinic } from '../../hooks/useBooking';

/** The clinic's public doctors who offer the type (a type without a list is offered by every doctor). */
export function doctorsOffering(
  c: Pick<PublicClinic, 'appointmentTypes' | 'practitioners'>,
  typeId: string | null,
): PublicClinic['practitioners'] {
  const ids = c.appointmentTypes.find((ty) => ty.id === typeId)?.practitionerIds ?? null;
  return ids === null ? c.practitioners : c.practitioners.filter((p) => ids.includes(p.id));
}

export function DoctorButtons({
  doctors,
  doctorId,
  onPick,
  legend,
}: {
  doctors: PublicClinic['practitioners'];
  /** null = any doctor */
  doctorId: string | null;
  onPick: (doctorId: string | null) => void;
  legend: string;
}) {
  const { t } = useTranslation();
  const button = (id: string | null, label: string) => (
    <button
      key={id ?? 'any'}
      type="button"
      aria-pressed={doctorId === id}
      onClick={() => onPick(id)}
      className={cx(
        'rounded-xl border px-4 py-2 text-sm font-semibold',
        doctorId === id
          ? 'border-brand-700 bg-brand-700 text-white'
          : 'border-line bg-white hover:border-brand-500',
      )}
    >
      <bdi>{label}</bdi>
    </button>
  );
  return (
    <fieldset className="mb-5 min-w-0" data-testid="doctors">
      <legend className="mb-2 text-sm font-semibold">{legend}</legend>
      <div className="flex flex-wrap gap-2">
        {button(null, t('booking.anyDoctor'))}
        {/* fix21d: a name the database would not show publicly (an e-mail address) comes as null */}
        {doctors.map((d, i) => button(d.id, d.displayName ?? t('booking.unnamedDoctor', { n: i + 1 })))}
      </div>
    </fieldset>
  );
}
