/**
 * "Book a visit" on the desk (issue 17): the button, and the dialog as its own chunk loaded when the desk opens
 * it (React.lazy), so the dashboard's first render carries only this.
 */
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Button } from '../../components/ui';

const DeskBookingDialog = lazy(() => import('./DeskBookingDialog'));

export function BookVisitButton({
  clinicId,
  practitioners,
}: {
  clinicId: string;
  practitioners: readonly { readonly id: string; readonly displayName: string; readonly role: string }[];
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="secondary" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {t('dash.bookVisit')}
      </Button>
      {open && (
        <Suspense fallback={null}>
          <DeskBookingDialog
            clinicId={clinicId}
            practitioners={practitioners}
            onClose={() => setOpen(false)}
          />
        </Suspense>
      )}
    </>
  );
}
