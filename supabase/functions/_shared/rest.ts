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

/**
 * apiaddr18 / sec22b: the headers that tell /rest/v1 which client a function's call is for — the address the local
 * stack's gateway set on the function's request (it overwrites any the caller sent) and the stack's secret proving
 * the call comes from its function host — so per-address limits count the client and audit rows record its address,
 * not the function host's 127.0.0.1. Without the secret (hosted Supabase) or the address: none (the socket counts).
 */
export const CLIENT_ADDRESS_HEADER = 'x-queuemed-client-address';
export const forwardedClient = (req: Request, secret: string): Record<string, string> | undefined => {
  const address = req.headers.get(CLIENT_ADDRESS_HEADER)?.trim();
  return secret && address
    ? { [CLIENT_ADDRESS_HEADER]: address, 'x-queuemed-forward-secret': secret }
    : undefined;
};

export const makeRpc = (opts: {
  url: string;
  apiKey: string;
  token: string;
  fetch?: typeof fetch;
  /** Sent with every call (forwardedClient: the client the function acts for). */
  headers?: Record<string, string>;
}): Rpc => {
  const f = opts.fetch ?? fetch;
  return async <T>(fn: string, args: Record<string, unknown>): Promise<T> => {
    const res = await f(`${opts.url.replace(/\/$/, '')}/rest/v1/rpc/${fn}`, {
      method: 'POST',
      headers: {
        ...opts.headers,
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
