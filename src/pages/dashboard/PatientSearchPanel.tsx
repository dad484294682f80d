/**
 * The desk's patient search (issue 17), loaded on demand (React.lazy) so the dashboard's first render does
 * not carry it. Searches the clinic's patients by name, phone or ticket on the server (search_patients: one
 * clinic, limited); opening a result shows the patient's visit history through get_patient_record, which
 * logs the read (the patient sees who opened it on /me).
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Button, Card, Input, LoadingBlock } from '../../components/ui';
import { usePatientSearch } from '../../hooks/usePatientRecords';
import { useErrorText, usePageStrings } from '../../i18n/pageStrings';
import { PatientRecordDialog } from './PatientRecordDialog';

/** How long typing pauses before the query is sent (not a wait in any test: results are awaited). */
const SETTLE_MS = 250;

export default function PatientSearchPanel({ clinicId }: { clinicId: string }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const ready = usePageStrings('records');
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const id = useId();
  useEffect(() => {
    const timer = setTimeout(() => setQuery(text), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const found = usePatientSearch(clinicId, query);
  if (!ready) return <LoadingBlock rows={2} label={t('common.loading')} />;
  const asked = query.trim().length >= 2;
  return (
    <Card>
      <section aria-labelledby={`${id}-title`} className="flex flex-col gap-3" data-testid="patient-search">
        <h2 id={`${id}-title`} className="text-lg font-bold">
          {t('records.searchTitle')}
        </h2>
        <label htmlFor={id} className="text-sm font-semibold text-ink">
          {t('records.searchLabel')}
        </label>
        <Input
          id={id}
          type="search"
          autoComplete="off"
          maxLength={100}
          value={text}
          aria-describedby={`${id}-hint`}
          onChange={(e) => setText(e.target.value)}
        />
        <p id={`${id}-hint`} className="text-xs text-muted">
          {t('records.searchHint')}
        </p>
        {asked &&
          (found.isError ? (
            <p role="alert" className="text-danger-700">
              {errorText(found.error.code)}
            </p>
          ) : found.isPending ? (
            <LoadingBlock rows={2} label={t('common.loading')} />
          ) : found.data.length === 0 ? (
            <p className="text-muted" role="status">
              {t('records.noMatch')}
            </p>
          ) : (
            <ul className="flex flex-col gap-1" aria-live="polite">
              {found.data.map((m) => (
                <li key={m.id} className="flex flex-wrap items-center gap-2">
                  <Button size="sm" variant="ghost" onClick={() => setOpen(m.id)}>
                    {t('records.open', { name: m.fullName })}
                  </Button>
                  {m.phone && (
                    <span className="tabular text-sm" dir="ltr">
                      {m.phone}
                    </span>
                  )}
                  <span className="text-sm text-muted">
                    {m.lastDay && m.lastTicket
                      ? t('records.lastVisit', { day: m.lastDay, ticket: m.lastTicket })
                      : t('records.noVisit')}
                  </span>
                </li>
              ))}
            </ul>
          ))}
      </section>
      <PatientRecordDialog patientId={open} onClose={() => setOpen(null)} />
    </Card>
  );
}
