/**
 * A queue row's actions: which ones comes from the domain (allowedActions), not from a switch here. The ⋯ menu
 * is Radix's DropdownMenu (RowMenu.tsx), loaded with the desk's lazy DeskRecords chunk right after the first
 * render (issue 14: the dashboard's size budget); until it is there, ⋯ shows but is not usable yet.
 */
import { lazy, Suspense } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Button } from '../../components/ui';
import type { QueueEntryView } from '../../hooks/useQueue';
import type { QueueCommand } from '../../hooks/useQueue';
import { allowedActions, type RowAction } from '../../services/queue/api';
import type { DialogState } from './types';

// the same module as the dashboard's DeskRecords: one lazy chunk, no new split (session 8's DeskDialogs lesson)
const RowMenu = lazy(() => import('./DeskRecords').then((m) => ({ default: m.RowMenu })));

export function RowActions({
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
  const { t, i18n } = useTranslation();
  const allowed = allowedActions(e, closed);
  // the patient's record (a logged read: the patient can see who opened it)
  const record: [string, () => void][] = e.patientId
    ? [[t('dash.record'), () => onDialog({ kind: 'record', entry: e })]]
    : [];
  // staff-only notes on this visit (issue 17)
  record.push([t('dash.notes'), () => onDialog({ kind: 'notes', entry: e })]);
  if (allowed.primary.length === 0 && allowed.more.length === 0 && record.length === 0) return null;
  const run: Record<RowAction, () => void> = {
    checkIn: () => onCmd({ type: 'checkIn', entryId: e.id }),
    call: () =>
      isNext && deskMember
        ? onCmd({ type: 'callNext', practitionerId: deskMember.id, room: deskMember.room })
        : onDialog({ kind: 'callSpecific', entry: e }),
    absent: () => onDialog({ kind: 'absent', entry: e }),
    move: () => onDialog({ kind: 'move', entry: e }),
    transfer: () => onDialog({ kind: 'transfer', entry: e }),
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
  const more: [string, () => void][] = [
    ...allowed.more.map((a): [string, () => void] => [label(a), run[a]]),
    ...record,
  ];
  const moreLabel = t('dash.actions.more', { ticket: e.ticket });
  return (
    <div className="relative flex flex-wrap justify-end gap-1.5">
      {primary}
      {more.length > 0 && (
        <Suspense
          fallback={
            <Button size="sm" variant="ghost" aria-label={moreLabel} disabled>
              ⋯
            </Button>
          }
        >
          <RowMenu id={e.id} label={moreLabel} dir={i18n.dir()} items={more} />
        </Suspense>
      )}
    </div>
  );
}
