/**
 * The patient's own name at a clinic (issue 12): the correction from My visits' "Your name at {clinic}" card.
 * Its own module so that only that lazy card carries it (My visits' first render is at its size budget).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { MyName } from '../services/appointment/repositories/BookingRepository';
import { unwrap, type AppErrorException } from './AppErrorException';
import { bookingKeys } from './queryKeys';
import { useServices } from './ServicesContext';

/** Corrects the signed-in patient's name on their record at `clinicId` (3 own renames a clinic day). */
export function useSetMyName() {
  const { booking } = useServices();
  const qc = useQueryClient();
  return useMutation<MyName, AppErrorException, { clinicId: string; fullName: string }>({
    mutationFn: async ({ clinicId, fullName }) => unwrap(await booking.setMyName(clinicId, fullName)),
    onSettled: (_d, _e, { clinicId }) =>
      void qc.invalidateQueries({ queryKey: bookingKeys.myName(clinicId) }),
  });
}
