/**
 * Booking hooks (patients, and staff booking for a patient): free slots, book, cancel (optimistic, rolled
 * back on error), check in, running late, my visits. (A visit followed by its tracking link is the light
 * tracker's: useTrackedVisit in usePublicScreens.ts.)
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  BookFluidInput,
  BookInput,
  BookingWithLink,
  FluidBookingWithLink,
  FreeSlotsInput,
  NotificationPreferencesInput,
  RescheduledWithLink,
  RescheduleInput,
  RescheduleFluidInput,
  RescheduledFluidWithLink,
  StaffBookInput,
} from '../services/appointment/BookingService';
import type {
  FluidDay,
  FreeSlot,
  KioskCheckIn,
  MyNotificationPreferences,
  MyPatientName,
  NotificationPreferences,
  MyVisit,
  VisitStatus,
} from '../services/appointment/repositories/BookingRepository';
import type { AppServices } from '../services/composition/AppServices';
import { unwrap, type AppErrorException } from './AppErrorException';
import { bookingKeys, queueKeys } from './queryKeys';
import { useServices } from './ServicesContext';

import type { PublicClinic } from '../services/appointment/repositories/PublicClinicRepository';

export type {
  BookingWithLink,
  FluidBookingWithLink,
  FluidDay,
  FreeSlot,
  KioskCheckIn,
  MyVisit,
  PublicClinic,
  RescheduledWithLink,
  VisitStatus,
};

/** A clinic's public page by slug or id: visit types, weekly hours, doctors, booking rules. */
export const publicClinicQuery = (services: AppServices, slugOrId: string | null | undefined) =>
  queryOptions<PublicClinic, AppErrorException>({
    queryKey: bookingKeys.publicClinic(slugOrId ?? ''),
    queryFn: async () => unwrap(await services.booking.publicClinic(slugOrId ?? '')),
    enabled: Boolean(slugOrId),
    staleTime: 60_000,
  });
export function usePublicClinic(slugOrId: string | null | undefined) {
  return useQuery(publicClinicQuery(useServices(), slugOrId));
}

export const freeSlotsQuery = (services: AppServices, input: FreeSlotsInput | null) =>
  queryOptions<readonly FreeSlot[], AppErrorException>({
    queryKey: bookingKeys.slots(
      input?.clinicId ?? '',
      input?.from ?? '',
      input?.to ?? null,
      input?.appointmentTypeId ?? null,
      input?.practitionerId ?? null,
    ),
    queryFn: async () => unwrap(await services.booking.freeSlots(input as FreeSlotsInput)),
    enabled: input !== null,
  });
export function useFreeSlots(input: FreeSlotsInput | null) {
  return useQuery(freeSlotsQuery(useServices(), input));
}

/** A fluid visit type's days with the places left in their line (issue 17, F1–F2). */
export const fluidDaysQuery = (services: AppServices, input: FreeSlotsInput | null) =>
  queryOptions<readonly FluidDay[], AppErrorException>({
    queryKey: bookingKeys.fluidDays(
      input?.clinicId ?? '',
      input?.from ?? '',
      input?.to ?? null,
      input?.appointmentTypeId ?? null,
      input?.practitionerId ?? null,
    ),
    queryFn: async () => unwrap(await services.booking.fluidDays(input as FreeSlotsInput)),
    enabled: input !== null,
  });
export function useFluidDays(input: FreeSlotsInput | null) {
  return useQuery(fluidDaysQuery(useServices(), input));
}

export const myVisitsQuery = (services: AppServices, enabled = true) =>
  queryOptions<readonly MyVisit[], AppErrorException>({
    queryKey: bookingKeys.myVisits(),
    queryFn: async () => unwrap(await services.booking.myVisits()),
    enabled,
  });
export function useMyVisits(enabled = true) {
  return useQuery(myVisitsQuery(useServices(), enabled));
}

/** The signed-in patient's own name for this clinic's booking form (a returning patient's is filled). */
export function useMyPatientName(clinicId: string, enabled: boolean) {
  const { booking } = useServices();
  return useQuery<MyPatientName, AppErrorException>({
    queryKey: bookingKeys.myName(clinicId),
    queryFn: async () => unwrap(await booking.myPatientName(clinicId)),
    enabled,
  });
}

/** The signed-in patient's own channel (SMS / email) and address in this clinic (issue 20). */
export function useMyNotificationPreferences(clinicId: string, enabled: boolean) {
  const { booking } = useServices();
  return useQuery<MyNotificationPreferences, AppErrorException>({
    queryKey: bookingKeys.myPrefs(clinicId),
    queryFn: async () => unwrap(await booking.myNotificationPreferences(clinicId)),
    enabled,
  });
}

/** What the form says on the field before booking ('email_required' | 'email_invalid'), or null. */
export function useNotificationPreferencesProblem() {
  const { booking } = useServices();
  return (prefs: NotificationPreferencesInput) => booking.notificationPreferencesProblem(prefs);
}

/** Sets them (the server routes every message by them). */
export function useSetMyNotificationPreferences() {
  const { booking } = useServices();
  const qc = useQueryClient();
  return useMutation<
    NotificationPreferences,
    AppErrorException,
    { clinicId: string; prefs: NotificationPreferencesInput }
  >({
    mutationFn: async ({ clinicId, prefs }) =>
      unwrap(await booking.setMyNotificationPreferences(clinicId, prefs)),
    onSettled: (_d, _e, { clinicId }) =>
      void qc.invalidateQueries({ queryKey: bookingKeys.myPrefs(clinicId) }),
  });
}

/** The booking mutations; each invalidates through the key factories. */
export function useBooking() {
  const { booking } = useServices();
  const qc = useQueryClient();
  const afterBooking = (clinicId: string) => {
    void qc.invalidateQueries({ queryKey: bookingKeys.slotsOfClinic(clinicId) });
    void qc.invalidateQueries({ queryKey: bookingKeys.myVisits() });
    void qc.invalidateQueries({ queryKey: queueKeys.clinic(clinicId) });
  };
  const book = useMutation<BookingWithLink, AppErrorException, BookInput>({
    mutationFn: async (input) => unwrap(await booking.book(input)),
    onSettled: (_d, _e, input) => {
      afterBooking(input.clinicId);
      void qc.invalidateQueries({ queryKey: bookingKeys.myName(input.clinicId) });
    },
  });
  const bookFluid = useMutation<FluidBookingWithLink, AppErrorException, BookFluidInput>({
    mutationFn: async (input) => unwrap(await booking.bookFluid(input)),
    onSettled: (_d, _e, input) => {
      afterBooking(input.clinicId);
      void qc.invalidateQueries({ queryKey: bookingKeys.myName(input.clinicId) });
    },
  });
  const staffBook = useMutation<BookingWithLink, AppErrorException, StaffBookInput>({
    mutationFn: async (input) => unwrap(await booking.staffBook(input)),
    onSettled: (_d, _e, input) => afterBooking(input.clinicId),
  });
  const cancel = useMutation<
    { entryId: string; status: 'cancelled' },
    AppErrorException,
    { entryId: string; reason?: string | null },
    { previous: readonly MyVisit[] | undefined }
  >({
    mutationFn: async ({ entryId, reason }) => unwrap(await booking.cancel(entryId, reason ?? null)),
    onMutate: async ({ entryId }) => {
      await qc.cancelQueries({ queryKey: bookingKeys.myVisits() });
      const previous = qc.getQueryData<readonly MyVisit[]>(bookingKeys.myVisits());
      if (previous)
        qc.setQueryData<readonly MyVisit[]>(
          bookingKeys.myVisits(),
          previous.map((v) => (v.entryId === entryId ? { ...v, status: 'cancelled' } : v)),
        );
      return { previous };
    },
    onError: (_e, _i, ctx) => {
      if (ctx?.previous) qc.setQueryData(bookingKeys.myVisits(), ctx.previous);
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: bookingKeys.all });
    },
  });
  /** Moves the patient's visit (one operation); My visits, the clinic's free slots and its queue refresh. */
  const reschedule = useMutation<
    RescheduledWithLink,
    AppErrorException,
    RescheduleInput & { readonly clinicId: string }
  >({
    mutationFn: async ({ entryId, slotStart }) => unwrap(await booking.reschedule({ entryId, slotStart })),
    onSettled: (_d, _e, input) => afterBooking(input.clinicId),
  });
  /** Moves the patient's fluid visit to another day's line (one operation); the same queries refresh. */
  const rescheduleFluid = useMutation<
    RescheduledFluidWithLink,
    AppErrorException,
    RescheduleFluidInput & { readonly clinicId: string }
  >({
    mutationFn: async ({ entryId, day }) => unwrap(await booking.rescheduleFluid({ entryId, day })),
    onSettled: (_d, _e, input) => afterBooking(input.clinicId),
  });
  const checkIn = useMutation<{ entryId: string; status: 'waiting' }, AppErrorException, { entryId: string }>(
    {
      mutationFn: async ({ entryId }) => unwrap(await booking.checkIn(entryId)),
      onSettled: () => void qc.invalidateQueries({ queryKey: bookingKeys.all }),
    },
  );
  const runningLate = useMutation<
    { entryId: string },
    AppErrorException,
    { entryId: string } | { trackingToken: string }
  >({
    mutationFn: async (ref) => unwrap(await booking.runningLate(ref)),
    onSettled: () => void qc.invalidateQueries({ queryKey: bookingKeys.all }),
  });
  return { book, bookFluid, staffBook, cancel, reschedule, rescheduleFluid, checkIn, runningLate };
}
