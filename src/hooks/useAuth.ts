/** The session and the sign-in/out actions (email + password for staff, phone + one-time code for patients). */
import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AuthSession } from '../services/shared/repositories/AuthGateway';
import { unwrap, type AppErrorException } from './AppErrorException';
import { authKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export type { AuthSession };

export function useAuth() {
  const { auth } = useServices();
  const qc = useQueryClient();
  useEffect(
    () =>
      auth.onChange((s) => {
        // a first fetch still in flight must not overwrite the newer session
        void qc
          .cancelQueries({ queryKey: authKeys.session() })
          .then(() => qc.setQueryData(authKeys.session(), s));
      }),
    [auth, qc],
  );
  const session = useQuery<AuthSession | null, AppErrorException>({
    queryKey: authKeys.session(),
    queryFn: async () => unwrap(await auth.session()),
    staleTime: Infinity,
  });
  const done = async (s: AuthSession | null) => {
    await qc.cancelQueries({ queryKey: authKeys.session() });
    qc.setQueryData(authKeys.session(), s);
  };
  const signIn = useMutation<AuthSession, AppErrorException, { email: string; password: string }>({
    mutationFn: async ({ email, password }) => unwrap(await auth.signInWithPassword(email, password)),
    onSuccess: done,
  });
  const signUp = useMutation<
    AuthSession | null,
    AppErrorException,
    { email: string; password: string; fullName?: string; language?: 'ar' | 'fr' | 'en' }
  >({
    mutationFn: async (input) => unwrap(await auth.signUp(input)),
    onSuccess: done,
  });
  const sendOtp = useMutation<void, AppErrorException, string>({
    mutationFn: async (phone) => unwrap(await auth.sendOtp(phone)),
  });
  const verifyOtp = useMutation<AuthSession, AppErrorException, { phone: string; code: string }>({
    mutationFn: async ({ phone, code }) => unwrap(await auth.verifyOtp(phone, code)),
    onSuccess: done,
  });
  const signOut = useMutation<void, AppErrorException, void>({
    mutationFn: async () => unwrap(await auth.signOut()),
    onSuccess: async () => {
      await done(null);
      // everything cached belonged to the previous user
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth' });
    },
  });
  return {
    session: session.data ?? null,
    isLoading: session.isPending,
    signIn,
    signUp,
    sendOtp,
    verifyOtp,
    signOut,
  };
}
