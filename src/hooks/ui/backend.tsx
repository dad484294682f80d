/**
 * The UI's door to the backend for what the application services do not cover yet (public clinic page,
 * booking, tracker, board, auth, admin RPCs). Built once in the composition root (main.tsx) from the
 * supabase-js client; components only see hooks that use it. Every failure becomes an
 * AppErrorException carrying a stable code, which the UI translates.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { SupabaseClient } from '@supabase/supabase-js';
import { AppErrorException } from '../AppErrorException';
import { mapPostgrestError } from '../../services/shared/repositories/postgrest';
import { appError, ErrorCodes } from '../../services/shared/AppError';

export interface SessionUser {
  readonly id: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly fullName: string | null;
}

export interface UiBackend {
  rpc<T>(fn: string, args?: Record<string, unknown>): Promise<T>;
  select<T>(table: string, columns: string, filters?: Record<string, string>): Promise<T[]>;
  /** Calls `onChange` whenever the clinic's queue row changes (and after every (re)subscription). */
  watchQueue(clinicId: string, onChange: () => void): () => void;
  auth: {
    current(): Promise<SessionUser | null>;
    onChange(cb: (user: SessionUser | null) => void): () => void;
    signInWithPassword(identifier: string, password: string): Promise<SessionUser>;
    sendOtp(phone: string): Promise<void>;
    verifyOtp(phone: string, code: string): Promise<SessionUser>;
    signUp(email: string, password: string, fullName: string): Promise<SessionUser | null>;
    signOut(): Promise<void>;
  };
}

const toUser = (u: { id: string; email?: string | null; phone?: string | null; user_metadata?: Record<string, unknown> } | null | undefined): SessionUser | null =>
  u
    ? {
        id: u.id,
        email: u.email ?? null,
        phone: u.phone ? `+${u.phone.replace(/^\+/, '')}` : null,
        fullName: typeof u.user_metadata?.full_name === 'string' ? u.user_metadata.full_name : null,
      }
    : null;

const authFailure = (e: { status?: number; code?: string; message?: string } | null): AppErrorException =>
  new AppErrorException(
    appError(
      e?.status === 429 ? ErrorCodes.VALIDATION_FAILED : e?.status && e.status >= 500 ? ErrorCodes.INTERNAL : ErrorCodes.AUTH_REQUIRED,
      e?.message ?? 'auth failed',
      { auth: e?.code ?? null },
    ),
  );

let channelSeq = 0;

export function createUiBackend(client: SupabaseClient): UiBackend {
  const phoneDigits = (p: string) => p.replace(/[^\d]/g, '');
  return {
    async rpc<T>(fn: string, args: Record<string, unknown> = {}) {
      let res;
      try {
        res = await client.rpc(fn, args);
      } catch (e) {
        throw new AppErrorException(appError(ErrorCodes.INTERNAL, e instanceof Error ? e.message : String(e)));
      }
      if (res.error) throw new AppErrorException(mapPostgrestError(res.error, res.status));
      return res.data as T;
    },
    async select<T>(table: string, columns: string, filters: Record<string, string> = {}) {
      let q = client.from(table).select(columns);
      for (const [k, v] of Object.entries(filters)) q = q.eq(k, v);
      const res = await q;
      if (res.error) throw new AppErrorException(mapPostgrestError(res.error, res.status));
      return (res.data ?? []) as T[];
    },
    watchQueue(clinicId, onChange) {
      const channel = client
        .channel(`ui-queue:${clinicId}:${++channelSeq}`)
        .on('postgres_changes', { event: '*', schema: 'public', table: 'queues', filter: `clinic_id=eq.${clinicId}` }, () => onChange())
        .subscribe((status) => {
          if (status === 'SUBSCRIBED') onChange();
        });
      return () => {
        void client.removeChannel(channel);
      };
    },
    auth: {
      async current() {
        const { data } = await client.auth.getSession();
        return toUser(data.session?.user);
      },
      onChange(cb) {
        const { data } = client.auth.onAuthStateChange((_e, session) => {
          if (session?.access_token) client.realtime.setAuth(session.access_token);
          cb(toUser(session?.user));
        });
        return () => data.subscription.unsubscribe();
      },
      async signInWithPassword(identifier, password) {
        const isEmail = identifier.includes('@');
        const { data, error } = isEmail
          ? await client.auth.signInWithPassword({ email: identifier.trim(), password })
          : await client.auth.signInWithPassword({ phone: phoneDigits(identifier), password });
        if (error || !data.user) throw authFailure(error);
        return toUser(data.user) as SessionUser;
      },
      async sendOtp(phone) {
        const { error } = await client.auth.signInWithOtp({ phone: phoneDigits(phone) });
        if (error) throw authFailure(error);
      },
      async verifyOtp(phone, code) {
        const { data, error } = await client.auth.verifyOtp({ phone: phoneDigits(phone), token: code.trim(), type: 'sms' });
        if (error || !data.user) throw authFailure(error);
        return toUser(data.user) as SessionUser;
      },
      async signUp(email, password, fullName) {
        const { data, error } = await client.auth.signUp({ email: email.trim(), password, options: { data: { full_name: fullName } } });
        if (error) throw authFailure(error);
        return toUser(data.user);
      },
      async signOut() {
        await client.auth.signOut();
      },
    },
  };
}

const BackendContext = createContext<UiBackend | null>(null);

export function BackendProvider({ backend, children }: { backend: UiBackend; children: ReactNode }) {
  return <BackendContext.Provider value={backend}>{children}</BackendContext.Provider>;
}

export function useBackend(): UiBackend {
  const b = useContext(BackendContext);
  if (!b) throw new Error('useBackend: wrap the app in <BackendProvider>');
  return b;
}
