/**
 * Pause / reopen of the day (issue 17): pause or resume one doctor's calling, close or reopen today's intake
 * of walk-ins and online joins. One mutation; on success the cache holds the new view at once (other screens
 * get it by realtime: the queue's version moved).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap } from './AppErrorException';
import { queueKeys } from './queryKeys';
import { useServices } from './ServicesContext';
import { putSavedView } from './useQueue';

export type DayControl =
  | { type: 'pauseDesk' | 'resumeDesk'; practitionerId: string; reason: string | null }
  | { type: 'closeIntake' | 'reopenIntake'; reason: string | null };

export function useDayControls(clinicId: string) {
  const { queue } = useServices();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (c: DayControl) => {
      switch (c.type) {
        case 'pauseDesk':
          return unwrap(
            await queue.pauseDesk(clinicId, { practitionerId: c.practitionerId, reason: c.reason }),
          );
        case 'resumeDesk':
          return unwrap(
            await queue.resumeDesk(clinicId, { practitionerId: c.practitionerId, reason: c.reason }),
          );
        case 'closeIntake':
          return unwrap(await queue.closeIntake(clinicId, { reason: c.reason }));
        case 'reopenIntake':
          return unwrap(await queue.reopenIntake(clinicId, { reason: c.reason }));
      }
    },
    // the answer is the saved day: shown as is, no re-read; a refusal re-reads (the day may have moved on)
    onSuccess: (view) => putSavedView(qc, clinicId, view),
    onError: () => void qc.invalidateQueries({ queryKey: queueKeys.clinic(clinicId) }),
  });
}
