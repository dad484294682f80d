/**
 * PostgREST RPC calls from a function: the caller's own JWT (so the database checks who they are) or the
 * service key. Errors come back as `RpcError` with the HTTP status and the app error code the database
 * raised (PTxyz → status xyz, message = code).
 */
import { ErrorCodes } from '../../../src/services/shared/AppError.ts';
import type { Env } from './http.ts';

export class RpcError extends Error {
  constructor(
    readonly status: number,
    /** Always an app error code (ErrorCodes): see rpcFailure. */
    readonly code: string,
    readonly detail: string | null,
    /** What PostgREST reported when it was not one of ours (SQLSTATE / PGRST code) — for the log, never an answer. */
    readonly pgCode: string | null = null,
  ) {
    super(code);
  }
}

const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCodes));

/**
 * review26 L1: a PostgREST error body → what a function may answer. The database's own refusals carry an app
 * code as their message (PTxyz → status xyz, message = code) and keep it, with its detail. Anything else is
 * Postgres's or PostgREST's own text ("permission denied for function notification_prepare", "invalid input
 * syntax for type uuid: …", PGRST202's hint): it names the schema, so it never becomes a `code` or a message —
 * a privilege refusal (42501, or any 401/403) is AUTH.FORBIDDEN with its 401/403 (a refused JWT, PGRST30x:
 * AUTH.REQUIRED 401), bad input (SQLSTATE class 22) VALIDATION.FAILED 400, an integrity rule (class 23)
 * VALIDATION.FAILED with PostgREST's 409 / 400, a serialization failure or deadlock
 * CONCURRENCY.RETRY 409, a statement timeout SERVER.BUSY 503, everything else INTERNAL (a 5xx keeps its status,
 * else 500); each with a fixed message.
 */
export const rpcFailure = (
  status: number,
  body: { message?: unknown; details?: unknown; code?: unknown } | null,
): RpcError => {
  const message = typeof body?.message === 'string' ? body.message : null;
  const pgCode = typeof body?.code === 'string' ? body.code : null;
  if (message !== null && KNOWN_CODES.has(message)) {
    return new RpcError(status, message, typeof body?.details === 'string' ? body.details : null);
  }
  if (pgCode !== null && /^PGRST30\d$/.test(pgCode)) {
    // PostgREST refused the caller's JWT (expired, malformed…)
    return new RpcError(401, ErrorCodes.AUTH_REQUIRED, 'sign in again', pgCode);
  }
  if (pgCode === '42501' || status === 401 || status === 403) {
    return new RpcError(status === 401 ? 401 : 403, ErrorCodes.AUTH_FORBIDDEN, 'you may not do this', pgCode);
  }
  if (pgCode !== null && /^22[0-9A-Z]{3}$/.test(pgCode)) {
    return new RpcError(400, ErrorCodes.VALIDATION_FAILED, 'the request holds a malformed value', pgCode);
  }
  if (pgCode !== null && /^23[0-9A-Z]{3}$/.test(pgCode)) {
    // an integrity rule (unique, foreign key …): PostgREST's 409 / 400 kept (twilio-inbound reads a 409)
    return new RpcError(
      status >= 400 && status < 500 ? status : 400,
      ErrorCodes.VALIDATION_FAILED,
      'the change breaks a rule of the data',
      pgCode,
    );
  }
  if (pgCode === '40001' || pgCode === '40P01') {
    return new RpcError(
      409,
      ErrorCodes.CONCURRENCY_RETRY,
      'a change happened at the same moment; try again',
      pgCode,
    );
  }
  if (pgCode === '57014') {
    return new RpcError(503, ErrorCodes.SERVER_BUSY, 'the database is busy; try again', pgCode);
  }
  // a 5xx keeps its status (callers retry a 503); an unknown 4xx is our bug, not the caller's
  return new RpcError(
    status >= 500 ? status : 500,
    ErrorCodes.INTERNAL,
    'the database call failed',
    pgCode ?? `HTTP ${status}`,
  );
};

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
      throw rpcFailure(res.status, body !== null && typeof body === 'object' ? (body as object) : null);
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
