/**
 * PostgREST RPC calls from a function: the caller's own JWT (so the database checks who they are) or the
 * service key. Errors come back as `RpcError` with the HTTP status and the app error code the database
 * raised (PTxyz → status xyz, message = code).
 */
import type { Env } from './http.ts';

export class RpcError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string | null,
  ) {
    super(code);
  }
}

export interface Rpc {
  <T = unknown>(fn: string, args: Record<string, unknown>): Promise<T>;
}

export const makeRpc = (opts: { url: string; apiKey: string; token: string; fetch?: typeof fetch }): Rpc => {
  const f = opts.fetch ?? fetch;
  return async <T>(fn: string, args: Record<string, unknown>): Promise<T> => {
    const res = await f(`${opts.url.replace(/\/$/, '')}/rest/v1/rpc/${fn}`, {
      method: 'POST',
      headers: {
        apikey: opts.apiKey,
        authorization: `Bearer ${opts.token}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify(args),
    });
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      body = null;
    }
    if (!res.ok) {
      const b = (body ?? {}) as { message?: string; details?: string | null; code?: string };
      throw new RpcError(res.status, b.message ?? b.code ?? `HTTP ${res.status}`, b.details ?? null);
    }
    return body as T;
  };
};

export interface Supa {
  url: string;
  anonKey: string;
  serviceKey: string;
}

export const supaFromEnv = (env: Env): Supa => {
  const url = env.get('SUPABASE_URL');
  const anonKey = env.get('SUPABASE_ANON_KEY');
  const serviceKey = env.get('SUPABASE_SERVICE_ROLE_KEY');
  if (!url || !anonKey || !serviceKey)
    throw new Error('SUPABASE_URL, SUPABASE_ANON_KEY and SUPABASE_SERVICE_ROLE_KEY are required');
  return { url, anonKey, serviceKey };
};
