/**
 * The desk's "Book a visit" (issue 17): staff book a slot or a day's place for a caller, found or created by
 * phone and name (BookingService.deskBook). Only the lazy booking dialog imports this file, so the dashboard's
 * first render does not carry it. Invalidates through the key factories: the clinic's free slots and fluid
 * days, its queue (a booking for today is in the desk's list) and the desk's patient search.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DeskBookInput, DeskBooking } from '../services/appointment/BookingService';
import { unwrap, type AppErrorException } from './AppErrorException';
import { bookingKeys, queueKeys, reportKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export type { DeskBookInput, DeskBooking };

export function useDeskBook() {
  const { booking } = useServices();
  const qc = useQueryClient();
  return useMutation<DeskBooking, AppErrorException, DeskBookInput>({
    mutationFn: async (input) => unwrap(await booking.deskBook(input)),
    onSettled: (_d, _e, input) => {
      void qc.invalidateQueries({ queryKey: bookingKeys.slotsOfClinic(input.clinicId) });
      void qc.invalidateQueries({ queryKey: queueKeys.clinic(input.clinicId) });
      void qc.invalidateQueries({ queryKey: reportKeys.all });
    },
  });
}
