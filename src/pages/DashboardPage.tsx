/**
 * EnhancedQueueManager — the staff queue dashboard. Today's entries in order with position, ticket,
 * status, wait estimate, skip count, late/absent badges with a live grace countdown; every queue action,
 * keyboard shortcuts (N W E / ?), confirmation for destructive steps, translated coded errors as toasts,
 * and live updates from other desks.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../components/Dialog';
import { StaffGate } from '../components/StaffGate';
import { useToast } from '../components/Toasts';
import { formatCountdown, formatTime } from '../components/format';
import {
  Badge,
  Button,
  Card,
  EmptyState,
  Field,
  Input,
  LoadingBlock,
  PageTitle,
  Select,
  TextField,
  cx,
} from '../components/ui';
import type { Membership } from '../hooks/ui/auth';
import { useClinicSettings } from '../hooks/ui/admin';
import {
  useQueueCommand,
  useStaffQueue,
  type QueueCommand,
  type QueueEntryView,
  type QueueView,
} from '../hooks/ui/staff';
import { useNow } from '../hooks/ui/useNow';
import { allowedActions, formatWaitForPatient, nextToCall, type RowAction } from '../services/queue/api';
import { useDeskChoice } from '../hooks/useDeskChoice';
import { isLanguage } from '../i18n';

type Status = QueueEntryView['status'];
const STATUS_TONE: Record<Status, 'neutral' | 'brand' | 'warn' | 'danger' | 'ok' | 'info'> = {
  scheduled: 'neutral',
  waiting: 'info',
  called: 'brand',
  in_service: 'ok',
  completed: 'neutral',
  cancelled: 'neutral',
  no_show: 'danger',
  absent: 'warn',
};
const ACTIVE: Status[] = ['scheduled', 'waiting', 'called', 'in_service', 'absent'];

type DialogState =
  | { kind: 'none' }
  | { kind: 'walkIn' }
  | { kind: 'emergency' }
  | { kind: 'endDay' }
  | { kind: 'summary' }
  | { kind: 'callSpecific'; entry: QueueEntryView }
  | { kind: 'absent'; entry: QueueEntryView }
  | { kind: 'cancel'; entry: QueueEntryView }
  | { kind: 'move'; entry: QueueEntryView }
  | { kind: 'priority'; entry: QueueEntryView }
  | { kind: 'help' };

export default function DashboardPage() {
  return <StaffGate>{(m) => <Dashboard member={m} />}</StaffGate>;
}

function Dashboard({ member }: { member: Membership }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const q = useStaffQueue(member.clinicId);
  const settings = useClinicSettings(member.clinicId);
  const run = useQueueCommand(member.clinicId);
  const now = useNow(1000);
  const [dialog, setDialog] = useState<DialogState>({ kind: 'none' });
  const [filter, setFilter] = useState<'all' | 'active' | 'done'>('active');
  const [search, setSearch] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const view = q.data;
  const practitioners = useMemo(
    () =>
      (view?.directory.members ?? []).filter(
        (m) => m.active && (m.role === 'practitioner' || m.role === 'owner'),
      ),
    [view],
  );
  const { desk: deskMember, chooseDesk } = useDeskChoice(member, practitioners);
  const tz = 'Africa/Casablanca';

  const exec = (cmd: QueueCommand, after?: (v: QueueView) => void) =>
    run.mutate(cmd, {
      onSuccess: (r) => {
        const called = r.events.find((e) => e.type === 'PatientCalled') as { entryId?: string } | undefined;
        const entryId = called?.entryId ?? ('entryId' in cmd ? cmd.entryId : undefined);
        const ticket = r.view.entries.find((e) => e.id === entryId)?.ticket ?? '';
        if (cmd.type !== 'sweep') toast.ok(t(`dash.done.${cmd.type}`, { ticket }));
        setDialog({ kind: 'none' });
        after?.(r.view);
      },
      onError: (e) => toast.error(e),
    });

  const callNext = () => {
    if (deskMember) exec({ type: 'callNext', practitionerId: deskMember.id, room: deskMember.room });
  };

  // Grace expiry: when a countdown reaches zero, save the expiry so every screen sees the no-show.
  const swept = useRef(new Set<string>());
  useEffect(() => {
    if (!view) return;
    for (const e of view.entries) {
      if (
        e.status === 'absent' &&
        e.graceEndsAt &&
        Date.parse(e.graceEndsAt) <= now &&
        !swept.current.has(e.id)
      ) {
        swept.current.add(e.id);
        run.mutate({ type: 'sweep' });
      }
    }
  }, [now, view, run]);

  // Keyboard shortcuts (not while typing or in a dialog).
  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      const el = ev.target as HTMLElement;
      if (ev.ctrlKey || ev.metaKey || ev.altKey || dialog.kind !== 'none') return;
      if (el.closest('input, textarea, select, [contenteditable="true"], dialog')) return;
      const k = ev.key.toLowerCase();
      if (k === 'n') {
        ev.preventDefault();
        callNext();
      } else if (k === 'w') {
        ev.preventDefault();
        setDialog({ kind: 'walkIn' });
      } else if (k === 'e') {
        ev.preventDefault();
        setDialog({ kind: 'emergency' });
      } else if (k === '/') {
        ev.preventDefault();
        searchRef.current?.focus();
      } else if (k === '?') {
        setDialog({ kind: 'help' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
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
  // the WaitTime model's estimate (QueueService), rounded for display: never a false precision
  const lang = isLanguage(i18n.language) ? i18n.language : 'fr';
  const counts = {
    waiting: view.entries.filter((e) => e.status === 'waiting').length,
    atDesk: view.entries.filter((e) => e.status === 'called' || e.status === 'in_service').length,
    done: view.entries.filter((e) => e.status === 'completed').length,
    absent: view.entries.filter((e) => e.status === 'absent').length,
  };
  const needle = search.trim().toLowerCase();
  const rows = view.entries.filter((e) => {
    if (filter === 'active' && !ACTIVE.includes(e.status)) return false;
    if (filter === 'done' && ACTIVE.includes(e.status)) return false;
    return !needle || e.ticket.toLowerCase().includes(needle) || e.patientName.toLowerCase().includes(needle);
  });
  const nextId = deskMember ? nextToCall(view.entries, deskMember.id, view.settings.max_skips)?.id : null;
  const nameOf = (id: string | null) =>
    practitioners.find((p) => p.id === id)?.displayName ?? t('dash.anyPractitioner');
  const graceMinutes = Number(settings.data?.settings.grace_period_minutes ?? 10);

  return (
    <div data-testid="dashboard">
      <PageTitle
        actions={
          <span className="inline-flex items-center gap-2 rounded-full bg-brand-50 px-3 py-1 text-sm font-semibold text-brand-900">
            <span aria-hidden className="qm-live-dot size-2 rounded-full bg-brand-500" />
            {t('shell.live')} · {view.directory.clinic.name}
          </span>
        }
      >
        {t('dash.title')}
      </PageTitle>

      {closed && (
        <div
          role="status"
          className="mb-4 flex flex-wrap items-center justify-between gap-3 rounded-2xl border border-line bg-white p-4"
        >
          <p className="font-semibold">{t('dash.closed')}</p>
          {view.queue.summary && (
            <Button variant="secondary" onClick={() => setDialog({ kind: 'summary' })}>
              {t('dash.summaryTitle')}
            </Button>
          )}
        </div>
      )}

      <div className="mb-5 grid grid-cols-2 gap-3 lg:grid-cols-4">
        {(
          [
            ['waiting', counts.waiting, 'text-sky-800'],
            ['atDesk', counts.atDesk, 'text-brand-800'],
            ['done', counts.done, 'text-ink'],
            ['absent', counts.absent, 'text-warn-700'],
          ] as const
        ).map(([k, n, color]) => (
          <div key={k} className="rounded-2xl border border-line bg-white p-4">
            <p className="text-sm text-muted">{t(`dash.stats.${k}`)}</p>
            <p className={cx('tabular text-3xl font-bold', color)} data-testid={`stat-${k}`}>
              {n}
            </p>
          </div>
        ))}
      </div>

      <Card className="mb-5 flex flex-wrap items-end gap-3">
        <div className="min-w-56 flex-1">
          <Field label={t('dash.desk')}>
            {(id) => (
              <Select
                id={id}
                value={deskMember?.id ?? ''}
                disabled={!deskMember}
                onChange={(e) => chooseDesk(e.target.value)}
              >
                {!deskMember && <option value="">{t('dash.noDesk')}</option>}
                {practitioners.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.displayName}
                    {p.room ? ` — ${t('dash.room', { room: p.room })}` : ''}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
        <Button
          size="lg"
          onClick={callNext}
          busy={run.isPending && run.variables?.type === 'callNext'}
          disabled={closed || !deskMember}
          aria-keyshortcuts="N"
        >
          {t('dash.callNext')}
          <kbd className="rounded bg-white/20 px-1.5 text-xs">N</kbd>
        </Button>
        <Button
          variant="secondary"
          onClick={() => setDialog({ kind: 'walkIn' })}
          disabled={closed}
          aria-keyshortcuts="W"
        >
          {t('dash.walkIn')}
        </Button>
        <Button
          variant="danger"
          onClick={() => setDialog({ kind: 'emergency' })}
          disabled={closed}
          aria-keyshortcuts="E"
        >
          {t('dash.emergency')}
        </Button>
        <Button variant="ghost" onClick={() => setDialog({ kind: 'endDay' })} disabled={closed}>
          {t('dash.endDay')}
        </Button>
        <Button
          variant="ghost"
          size="sm"
          onClick={() => setDialog({ kind: 'help' })}
          aria-label={t('dash.shortcuts')}
        >
          ?
        </Button>
      </Card>

      <div className="mb-3 flex flex-wrap items-center gap-3">
        <div
          role="group"
          aria-label={t('dash.colStatus')}
          className="flex rounded-xl border border-line bg-white p-0.5"
        >
          {(['active', 'all', 'done'] as const).map((f) => (
            <button
              key={f}
              type="button"
              aria-pressed={filter === f}
              onClick={() => setFilter(f)}
              className={cx(
                'min-h-9 rounded-lg px-3 text-sm font-semibold',
                filter === f ? 'bg-brand-700 text-white' : 'text-ink',
              )}
            >
              {t(f === 'all' ? 'dash.filterAll' : f === 'active' ? 'dash.filterActive' : 'dash.filterDone')}
            </button>
          ))}
        </div>
        <Input
          ref={searchRef}
          type="search"
          aria-label={t('dash.search')}
          placeholder={`${t('dash.search')}  /`}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          className="max-w-xs"
        />
      </div>

      {rows.length === 0 ? (
        <EmptyState icon="🪑" title={t('dash.empty')} hint={t('dash.emptyHint')} />
      ) : (
        <div className="overflow-x-auto rounded-2xl border border-line bg-white">
          <table className="w-full min-w-[760px] text-start text-sm" aria-label={t('dash.title')}>
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-muted">
              <tr>
                <th scope="col" className="px-3 py-2 text-start">
                  {t('dash.colPos')}
                </th>
                <th scope="col" className="px-3 py-2 text-start">
                  {t('dash.colTicket')}
                </th>
                <th scope="col" className="px-3 py-2 text-start">
                  {t('dash.colPatient')}
                </th>
                <th scope="col" className="px-3 py-2 text-start">
                  {t('dash.colStatus')}
                </th>
                <th scope="col" className="px-3 py-2 text-start">
                  {t('dash.colWait')}
                </th>
                <th scope="col" className="px-3 py-2 text-end">
                  {t('dash.colActions')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => {
                const graceLeft =
                  e.status === 'absent' && e.graceEndsAt ? (Date.parse(e.graceEndsAt) - now) / 1000 : null;
                return (
                  <tr
                    key={e.id}
                    data-testid={`row-${e.ticket}`}
                    className={cx(
                      'border-t border-line align-middle',
                      e.priority === 'emergency' && ACTIVE.includes(e.status) && 'bg-red-50/60',
                      (e.status === 'called' || e.status === 'in_service') && 'bg-brand-50/60',
                    )}
                  >
                    <td className="tabular px-3 py-2.5 text-lg font-bold text-muted">{e.position ?? '—'}</td>
                    <td className="tabular px-3 py-2.5 font-mono text-base font-bold" dir="ltr">
                      {e.ticket}
                    </td>
                    <td className="px-3 py-2.5">
                      <div className="font-semibold">{e.patientName}</div>
                      <div className="mt-1 flex flex-wrap gap-1 text-xs text-muted">
                        <span>{nameOf(e.practitionerId)}</span>
                        {e.slotAt && (
                          <span>· {t('dash.slot', { time: formatTime(e.slotAt, i18n.language, tz) })}</span>
                        )}
                        {e.kind === 'walk_in' && <Badge>{t('dash.walkInBadge')}</Badge>}
                        {e.priority !== 'normal' && (
                          <Badge tone={e.priority === 'emergency' ? 'danger' : 'warn'}>
                            {t(`priority.${e.priority}`)}
                          </Badge>
                        )}
                        {e.late && <Badge tone="warn">{t('dash.late')}</Badge>}
                        {e.skipCount > 0 && (
                          <Badge tone="info" className="tabular">
                            {t('dash.skipped', { n: e.skipCount })}
                          </Badge>
                        )}
                      </div>
                    </td>
                    <td className="px-3 py-2.5">
                      <div className="flex flex-col items-start gap-1">
                        <Badge tone={STATUS_TONE[e.status]}>{t(`status.${e.status}`)}</Badge>
                        {graceLeft !== null && (
                          <span
                            className="tabular text-xs font-semibold text-warn-700"
                            data-testid={`grace-${e.ticket}`}
                          >
                            {t('dash.grace', { time: formatCountdown(graceLeft) })}
                          </span>
                        )}
                        {e.room && (e.status === 'called' || e.status === 'in_service') && (
                          <span className="text-xs text-muted">{t('dash.room', { room: e.room })}</span>
                        )}
                      </div>
                    </td>
                    <td className="tabular px-3 py-2.5 text-muted">
                      {e.wait && e.wait.kind === 'estimate'
                        ? formatWaitForPatient(e.wait.display, lang)
                        : '—'}
                    </td>
                    <td className="px-3 py-2.5">
                      <RowActions
                        entry={e}
                        closed={closed}
                        busy={run.isPending}
                        onCmd={exec}
                        onDialog={setDialog}
                        deskMember={deskMember}
                        isNext={e.id === nextId}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p className="mt-3 text-xs text-muted">{t('dash.accuracy')}</p>

      <PatientFormDialog
        open={dialog.kind === 'walkIn' || dialog.kind === 'emergency'}
        emergency={dialog.kind === 'emergency'}
        practitioners={practitioners}
        types={view.directory.appointmentTypes.filter((x) => x.active)}
        busy={run.isPending}
        onClose={() => setDialog({ kind: 'none' })}
        onSubmit={(v) =>
          exec(
            dialog.kind === 'emergency'
              ? {
                  type: 'emergency',
                  patientName: v.name,
                  phone: v.phone || null,
                  practitionerId: v.practitionerId,
                  reason: v.reason,
                }
              : {
                  type: 'addWalkIn',
                  patientName: v.name,
                  phone: v.phone || null,
                  practitionerId: v.practitionerId,
                  appointmentTypeId: v.typeId,
                  priority: v.urgent ? 'urgent' : 'normal',
                },
          )
        }
      />
      <ReasonDialog
        open={dialog.kind === 'callSpecific'}
        title={
          dialog.kind === 'callSpecific' ? t('dash.callReasonTitle', { ticket: dialog.entry.ticket }) : ''
        }
        description={t('dash.callReasonBody')}
        confirmLabel={t('dash.actions.call')}
        busy={run.isPending}
        onClose={() => setDialog({ kind: 'none' })}
        onSubmit={(reason) =>
          dialog.kind === 'callSpecific' &&
          exec({
            type: 'callSpecific',
            entryId: dialog.entry.id,
            practitionerId: deskMember?.id ?? dialog.entry.practitionerId,
            room: deskMember?.room ?? null,
            reason,
          })
        }
      />
      <Dialog
        open={dialog.kind === 'absent'}
        title={dialog.kind === 'absent' ? t('dash.absentTitle', { ticket: dialog.entry.ticket }) : ''}
        description={t('dash.absentBody', { minutes: graceMinutes })}
        confirmLabel={t('dash.actions.absent')}
        confirmVariant="danger"
        busy={run.isPending}
        onClose={() => setDialog({ kind: 'none' })}
        onConfirm={() => dialog.kind === 'absent' && exec({ type: 'markAbsent', entryId: dialog.entry.id })}
      />
      <ReasonDialog
        open={dialog.kind === 'cancel'}
        optional
        danger
        title={dialog.kind === 'cancel' ? t('dash.cancelTitle', { ticket: dialog.entry.ticket }) : ''}
        description={t('dash.cancelBody')}
        confirmLabel={t('dash.actions.cancel')}
        busy={run.isPending}
        onClose={() => setDialog({ kind: 'none' })}
        onSubmit={(reason) =>
          dialog.kind === 'cancel' &&
          exec({ type: 'cancel', entryId: dialog.entry.id, reason: reason || null })
        }
      />
      <MoveDialog
        state={dialog}
        busy={run.isPending}
        onClose={() => setDialog({ kind: 'none' })}
        onMove={(entryId, toPosition, reason) => exec({ type: 'move', entryId, toPosition, reason })}
        onPriority={(entryId, priority, reason) => exec({ type: 'setPriority', entryId, priority, reason })}
      />
      <Dialog
        open={dialog.kind === 'endDay'}
        title={t('dash.endDayTitle')}
        description={t('dash.endDayBody')}
        confirmLabel={t('dash.endDay')}
        confirmVariant="danger"
        busy={run.isPending}
        onClose={() => setDialog({ kind: 'none' })}
        onConfirm={() => exec({ type: 'endDay' }, () => setDialog({ kind: 'summary' }))}
      />
      <Dialog
        open={dialog.kind === 'summary'}
        title={t('dash.summaryTitle')}
        confirmLabel={t('common.close')}
        onClose={() => setDialog({ kind: 'none' })}
        onConfirm={() => setDialog({ kind: 'none' })}
      >
        {view.queue.summary && (
          <dl className="grid grid-cols-2 gap-3" data-testid="day-summary">
            {(
              [
                ['served', String(view.queue.summary.served)],
                ['noShows', String(view.queue.summary.noShows)],
                [
                  'avgWait',
                  view.queue.summary.averageWaitMinutes === null
                    ? '—'
                    : t('dash.minutes', { m: Math.round(view.queue.summary.averageWaitMinutes) }),
                ],
                [
                  'p90Wait',
                  view.queue.summary.p90WaitMinutes === null
                    ? '—'
                    : t('dash.minutes', { m: Math.round(view.queue.summary.p90WaitMinutes) }),
                ],
              ] as const
            ).map(([k, v]) => (
              <div key={k} className="rounded-xl bg-slate-50 p-3">
                <dt className="text-sm text-muted">{t(`dash.${k}`)}</dt>
                <dd className="tabular text-2xl font-bold">{v}</dd>
              </div>
            ))}
          </dl>
        )}
      </Dialog>
      <Dialog
        open={dialog.kind === 'help'}
        title={t('dash.shortcuts')}
        description={t('dash.shortcutList')}
        confirmLabel={t('common.close')}
        onClose={() => setDialog({ kind: 'none' })}
        onConfirm={() => setDialog({ kind: 'none' })}
      />
    </div>
  );
}

function RowActions({
  entry: e,
  closed,
  busy,
  isNext,
  onCmd,
  onDialog,
  deskMember,
}: {
  entry: QueueEntryView;
  closed: boolean;
  busy: boolean;
  /** The entry "call next" would call for this desk: calling it is in order and needs no reason. */
  isNext: boolean;
  onCmd: (c: QueueCommand) => void;
  onDialog: (d: DialogState) => void;
  deskMember: { id: string; room: string | null } | null;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const allowed = allowedActions(e, closed);
  if (allowed.primary.length === 0 && allowed.more.length === 0) return null;
  const run: Record<RowAction, () => void> = {
    checkIn: () => onCmd({ type: 'checkIn', entryId: e.id }),
    call: () =>
      isNext && deskMember
        ? onCmd({ type: 'callNext', practitionerId: deskMember.id, room: deskMember.room })
        : onDialog({ kind: 'callSpecific', entry: e }),
    absent: () => onDialog({ kind: 'absent', entry: e }),
    move: () => onDialog({ kind: 'move', entry: e }),
    priority: () => onDialog({ kind: 'priority', entry: e }),
    cancel: () => onDialog({ kind: 'cancel', entry: e }),
    start: () => onCmd({ type: 'start', entryId: e.id }),
    finish: () => onCmd({ type: 'finish', entryId: e.id }),
    return: () => onCmd({ type: 'returnFromAbsence', entryId: e.id }),
    reactivate: () => onCmd({ type: 'reactivate', entryId: e.id }),
  };
  const label = (a: RowAction) => t(`dash.actions.${a}`);
  const primary = allowed.primary.map((a, i) => (
    <Button
      key={a}
      size="sm"
      variant={a === 'absent' ? 'warn' : i === 0 && a !== 'reactivate' ? 'primary' : 'secondary'}
      disabled={busy}
      onClick={run[a]}
      aria-label={`${label(a)} ${e.ticket}`}
    >
      {label(a)}
    </Button>
  ));
  const more: [string, () => void][] = allowed.more.map((a) => [label(a), run[a]]);
  return (
    <div className="relative flex flex-wrap justify-end gap-1.5">
      {primary}
      {more.length > 0 && (
        <>
          <Button
            size="sm"
            variant="ghost"
            aria-haspopup="menu"
            aria-expanded={open}
            aria-label={t('dash.actions.more', { ticket: e.ticket })}
            onClick={() => setOpen((o) => !o)}
          >
            ⋯
          </Button>
          {open && (
            <ul
              role="menu"
              className="absolute end-0 top-full z-20 mt-1 min-w-44 rounded-xl border border-line bg-white p-1 shadow-lg"
              onKeyDown={(ev) => ev.key === 'Escape' && setOpen(false)}
            >
              {more.map(([label, fn]) => (
                <li key={label} role="none">
                  <button
                    type="button"
                    role="menuitem"
                    className="w-full rounded-lg px-3 py-2 text-start text-sm hover:bg-brand-50"
                    onClick={() => {
                      setOpen(false);
                      fn();
                    }}
                  >
                    {label}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

function ReasonDialog({
  open,
  title,
  description,
  confirmLabel,
  busy,
  onClose,
  onSubmit,
  optional,
  danger,
}: {
  open: boolean;
  title: string;
  description: string;
  confirmLabel: string;
  busy: boolean;
  onClose: () => void;
  onSubmit: (reason: string) => void;
  optional?: boolean;
  danger?: boolean;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  useEffect(() => {
    if (open) setReason('');
  }, [open]);
  return (
    <Dialog
      dismissLabel={danger ? t('common.close') : undefined}

      open={open}
      title={title}
      description={description}
      confirmLabel={confirmLabel}
      confirmVariant={danger ? 'danger' : 'primary'}
      busy={busy}
      onClose={onClose}
      onConfirm={() => onSubmit(reason.trim())}
    >
      <TextField label={t('dash.reason')} required={!optional} autoFocus value={reason} onValue={setReason} />
    </Dialog>
  );
}

function MoveDialog({
  state,
  busy,
  onClose,
  onMove,
  onPriority,
}: {
  state: DialogState;
  busy: boolean;
  onClose: () => void;
  onMove: (entryId: string, to: number, reason: string) => void;
  onPriority: (entryId: string, p: 'normal' | 'urgent' | 'emergency', reason: string) => void;
}) {
  const { t } = useTranslation();
  const [pos, setPos] = useState('1');
  const [prio, setPrio] = useState<'normal' | 'urgent' | 'emergency'>('normal');
  const [reason, setReason] = useState('');
  const entry = state.kind === 'move' || state.kind === 'priority' ? state.entry : null;
  useEffect(() => {
    if (entry) {
      setPos(String(entry.position ?? 1));
      setPrio(entry.priority);
      setReason('');
    }
  }, [entry]);
  const isMove = state.kind === 'move';
  return (
    <Dialog
      open={!!entry}
      title={entry ? t(isMove ? 'dash.moveTitle' : 'dash.priorityTitle', { ticket: entry.ticket }) : ''}
      confirmLabel={t('common.save')}
      busy={busy}
      onClose={onClose}
      onConfirm={() =>
        entry &&
        (isMove
          ? onMove(entry.id, Math.max(1, Number(pos) || 1), reason.trim())
          : onPriority(entry.id, prio, reason.trim()))
      }
    >
      {isMove ? (
        <TextField
          label={t('dash.newPosition')}
          type="number"
          min={1}
          required
          value={pos}
          onValue={setPos}
        />
      ) : (
        <Field label={t('dash.actions.priority')}>
          {(id) => (
            <Select id={id} value={prio} onChange={(e) => setPrio(e.target.value as typeof prio)}>
              {(['normal', 'urgent', 'emergency'] as const).map((p) => (
                <option key={p} value={p}>
                  {t(`priority.${p}`)}
                </option>
              ))}
            </Select>
          )}
        </Field>
      )}
      <TextField label={t('dash.reason')} required value={reason} onValue={setReason} />
    </Dialog>
  );
}

function PatientFormDialog({
  open,
  emergency,
  practitioners,
  types,
  busy,
  onClose,
  onSubmit,
}: {
  open: boolean;
  emergency: boolean;
  practitioners: readonly { id: string; displayName: string }[];
  types: readonly { id: string; name: string; durationMinutes: number }[];
  busy: boolean;
  onClose: () => void;
  onSubmit: (v: {
    name: string;
    phone: string;
    practitionerId: string | null;
    typeId: string | null;
    reason: string;
    urgent: boolean;
  }) => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [pr, setPr] = useState('any');
  const [type, setType] = useState('any');
  const [reason, setReason] = useState('');
  const [urgent, setUrgent] = useState(false);
  useEffect(() => {
    if (open) {
      setName('');
      setPhone('');
      setReason('');
      setUrgent(false);
    }
  }, [open]);
  return (
    <Dialog
      open={open}
      title={t(emergency ? 'dash.emergencyTitle' : 'dash.walkInTitle')}
      {...(emergency ? { description: t('dash.emergencyBody') } : {})}
      confirmLabel={t('dash.add')}
      confirmVariant={emergency ? 'danger' : 'primary'}
      busy={busy}
      onClose={onClose}
      onConfirm={() =>
        onSubmit({
          name: name.trim(),
          phone: phone.trim(),
          practitionerId: pr === 'any' ? null : pr,
          typeId: type === 'any' ? null : type,
          reason: reason.trim(),
          urgent,
        })
      }
    >
      <TextField
        label={t('dash.name')}
        required
        autoFocus
        autoComplete="off"
        value={name}
        onValue={setName}
      />
      <TextField
        label={t('dash.phone')}
        type="tel"
        dir="ltr"
        inputMode="tel"
        value={phone}
        onValue={setPhone}
      />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label={t('dash.practitioner')}>
          {(id) => (
            <Select id={id} value={pr} onChange={(e) => setPr(e.target.value)}>
              <option value="any">{t('dash.anyPractitioner')}</option>
              {practitioners.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.displayName}
                </option>
              ))}
            </Select>
          )}
        </Field>
        {!emergency && (
          <Field label={t('dash.type')}>
            {(id) => (
              <Select id={id} value={type} onChange={(e) => setType(e.target.value)}>
                <option value="any">{t('dash.anyType')}</option>
                {types.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name} · {t('dash.minutes', { m: x.durationMinutes })}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        )}
      </div>
      {emergency ? (
        <TextField label={t('dash.reason')} required value={reason} onValue={setReason} />
      ) : (
        <label className="flex items-center gap-2 text-sm font-semibold">
          <input
            type="checkbox"
            className="size-5 accent-amber-600"
            checked={urgent}
            onChange={(e) => setUrgent(e.target.checked)}
          />
          {t('priority.urgent')}
        </label>
      )}
    </Dialog>
  );
}
