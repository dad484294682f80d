/**
 * EnhancedQueueManager — the staff queue dashboard. Today's entries in order with position, ticket,
 * status, wait estimate, skip count, late/absent badges with a live grace countdown; every queue action,
 * keyboard shortcuts (N W E / ?), confirmation for destructive steps, translated coded errors as toasts,
 * and live updates from other desks. The parts live in ./dashboard: desk bar, stats, queue table and row,
 * dialogs, shortcuts. Grace expiry and the automatic end of day run on the server (sweep_queues).
 */
import { lazy, Suspense, useMemo, useRef, useState } from 'react';
import { useTranslation } from '../i18n/TranslatorContext';
import { usePageStrings } from '../i18n/pageStrings';
import { checkInTooEarlyParams, otherDoctorParams } from '../components/errorParams';
import { StaffGate } from '../components/StaffGate';
import { useToast } from '../components/Toasts';
import { Button, EmptyState, LoadingBlock, PageTitle } from '../components/ui';
import type { Membership } from '../hooks/useStaffService';
import { useClinicTime } from '../hooks/useClinicTime';
import { useDeskChoice } from '../hooks/useDeskChoice';
import { useQueue, useQueueService, type QueueCommand, type QueueView } from '../hooks/useQueue';
import { nextToCall, UNDO_WINDOW_SECONDS } from '../services/queue/api';
import { BookVisitButton } from './dashboard/BookVisitButton';
import { DayBookingsButton } from './dashboard/DayBookingsButton';
import { DeskBar } from './dashboard/DeskBar';
import { LazyDeskDialogs } from './dashboard/LazyDeskDialogs';
import { DayControls } from './dashboard/DayControls';
import { DaySummaryList } from './dashboard/DaySummary';
import { QueueTable } from './dashboard/QueueTable';
import { StatsBar } from './dashboard/StatsBar';
import type { DialogState } from './dashboard/types';
import { useDashboardShortcuts, useEarlyDeskKeys } from './dashboard/useDashboardShortcuts';

// issue 17: the patient search and a visit's staff notes load only when the desk opens them (one chunk; the
// dashboard's first render is at its size budget)
const DeskRecords = lazy(() => import('./dashboard/DeskRecords'));

export default function DashboardPage() {
  // the desk's strings (dash.*) come with this page, not in every screen's bundle (src/i18n/README.md)
  const { t } = useTranslation();
  const ready = usePageStrings('dash', true);
  // a shortcut pressed while the desk still loads is kept, not lost (CI run28)
  useEarlyDeskKeys();
  return (
    <StaffGate>
      {(m) => (ready ? <Dashboard member={m} /> : <LoadingBlock label={t('common.loading')} />)}
    </StaffGate>
  );
}

/** The dashboard for a known staff member (exported for tests; the page wraps it in StaffGate). */
export function Dashboard({ member }: { member: Membership }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const q = useQueue(member.clinicId);
  // clinic times from the server's offsets (a browser with stale zone rules would show them an hour off)
  const clinicTime = useClinicTime(member.clinicId, i18n.language);
  const run = useQueueService(member.clinicId);
  const [dialog, setDialog] = useState<DialogState>({ kind: 'none' });
  const [searching, setSearching] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const view = q.data;
  const practitioners = useMemo(
    () =>
      (view?.directory.members ?? []).filter(
        (m) => m.active && (m.role === 'practitioner' || m.role === 'owner'),
      ),
    [view],
  );
  const { desk, chooseDesk } = useDeskChoice(member, practitioners);

  // One "call next" in flight per desk (button and N shortcut): a double click calls one patient (issue 12).
  const callingNext = useRef(false);
  // One command in flight per dialog opening (issue 12): react-query tells React that a save is pending on its
  // own schedule (a setTimeout(0) batch), so a dialog's busy flag comes a moment late; a second confirm in that
  // gap (double click, held Enter) would send a second command with a new id — two walk-ins, a second call.
  // Set synchronously, released when THIS command settles (its own promise: mutate's callbacks fire for the
  // last mutate only, so a row click in between would otherwise leave a guard set for good).
  const sendingFrom = useRef<DialogState | null>(null);
  // A save closes the dialog it came from — never one opened while it was in flight (a receptionist who
  // pressed W right after "Start" lost her half-typed walk-in when the start was saved)
  const exec = (cmd: QueueCommand, after?: (v: QueueView) => void) => {
    const from = dialog;
    if (from.kind !== 'none') {
      if (sendingFrom.current === from) return;
      sendingFrom.current = from;
    }
    const done = run.mutateAsync(cmd, {
      onSuccess: (r) => {
        const called = r.events.find((e) => e.type === 'PatientCalled') as { entryId?: string } | undefined;
        const undone =
          cmd.type === 'undo'
            ? cmd.step.entries.find((x) => x.types.includes(cmd.step.action))?.after.id
            : undefined;
        const entryId = called?.entryId ?? undone ?? ('entryId' in cmd ? cmd.entryId : undefined);
        const ticket = r.view.entries.find((e) => e.id === entryId)?.ticket ?? '';
        const undoable = r.undoable;
        if (cmd.type === 'sweep') {
          // nothing to confirm
        } else if (undoable && cmd.type !== 'undo') {
          // issue 17: the desk's last step can be undone within the window (the server's clock decides)
          toast.ok(t(`dash.done.${cmd.type}`, { ticket }), {
            label: t('dash.undo.action'),
            ms: UNDO_WINDOW_SECONDS * 1000,
            onClick: () => exec({ type: 'undo', step: undoable }),
          });
        } else toast.ok(t(`dash.done.${cmd.type}`, { ticket }));
        setDialog((d) => (d === from ? { kind: 'none' } : d));
        after?.(r.view);
      },
      onError: (e) => {
        // what the desk knows makes the message say what to do (issue 15.11): whose patient, from when
        const doctorName = (id: string | null) =>
          practitioners.find((p) => p.id === id)?.displayName ?? t('dash.anyPractitioner');
        toast.error(e, {
          ...otherDoctorParams(e, doctorName),
          ...checkInTooEarlyParams(e, {
            windowMinutes: view?.settings.check_in_window_minutes,
            timeOf: clinicTime?.time,
          }),
        });
      },
    });
    // a failure is shown by onError above; the promise only tells when this command is over
    void done
      .catch(() => {})
      .finally(() => {
        if (cmd.type === 'callNext') callingNext.current = false;
        if (sendingFrom.current === from) sendingFrom.current = null;
      });
  };
  const callNext = () => {
    if (!desk || callingNext.current) return;
    callingNext.current = true;
    exec({ type: 'callNext', practitionerId: desk.id, room: desk.room });
  };

  // Grace expiry is the server's (sweep_queues on pg_cron / the local stack's timer, issue 11): the desk
  // shows its result through realtime (useQueue invalidates on the queue's new version), it never drives it.
  // After End day nothing can be added (issue 15.14): W and E do nothing, like N (callNext needs an open queue).
  const queueOpen = view?.queue.status !== 'closed';
  useDashboardShortcuts(!!view, dialog.kind === 'none', {
    callNext: () => {
      if (queueOpen) callNext();
    },
    walkIn: () => {
      if (queueOpen) setDialog({ kind: 'walkIn' });
    },
    emergency: () => {
      if (queueOpen) setDialog({ kind: 'emergency' });
    },
    search: () => searchRef.current?.focus(),
    help: () => setDialog({ kind: 'help' }),
  });

  if (q.isPending) return <LoadingBlock label={t('common.loading')} rows={8} />;
  if (q.isError || !view)
    return (
      <EmptyState
        icon="⚠️"
        title={t('errors.unknown')}
        action={
          <Button variant="secondary" onClick={() => void q.refetch()}>
            {t('common.retry')}
          </Button>
        }
      />
    );

  const closed = view.queue.status === 'closed';
  const nextId = desk ? (nextToCall(view.entries, desk.id, view.settings.max_skips)?.id ?? null) : null;
  const nameOf = (id: string | null) =>
    practitioners.find((p) => p.id === id)?.displayName ?? t('dash.anyPractitioner');

  return (
    <div data-testid="dashboard">
      <PageTitle
        actions={
          <span className="inline-flex items-center gap-2 rounded-full bg-brand-50 px-3 py-1 text-sm font-semibold text-brand-900">
            {!closed && <span aria-hidden className="qm-live-dot size-2 rounded-full bg-brand-500" />}
            {t(closed ? 'dash.dayClosed' : 'shell.live')} · {view.directory.clinic.name}
          </span>
        }
      >
        {t('dash.title')}
      </PageTitle>

      {closed && (
        <section
          role="status"
          aria-labelledby="day-ended-title"
          className="mb-4 flex flex-col gap-3 rounded-2xl border border-line bg-white p-4"
          data-testid="day-ended"
        >
          <div>
            <h2 id="day-ended-title" className="text-lg font-bold">
              {t('dash.dayEnded')}
            </h2>
            <p className="text-muted">{t('dash.closed')}</p>
          </div>
          {view.queue.summary && <DaySummaryList summary={view.queue.summary} />}
        </section>
      )}

      <StatsBar entries={view.entries} accuracy={view.waitAccuracy} />
      <DeskBar
        desks={practitioners}
        desk={desk}
        onDesk={chooseDesk}
        closed={closed}
        calling={run.isPending && run.variables?.type === 'callNext'}
        onCallNext={callNext}
        onWalkIn={() => setDialog({ kind: 'walkIn' })}
        onEmergency={() => setDialog({ kind: 'emergency' })}
        onEndDay={() => setDialog({ kind: 'endDay' })}
        onHelp={() => setDialog({ kind: 'help' })}
      />
      <div className="mb-4 flex flex-col gap-3">
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" aria-expanded={searching} onClick={() => setSearching((s) => !s)}>
            {t('dash.findPatient')}
          </Button>
          <BookVisitButton clinicId={member.clinicId} practitioners={practitioners} />
          <DayBookingsButton clinicId={member.clinicId} />
        </div>
        {searching && (
          <Suspense fallback={null}>
            <DeskRecords show="search" clinicId={member.clinicId} />
          </Suspense>
        )}
      </div>
      <DayControls
        clinicId={member.clinicId}
        view={view}
        desk={desk}
        nameOf={nameOf}
        timeOf={(instant) => clinicTime?.time(instant) ?? ''}
      />
      <QueueTable
        entries={view.entries}
        searchRef={searchRef}
        closed={closed}
        busy={run.isPending}
        desk={desk}
        nextId={nextId}
        timeOf={(instant) => clinicTime?.time(instant) ?? ''}
        nameOf={nameOf}
        types={view.directory.appointmentTypes}
        onCmd={exec}
        onDialog={setDialog}
      />
      <p className="mt-3 text-xs text-muted">{t('dash.accuracy')}</p>
      <LazyDeskDialogs
        dialog={dialog}
        onDialog={setDialog}
        view={view}
        practitioners={practitioners}
        desk={desk}
        busy={run.isPending}
        exec={exec}
      />
      {dialog.kind === 'record' && dialog.entry.patientId !== null && (
        <Suspense fallback={null}>
          <DeskRecords
            show="record"
            patientId={dialog.entry.patientId}
            onClose={() => setDialog({ kind: 'none' })}
          />
        </Suspense>
      )}
      {dialog.kind === 'transfer' && (
        <Suspense fallback={null}>
          <DeskRecords
            show="transfer"
            entry={dialog.entry}
            practitioners={practitioners}
            busy={run.isPending}
            onClose={() => setDialog({ kind: 'none' })}
            onTransfer={(entryId, practitionerId, reason) =>
              exec({ type: 'transfer', entryId, practitionerId, reason })
            }
          />
        </Suspense>
      )}
      {dialog.kind === 'notes' && (
        <Suspense fallback={null}>
          <DeskRecords
            show="notes"
            entry={dialog.entry}
            timeOf={(instant) => clinicTime?.time(instant) ?? ''}
            onClose={() => setDialog({ kind: 'none' })}
          />
        </Suspense>
      )}
    </div>
  );
}
