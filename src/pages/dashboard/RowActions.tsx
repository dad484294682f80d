/** A queue row's actions: which ones comes from the domain (allowedActions), not from a switch here. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui';
import type { QueueEntryView } from '../../hooks/useQueue';
import type { QueueCommand } from '../../hooks/useQueueCommand';
import { allowedActions, type RowAction } from '../../services/queue/api';
import type { DialogState } from './types';

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
