/**
 * The staff dashboard's single command runner: one react-query mutation that dispatches every queue
 * command to QueueService (so the desk shows one "busy" state and one toast per step). On success the
 * cache holds the saved view at once; other screens get it by realtime. `useQueueService` offers the same
 * commands as one mutation each, with optimistic updates.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap } from './AppErrorException';
import { queueKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export type QueueCommand =
  | { type: 'callNext'; practitionerId: string | null; room: string | null }
  | {
      type: 'callSpecific';
      entryId: string;
      practitionerId: string | null;
      room: string | null;
      reason: string;
    }
  | {
      type: 'start' | 'finish' | 'markAbsent' | 'returnFromAbsence' | 'checkIn' | 'reactivate';
      entryId: string;
    }
  | { type: 'cancel'; entryId: string; reason: string | null }
  | { type: 'move'; entryId: string; toPosition: number; reason: string }
  | { type: 'transfer'; entryId: string; practitionerId: string | null; reason: string }
  | { type: 'setPriority'; entryId: string; priority: 'normal' | 'urgent' | 'emergency'; reason: string }
  | {
      type: 'addWalkIn';
      patientName: string;
      phone: string | null;
      practitionerId: string | null;
      appointmentTypeId: string | null;
      priority: 'normal' | 'urgent';
    }
  | {
      type: 'emergency';
      patientName: string;
      phone: string | null;
      practitionerId: string | null;
      reason: string;
    }
  | { type: 'endDay' }
  | { type: 'sweep' };

/** Runs one queue command; on success the cache holds the new view at once (others get it by realtime). */
export function useQueueCommand(clinicId: string) {
  const { queue } = useServices();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (cmd: QueueCommand) => runCommand(cmd),
    onSuccess: (result) => {
      qc.setQueryData(queueKeys.day(clinicId), result.view);
    },
    onSettled: () => void qc.invalidateQueries({ queryKey: queueKeys.clinic(clinicId) }),
  });

  async function runCommand(cmd: QueueCommand) {
    const c = clinicId;
    switch (cmd.type) {
      case 'callNext':
        return unwrap(await queue.callNext(c, { practitionerId: cmd.practitionerId, room: cmd.room }));
      case 'callSpecific':
        return unwrap(
          await queue.callSpecific(c, {
            entryId: cmd.entryId,
            practitionerId: cmd.practitionerId,
            room: cmd.room,
            reason: cmd.reason,
          }),
        );
      case 'start':
        return unwrap(await queue.start(c, { entryId: cmd.entryId }));
      case 'finish':
        return unwrap(await queue.finish(c, { entryId: cmd.entryId }));
      case 'markAbsent':
        return unwrap(await queue.markAbsent(c, { entryId: cmd.entryId }));
      case 'returnFromAbsence':
        return unwrap(await queue.returnFromAbsence(c, { entryId: cmd.entryId }));
      case 'checkIn':
        return unwrap(await queue.checkIn(c, { entryId: cmd.entryId }));
      case 'reactivate':
        return unwrap(await queue.reactivate(c, { entryId: cmd.entryId }));
      case 'cancel':
        return unwrap(await queue.cancel(c, { entryId: cmd.entryId, reason: cmd.reason }));
      case 'move':
        return unwrap(
          await queue.move(c, { entryId: cmd.entryId, toPosition: cmd.toPosition, reason: cmd.reason }),
        );
      case 'transfer':
        return unwrap(
          await queue.transfer(c, {
            entryId: cmd.entryId,
            practitionerId: cmd.practitionerId,
            reason: cmd.reason,
          }),
        );
      case 'setPriority':
        return unwrap(
          await queue.setPriority(c, { entryId: cmd.entryId, priority: cmd.priority, reason: cmd.reason }),
        );
      case 'addWalkIn':
        return unwrap(
          await queue.addWalkIn(c, {
            patientName: cmd.patientName,
            phone: cmd.phone,
            practitionerId: cmd.practitionerId,
            appointmentTypeId: cmd.appointmentTypeId,
            priority: cmd.priority,
          }),
        );
      case 'emergency':
        return unwrap(
          await queue.insertEmergency(c, {
            patientName: cmd.patientName,
            phone: cmd.phone,
            practitionerId: cmd.practitionerId,
            reason: cmd.reason,
          }),
        );
      case 'endDay':
        return unwrap(await queue.endDay(c, {}));
      case 'sweep':
        return unwrap(await queue.sweep(c));
    }
  }
}
