/**
 * The desk's view of a patient's record (issue 19): read through get_patient_record, which logs the read in
 * the audit trail (who, when, from where) — the patient sees it on /me, the owner on the audit screen. Read
 * once per opening (usePatientRecord does not refetch in the background: each fetch is a logged read).
 */
import { useTranslation } from '../../i18n/TranslatorContext';
import { Dialog } from '../../components/Dialog';
import { Badge, LoadingBlock } from '../../components/ui';
import { usePatientRecord } from '../../hooks/useReports';

export function PatientRecordDialog({
  patientId,
  onClose,
}: {
  patientId: string | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const record = usePatientRecord(patientId);
  const r = record.data;
  return (
    <Dialog
      open={patientId !== null}
      title={r ? t('records.desk.recordTitle', { name: r.patient.fullName }) : t('dash.record')}
      description={t('records.desk.recordLogged')}
      dismissLabel={t('common.close')}
      onClose={onClose}
    >
      {record.isPending ? (
        <LoadingBlock label={t('common.loading')} />
      ) : record.isError ? (
        <p role="alert" className="text-danger-700">
          {t('shell.errorTitle')}
        </p>
      ) : r ? (
        <div className="flex flex-col gap-3" data-testid="patient-record">
          {r.patient.phone && (
            <p className="tabular" dir="ltr">
              {r.patient.phone}
            </p>
          )}
          {r.patient.email && (
            <p className="flex flex-wrap gap-2">
              <span className="text-muted">{t('records.desk.recordEmail')}</span>
              <bdi dir="ltr">{r.patient.email}</bdi>
            </p>
          )}
          {r.patient.emailBouncedAt && (
            <p
              role="status"
              className="text-sm font-medium text-danger-700"
              data-testid="record-email-bounced"
            >
              {t('records.desk.recordEmailBounced')}
            </p>
          )}
          <h3 className="font-bold">{t('records.desk.recordVisits')}</h3>
          {r.visits.length === 0 ? (
            <p className="text-muted">{t('records.desk.recordNoVisits')}</p>
          ) : (
            <ul className="flex max-h-64 flex-col gap-1 overflow-y-auto text-sm">
              {r.visits.map((v) => (
                <li key={`${v.day}-${v.ticket}`} className="flex flex-wrap items-center gap-2">
                  <span className="tabular" dir="ltr">
                    {v.day}
                  </span>
                  <span className="font-mono font-bold" dir="ltr">
                    {v.ticket}
                  </span>
                  <Badge tone="neutral">{t(`status.${v.status}` as 'status.waiting')}</Badge>
                  {v.appointmentType && <span>{v.appointmentType}</span>}
                  {v.practitioner && <span className="text-muted">{v.practitioner}</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </Dialog>
  );
}
