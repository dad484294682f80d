/**
 * My visits — "Your name at {clinic}" (issue 12): per clinic the patient has a record at, the name as that clinic
 * knows it (get_my_patient_name) and a form to correct it (useSetMyName → BookingService.setMyName →
 * set_my_name: the desk's normalisation, 3 own renames a clinic day, PATIENT.RENAME_LIMIT after that).
 * Loaded lazily by MyVisitsPage: the page's first render is at its size budget.
 */
import { useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { useErrorText, usePageStrings } from '../../i18n/pageStrings';
import { useToast } from '../../components/Toasts';
import { Button, Card, TextField } from '../../components/ui';
import { useMyPatientName, usePublicClinic } from '../../hooks/useBooking';
import { useSetMyName } from '../../hooks/useMyName';

/** One card per clinic of the patient's visits. */
export default function MyNameCards({ clinicIds }: { clinicIds: readonly string[] }) {
  if (!usePageStrings('myName')) return null; // its strings travel with the card, not with the page
  return (
    <>
      {[...new Set(clinicIds)].map((id) => (
        <MyNameCard key={id} clinicId={id} />
      ))}
    </>
  );
}

export function MyNameCard({ clinicId }: { clinicId: string }) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const clinic = usePublicClinic(clinicId);
  const mine = useMyPatientName(clinicId, true);
  const save = useSetMyName();
  const [draft, setDraft] = useState<string | null>(null);
  // what went wrong, kept as a code (or the empty-name key) and put into words at render: a refusal that arrives
  // before the lazily loaded error texts would otherwise keep "Loading…" for good
  const [problemIs, setProblem] = useState<{ readonly code: string } | 'required' | null>(null);
  const problem =
    problemIs === null ? null : problemIs === 'required' ? t('myName.required') : errorText(problemIs.code);
  // only a record this clinic already has (known): a name from elsewhere is not theirs to correct here
  if (!clinic.data || !mine.data?.known || mine.data.fullName === null) return null;
  const current = mine.data.fullName;
  const titleId = `name-title-${clinicId}`;
  return (
    <Card aria-labelledby={titleId} className="mt-6">
      <h2 id={titleId} className="mb-1 text-lg font-bold">
        {t('myName.title', { clinic: clinic.data.name })}
      </h2>
      <p className="mb-3 text-sm text-muted">{t('myName.lead')}</p>
      {draft === null ? (
        <div className="flex flex-wrap items-center gap-3">
          <span className="text-lg font-semibold" dir="auto" data-testid="my-name-current">
            {current}
          </span>
          <Button
            size="sm"
            variant="secondary"
            onClick={() => {
              setProblem(null);
              setDraft(current);
            }}
          >
            {t('myName.edit')}
          </Button>
        </div>
      ) : (
        <form
          className="flex flex-col gap-3"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (save.isPending) return; // one request at a time: a double click renames once
            if (draft.trim() === '') {
              setProblem('required');
              return;
            }
            setProblem(null);
            save.mutate(
              { clinicId, fullName: draft },
              {
                onSuccess: (r) => {
                  toast.ok(t(r.changed ? 'myName.saved' : 'myName.unchanged', { name: r.fullName }));
                  setDraft(null);
                },
                onError: (err) => {
                  setProblem({ code: err.code });
                  toast.error(err);
                },
              },
            );
          }}
        >
          <TextField
            label={t('myName.label')}
            value={draft}
            onValue={setDraft}
            dir="auto"
            autoComplete="name"
            maxLength={200}
            aria-invalid={problem !== null}
          />
          {problem && (
            <p role="alert" className="text-sm font-medium text-danger-700" data-testid="my-name-error">
              {problem}
            </p>
          )}
          <div className="flex gap-2">
            <Button type="submit" size="sm" busy={save.isPending}>
              {t('myName.save')}
            </Button>
            <Button type="button" size="sm" variant="secondary" onClick={() => setDraft(null)}>
              {t('myName.cancel')}
            </Button>
          </div>
        </form>
      )}
    </Card>
  );
}
