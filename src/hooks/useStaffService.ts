/**
 * Staff hooks over StaffService: the signed-in user's membership, the clinic's members and invitations,
 * and the team writes (several members' role/room in one transaction, invite, revoke, accept).
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AppServices } from '../services/composition/AppServices';
import type { Invitation, Member, TeamSaved } from '../services/clinic/repositories/ClinicRepository';
import type { InviteInput, MemberPatch, TeamChangeInput } from '../services/clinic/StaffService';
import { unwrap, type AppErrorException } from './AppErrorException';
import { clinicKeys, staffKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export type { Invitation, Member, TeamChangeInput };
export type Membership = Member;

export const membershipQuery = (services: AppServices, userId: string | null) =>
  queryOptions<Member | null, AppErrorException>({
    queryKey: staffKeys.membership(userId ?? 'none'),
    queryFn: async () => unwrap(await services.staff.membership(userId ?? '')),
    enabled: Boolean(userId),
  });
/** The signed-in user's active membership (null: not staff). */
export function useMembership(userId: string | null) {
  return useQuery(membershipQuery(useServices(), userId));
}

export const membersQuery = (services: AppServices, clinicId: string | null) =>
  queryOptions<readonly Member[], AppErrorException>({
    queryKey: clinicKeys.members(clinicId ?? ''),
    queryFn: async () => unwrap(await services.staff.members(clinicId ?? '')),
    enabled: Boolean(clinicId),
  });
export function useMembers(clinicId: string | null) {
  return useQuery(membersQuery(useServices(), clinicId));
}

export const invitationsQuery = (services: AppServices, clinicId: string | null) =>
  queryOptions<readonly Invitation[], AppErrorException>({
    queryKey: clinicKeys.invitations(clinicId ?? ''),
    queryFn: async () => unwrap(await services.staff.invitations(clinicId ?? '')),
    enabled: Boolean(clinicId),
  });
export function useInvitations(clinicId: string | null) {
  return useQuery(invitationsQuery(useServices(), clinicId));
}

/** The team writes of one clinic. `updateTeam` is optimistic on the members list and rolled back on error. */
export function useStaffService(clinicId: string) {
  const { staff } = useServices();
  const qc = useQueryClient();
  const membersKey = clinicKeys.members(clinicId);
  const invalidate = () => {
    void qc.invalidateQueries({ queryKey: clinicKeys.clinic(clinicId) });
    void qc.invalidateQueries({ queryKey: staffKeys.all });
  };
  const updateTeam = useMutation<
    TeamSaved,
    AppErrorException,
    readonly TeamChangeInput[],
    { previous: readonly Member[] | undefined }
  >({
    mutationFn: async (changes) => unwrap(await staff.updateTeam(clinicId, changes)),
    onMutate: async (changes) => {
      await qc.cancelQueries({ queryKey: membersKey });
      const previous = qc.getQueryData<readonly Member[]>(membersKey);
      if (previous)
        qc.setQueryData<readonly Member[]>(
          membersKey,
          previous.map((m) => {
            const c = changes.find((x) => x.memberId === m.id);
            return c
              ? {
                  ...m,
                  ...(c.role !== undefined ? { role: c.role } : {}),
                  ...(c.room !== undefined ? { room: c.room } : {}),
                  ...(c.active !== undefined ? { active: c.active } : {}),
                }
              : m;
          }),
        );
      return { previous };
    },
    onError: (_e, _i, ctx) => {
      if (ctx?.previous) qc.setQueryData(membersKey, ctx.previous);
    },
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
  const resendInvitation = useMutation<
    { invitationId: string; token: string; expiresAt: string },
    AppErrorException,
    string
  >({
    mutationFn: async (id) => unwrap(await staff.resend(id)),
    onSettled: invalidate,
  });
  return { updateTeam, updateMember, removeMember, invite, revokeInvitation, resendInvitation };
}

export function useAcceptInvitation() {
  const { staff } = useServices();
  const qc = useQueryClient();
  return useMutation<{ clinicId: string; memberId: string; role: Member['role'] }, AppErrorException, string>(
    {
      mutationFn: async (token) => unwrap(await staff.accept(token)),
      onSettled: () => {
        void qc.invalidateQueries({ queryKey: clinicKeys.all });
        void qc.invalidateQueries({ queryKey: staffKeys.all });
      },
    },
  );
}
