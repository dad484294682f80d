/** The session and the sign-in/out actions (email + password for staff, phone + one-time code for patients). */
import { useEffect } from 'react';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AuthService } from '../services/shared/AuthService';
import type { AuthSession } from '../services/shared/repositories/AuthGateway';
import { unwrap, type AppErrorException } from './AppErrorException';
import { authKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export type { AuthSession };

export const sessionQuery = (auth: AuthService) =>
  queryOptions<AuthSession | null, AppErrorException>({
    queryKey: authKeys.session(),
    queryFn: async () => unwrap(await auth.session()),
    staleTime: Infinity,
  });

/** Keeps the cached session current on sign-in, sign-out and token refresh. */
function useSessionFeed(auth: AuthService) {
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
}

/** The signed-in user: `undefined` while the stored session is read, `null` when signed out. */
export function useSession(): AuthSession | null | undefined {
  const { auth } = useServices();
  useSessionFeed(auth);
  const q = useQuery(sessionQuery(auth));
  return q.isPending ? undefined : (q.data ?? null);
}

export function useAuth() {
  const { auth, queue } = useServices();
  const qc = useQueryClient();
  useSessionFeed(auth);
  const session = useQuery(sessionQuery(auth));
  const done = async (s: AuthSession | null) => {
    await qc.cancelQueries({ queryKey: authKeys.session() });
    qc.setQueryData(authKeys.session(), s);
  };
  /** `email`: an email or a phone number (staff may sign in with either). */
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
      queue.forgetUser(); // the queue views this service kept are the previous user's too (fix25)
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

/** The sign-in screen's actions: email/phone + password (staff), phone + code (patients), sign-up. */
export function useSignIn() {
  const { auth } = useServices();
  const qc = useQueryClient();
  const done = async (s: AuthSession | null) => {
    await qc.cancelQueries({ queryKey: authKeys.session() });
    qc.setQueryData(authKeys.session(), s);
  };
  return {
    password: useMutation<AuthSession, AppErrorException, { identifier: string; password: string }>({
      mutationFn: async ({ identifier, password }) =>
        unwrap(await auth.signInWithPassword(identifier, password)),
      onSuccess: done,
    }),
    sendOtp: useMutation<void, AppErrorException, string>({
      mutationFn: async (phone) => unwrap(await auth.sendOtp(phone)),
    }),
    verifyOtp: useMutation<AuthSession, AppErrorException, { phone: string; code: string }>({
      mutationFn: async ({ phone, code }) => unwrap(await auth.verifyOtp(phone, code)),
      onSuccess: done,
    }),
    signUp: useMutation<
      AuthSession | null,
      AppErrorException,
      { email: string; password: string; fullName?: string }
    >({
      mutationFn: async (input) => unwrap(await auth.signUp(input)),
      onSuccess: done,
    }),
  };
}

/** Signs this browser out and forgets everything cached for the previous user. */
export function useSignOut() {
  const { auth, queue } = useServices();
  const qc = useQueryClient();
  return useMutation<void, AppErrorException, void>({
    mutationFn: async () => unwrap(await auth.signOut()),
    onSuccess: () => {
      qc.setQueryData(authKeys.session(), null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth' });
      queue.forgetUser(); // the queue views this service kept are the previous user's too (fix25)
    },
  });
}
