/**
 * The tracker's and the board's narrow, light port (anonymous screens): RPCs over PostgREST's wire format
 * and realtime through @supabase/realtime-js alone; the full supabase-js client only when someone is
 * signed in. Every other screen uses the one hook family over the application services (src/hooks/*).
 * Engineer `perf` is replacing this with a dedicated zod-validated port per screen (issue 13/14); until
 * then it is exempt from the hooks' "no table access" lint rule by name, and nothing else may import it.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { RealtimeClient } from '@supabase/realtime-js';
import { AppErrorException } from '../AppErrorException';
import { mapPostgrestError } from '../../services/shared/repositories/postgrest';
import { appError, ErrorCodes } from '../../services/shared/AppError';

export interface SessionUser {
  readonly id: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly fullName: string | null;
}

export interface LightBackend {
  /**
   * The full supabase-js client (auth, RLS-scoped reads, the application services). Loaded on first use:
   * anonymous screens (tracker, board, clinic page) never download it.
   */
  full(): Promise<SupabaseClient>;
  /** One of the tracker's/board's RPCs (get_visit_status, get_waiting_board, get_public_clinic, …). */
  rpc<T>(fn: LightRpc, args?: Record<string, unknown>): Promise<T>;
  /** Calls `onChange` whenever the clinic's queue row changes (and after every (re)subscription). */
  watchQueue(clinicId: string, onChange: () => void): () => void;
  auth: {
    current(): Promise<SessionUser | null>;
  };
}

/** The only RPCs the light screens call. */
export type LightRpc =
  'get_visit_status' | 'report_running_late' | 'check_in' | 'get_waiting_board' | 'get_public_clinic';

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

let channelSeq = 0;

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
export function createLightBackend(config: BackendConfig): LightBackend {
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
    },
  };
}

const BackendContext = createContext<LightBackend | null>(null);

export function LightBackendProvider({ backend, children }: { backend: LightBackend; children: ReactNode }) {
  return <BackendContext.Provider value={backend}>{children}</BackendContext.Provider>;
}

export function useLightBackend(): LightBackend {
  const b = useContext(BackendContext);
  if (!b) throw new Error('useLightBackend: wrap the app in <LightBackendProvider>');
  return b;
}
