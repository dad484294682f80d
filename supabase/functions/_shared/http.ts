/** Small HTTP helpers shared by the functions (JSON answers with CORS for browser callers). */
export const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers':
    'authorization, x-client-info, apikey, content-type, x-supabase-api-version, x-region, traceparent, tracestate, baggage',
  'access-control-allow-methods': 'POST, OPTIONS',
};

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...CORS_HEADERS, ...headers },
  });

/** An expected failure: `code` is an app error code of src/services/shared/AppError.ts. */
export const fail = (
  status: number,
  code: string,
  message: string,
  details?: unknown,
  headers: Record<string, string> = {},
): Response => json(status, { code, message, ...(details === undefined ? {} : { details }) }, headers);

export const bearerToken = (req: Request): string | null => {
  const h = req.headers.get('authorization') ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1] ?? null;
};

/**
 * The claims of a JWT, NOT verified: used only to pick the actor id, to answer 401 early for an anon token on a
 * signed-in route, and as the key of send-sms's held callers. Every query still goes to PostgREST with the token,
 * which verifies it.
 */
export const unverifiedClaims = (token: string): Record<string, unknown> | null => {
  try {
    const part = token.split('.')[1] ?? '';
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const v = JSON.parse(json) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

export interface Env {
  get(name: string): string | undefined;
}
export const denoEnv: Env = { get: (name) => Deno.env.get(name) };

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
