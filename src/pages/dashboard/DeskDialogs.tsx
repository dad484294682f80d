/** The desk's dialogs: walk-in / emergency, call out of order, absent, cancel, move, priority, end day, help. */
import { useTranslation } from '../../i18n/TranslatorContext';
import { Dialog } from '../../components/Dialog';
import type { QueueView } from '../../hooks/useQueue';
import type { QueueCommand } from '../../hooks/useQueue';
import { MoveDialog, PatientFormDialog, ReasonDialog } from './forms';
import type { DialogState } from './types';

export function DeskDialogs({
  dialog,
  onDialog,
  view,
  practitioners,
  desk,
  busy,
  exec,
}: {
  dialog: DialogState;
  onDialog: (d: DialogState) => void;
  view: QueueView;
  practitioners: readonly { id: string; displayName: string; room: string | null }[];
  desk: { id: string; room: string | null } | null;
  busy: boolean;
  exec: (cmd: QueueCommand, after?: (v: QueueView) => void) => void;
}) {
  const { t } = useTranslation();
  const graceMinutes = view.settings.grace_period_minutes;
  return (
    <>
      <PatientFormDialog
        open={dialog.kind === 'walkIn' || dialog.kind === 'emergency'}
        emergency={dialog.kind === 'emergency'}
        practitioners={practitioners}
        types={view.directory.appointmentTypes.filter((x) => x.active)}
        busy={busy}
        onClose={() => onDialog({ kind: 'none' })}
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
          dialog.kind === 'callSpecific'
            ? t('records.desk.callReasonTitle', { ticket: dialog.entry.ticket })
            : ''
        }
        description={t('records.desk.callReasonBody')}
        confirmLabel={t('dash.actions.call')}
        busy={busy}
        onClose={() => onDialog({ kind: 'none' })}
        onSubmit={(reason) =>
          dialog.kind === 'callSpecific' &&
          exec({
            type: 'callSpecific',
            entryId: dialog.entry.id,
            practitionerId: desk?.id ?? dialog.entry.practitionerId,
            room: desk?.room ?? null,
            reason,
          })
        }
      />
      <Dialog
        open={dialog.kind === 'absent'}
        title={dialog.kind === 'absent' ? t('records.desk.absentTitle', { ticket: dialog.entry.ticket }) : ''}
        description={t('records.desk.absentBody', { minutes: graceMinutes })}
        confirmLabel={t('dash.actions.absent')}
        confirmVariant="danger"
        busy={busy}
        onClose={() => onDialog({ kind: 'none' })}
        onConfirm={() => dialog.kind === 'absent' && exec({ type: 'markAbsent', entryId: dialog.entry.id })}
      />
      <ReasonDialog
        open={dialog.kind === 'cancel'}
        optional
        danger
        title={dialog.kind === 'cancel' ? t('records.desk.cancelTitle', { ticket: dialog.entry.ticket }) : ''}
        description={t('records.desk.cancelBody')}
        confirmLabel={t('dash.actions.cancel')}
        busy={busy}
        onClose={() => onDialog({ kind: 'none' })}
        onSubmit={(reason) =>
          dialog.kind === 'cancel' &&
          exec({ type: 'cancel', entryId: dialog.entry.id, reason: reason || null })
        }
      />
      <MoveDialog
        state={dialog}
        busy={busy}
        onClose={() => onDialog({ kind: 'none' })}
        onMove={(entryId, toPosition, reason) => exec({ type: 'move', entryId, toPosition, reason })}
        onPriority={(entryId, priority, reason) => exec({ type: 'setPriority', entryId, priority, reason })}
      />
      <Dialog
        open={dialog.kind === 'endDay'}
        title={t('records.desk.endDayTitle')}
        description={t('records.desk.endDayBody')}
        confirmLabel={t('dash.endDay')}
        confirmVariant="danger"
        busy={busy}
        onClose={() => onDialog({ kind: 'none' })}
        onConfirm={() => exec({ type: 'endDay' })}
      />
      <Dialog
        open={dialog.kind === 'help'}
        title={t('dash.shortcuts')}
        description={t('records.desk.shortcutList')}
        onClose={() => onDialog({ kind: 'none' })}
      />
    </>
  );
}
