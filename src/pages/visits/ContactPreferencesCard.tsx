/**
 * My visits — how the clinic writes to me (issue 20): the patient changes their channel (SMS, WhatsApp or email) and
 * email address for the clinic of their visits, with the same form and rules as the booking page
 * (ContactChoice → set_my_notification_preferences on their own record). The server routes every message by it.
 * A saved address the patient has not proved gets "confirm your email" (EmailProof, email18): nothing is mailed
 * there until the code sent to it is entered.
 */
import { lazy, Suspense } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { useToast } from '../../components/Toasts';
import { Button, Card } from '../../components/ui';
import { ContactChoice, useContactChoice } from '../clinic/ContactChoice';

// only a patient with an unproved address needs it (email18): its code and strings load then
const EmailProof = lazy(() => import('./EmailProof'));

export function ContactPreferencesCard({ clinicId, clinicName }: { clinicId: string; clinicName: string }) {
  const { t } = useTranslation();
  const toast = useToast();
  const contact = useContactChoice(clinicId, true);
  return (
    <Card aria-labelledby="contact-title" className="mt-6">
      <h2 id="contact-title" className="mb-3 text-lg font-bold">
        {t('visits.contact.title', { clinic: clinicName })}
      </h2>
      <form
        className="flex flex-col gap-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (contact.check()) contact.saveAfterBooking(() => toast.ok(t('visits.contact.saved')));
        }}
      >
        <ContactChoice state={contact} />
        {contact.emailConfirmed && (
          <p data-testid="email-confirmed" className="text-sm font-medium text-emerald-900">
            {t('visits.contact.emailConfirmed')}
          </p>
        )}
        <div>
          <Button type="submit" size="sm">
            {t('visits.contact.save')}
          </Button>
        </div>
      </form>
      {contact.unconfirmedEmail && (
        <Suspense fallback={null}>
          <EmailProof clinicId={clinicId} email={contact.unconfirmedEmail} />
        </Suspense>
      )}
    </Card>
  );
}
