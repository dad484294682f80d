/**
 * The booking page's visit type choice (step 1): one button per type, named in the reader's language (a
 * language the clinic left empty reads the type's default name) with the type's colour as a dot (types19).
 */
import { useTranslation } from '../../i18n/TranslatorContext';
import { cx } from '../../components/ui';
import type { PublicClinic } from '../../hooks/useBooking';
import { visitTypeLabel } from '../../services/clinic/api';

export function TypeButtons({
  types,
  typeId,
  onPick,
}: {
  types: PublicClinic['appointmentTypes'];
  typeId: string | null;
  onPick: (typeId: string) => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <div className="flex flex-wrap gap-2">
      {types.map((ty) => (
        <button
          key={ty.id}
          type="button"
          aria-pressed={typeId === ty.id}
          onClick={() => onPick(ty.id)}
          className={cx(
            'rounded-xl border px-4 py-2 text-sm font-semibold',
            typeId === ty.id
              ? 'border-brand-700 bg-brand-700 text-white'
              : 'border-line bg-white hover:border-brand-500',
          )}
        >
          {ty.color && (
            <span
              aria-hidden
              className="me-2 inline-block size-2.5 rounded-full ring-1 ring-white"
              style={{ backgroundColor: ty.color }}
            />
          )}
          <bdi>{visitTypeLabel(ty, i18n.language)}</bdi> ·{' '}
          <bdi>{t('booking.minutes', { m: ty.durationMinutes })}</bdi>
        </button>
      ))}
    </div>
  );
}
