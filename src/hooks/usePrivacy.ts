/**
 * Retention and erasure on request (issue 19; 09-08 / GDPR) over ReportService, for the owners' Privacy tab
 * (lazy: only that tab imports this file). Keys from `reportKeys`.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Erasure } from '../services/reports/api';
import { unwrap, type AppErrorException } from './AppErrorException';
import { reportKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export type { Erasure };

/** The clinic's retention period in days (null = everything kept). */
export function useRetention(clinicId: string) {
  const services = useServices();
  return useQuery<number | null, AppErrorException>({
    queryKey: reportKeys.retention(clinicId),
    queryFn: async () => unwrap(await (await services.reports()).retention(clinicId)),
    enabled: Boolean(clinicId),
  });
}

/** Owners: set the retention period (30..3650 days, or null to keep everything). */
export function useSetRetention(clinicId: string) {
  const services = useServices();
  const client = useQueryClient();
  return useMutation<number | null, AppErrorException, number | null>({
    mutationFn: async (days) => unwrap(await (await services.reports()).setRetention(clinicId, days)),
    onSuccess: (days) => client.setQueryData(reportKeys.retention(clinicId), days),
    onSettled: () => client.invalidateQueries({ queryKey: reportKeys.retention(clinicId) }),
  });
}

/** Owners: erase a patient on request. Everything cached about patients and the audit trail is read again
 * (the name must not linger in a search result or a report). */
export function useErasePatient() {
  const services = useServices();
  const client = useQueryClient();
  return useMutation<Erasure, AppErrorException, { patientId: string; reason: string | null }>({
    mutationFn: async ({ patientId, reason }) =>
      unwrap(await (await services.reports()).erasePatient(patientId, reason)),
    onSuccess: (_r, { patientId }) => {
      client.removeQueries({ queryKey: reportKeys.patientRecord(patientId) });
      void client.invalidateQueries({ queryKey: reportKeys.all });
    },
  });
}
