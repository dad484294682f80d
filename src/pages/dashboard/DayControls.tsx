/**
 * Pause / reopen (issue 17): the desk pauses its doctor's calling (break, emergency elsewhere) and resumes it;
 * anyone at the desk closes the day to new walk-ins and online joins and reopens it. The state is shown to
 * every desk (which doctors are paused, since when intake is closed); pausing and closing ask for a
 * confirmation, resuming and reopening act at once. The board and the patients' trackers say so too.
 *
 * The confirmation's Dialog is a lazy chunk (dash25, issue 14: ≈ 0.7 KiB gz off the desk's first load; the same
 * chunk the desk's dialogs in DeskRecords use). It is rendered, closed, from the first render on, so it loads right
 * after it and is there by the time anyone asks; a confirmation asked for before shows "Loading…" until it opens.
 */
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { useToast } from '../../components/Toasts';
import { Button, TextField } from '../../components/ui';
import { useDayControls, type DayControl } from '../../hooks/useDayControls';
import type { QueueView } from '../../hooks/useQueue';
import { useSingleFlight } from '../../hooks/useSingleFlight';

const Dialog = lazy(() => import('../../components/Dialog').then((m) => ({ default: m.Dialog })));

export function DayControls({
  clinicId,
  view,
  desk,
  nameOf,
  timeOf,
}: {
  clinicId: string;
  view: QueueView;
  desk: { id: string; displayName: string } | null;
  nameOf: (id: string | null) => string;
  timeOf: (instant: string) => string;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const run = useSingleFlight(useDayControls(clinicId));
  const [confirm, setConfirm] = useState<'pause' | 'close' | null>(null);
  const [reason, setReason] = useState('');
  if (view.queue.status === 'closed') return null;
  const paused = view.queue.pausedPractitionerIds ?? [];
  const intakeClosedAt = view.queue.intakeClosedAt ?? null;
  const deskPaused = desk !== null && paused.includes(desk.id);

  const exec = (c: DayControl) =>
    run.mutate(c, {
      onSuccess: () => {
        toast.ok(
          t(`dash.day.pause.done.${c.type}`, { name: 'practitionerId' in c ? nameOf(c.practitionerId) : '' }),
        );
        setConfirm(null);
      },
      onError: (e) => toast.error(e),
    });
  const open = (kind: 'pause' | 'close') => {
    setReason('');
    setConfirm(kind);
  };

  return (
    <section
      aria-label={t('dash.day.pause.region')}
      className="mb-5 flex flex-wrap items-center gap-3"
      data-testid="day-controls"
    >
      {paused.length > 0 && (
        <p
          role="status"
          className="rounded-xl bg-warn-50 px-3 py-2 text-sm font-semibold text-warn-700"
          data-testid="paused-desks"
        >
          {t('dash.day.pause.pausedList', { names: paused.map((id) => nameOf(id)).join(', ') })}
        </p>
      )}
      {intakeClosedAt !== null && (
        <p
          role="status"
          className="rounded-xl bg-warn-50 px-3 py-2 text-sm font-semibold text-warn-700"
          data-testid="intake-closed"
        >
          {t('dash.day.pause.intakeClosedSince', { time: timeOf(intakeClosedAt) })}
        </p>
      )}
      <div className="ms-auto flex flex-wrap gap-2">
        {desk !== null &&
          (deskPaused ? (
            <Button
              variant="primary"
              busy={run.isPending}
              onClick={() => exec({ type: 'resumeDesk', practitionerId: desk.id, reason: null })}
            >
              {t('dash.day.pause.resume', { name: desk.displayName })}
            </Button>
          ) : (
            <Button variant="secondary" disabled={run.isPending} onClick={() => open('pause')}>
              {t('dash.day.pause.pause', { name: desk.displayName })}
            </Button>
          ))}
        {intakeClosedAt !== null ? (
          <Button
            variant="primary"
            busy={run.isPending}
            onClick={() => exec({ type: 'reopenIntake', reason: null })}
          >
            {t('dash.day.pause.reopenIntake')}
          </Button>
        ) : (
          <Button variant="secondary" disabled={run.isPending} onClick={() => open('close')}>
            {t('dash.day.pause.closeIntake')}
          </Button>
        )}
      </div>
      <Suspense
        fallback={
          confirm !== null ? (
            <p
              role="status"
              data-testid="day-control-loading"
              className="fixed inset-x-0 top-4 z-50 mx-auto w-fit rounded-full bg-white px-4 py-2 shadow"
            >
              {t('common.loading')}
            </p>
          ) : null
        }
      >
        <Dialog
          open={confirm !== null}
          title={
            confirm === 'pause' && desk
              ? t('dash.day.pause.pauseTitle', { name: desk.displayName })
              : t('dash.day.pause.closeTitle')
          }
          description={t(confirm === 'pause' ? 'dash.day.pause.pauseBody' : 'dash.day.pause.closeBody')}
          confirmLabel={t(
            confirm === 'pause' ? 'dash.day.pause.pauseConfirm' : 'dash.day.pause.closeConfirm',
          )}
          busy={run.isPending}
          onClose={() => setConfirm(null)}
          onConfirm={() => {
            const r = reason.trim() || null;
            if (confirm === 'pause' && desk) exec({ type: 'pauseDesk', practitionerId: desk.id, reason: r });
            if (confirm === 'close') exec({ type: 'closeIntake', reason: r });
          }}
        >
          <TextField label={t('dash.day.pause.reasonOptional')} value={reason} onValue={setReason} />
        </Dialog>
      </Suspense>
    </section>
  );
}
