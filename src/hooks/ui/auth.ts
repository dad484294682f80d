/** Session and staff membership for the UI. */
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useBackend, type SessionUser } from './backend';
import { authKeys, clinicKeys } from '../queryKeys';

export type MemberRole = 'owner' | 'admin' | 'practitioner' | 'receptionist';
export interface Membership {
  readonly id: string;
  readonly clinicId: string;
  readonly role: MemberRole;
  readonly displayName: string;
  readonly room: string | null;
}

export const uiKeys = {
  membership: (userId: string) => [...authKeys.session(), 'membership', userId] as const,
};

/** The signed-in user; `undefined` while the stored session is being read. */
export function useSession(): SessionUser | null | undefined {
  const backend = useBackend();
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);
  useEffect(() => {
    let alive = true;
    void backend.auth.current().then((u) => alive && setUser((prev) => (prev === undefined ? u : prev)));
    const off = backend.auth.onChange((u) => alive && setUser(u));
    return () => {
      alive = false;
      off();
    };
  }, [backend]);
  return user;
}

export function useMembership(user: SessionUser | null | undefined) {
  const backend = useBackend();
  return useQuery({
    queryKey: uiKeys.membership(user?.id ?? 'none'),
    enabled: !!user,
    queryFn: async (): Promise<Membership | null> => {
      const rows = await backend.select<{
        id: string;
        clinic_id: string;
        role: MemberRole;
        display_name: string;
        room: string | null;
        active: boolean;
      }>('clinic_members', 'id,clinic_id,role,display_name,room,active', { user_id: user!.id });
      const m = rows.find((r) => r.active);
      return m
        ? { id: m.id, clinicId: m.clinic_id, role: m.role, displayName: m.display_name, room: m.room }
        : null;
    },
  });
}

export function useSignIn() {
  const backend = useBackend();
  const qc = useQueryClient();
  const done = () => void qc.invalidateQueries({ queryKey: authKeys.session() });
  return {
    password: useMutation({
      mutationFn: (v: { identifier: string; password: string }) =>
        backend.auth.signInWithPassword(v.identifier, v.password),
      onSuccess: done,
    }),
    sendOtp: useMutation({ mutationFn: (phone: string) => backend.auth.sendOtp(phone) }),
    verifyOtp: useMutation({
      mutationFn: async (v: { phone: string; code: string }) => {
        const u = await backend.auth.verifyOtp(v.phone, v.code);
        // a walk-in record with the same phone becomes the patient's own
        await backend.rpc('claim_patient_records').catch(() => 0);
        return u;
      },
      onSuccess: done,
    }),
    signUp: useMutation({
      mutationFn: (v: { email: string; password: string; fullName: string }) =>
        backend.auth.signUp(v.email, v.password, v.fullName),
    }),
  };
}

export function useSignOut() {
  const backend = useBackend();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => backend.auth.signOut(),
    onSuccess: () => qc.clear(),
  });
}

export function useAcceptInvitation() {
  const backend = useBackend();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (token: string) =>
      backend.rpc<{ clinic_id: string; member_id: string }>('accept_staff_invitation', { p_token: token }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: authKeys.session() });
      void qc.invalidateQueries({ queryKey: clinicKeys.all });
    },
  });
}
