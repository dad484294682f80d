/**
 * The staff's "Bookings" list of a day (issue 17): the day's booked visits (QueueService.dayBookings →
 * get_queue, the clinic's staff only) and cancelling one with a reason (BookingService.cancel →
 * cancel_appointment: staff of the clinic at any time, the patient told by SMS). Only the lazy Bookings view
 * imports this file, so the dashboard's first render does not carry it. Invalidates through the key factories:
 * the clinic's queue views (the list itself is under them), free slots and fluid days, My visits.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DayBooking, DayBookings } from '../services/queue/dayBookings';
import { unwrap, type AppErrorException } from './AppErrorException';
import { bookingKeys, queueKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export type { DayBooking, DayBookings };

export function useDayBookings(clinicId: string, day: string | null) {
  const { queue } = useServices();
  return useQuery<DayBookings, AppErrorException>({
    queryKey: queueKeys.bookings(clinicId, day ?? ''),
    queryFn: async () => unwrap(await queue.dayBookings(clinicId, day ?? '')),
    enabled: day !== null,
  });
}

export function useCancelBooking(clinicId: string) {
  const { booking } = useServices();
  const qc = useQueryClient();
  return useMutation<
    { entryId: string; status: 'cancelled' },
    AppErrorException,
    { entryId: string; reason: string }
  >({
    mutationFn: async ({ entryId, reason }) => unwrap(await booking.cancel(entryId, reason)),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: queueKeys.clinic(clinicId) });
      void qc.invalidateQueries({ queryKey: bookingKeys.slotsOfClinic(clinicId) });
      void qc.invalidateQueries({ queryKey: bookingKeys.myVisits() });
    },
  });
}
