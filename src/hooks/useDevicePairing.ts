/**
 * Staff: pairing the clinic's devices (kiosk17's kiosks, board18's waiting-room board screens), loaded only with the
 * screens that pair them (the unpaired kiosk's staff side, admin → Queue rules → Board screens), not with the
 * paired kiosk's own first render.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  DeviceKind,
  KioskPairing,
  KioskPairingCode,
  PairedKiosk,
} from '../services/appointment/repositories/BookingRepository';
import { unwrap, type AppErrorException } from './AppErrorException';
import { bookingKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export type { PairedKiosk };

/**
 * Staff: the clinic's paired kiosks, pairing this device, revoking one; `kind` 'board': the same for the clinic's
 * waiting-room board screens (board18, admin → Queue rules → Board screens).
 */
export function useKioskPairing(clinicId: string, kind: DeviceKind = 'kiosk') {
  const { booking } = useServices();
  const qc = useQueryClient();
  const key = bookingKeys.kiosks(clinicId, kind);
  const list = useQuery<readonly PairedKiosk[], AppErrorException>({
    queryKey: key,
    queryFn: async () => unwrap(await booking.kiosks(clinicId, kind)),
  });
  const pair = useMutation<KioskPairing, AppErrorException, string>({
    mutationFn: async (label) => unwrap(await booking.pairKiosk(clinicId, label, kind)),
    onSettled: () => void qc.invalidateQueries({ queryKey: key }),
  });
  const revoke = useMutation<{ readonly id: string }, AppErrorException, string>({
    mutationFn: async (deviceId) => unwrap(await booking.revokeKiosk(deviceId, kind)),
    onSettled: () => void qc.invalidateQueries({ queryKey: key }),
  });
  // board20: a board screen's rooms ([] = every room)
  const setRooms = useMutation<
    readonly string[] | null,
    AppErrorException,
    { deviceId: string; rooms: readonly string[] }
  >({
    mutationFn: async ({ deviceId, rooms }) => unwrap(await booking.setBoardRooms(deviceId, rooms)),
    onSettled: () => void qc.invalidateQueries({ queryKey: key }),
  });
  return { list, pair, revoke, setRooms };
}

/** Staff: a short-lived, single-use code to type on the tablet that becomes the kiosk (kiosk17f). */
export function useKioskPairingCode(clinicId: string) {
  const { booking } = useServices();
  return useMutation<KioskPairingCode, AppErrorException, string>({
    mutationFn: async (label) => unwrap(await booking.createKioskPairingCode(clinicId, label)),
  });
}
