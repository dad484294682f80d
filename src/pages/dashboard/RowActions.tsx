/**
 * A queue row's actions: which ones comes from the domain (allowedActions), not from a switch here. The ⋯ menu
 * is Radix's DropdownMenu (issue 15.16): Escape and a click outside close it, opening another closes it, arrows
 * and typeahead move between items, focus goes back to ⋯ — and it follows the page's direction (ar: rtl).
 */
import * as Menu from '@radix-ui/react-dropdown-menu';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui';
import type { QueueEntryView } from '../../hooks/useQueue';
import type { QueueCommand } from '../../hooks/useQueue';
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
  return (
    <div className="relative flex flex-wrap justify-end gap-1.5">
      {primary}
      {more.length > 0 && (
        <Menu.Root modal={false} dir={i18n.dir()}>
          <Menu.Trigger asChild>
            <Button size="sm" variant="ghost" aria-label={t('dash.actions.more', { ticket: e.ticket })}>
              ⋯
            </Button>
          </Menu.Trigger>
          <Menu.Portal>
            <Menu.Content
              align="end"
              sideOffset={4}
              collisionPadding={8}
              className="z-20 min-w-44 rounded-xl border border-line bg-white p-1 shadow-lg"
            >
              {more.map(([label, fn]) => (
                <Menu.Item
                  key={label}
                  className="w-full cursor-pointer rounded-lg px-3 py-2 text-start text-sm outline-none hover:bg-brand-50 data-[highlighted]:bg-brand-50"
                  onSelect={fn}
                >
                  {label}
                </Menu.Item>
              ))}
            </Menu.Content>
          </Menu.Portal>
        </Menu.Root>
      )}
    </div>
  );
}
