/**
 * My visits — how the clinic writes to me (issue 20): the patient changes their channel (SMS, WhatsApp or email) and
 * email address for the clinic of their visits, with the same form and rules as the booking page
 * (ContactChoice → set_my_notification_preferences on their own record). The server routes every message by it.
 */
import { useTranslation } from '../../i18n/TranslatorContext';
import { useToast } from '../../components/Toasts';
import { Button, Card } from '../../components/ui';
import { ContactChoice, useContactChoice } from '../clinic/ContactChoice';

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
        <div>
          <Button type="submit" size="sm">
            {t('visits.contact.save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
