/**
 * Clinic administration hooks: profile and settings (optimistic, rolled back on error), working hours,
 * closed dates, members and invitations. Reads are queries with key factories; writes invalidate them.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { WeeklyHours } from '../services/appointment/api';
import type { ClinicSettings } from '../services/clinic/api';
import type { ClinicProfilePatchInput, CreateClinicInput } from '../services/clinic/ClinicService';
import type {
  ClinicClock,
  ClinicProfile,
  ClosedDateRow,
  VisitType,
  VisitTypeInput,
} from '../services/clinic/repositories/ClinicRepository';
// a visit type's name in the reader's language (types19), for the screens that list types
export { visitTypeLabel } from '../services/clinic/api';
import type { AppServices } from '../services/composition/AppServices';
import { unwrap, type AppErrorException } from './AppErrorException';
import { bookingKeys, clinicKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export type { ClinicClock, ClinicProfile, ClosedDateRow, VisitType, VisitTypeInput };

export const clinicProfileQuery = (services: AppServices, clinicId: string | null) =>
  queryOptions<ClinicProfile, AppErrorException>({
    queryKey: clinicKeys.profile(clinicId ?? ''),
    queryFn: async () => unwrap(await services.clinic.profile(clinicId ?? '')),
    enabled: Boolean(clinicId),
  });
export function useClinicProfile(clinicId: string | null) {
  return useQuery(clinicProfileQuery(useServices(), clinicId));
}

export const workingHoursQuery = (services: AppServices, clinicId: string | null) =>
  queryOptions<WeeklyHours, AppErrorException>({
    queryKey: clinicKeys.hours(clinicId ?? ''),
    queryFn: async () => unwrap(await services.clinic.workingHours(clinicId ?? '')),
    enabled: Boolean(clinicId),
  });
export function useWorkingHours(clinicId: string | null) {
  return useQuery(workingHoursQuery(useServices(), clinicId));
}

export const closedDatesQuery = (services: AppServices, clinicId: string | null) =>
  queryOptions<readonly ClosedDateRow[], AppErrorException>({
    queryKey: clinicKeys.closedDates(clinicId ?? ''),
    queryFn: async () => unwrap(await services.clinic.closedDates(clinicId ?? '')),
    enabled: Boolean(clinicId),
  });
export function useClosedDates(clinicId: string | null) {
  return useQuery(closedDatesQuery(useServices(), clinicId));
}

/** All clinic writes of one clinic (team writes: useStaffService). */
export function useClinicService(clinicId: string) {
  const { clinic } = useServices();
  const qc = useQueryClient();
  const profileKey = clinicKeys.profile(clinicId);
  // the clinic's own queries, and the public clinic page / free slots that show its hours and rules
  const invalidate = () => {
    void qc.invalidateQueries({ queryKey: clinicKeys.clinic(clinicId) });
    void qc.invalidateQueries({ queryKey: bookingKeys.all });
  };

  const updateSettings = useMutation<
    ClinicSettings,
    AppErrorException,
    Partial<ClinicSettings>,
    { previous: ClinicProfile | undefined }
  >({
    mutationFn: async (changes) => unwrap(await clinic.updateSettings(clinicId, changes)),
    onMutate: async (changes) => {
      await qc.cancelQueries({ queryKey: profileKey });
      const previous = qc.getQueryData<ClinicProfile>(profileKey);
      if (previous)
        qc.setQueryData<ClinicProfile>(profileKey, {
          ...previous,
          settings: { ...previous.settings, ...changes },
        });
      return { previous };
    },
    onError: (_e, _i, ctx) => {
      if (ctx?.previous) qc.setQueryData(profileKey, ctx.previous);
    },
    onSettled: invalidate,
  });
  const updateProfile = useMutation<
    void,
    AppErrorException,
    ClinicProfilePatchInput,
    { previous: ClinicProfile | undefined }
  >({
    mutationFn: async (patch) => unwrap(await clinic.updateProfile(clinicId, patch)),
    onMutate: async (patch) => {
      await qc.cancelQueries({ queryKey: profileKey });
      const previous = qc.getQueryData<ClinicProfile>(profileKey);
      if (previous)
        qc.setQueryData<ClinicProfile>(profileKey, { ...previous, ...(patch as Partial<ClinicProfile>) });
      return { previous };
    },
    onError: (_e, _i, ctx) => {
      if (ctx?.previous) qc.setQueryData(profileKey, ctx.previous);
    },
    onSettled: invalidate,
  });
  const setWorkingHours = useMutation<void, AppErrorException, WeeklyHours>({
    mutationFn: async (weekly) => unwrap(await clinic.setWorkingHours(clinicId, weekly)),
    onSettled: invalidate,
  });
  const addClosedDate = useMutation<void, AppErrorException, { day: string; reason?: string | null }>({
    mutationFn: async (row) => unwrap(await clinic.addClosedDate(clinicId, row)),
    onSettled: invalidate,
  });
  const removeClosedDate = useMutation<void, AppErrorException, string>({
    mutationFn: async (day) => unwrap(await clinic.removeClosedDate(clinicId, day)),
    onSettled: invalidate,
  });
  const setClosedDates = useMutation<
    void,
    AppErrorException,
    readonly { day: string; reason?: string | null }[]
  >({
    mutationFn: async (rows) => unwrap(await clinic.setClosedDates(clinicId, rows)),
    onSettled: invalidate,
  });
  const typesKey = clinicKeys.visitTypes(clinicId);
  const saveVisitTypes = useMutation<readonly string[], AppErrorException, readonly VisitTypeInput[]>({
    mutationFn: async (types) => unwrap(await clinic.saveVisitTypes(clinicId, types)),
    onSettled: invalidate,
  });
  /** One type's length, shown at once and rolled back if the save is refused. */
  const setVisitTypeDuration = useMutation<
    readonly string[],
    AppErrorException,
    { typeId: string; durationMinutes: number },
    { previous: readonly VisitType[] | undefined }
  >({
    mutationFn: async ({ typeId, durationMinutes }) =>
      unwrap(await clinic.setVisitTypeDuration(clinicId, typeId, durationMinutes)),
    onMutate: async ({ typeId, durationMinutes }) => {
      await qc.cancelQueries({ queryKey: typesKey });
      const previous = qc.getQueryData<readonly VisitType[]>(typesKey);
      if (previous)
        qc.setQueryData<readonly VisitType[]>(
          typesKey,
          previous.map((t) => (t.id === typeId ? { ...t, durationMinutes } : t)),
        );
      return { previous };
    },
    onError: (_e, _i, ctx) => {
      if (ctx?.previous) qc.setQueryData(typesKey, ctx.previous);
    },
    onSettled: invalidate,
  });
  /** One type's booking mode (issue 17: slotted / fluid / null = the clinic's), rolled back if refused. */
  const setVisitTypeMode = useMutation<
    readonly string[],
    AppErrorException,
    { typeId: string; bookingMode: 'slotted' | 'fluid' | null },
    { previous: readonly VisitType[] | undefined }
  >({
    mutationFn: async ({ typeId, bookingMode }) =>
      unwrap(await clinic.setVisitTypeMode(clinicId, typeId, bookingMode)),
    onMutate: async ({ typeId, bookingMode }) => {
      await qc.cancelQueries({ queryKey: typesKey });
      const previous = qc.getQueryData<readonly VisitType[]>(typesKey);
      if (previous)
        qc.setQueryData<readonly VisitType[]>(
          typesKey,
          previous.map((t) => (t.id === typeId ? { ...t, bookingMode } : t)),
        );
      return { previous };
    },
    onError: (_e, _i, ctx) => {
      if (ctx?.previous) qc.setQueryData(typesKey, ctx.previous);
    },
    onSettled: () => {
      invalidate();
      void qc.invalidateQueries({ queryKey: bookingKeys.all });
    },
  });
  return {
    updateSettings,
    updateProfile,
    setWorkingHours,
    addClosedDate,
    removeClosedDate,
    setClosedDates,
    saveVisitTypes,
    setVisitTypeDuration,
    setVisitTypeMode,
  };
}

export function useCreateClinic() {
  const { clinic } = useServices();
  const qc = useQueryClient();
  return useMutation<{ clinicId: string; memberId: string }, AppErrorException, CreateClinicInput>({
    mutationFn: async (input) => unwrap(await clinic.createClinic(input)),
    onSettled: () => void qc.invalidateQueries({ queryKey: clinicKeys.all }),
  });
}

export const visitTypesQuery = (services: AppServices, clinicId: string | null) =>
  queryOptions<readonly VisitType[], AppErrorException>({
    queryKey: clinicKeys.visitTypes(clinicId ?? ''),
    queryFn: async () => unwrap(await services.clinic.visitTypes(clinicId ?? '')),
    enabled: Boolean(clinicId),
  });
/** Every visit type of the clinic (active and retired), by name. */
export function useVisitTypes(clinicId: string | null) {
  return useQuery(visitTypesQuery(useServices(), clinicId));
}

// the clinic's clock and time formatting: a module of their own, which the desk's first render loads without the
// administration hooks above (issue 14)
export { clinicClockQuery, clinicTimeFormat, useClinicClock, useClinicTime } from './useClinicTime';
export type { ClinicTimeFormat } from './useClinicTime';
