/**
 * The Privacy tab's erasure on request (issue 19): the owner finds the patient, opens a dialog that names
 * them and says what will go, types the name to confirm (nothing else enables the button), may give a reason
 * for the audit trail. erase_patient does it in one transaction.
 */
import { useDeferredValue, useState } from 'react';
import { Dialog } from '../../../components/Dialog';
import { Button, EmptyState, Field, Input, TextArea } from '../../../components/ui';
import { useErasePatient } from '../../../hooks/usePrivacy';
import { usePatientSearch, type PatientMatch } from '../../../hooks/usePatientRecords';
import { useErrorText } from '../../../i18n/pageStrings';
import { ERASE_REASON_MAX, PATIENT_QUERY_MIN } from '../../../services/reports/api';
import { fill } from '../reports/strings';
import type { PrivacyStrings } from './strings';

/** The typed confirmation matches the name: spaces and case do not matter, every letter does. */
export const sameName = (typed: string, name: string): boolean => {
  const norm = (x: string) => x.trim().replace(/\s+/g, ' ').toLocaleLowerCase();
  return norm(typed) !== '' && norm(typed) === norm(name);
};

export function EraseSection({ clinicId, s }: { clinicId: string; s: PrivacyStrings }) {
  const errorText = useErrorText();
  const e = s.erase;
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query);
  const found = usePatientSearch(clinicId, deferred);
  const [target, setTarget] = useState<PatientMatch | null>(null);
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const erase = useErasePatient();
  const open = (p: PatientMatch) => {
    erase.reset();
    setTyped('');
    setReason('');
    setDone(null);
    setTarget(p);
  };
  const confirm = () => {
    // Enter in a field submits the dialog's form too: only the typed name confirms
    if (!target || !sameName(typed, target.fullName)) return undefined;
    const name = target.fullName;
    // returned: the dialog sends no second erase while this one is in flight (a failure shows as erase.error)
    return erase.mutateAsync({ patientId: target.id, reason: reason.trim() || null }).then(
      (r) => {
        setTarget(null);
        setQuery('');
        setDone(fill(e.done, { name, visits: r.visits, cancelled: r.cancelled }));
      },
      () => undefined,
    );
  };
  const asked = deferred.trim().length >= PATIENT_QUERY_MIN;
  const rows = asked ? (found.data ?? []) : [];
  return (
    <section aria-labelledby="privacy-erase" className="flex flex-col gap-3">
      <h2 id="privacy-erase" className="text-lg font-bold">
        {e.title}
      </h2>
      <p className="text-muted">{e.explain}</p>
      {done && (
        <p role="status" className="rounded-xl bg-brand-50 p-3 text-brand-800" dir="auto">
          {done}
        </p>
      )}
      <div className="max-w-md">
        <Field label={e.search} hint={e.searchHint}>
          {(id, describedBy) => (
            <Input
              id={id}
              type="search"
              aria-describedby={describedBy}
              autoComplete="off"
              value={query}
              onChange={(ev) => setQuery(ev.target.value)}
            />
          )}
        </Field>
      </div>
      {found.error && asked && (
        <p role="alert" className="rounded-xl bg-warn-50 p-3 text-warn-700">
          {errorText(found.error.code)}
        </p>
      )}
      {asked && found.data && rows.length === 0 && <EmptyState icon="🔎" title={e.none} />}
      {rows.length > 0 && (
        <ul
          className="flex flex-col divide-y divide-line rounded-xl border border-line"
          data-testid="erase-results"
        >
          {rows.map((p) => (
            <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
              <span dir="auto">
                <span className="font-semibold">{p.fullName}</span>
                <span className="ms-2 text-sm text-muted">
                  {[
                    p.phone,
                    p.lastDay ? fill(e.lastVisit, { day: p.lastDay, ticket: p.lastTicket ?? '' }) : e.noVisit,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </span>
              <Button
                size="sm"
                variant="danger"
                aria-label={fill(e.actionFor, { name: p.fullName })}
                onClick={() => open(p)}
              >
                {e.action}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <Dialog
        open={target !== null}
        onClose={() => setTarget(null)}
        title={fill(e.dialogTitle, { name: target?.fullName ?? '' })}
        description={fill(e.dialogText, { name: target?.fullName ?? '' })}
        confirmLabel={e.confirm}
        confirmVariant="danger"
        confirmDisabled={!target || !sameName(typed, target.fullName)}
        onConfirm={confirm}
        busy={erase.isPending}
      >
        <Field label={e.reason}>
          {(id) => (
            <TextArea
              id={id}
              maxLength={ERASE_REASON_MAX}
              value={reason}
              onChange={(ev) => setReason(ev.target.value)}
            />
          )}
        </Field>
        <Field label={fill(e.confirmLabel, { name: target?.fullName ?? '' })}>
          {(id) => (
            <Input
              id={id}
              autoComplete="off"
              dir="auto"
              value={typed}
              onChange={(ev) => setTyped(ev.target.value)}
            />
          )}
        </Field>
        {erase.error && (
          <p role="alert" className="rounded-xl bg-warn-50 p-3 text-warn-700">
            {errorText(erase.error.code)}
          </p>
        )}
      </Dialog>
    </section>
  );
}
