/**
 * Clinic administration hooks: profile and settings (optimistic, rolled back on error), working hours,
 * closed dates, members and invitations. Reads are queries with key factories; writes invalidate them.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { WeeklyHours } from '../services/appointment/api';
import type { ClinicSettings } from '../services/clinic/api';
import type { ClinicProfilePatchInput, CreateClinicInput } from '../services/clinic/ClinicService';
import type {
  ClinicProfile,
  ClosedDateRow,
  Invitation,
  Member,
} from '../services/clinic/repositories/ClinicRepository';
import type { InviteInput, MemberPatch } from '../services/clinic/StaffService';
import { unwrap, type AppErrorException } from './AppErrorException';
import { bookingKeys, clinicKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export type { ClinicProfile, ClosedDateRow, Invitation, Member };

export function useClinicProfile(clinicId: string | null) {
  const { clinic } = useServices();
  return useQuery<ClinicProfile, AppErrorException>({
    queryKey: clinicKeys.profile(clinicId ?? ''),
    queryFn: async () => unwrap(await clinic.profile(clinicId ?? '')),
    enabled: Boolean(clinicId),
  });
}

export function useWorkingHours(clinicId: string | null) {
  const { clinic } = useServices();
  return useQuery<WeeklyHours, AppErrorException>({
    queryKey: clinicKeys.hours(clinicId ?? ''),
    queryFn: async () => unwrap(await clinic.workingHours(clinicId ?? '')),
    enabled: Boolean(clinicId),
  });
}

export function useClosedDates(clinicId: string | null) {
  const { clinic } = useServices();
  return useQuery<readonly ClosedDateRow[], AppErrorException>({
    queryKey: clinicKeys.closedDates(clinicId ?? ''),
    queryFn: async () => unwrap(await clinic.closedDates(clinicId ?? '')),
    enabled: Boolean(clinicId),
  });
}

export function useMembers(clinicId: string | null) {
  const { staff } = useServices();
  return useQuery<readonly Member[], AppErrorException>({
    queryKey: clinicKeys.members(clinicId ?? ''),
    queryFn: async () => unwrap(await staff.members(clinicId ?? '')),
    enabled: Boolean(clinicId),
  });
}

export function useInvitations(clinicId: string | null) {
  const { staff } = useServices();
  return useQuery<readonly Invitation[], AppErrorException>({
    queryKey: clinicKeys.invitations(clinicId ?? ''),
    queryFn: async () => unwrap(await staff.invitations(clinicId ?? '')),
    enabled: Boolean(clinicId),
  });
}

/** All clinic/staff writes of one clinic (plus createClinic and acceptInvitation, which need none). */
export function useClinicService(clinicId: string) {
  const { clinic, staff } = useServices();
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
  const updateMember = useMutation<void, AppErrorException, { memberId: string; patch: MemberPatch }>({
    mutationFn: async ({ memberId, patch }) => unwrap(await staff.updateMember(memberId, patch)),
    onSettled: invalidate,
  });
  const removeMember = useMutation<void, AppErrorException, string>({
    mutationFn: async (memberId) => unwrap(await staff.removeMember(memberId)),
    onSettled: invalidate,
  });
  const invite = useMutation<
    { invitationId: string; token: string; expiresAt: string },
    AppErrorException,
    InviteInput
  >({
    mutationFn: async (input) => unwrap(await staff.invite(clinicId, input)),
    onSettled: invalidate,
  });
  const revokeInvitation = useMutation<void, AppErrorException, string>({
    mutationFn: async (id) => unwrap(await staff.revoke(id)),
    onSettled: invalidate,
  });
  return {
    updateSettings,
    updateProfile,
    setWorkingHours,
    addClosedDate,
    removeClosedDate,
    updateMember,
    removeMember,
    invite,
    revokeInvitation,
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

export function useAcceptInvitation() {
  const { staff } = useServices();
  const qc = useQueryClient();
  return useMutation<{ clinicId: string; memberId: string; role: Member['role'] }, AppErrorException, string>(
    {
      mutationFn: async (token) => unwrap(await staff.accept(token)),
      onSettled: () => void qc.invalidateQueries({ queryKey: clinicKeys.all }),
    },
  );
}
