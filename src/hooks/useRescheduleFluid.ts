/**
 * Moves the signed-in patient's fluid visit to another day's line (issue 17; BookingService.rescheduleFluid → the
 * database's reschedule_fluid_place: one operation). My visits, the clinic's days and slots and its queue refresh.
 * Its own module: only the "Another day" dialog uses it.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RescheduleFluidInput, RescheduledFluidWithLink } from '../services/appointment/BookingService';
import { unwrap, type AppErrorException } from './AppErrorException';
import { bookingKeys, queueKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export function useRescheduleFluid() {
  const { booking } = useServices();
  const qc = useQueryClient();
  return useMutation<
    RescheduledFluidWithLink,
    AppErrorException,
    RescheduleFluidInput & { readonly clinicId: string }
  >({
    mutationFn: async ({ entryId, day }) => unwrap(await booking.rescheduleFluid({ entryId, day })),
    onSettled: (_d, _e, { clinicId }) => {
      void qc.invalidateQueries({ queryKey: bookingKeys.slotsOfClinic(clinicId) });
      void qc.invalidateQueries({ queryKey: bookingKeys.myVisits() });
      void qc.invalidateQueries({ queryKey: queueKeys.clinic(clinicId) });
    },
  });
}
