/**
 * The waiting-room kiosk's hooks (kiosk17), loaded with the kiosk page only: check-in by the paired tablet's
 * device token and the clinic it opens (the staff side — pair, list, unpair — is useDevicePairing.ts).
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import type {
  KioskCheckIn,
  KioskDevice,
  KioskRedeemed,
  KioskTicket,
} from '../services/appointment/repositories/BookingRepository';
import type { LinkedKioskTicket } from '../services/appointment/kiosk';
import { unwrap, type AppErrorException } from './AppErrorException';
import { bookingKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export type { KioskTicket, LinkedKioskTicket };

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

/**
 * How often a kiosk whose settings could not be read asks again by itself (fix21d): nobody refocuses a tablet at
 * the entrance, and without its settings the walk-in button stays hidden.
 */
export const KIOSK_SETTINGS_RETRY_MS = 30_000;

/**
 * The clinic this tablet's kiosk token opens; KIOSK.NOT_PAIRED once a staff member revoked it. Any other failure
 * (network, a busy server) is asked again every KIOSK_SETTINGS_RETRY_MS until it answers; an unpaired token is not
 * (the screen asks for a new pairing then).
 */
export function useKioskDevice(kioskToken: string) {
  const { booking } = useServices();
  return useQuery<KioskDevice, AppErrorException>({
    queryKey: bookingKeys.kiosk(kioskToken),
    queryFn: async () => unwrap(await booking.kiosk(kioskToken)),
    retry: false,
    staleTime: 60_000,
    refetchInterval: (query) =>
      query.state.status === 'error' && query.state.error?.code !== 'KIOSK.NOT_PAIRED'
        ? KIOSK_SETTINGS_RETRY_MS
        : false,
    refetchIntervalInBackground: true,
  });
}

/**
 * The kiosk (kiosk17f): a walk-in without a booking takes a place in today's line — name and phone; the database
 * applies the clinic's walk-in rules and answers what the ticket prints, with the visit's tracking link at the
 * deployment's public address (BookingService's trackingUrl).
 */
export function useKioskWalkIn(kioskToken: string) {
  const { booking } = useServices();
  return useMutation<
    LinkedKioskTicket,
    AppErrorException,
    { fullName: string; phone: string; language: 'ar' | 'fr' | 'en' | null }
  >({
    mutationFn: async (input) => unwrap(await booking.kioskRegisterWalkIn(kioskToken, input)),
  });
}

/** The unpaired tablet (no session): exchanges a staff member's pairing code for its kiosk device token. */
export function useRedeemKioskCode() {
  const { booking } = useServices();
  return useMutation<KioskRedeemed, AppErrorException, string>({
    mutationFn: async (code) => unwrap(await booking.redeemKioskPairingCode(code)),
  });
}
