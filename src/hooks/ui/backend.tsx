/**
 * The UI's door to the backend for what the application services do not cover yet (public clinic page,
 * booking, tracker, board, auth, admin RPCs). Built once in the composition root (main.tsx) from the
 * supabase-js client; components only see hooks that use it. Every failure becomes an
 * AppErrorException carrying a stable code, which the UI translates.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { RealtimeClient } from '@supabase/realtime-js';
import { AppErrorException } from '../AppErrorException';
import { mapPostgrestError } from '../../services/shared/repositories/postgrest';
import { appError, ErrorCodes } from '../../services/shared/AppError';
import { normalizePhoneInput } from '../../services/shared/models/phoneInput';

export interface SessionUser {
  readonly id: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly fullName: string | null;
}

export interface UiBackend {
  /**
   * The full supabase-js client (auth, RLS-scoped reads, the application services). Loaded on first use:
   * anonymous screens (tracker, board, clinic page) never download it.
   */
  full(): Promise<SupabaseClient>;
  rpc<T>(fn: string, args?: Record<string, unknown>): Promise<T>;
  select<T>(table: string, columns: string, filters?: Record<string, string>): Promise<T[]>;
  /** Table writes (RLS decides; admins only for clinic settings). */
  insert(table: string, rows: Record<string, unknown>[]): Promise<void>;
  update(table: string, values: Record<string, unknown>, filters: Record<string, string>): Promise<void>;
  remove(table: string, filters: Record<string, string>): Promise<void>;
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

export interface BackendConfig {
  readonly supabaseUrl: string;
  readonly supabaseAnonKey: string;
}

/** Where supabase-js keeps the session (fixed, so the light path can tell whether someone is signed in). */
export const AUTH_STORAGE_KEY = 'queuemed.auth';
const hasStoredSession = (): boolean => {
  try {
    return !!window.localStorage.getItem(AUTH_STORAGE_KEY);
  } catch {
    return false;
  }
};

const toUser = (
  u:
    | { id: string; email?: string | null; phone?: string | null; user_metadata?: Record<string, unknown> }
    | null
    | undefined,
): SessionUser | null =>
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
      e?.status === 429
        ? ErrorCodes.VALIDATION_FAILED
        : e?.status && e.status >= 500
          ? ErrorCodes.INTERNAL
          : ErrorCodes.AUTH_REQUIRED,
      e?.message ?? 'auth failed',
      { auth: e?.code ?? null },
    ),
  );

let channelSeq = 0;

/**
 * A phone as GoTrue expects it (E.164 digits, no '+'). Moroccan numbers are usually typed the local way
 * (06 12 34 56 78) or with 00: both become 2126…, so a patient always reaches the same account.
 */
export function toE164Digits(input: string): string {
  // The domain's input normalisation (Arabic-Indic digits, spaces …), not its full parser: this module is in
  // every screen's entry chunk and libphonenumber's metadata would push the tracker over its size budget.
  // The forms validate with the full parser (readPhoneField) before a number gets here; GoTrue answers the rest.
  let d = normalizePhoneInput(input).replace(/\D/g, '');
  if (d.startsWith('00')) d = d.slice(2);
  if (/^0[5-7]\d{8}$/.test(d)) d = `212${d.slice(1)}`;
  return d;
}

type RpcResult = {
  data: unknown;
  error: { code?: string; message?: string; details?: string | null } | null;
  status?: number;
};

/**
 * Two doors onto the same Supabase project: a light one (PostgREST + Realtime, the anon key — the
 * libraries supabase-js is made of) for anonymous screens, and the full supabase-js client, loaded lazily,
 * as soon as someone is signed in or a screen needs auth.
 */
export function createUiBackend(config: BackendConfig): UiBackend {
  const { supabaseUrl: url, supabaseAnonKey: key } = config;
  let fullClient: Promise<SupabaseClient> | null = null;
  const full = () =>
    (fullClient ??= import('@supabase/supabase-js').then(({ createClient }) =>
      createClient(url, key, {
        auth: {
          persistSession: true,
          autoRefreshToken: true,
          detectSessionInUrl: false,
          storageKey: AUTH_STORAGE_KEY,
        },
      }),
    ));
  /** Anonymous RPC over PostgREST's wire format (what supabase-js sends for `rpc`), without the query builder. */
  const anonRpc = async (fn: string, args: Record<string, unknown>): Promise<RpcResult> => {
    const res = await fetch(`${url}/rest/v1/rpc/${encodeURIComponent(fn)}`, {
      method: 'POST',
      headers: {
        apikey: key,
        Authorization: `Bearer ${key}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body: JSON.stringify(args),
    });
    const text = await res.text();
    const body: unknown = text ? JSON.parse(text) : null;
    return res.ok
      ? { data: body, error: null, status: res.status }
      : { data: null, error: (body ?? {}) as RpcResult['error'], status: res.status };
  };
  // loaded after the first render: the tracker shows the visit first, then goes live (issue 14)
  let realtime: Promise<RealtimeClient> | null = null;
  const lightRealtime = () =>
    (realtime ??= import('@supabase/realtime-js').then(
      ({ RealtimeClient }) =>
        new RealtimeClient(`${url.replace(/^http/, 'ws')}/realtime/v1`, { params: { apikey: key } }),
    ));
  const phoneDigits = toE164Digits;
  const fail = (res: RpcResult) => new AppErrorException(mapPostgrestError(res.error, res.status));
  return {
    full,
    async rpc<T>(fn: string, args: Record<string, unknown> = {}) {
      let res: RpcResult;
      try {
        res = hasStoredSession() ? await (await full()).rpc(fn, args) : await anonRpc(fn, args);
      } catch (e) {
        throw new AppErrorException(
          appError(ErrorCodes.INTERNAL, e instanceof Error ? e.message : String(e)),
        );
      }
      if (res.error) throw fail(res);
      return res.data as T;
    },
    async select<T>(table: string, columns: string, filters: Record<string, string> = {}) {
      const client = await full();
      let q = client.from(table).select(columns);
      for (const [k, v] of Object.entries(filters)) q = q.eq(k, v);
      const res = await q;
      if (res.error) throw fail(res);
      return (res.data ?? []) as T[];
    },
    async insert(table, rows) {
      const res = await (await full()).from(table).insert(rows);
      if (res.error) throw fail(res);
    },
    async update(table, values, filters) {
      let q = (await full()).from(table).update(values);
      for (const [k, v] of Object.entries(filters)) q = q.eq(k, v);
      const res = await q;
      if (res.error) throw fail(res);
    },
    async remove(table, filters) {
      let q = (await full()).from(table).delete();
      for (const [k, v] of Object.entries(filters)) q = q.eq(k, v);
      const res = await q;
      if (res.error) throw fail(res);
    },
    watchQueue(clinicId, onChange) {
      let stop: (() => void) | null = null;
      let stopped = false;
      const subscribe = (rt: Pick<RealtimeClient, 'channel' | 'removeChannel'>) => {
        if (stopped) return;
        const channel = rt
          .channel(`ui-queue:${clinicId}:${++channelSeq}`)
          .on(
            'postgres_changes',
            { event: '*', schema: 'public', table: 'queues', filter: `clinic_id=eq.${clinicId}` },
            () => onChange(),
          )
          .subscribe((status) => {
            if (status === 'SUBSCRIBED') onChange();
          });
        stop = () => void rt.removeChannel(channel);
      };
      if (hasStoredSession()) void full().then((c) => subscribe(c.realtime));
      else void lightRealtime().then(subscribe);
      return () => {
        stopped = true;
        stop?.();
      };
    },
    auth: {
      async current() {
        if (!hasStoredSession()) return null;
        const { data } = await (await full()).auth.getSession();
        return toUser(data.session?.user);
      },
      onChange(cb) {
        let off: (() => void) | null = null;
        let cancelled = false;
        const attach = () =>
          void full().then((c) => {
            if (cancelled || off) return;
            const { data } = c.auth.onAuthStateChange((_e, session) => cb(toUser(session?.user)));
            off = () => data.subscription.unsubscribe();
          });
        if (hasStoredSession()) attach();
        window.addEventListener('queuemed:auth', attach);
        return () => {
          cancelled = true;
          window.removeEventListener('queuemed:auth', attach);
          off?.();
        };
      },
      async signInWithPassword(identifier, password) {
        const client = await full();
        const isEmail = identifier.includes('@');
        const { data, error } = isEmail
          ? await client.auth.signInWithPassword({ email: identifier.trim(), password })
          : await client.auth.signInWithPassword({ phone: phoneDigits(identifier), password });
        if (error || !data.user) throw authFailure(error);
        window.dispatchEvent(new Event('queuemed:auth'));
        return toUser(data.user) as SessionUser;
      },
      async sendOtp(phone) {
        const { error } = await (await full()).auth.signInWithOtp({ phone: phoneDigits(phone) });
        if (error) throw authFailure(error);
      },
      async verifyOtp(phone, code) {
        const { data, error } = await (
          await full()
        ).auth.verifyOtp({ phone: phoneDigits(phone), token: code.trim(), type: 'sms' });
        if (error || !data.user) throw authFailure(error);
        window.dispatchEvent(new Event('queuemed:auth'));
        return toUser(data.user) as SessionUser;
      },
      async signUp(email, password, fullName) {
        const { data, error } = await (
          await full()
        ).auth.signUp({ email: email.trim(), password, options: { data: { full_name: fullName } } });
        if (error) throw authFailure(error);
        return toUser(data.user);
      },
      async signOut() {
        await (await full()).auth.signOut();
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
