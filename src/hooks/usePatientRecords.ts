/**
 * The desk's patient search and staff-only visit notes (issue 17) over ReportService. Kept out of
 * useReports.ts so the dashboard's first render does not carry them: only the lazy search panel and notes
 * dialog import this file. Keys from `reportKeys`.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PatientMatch, VisitNote } from '../services/reports/api';
import { PATIENT_QUERY_MIN } from '../services/reports/api';
import { unwrap, type AppErrorException } from './AppErrorException';
import { reportKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export type { PatientMatch, VisitNote };

/** Staff: the clinic's patients matching `query` (name, phone or ticket), asked only from 2 characters on.
 * The caller debounces the text; results are kept while the next query loads. */
export function usePatientSearch(clinicId: string | null, query: string) {
  const services = useServices();
  const q = query.trim();
  return useQuery<readonly PatientMatch[], AppErrorException>({
    queryKey: reportKeys.patientSearch(clinicId ?? '', q),
    queryFn: async () =>
      unwrap(await (await services.reports()).searchPatients({ clinicId: clinicId ?? '', query: q })),
    enabled: Boolean(clinicId) && q.length >= PATIENT_QUERY_MIN,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/** Staff: a visit's staff-only notes (only while `entryId` is set). */
export function useVisitNotes(entryId: string | null) {
  const services = useServices();
  return useQuery<readonly VisitNote[], AppErrorException>({
    queryKey: reportKeys.visitNotes(entryId ?? ''),
    queryFn: async () => unwrap(await (await services.reports()).visitNotes(entryId ?? '')),
    enabled: Boolean(entryId),
  });
}

/** Staff: add a note to a visit; the visit's notes are read again. */
export function useAddVisitNote(entryId: string) {
  const services = useServices();
  const client = useQueryClient();
  return useMutation<VisitNote, AppErrorException, string>({
    mutationFn: async (body) => unwrap(await (await services.reports()).addVisitNote(entryId, body)),
    onSuccess: () => client.invalidateQueries({ queryKey: reportKeys.visitNotes(entryId) }),
  });
}
