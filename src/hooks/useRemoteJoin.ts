/**
 * "Join today's queue from my phone" hooks (issue 17): its own module, imported by the clinic page's card
 * only, so no other screen's bundle carries them (the service itself loads on first use: AppServices.remoteJoin).
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  RemoteJoinedWithLink,
  RemoteJoinInput,
  RemoteJoinSettings,
} from '../services/appointment/RemoteJoinService';
import type { RemoteJoinState } from '../services/appointment/repositories/RemoteJoinRepository';
import type { AppServices } from '../services/composition/AppServices';
import { unwrap, type AppErrorException } from './AppErrorException';
import { bookingKeys, queueKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export type { RemoteJoinedWithLink, RemoteJoinSettings, RemoteJoinState };

/** Whether the clinic takes remote joins now (issue 17); refreshed when its queue changes. */
export const remoteJoinQuery = (services: AppServices, clinicId: string) =>
  queryOptions<RemoteJoinState, AppErrorException>({
    queryKey: bookingKeys.remoteJoin(clinicId),
    queryFn: async () => unwrap(await (await services.remoteJoin()).state(clinicId)),
    enabled: Boolean(clinicId),
  });
export function useRemoteJoinState(clinicId: string) {
  return useQuery(remoteJoinQuery(useServices(), clinicId));
}

/** "Join today's queue from my phone": the ticket and tracking link; the clinic's state and queue refresh. */
export function useJoinRemotely() {
  const { remoteJoin } = useServices();
  const qc = useQueryClient();
  return useMutation<RemoteJoinedWithLink, AppErrorException, RemoteJoinInput>({
    mutationFn: async (input) => unwrap(await (await remoteJoin()).join(input)),
    onSettled: (_d, _e, input) => {
      void qc.invalidateQueries({ queryKey: bookingKeys.remoteJoin(input.clinicId) });
      void qc.invalidateQueries({ queryKey: bookingKeys.myVisits() });
      void qc.invalidateQueries({ queryKey: bookingKeys.myName(input.clinicId) });
      void qc.invalidateQueries({ queryKey: queueKeys.clinic(input.clinicId) });
    },
  });
}

// under the clinic's remote-join key (invalidated with it); built here, not in queryKeys.ts, which every screen loads
const settingsKey = (clinicId: string) => [...bookingKeys.remoteJoin(clinicId), 'settings'] as const;

/** The clinic's remote-join settings (cap, arrival window), for the admin rules tab (issue 17). */
export const remoteJoinSettingsQuery = (services: AppServices, clinicId: string) =>
  queryOptions<RemoteJoinSettings, AppErrorException>({
    queryKey: settingsKey(clinicId),
    queryFn: async () => unwrap(await (await services.remoteJoin()).settings(clinicId)),
    enabled: Boolean(clinicId),
  });
export function useRemoteJoinSettings(clinicId: string) {
  return useQuery(remoteJoinSettingsQuery(useServices(), clinicId));
}

/** Owners/admins save the cap (null = off) and the arrival window; the page's offer refreshes. */
export function useSaveRemoteJoin(clinicId: string) {
  const { remoteJoin } = useServices();
  const qc = useQueryClient();
  return useMutation<RemoteJoinSettings, AppErrorException, RemoteJoinSettings>({
    mutationFn: async (settings) => unwrap(await (await remoteJoin()).saveSettings(clinicId, settings)),
    onSuccess: (saved) => qc.setQueryData(settingsKey(clinicId), saved),
    onSettled: () => void qc.invalidateQueries({ queryKey: bookingKeys.remoteJoin(clinicId) }),
  });
}
