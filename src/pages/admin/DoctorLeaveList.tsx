/**
 * One doctor's leave in the admin's doctor-schedule section (hours19, H1): the list, an add form (the database judges
 * order, past, overlap), and removal after a confirmation. After adding, how many visits stay booked with the doctor.
 */
import { useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { useToast } from '../../components/Toasts';
import { Dialog } from '../../components/Dialog';
import { Button, TextField } from '../../components/ui';
import { useDoctorScheduleService, type DoctorLeave } from '../../hooks/useDoctorSchedule';

export function DoctorLeaveList({
  clinicId,
  doctor,
  leave,
  canEdit,
}: {
  clinicId: string;
  doctor: { readonly id: string; readonly displayName: string };
  leave: readonly DoctorLeave[];
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const { addDoctorLeave, removeDoctorLeave } = useDoctorScheduleService(clinicId);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [visits, setVisits] = useState(0);
  const [removing, setRemoving] = useState<DoctorLeave | null>(null);
  return (
    <div className="flex flex-col gap-2">
      <h4 className="font-semibold">{t('doctors.leave')}</h4>
      {leave.length === 0 ? (
        <p className="text-sm text-muted">{t('doctors.noLeave')}</p>
      ) : (
        <ul className="flex flex-col gap-1">
          {leave.map((l) => (
            <li key={l.id} className="flex items-center gap-3 rounded-xl bg-slate-50 p-2">
              <span className="tabular font-mono text-sm" dir="ltr">
                {l.fromDay} – {l.toDay}
              </span>
              <span className="flex-1 text-sm text-muted">{l.reason}</span>
              {canEdit && (
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={t('doctors.removeLeave', { range: `${l.fromDay} – ${l.toDay}` })}
                  onClick={() => setRemoving(l)}
                >
                  {t('doctors.remove')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {visits > 0 && (
        <p role="status" className="rounded-xl bg-amber-50 p-2 text-sm">
          {t('doctors.visitsStay', { count: visits })}
        </p>
      )}
      {canEdit && (
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            addDoctorLeave.mutate(
              { practitionerId: doctor.id, fromDay: from, toDay: to, reason: reason.trim() || null },
              {
                onSuccess: (r) => {
                  setFrom('');
                  setTo('');
                  setReason('');
                  setVisits(r.visits);
                  toast.ok(t('doctors.added'));
                },
                onError: (err) => toast.error(err),
              },
            );
          }}
        >
          <TextField
            label={t('doctors.from')}
            type="date"
            required
            dir="ltr"
            value={from}
            onValue={setFrom}
          />
          <TextField label={t('doctors.to')} type="date" required dir="ltr" value={to} onValue={setTo} />
          <TextField label={t('doctors.reason')} value={reason} onValue={setReason} maxLength={200} />
          <Button type="submit" variant="secondary" busy={addDoctorLeave.isPending}>
            {t('doctors.addLeave')}
          </Button>
        </form>
      )}
      <Dialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={t('doctors.confirmTitle')}
        description={
          removing
            ? t('doctors.confirmBody', {
                name: doctor.displayName,
                from: removing.fromDay,
                to: removing.toDay,
              })
            : undefined
        }
        confirmLabel={t('doctors.remove')}
        confirmVariant="danger"
        busy={removeDoctorLeave.isPending}
        onConfirm={() =>
          removing &&
          removeDoctorLeave
            .mutateAsync(removing.id)
            .then(() => setRemoving(null))
            .catch((err: unknown) => toast.error(err))
        }
      />
    </div>
  );
}
