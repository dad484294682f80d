/**
 * The waiting-room kiosk's hooks (kiosk17), loaded with the kiosk page only: check-in by the paired tablet's
 * device token, the clinic it opens, and the staff side (pair, list, unpair).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  KioskCheckIn,
  KioskDevice,
  KioskPairing,
  PairedKiosk,
} from '../services/appointment/repositories/BookingRepository';
import { unwrap, type AppErrorException } from './AppErrorException';
import { bookingKeys } from './queryKeys';
import { useServices } from './ServicesContext';

/**
 * The kiosk (entrance tablet, its paired device token — no staff session; kiosk17): check in with the ticket and
 * the last 4 digits of the patient's phone. The database finds the one visit and checks it in; nothing else about
 * the clinic's patients reaches the tablet.
 */
export function useKioskCheckIn(kioskToken: string) {
  const { booking } = useServices();
  return useMutation<KioskCheckIn, AppErrorException, { ticket: string; phoneLast4: string }>({
    mutationFn: async ({ ticket, phoneLast4 }) =>
      unwrap(await booking.kioskCheckIn(kioskToken, ticket, phoneLast4)),
  });
}

/** The clinic this tablet's kiosk token opens; KIOSK.NOT_PAIRED once a staff member revoked it. */
export function useKioskDevice(kioskToken: string) {
  const { booking } = useServices();
  return useQuery<KioskDevice, AppErrorException>({
    queryKey: bookingKeys.kiosk(kioskToken),
    queryFn: async () => unwrap(await booking.kiosk(kioskToken)),
    retry: false,
    staleTime: 60_000,
  });
}

/** Staff: the clinic's paired kiosks, pairing this device, revoking one. */
export function useKioskPairing(clinicId: string) {
  const { booking } = useServices();
  const qc = useQueryClient();
  const list = useQuery<readonly PairedKiosk[], AppErrorException>({
    queryKey: bookingKeys.kiosks(clinicId),
    queryFn: async () => unwrap(await booking.kiosks(clinicId)),
  });
  const pair = useMutation<KioskPairing, AppErrorException, string>({
    mutationFn: async (label) => unwrap(await booking.pairKiosk(clinicId, label)),
    onSettled: () => void qc.invalidateQueries({ queryKey: bookingKeys.kiosks(clinicId) }),
  });
  const revoke = useMutation<{ readonly id: string }, AppErrorException, string>({
    mutationFn: async (deviceId) => unwrap(await booking.revokeKiosk(deviceId)),
    onSettled: () => void qc.invalidateQueries({ queryKey: bookingKeys.kiosks(clinicId) }),
  });
  return { list, pair, revoke };
}
