/** Public and patient hooks: clinic page, slots, booking, my visits, the tracker and the board. */
import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useBackend } from './backend';
import { bookingKeys, queueKeys } from '../queryKeys';

export interface PublicClinic {
  id: string;
  slug: string;
  name: string;
  time_zone: string;
  default_language: 'ar' | 'fr' | 'en';
  phone: string | null;
  address: string | null;
  appointment_types: { id: string; name: string; duration_minutes: number }[];
  working_hours: { weekday: number; starts_at: string; ends_at: string }[];
  practitioners: { id: string; display_name: string }[];
  booking: {
    booking_horizon_days: number;
    min_booking_notice_minutes: number;
    min_cancel_notice_minutes: number;
  };
}
export interface FreeSlot {
  start: string;
  end: string;
  remaining: number;
}
export interface Booking {
  entry_id: string;
  ticket: string;
  tracking_token: string;
  slot_start: string;
}
export type VisitStatusName =
  'scheduled' | 'waiting' | 'called' | 'in_service' | 'completed' | 'cancelled' | 'no_show' | 'absent';
export interface VisitStatus {
  entry_id: string;
  clinic: { id: string; name: string; slug: string; default_language: 'ar' | 'fr' | 'en'; time_zone: string };
  day: string;
  ticket: string;
  status: VisitStatusName;
  kind: 'booked' | 'walk_in';
  priority: string;
  slot_start: string | null;
  checked_in_at: string | null;
  called_at: string | null;
  room: string | null;
  grace_ends_at: string | null;
  late: boolean;
  position: number | null;
  /**
   * get_visit_live: the estimate the clinic's dashboard computed for this visit (the one estimator,
   * issue 16), while waiting; absent from get_visit_status.
   */
  estimate?: {
    display:
      | { kind: 'minutes'; minutes: number; low: number; high: number }
      | { kind: 'soon' }
      | { kind: 'unknown' };
  } | null;
  /** "usually accurate to ± N min at this clinic" (null until the clinic has enough days). */
  accuracy_minutes?: number | null;
}
export interface Board {
  clinic: { name: string; default_language: 'ar' | 'fr' | 'en'; time_zone: string };
  day: string;
  version: number;
  now_serving: { ticket: string; room: string | null; name: string | null }[];
  next: { ticket: string; name: string | null }[];
}

/** Re-reads `key` whenever the clinic's queue changes (realtime on the public queue row). */
function useLive(clinicId: string | null | undefined, key: readonly unknown[]) {
  const backend = useBackend();
  const qc = useQueryClient();
  const k = JSON.stringify(key);
  useEffect(() => {
    if (!clinicId) return;
    return backend.watchQueue(
      clinicId,
      () => void qc.invalidateQueries({ queryKey: JSON.parse(k) as unknown[] }),
    );
  }, [backend, qc, clinicId, k]);
}

export function usePublicClinic(slugOrId: string | undefined) {
  const backend = useBackend();
  return useQuery({
    queryKey: bookingKeys.publicClinic(slugOrId ?? ''),
    enabled: !!slugOrId,
    queryFn: () => backend.rpc<PublicClinic>('get_public_clinic', { p_slug: slugOrId }),
    staleTime: 60_000,
  });
}

export function useFreeSlots(clinicId: string | undefined, day: string | null, typeId: string | null) {
  const backend = useBackend();
  return useQuery({
    queryKey: bookingKeys.slots(clinicId ?? '', day ?? '', day, typeId),
    enabled: !!clinicId && !!day,
    queryFn: () =>
      backend.rpc<FreeSlot[]>('get_free_slots', {
        p_clinic_id: clinicId,
        p_from: day,
        p_to: day,
        p_appointment_type_id: typeId,
      }),
  });
}

export function useBookAppointment() {
  const backend = useBackend();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: {
      clinicId: string;
      slotStart: string;
      typeId: string | null;
      practitionerId: string | null;
      fullName: string | null;
      language: string;
    }) =>
      backend.rpc<Booking>('book_appointment', {
        p_clinic_id: v.clinicId,
        p_slot_start: v.slotStart,
        p_appointment_type_id: v.typeId,
        p_practitioner_id: v.practitionerId,
        p_full_name: v.fullName,
        p_language: v.language,
      }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: bookingKeys.all });
    },
  });
}

export interface MyVisit {
  id: string;
  clinic_id: string;
  status: VisitStatusName;
  slot_start: string | null;
  ticket_number: number;
  kind: string;
  checked_in_at: string | null;
}

export function useMyVisits(enabled: boolean) {
  const backend = useBackend();
  return useQuery({
    queryKey: bookingKeys.myVisits(),
    enabled,
    queryFn: () =>
      backend.select<MyVisit>(
        'queue_entries',
        'id,clinic_id,status,slot_start,ticket_number,kind,checked_in_at',
      ),
  });
}

export function useCancelVisit() {
  const backend = useBackend();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (entryId: string) => backend.rpc('cancel_appointment', { p_entry_id: entryId }),
    onSettled: () => void qc.invalidateQueries({ queryKey: bookingKeys.all }),
  });
}

export function usePatientCheckIn() {
  const backend = useBackend();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (entryId: string) => backend.rpc('check_in', { p_entry_id: entryId }),
    onSettled: () => void qc.invalidateQueries({ queryKey: bookingKeys.all }),
  });
}

/** One visit by its private tracking link, live. */
export function useVisitStatus(token: string) {
  const backend = useBackend();
  const key = bookingKeys.visit(token);
  const q = useQuery({
    queryKey: key,
    queryFn: () => backend.rpc<VisitStatus>('get_visit_status', { p_tracking_token: token }),
    retry: 1,
  });
  useLive(q.data?.clinic.id, key);
  return q;
}

export function useRunningLate(token: string) {
  const backend = useBackend();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => backend.rpc('report_running_late', { p_tracking_token: token }),
    onSettled: () => void qc.invalidateQueries({ queryKey: bookingKeys.visit(token) }),
  });
}

/** The waiting-room board of a clinic (by id), live. */
export function useBoard(clinicId: string | undefined) {
  const backend = useBackend();
  const key = [...queueKeys.clinic(clinicId ?? ''), 'board'] as const;
  const q = useQuery({
    queryKey: key,
    enabled: !!clinicId,
    queryFn: () => backend.rpc<Board>('get_waiting_board', { p_clinic_id: clinicId }),
  });
  useLive(clinicId, key);
  return q;
}
