/**
 * /functions/v1/client-logs — the hosted ingest of the browser's warnings and errors (issue 19, operations):
 * the same contract as the local stack's POST /client-logs, from the same code
 * (src/services/shared/clientLogIngest.ts): zod-checked entries, sensitive keys redacted, phone-like digits
 * masked, sizes capped, and a budget of entries per client address per minute. The lines go to the
 * function's log (Supabase keeps the functions' logs; `svc: "browser"` finds them).
 *
 * verify_jwt = false (the browser's logger may run before anyone signs in, and a keepalive request carries no
 * session); instead the `apikey` header must be the project's anon key when SUPABASE_ANON_KEY is set, so only
 * the app's own pages (or someone who read its public key) can write, and the budgets bound what they write.
 *
 * POST { entries: [...] (1..20), dropped? } → 204 · OPTIONS → 204 (CORS) · other methods → 405
 * 400 VALIDATION.FAILED (not JSON / bad entries) · 413 VALIDATION.FAILED (body > 32 KiB) ·
 * 401 AUTH.INVALID_KEY (wrong or missing apikey) · 429 RATE.LIMITED with Retry-After (this address over its
 * budget, or every address together over the function's own budget). The address is the one the platform sets,
 * never the caller's first X-Forwarded-For value (see clientAddress).
 * Budgets live in the function's memory (per instance): env CLIENT_LOGS_PER_MINUTE (60 entries per address)
 * and CLIENT_LOGS_TOTAL_PER_MINUTE (1200 entries for all).
 */
import {
  CLIENT_LOG_MAX_BYTES,
  DEFAULT_CLIENT_LOG_LIMIT,
  ingestClientLogs,
} from '../../../src/services/shared/clientLogIngest.ts';
import { RateLimiter } from '../../../src/services/shared/RateLimiter.ts';
import { rateLimitAddress } from '../_shared/clientAddress.ts';
import { CORS_HEADERS, type Env, fail } from '../_shared/http.ts';

/** One structured line out (the function's stdout in production). */
export type LineSink = (line: Record<string, unknown>) => void;

export interface ClientLogsDeps {
  readonly env: Env;
  readonly now: () => number;
  readonly sink: LineSink;
}

const LEVEL_NUMBER = { warn: 40, error: 50, fatal: 60 } as const;
const TOTAL_KEY = '*';

const intFrom = (env: Env, name: string, fallback: number): number => {
  const n = Number(env.get(name));
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/** The header the local stack's gateway sets on every /functions/v1 call (supabase/local/http.ts). */
const CLIENT_ADDRESS_HEADER = 'x-queuemed-client-address';

/**
 * The key the per-address budget counts this caller under. sec19 (review19 L1): it was the FIRST
 * X-Forwarded-For value — the caller's own text, so rotating it dodged the per-address budget and let one client
 * spend the shared total for everyone. Now only what the caller cannot write counts:
 * - run by the local stack (QUEUEMED_FORWARD_SECRET set): the gateway's x-queuemed-client-address, which it
 *   overwrites with the socket's address on every /functions/v1 request;
 * - hosted: the LAST X-Forwarded-For hop, the one the platform's proxy appended (a caller can only prepend);
 * - neither: one shared `unknown` key.
 * Keyed like the stack's limits (supabase/functions/_shared/clientAddress.ts): an IPv6 client by its /64, IPv4-mapped as IPv4.
 */
export const clientAddress = (req: Request, env: Env): string => {
  const stamped = env.get('QUEUEMED_FORWARD_SECRET') ? req.headers.get(CLIENT_ADDRESS_HEADER) : null;
  const hops = (req.headers.get('x-forwarded-for') ?? '').split(',');
  return rateLimitAddress((stamped ?? hops[hops.length - 1]!).trim().slice(0, 64));
};

/** Reads at most `limit` bytes of the body; null when it is longer. */
async function readCapped(req: Request, limit: number): Promise<Uint8Array | null> {
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) return null;
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export function createClientLogsHandler(deps: ClientLogsDeps): (req: Request) => Promise<Response> {
  const perAddress = new RateLimiter({
    max: intFrom(deps.env, 'CLIENT_LOGS_PER_MINUTE', DEFAULT_CLIENT_LOG_LIMIT.max),
    windowMs: 60_000,
  });
  const total = new RateLimiter({
    max: intFrom(deps.env, 'CLIENT_LOGS_TOTAL_PER_MINUTE', 1200),
    windowMs: 60_000,
  });
  const limited = (retryAfter: number) =>
    fail(429, 'RATE.LIMITED', 'Too many log entries from this client; try later', undefined, {
      'retry-after': String(retryAfter),
    });
  return async (req) => {
    if (req.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS_HEADERS });
    if (req.method !== 'POST') return fail(405, 'VALIDATION.FAILED', 'POST only');
    const anon = deps.env.get('SUPABASE_ANON_KEY') ?? '';
    if (anon !== '' && req.headers.get('apikey') !== anon)
      return fail(401, 'AUTH.INVALID_KEY', 'the apikey header must be the project’s anon key');
    const bytes = await readCapped(req, CLIENT_LOG_MAX_BYTES);
    if (bytes === null)
      return fail(413, 'VALIDATION.FAILED', `the body exceeds ${CLIENT_LOG_MAX_BYTES} bytes`);
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      return fail(400, 'VALIDATION.FAILED', 'The body must be JSON');
    }
    const at = deps.now();
    const key = clientAddress(req, deps.env);
    if (total.blocked(TOTAL_KEY, at) || perAddress.blocked(key, at))
      return limited(Math.max(perAddress.retryAfterSeconds(key, at), total.retryAfterSeconds(TOTAL_KEY, at)));
    const r = ingestClientLogs(body, key, at, perAddress);
    if (r.kind === 'invalid') return fail(400, 'VALIDATION.FAILED', 'Invalid log entries', r.details);
    if (r.kind === 'limited') return limited(r.retryAfterSeconds);
    let everyone = true;
    for (let i = 0; i < r.lines.length; i++) if (!total.take(TOTAL_KEY, at)) everyone = false;
    if (!everyone) return limited(total.retryAfterSeconds(TOTAL_KEY, at));
    const time = new Date(at).toISOString();
    for (const l of r.lines)
      deps.sink({
        level: LEVEL_NUMBER[l.level],
        time,
        fn: 'client-logs',
        svc: 'browser',
        ...l.fields,
        msg: l.msg,
      });
    return new Response(null, { status: 204, headers: { ...CORS_HEADERS, 'cache-control': 'no-store' } });
  };
}
