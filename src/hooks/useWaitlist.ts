/**
 * Waitlist hooks (issue 17): the patient's requests and offers in My visits, the clinic's list in the admin
 * rules tab. Their own module (only those two screens import it); the service loads on first use
 * (AppServices.waitlist). Keys hang under existing factories, so invalidating a patient's visits or a clinic
 * refreshes the waitlist too; built here, not in queryKeys.ts, which every screen loads.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AcceptedOffer, ClinicWaitlist, WaitlistRequest } from '../services/appointment/WaitlistService';
import type { AppServices } from '../services/composition/AppServices';
import { unwrap, type AppErrorException } from './AppErrorException';
import { bookingKeys, clinicKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export type { AcceptedOffer, ClinicWaitlist, WaitlistRequest };

const myKey = () => [...bookingKeys.myVisits(), 'waitlist'] as const;
const clinicKey = (clinicId: string) => [...clinicKeys.clinic(clinicId), 'waitlist'] as const;

/** The signed-in patient's open requests (waiting, or offered with the slot held until a time). */
export const myWaitlistQuery = (services: AppServices, enabled = true) =>
  queryOptions<readonly WaitlistRequest[], AppErrorException>({
    queryKey: myKey(),
    queryFn: async () => unwrap(await (await services.waitlist()).mine()),
    enabled,
  });
export function useMyWaitlist(enabled = true) {
  return useQuery(myWaitlistQuery(useServices(), enabled));
}

/** Ask for an earlier slot / withdraw or decline / accept; each refreshes the patient's visits and requests. */
export function useWaitlistActions() {
  const { waitlist } = useServices();
  const qc = useQueryClient();
  const refresh = () => void qc.invalidateQueries({ queryKey: bookingKeys.myVisits() });
  return {
    request: useMutation<{ requestId: string; position: number }, AppErrorException, string>({
      mutationFn: async (entryId) => unwrap(await (await waitlist()).request(entryId)),
      onSettled: refresh,
    }),
    withdraw: useMutation<void, AppErrorException, string>({
      mutationFn: async (requestId) => unwrap(await (await waitlist()).withdraw(requestId)),
      onSettled: refresh,
    }),
    accept: useMutation<AcceptedOffer, AppErrorException, string>({
      mutationFn: async (requestId) => unwrap(await (await waitlist()).accept(requestId)),
      onSettled: refresh,
    }),
  };
}

/** The clinic's open requests for its staff, and how long an offer is held. */
export const clinicWaitlistQuery = (services: AppServices, clinicId: string) =>
  queryOptions<ClinicWaitlist, AppErrorException>({
    queryKey: clinicKey(clinicId),
    queryFn: async () => unwrap(await (await services.waitlist()).forClinic(clinicId)),
    enabled: Boolean(clinicId),
  });
export function useClinicWaitlist(clinicId: string) {
  return useQuery(clinicWaitlistQuery(useServices(), clinicId));
}

/** Owners/admins: how long an offer is held (5-240 minutes). */
export function useSaveOfferMinutes(clinicId: string) {
  const { waitlist } = useServices();
  const qc = useQueryClient();
  return useMutation<number, AppErrorException, number>({
    mutationFn: async (minutes) => unwrap(await (await waitlist()).setOfferMinutes(clinicId, minutes)),
    onSettled: () => void qc.invalidateQueries({ queryKey: clinicKey(clinicId) }),
  });
}
