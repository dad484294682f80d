/**
 * "Bookings" on the desk (issue 17): the button, and a later day's bookings as their own chunk loaded when the
 * desk opens them (React.lazy), so the dashboard's first render carries only this.
 */
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Button } from '../../components/ui';

const DayBookingsPanel = lazy(() => import('./DayBookingsPanel'));

export function DayBookingsButton({ clinicId }: { clinicId: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="secondary" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {t('dash.bookings')}
      </Button>
      {open && (
        <div className="basis-full">
          <Suspense fallback={null}>
            <DayBookingsPanel clinicId={clinicId} />
          </Suspense>
        </div>
      )}
    </>
  );
}
