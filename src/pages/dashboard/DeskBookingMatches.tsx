/**
 * The desk booking dialog's patient matches (issue 17): the desk's own patient search (search_patients through
 * usePatientSearch) asked with what the receptionist types — the phone first, else the name — once typing
 * pauses; "Book for …" picks a patient of the clinic instead of typing a new one.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Button } from '../../components/ui';
import { usePatientSearch } from '../../hooks/usePatientRecords';

/** How long typing pauses before the search is sent (results are awaited in tests, never this). */
const SETTLE_MS = 250;

export function DeskBookingMatches({
  clinicId,
  typed,
  onPick,
}: {
  clinicId: string;
  typed: string;
  onPick: (p: { id: string; name: string }) => void;
}) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQuery(typed), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  const found = usePatientSearch(clinicId, query);
  if (query.trim().length < 2 || !found.data || found.data.length === 0) return null;
  return (
    <ul className="flex flex-col gap-1" aria-live="polite" data-testid="desk-booking-matches">
      {found.data.slice(0, 5).map((m) => (
        <li key={m.id} className="flex flex-wrap items-center gap-2">
          <Button size="sm" variant="ghost" onClick={() => onPick({ id: m.id, name: m.fullName })}>
            {t('records.bookUse', { name: m.fullName })}
          </Button>
          {m.phone && (
            <span className="tabular text-sm" dir="ltr">
              {m.phone}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
