/**
 * The public clinic directory (issue 17, dir20; docs/domain-rules.md D1–D6) over ClinicDirectoryService, loaded on
 * first use. Its own file so only the /clinics page and the admin's lazy listing section load it.
 */
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ClinicListing,
  ClinicListingInput,
  DirectoryClinic,
  DirectoryPage,
  Specialty,
} from '../services/clinic/repositories/ClinicDirectoryRepository';
import type { AppServices } from '../services/composition/AppServices';
import { unwrap, type AppErrorException } from './AppErrorException';
import { useServices } from './ServicesContext';

/** The directory's query keys (dir20): beside its hooks, so they ship only with the directory's chunks. */
export const directoryKeys = {
  all: ['directory'] as const,
  search: (query: string, city: string, specialty: string | null, offset: number) =>
    ['directory', 'search', query, city, specialty, offset] as const,
  listing: (clinicId: string) => ['directory', 'listing', clinicId] as const,
};

export type { ClinicListing, ClinicListingInput, DirectoryClinic, DirectoryPage, Specialty };
export { SPECIALTIES, DIRECTORY_LIMITS } from '../services/clinic/api/directory';

export interface DirectoryQuery {
  readonly query: string;
  readonly city: string;
  readonly specialty: Specialty | null;
  readonly offset: number;
}

export const directorySearchQuery = (services: AppServices, q: DirectoryQuery) =>
  queryOptions<DirectoryPage, AppErrorException>({
    queryKey: directoryKeys.search(q.query, q.city, q.specialty, q.offset),
    queryFn: async () => unwrap(await (await services.directory()).search(q)),
    // the last answer stays on screen while the next search loads (no flash of "loading" between pages)
    placeholderData: keepPreviousData,
  });
export function useDirectorySearch(q: DirectoryQuery) {
  return useQuery(directorySearchQuery(useServices(), q));
}

export const clinicListingQuery = (services: AppServices, clinicId: string) =>
  queryOptions<ClinicListing, AppErrorException>({
    queryKey: directoryKeys.listing(clinicId),
    queryFn: async () => unwrap(await (await services.directory()).listing(clinicId)),
  });
export function useClinicListing(clinicId: string) {
  return useQuery(clinicListingQuery(useServices(), clinicId));
}

/** Owners/admins: saves the clinic's entry; the entry and every directory search refresh. */
export function useSetClinicListing(clinicId: string) {
  const services = useServices();
  const qc = useQueryClient();
  return useMutation<ClinicListing, AppErrorException, ClinicListingInput>({
    mutationFn: async (input) => unwrap(await (await services.directory()).setListing(clinicId, input)),
    onSuccess: (listing) => qc.setQueryData(directoryKeys.listing(clinicId), listing),
    onSettled: () => void qc.invalidateQueries({ queryKey: directoryKeys.all }),
  });
}
