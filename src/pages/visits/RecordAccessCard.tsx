import { useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Button, Card, LoadingBlock } from '../../components/ui';
import { useMyRecordAccess } from '../../hooks/useReports';

/**
 * Who accessed my record (issue 19; Moroccan law 09-08 and GDPR give patients that right): every staff read of
 * the patient's records, with the clinic and when — loaded when the patient asks (get_my_record_access).
 */
export function RecordAccessCard() {
  const { t, i18n } = useTranslation();
  const [shown, setShown] = useState(false);
  const access = useMyRecordAccess(shown);
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <Card aria-labelledby="access-title" className="mt-6">
      <h2 id="access-title" className="mb-1 text-lg font-bold">
        {t('visits.accessTitle')}
      </h2>
      <p className="mb-3 text-sm text-muted">{t('visits.accessLead')}</p>
      {!shown ? (
        <Button size="sm" variant="secondary" onClick={() => setShown(true)}>
          {t('visits.accessShow')}
        </Button>
      ) : access.isPending ? (
        <LoadingBlock label={t('common.loading')} />
      ) : access.isError ? (
        <p role="alert" className="text-danger-700">
          {t('shell.errorTitle')}
        </p>
      ) : access.data.length === 0 ? (
        <p className="text-muted">{t('visits.accessNone')}</p>
      ) : (
        <ul className="flex flex-col gap-2" data-testid="record-access">
          {access.data.map((a, i) => (
            <li
              key={`${a.occurredAt}-${i}`}
              className="flex flex-wrap gap-x-3 rounded-xl border border-line bg-white p-3"
            >
              <span className="tabular text-sm text-muted">{when.format(new Date(a.occurredAt))}</span>
              <span>
                {t('visits.accessRow', {
                  who: a.actorName ?? t('visits.accessUnknown'),
                  role: a.actorRole ? t(`home.roles.${a.actorRole}` as 'home.roles.owner') : '—',
                  clinic: a.clinicName,
                })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
