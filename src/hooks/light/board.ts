/**
 * The waiting-room board's hooks on the light port (and the tracker's visit type). Replaced by engineer
 * `perf`'s narrow zod-validated port; every other screen uses the one hook family (src/hooks).
 */
import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useLightBackend as useBackend } from './lightBackend';
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
