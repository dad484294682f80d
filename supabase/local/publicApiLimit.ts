/**
 * Anonymous calls of the public API per client address (attack review of session 18, finding 3): REST /v1 and
 * MCP (the edge functions `api` and `mcp`) answer some routes without a credential (a clinic's page, free slots,
 * a visit's status), and 40 such calls from one address all answered 200. The gateway counts every call to those
 * two functions that carries no credential of its own — no `X-API-Key`, and no bearer other than the public anon
 * key or a token claiming `anon` — per client address, in the database (auth.rate_limits, scope `public_api_ip`) like the stack's other
 * limits, so several stack processes on one PostgreSQL share it. Over the limit the answer is the API's own
 * problem: `429`, code `RATE.LIMITED`, `Retry-After`. A call with an API key is not counted here: a key has its own
 * per-minute window (api_key_authenticate).
 *
 * sec19 (review19 M2c): a signed-in user's token used to escape the count too, so anyone with an account (sign-up is
 * open) called the public routes without limit. A user's token is a public caller unless it is the stack's own
 * verified token of staff of the clinic the /v1 path names (`/v1/clinics/<uuid>/…`, an active clinic_members row)
 * or of the service role: a patient, a staff member of another clinic (anyone may create a clinic), a token that
 * does not verify, and every MCP call made with a user token count under the address's public limit.
 *
 * Env (npm start, read with the other limits by ./limitsEnv.ts): QUEUEMED_PUBLIC_API_IP_MAX (default 60) calls per
 * QUEUEMED_PUBLIC_API_IP_WINDOW_SECONDS (default 60). Embedded stacks take the default unless given one.
 */
import type { IncomingMessage } from 'node:http';
import type { Db } from './db/types.js';
import { clientIp, header } from './http.js';
import { verifyJwt } from './keys.js';
import { DbRateLimiter, type LimitAnswer, type RateLimit } from './rateLimit.js';

export const DEFAULT_PUBLIC_API_IP_LIMIT: RateLimit = { max: 60, windowMs: 60_000 };

/** The edge functions that answer anonymous callers. */
export const PUBLIC_API_FUNCTIONS: ReadonlySet<string> = new Set(['api', 'mcp']);

/**
 * The `role` claim of a JWT-shaped bearer, NOT verified: the API (supabase/functions/api/handler.ts, authenticate)
 * serves any bearer whose claims say `anon` as "no credentials" without asking the auth server, so it must count
 * here as anonymous too — else a made-up `{"role":"anon"}` token escaped the limit and was still answered.
 */
function unverifiedRole(token: string): unknown {
  const part = /^[\w-]+\.([\w-]+)\.[\w-]+$/.exec(token)?.[1];
  if (!part) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null ? (claims as { role?: unknown }).role : null;
  } catch {
    return null;
  }
}

/** True when the API will serve the request as anonymous (nothing, the anon key, or any token claiming `anon`). */
export function isAnonymousCall(req: IncomingMessage, anonKey: string): boolean {
  if ((header(req, 'x-api-key') ?? '').trim() !== '') return false;
  const auth = (header(req, 'authorization') ?? '').trim();
  if (auth === '') return true;
  const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
  return token !== undefined && (token === anonKey || unverifiedRole(token) === 'anon');
}

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
/** The clinic a REST /v1 path of the `api` function names (`/api/v1/clinics/<uuid>…`), or null. */
export function apiPathClinic(functionPath: string): string | null {
  return new RegExp(`^/api/v1/clinics/(${UUID})(?:/|$)`).exec(functionPath)?.[1]?.toLowerCase() ?? null;
}

export class PublicApiLimit {
  private readonly limiter: DbRateLimiter;

  constructor(
    private readonly db: Db,
    private readonly anonKey: string,
    limit: RateLimit = DEFAULT_PUBLIC_API_IP_LIMIT,
    now: () => number = Date.now,
    /** The stack's JWT secret: only its own verified tokens can show their holder is staff. */
    private readonly jwtSecret: string | null = null,
  ) {
    this.limiter = new DbRateLimiter(db, 'public_api_ip', limit, now);
  }

  /**
   * True when the bearer is the stack's own verified token of the service role, or of an active staff member of
   * the clinic `functionPath` names; anything else with a user token is a public caller.
   */
  private async trustedUser(req: IncomingMessage, functionPath: string): Promise<boolean> {
    const token = /^Bearer\s+(\S+)$/i.exec((header(req, 'authorization') ?? '').trim())?.[1];
    if (!token || !this.jwtSecret) return false;
    const v = await verifyJwt(this.jwtSecret, token);
    if (!v.ok) return false;
    if (v.claims.role === 'service_role') return true;
    const clinicId = apiPathClinic(functionPath);
    if (v.claims.role !== 'authenticated' || typeof v.claims.sub !== 'string' || !clinicId) return false;
    const { rows } = await this.db.query<{ staff: boolean }>(
      `select exists (select 1 from public.clinic_members m
                       where m.clinic_id = $1::uuid and m.user_id::text = $2 and m.active) as staff`,
      [clinicId, v.claims.sub],
    );
    return rows[0]?.staff === true;
  }

  /**
   * Counts a public call of a public function; null when the call is not one (nothing counted). `functionPath`:
   * the path under /functions/v1 (`/api/v1/clinics/…`, `/mcp`).
   */
  async take(req: IncomingMessage, functionPath: string): Promise<LimitAnswer | null> {
    const functionName = functionPath.split('/')[1] ?? '';
    if (!PUBLIC_API_FUNCTIONS.has(functionName)) return null;
    if ((header(req, 'x-api-key') ?? '').trim() !== '') return null;
    const bearer = /^Bearer\s+(\S+)$/i.exec((header(req, 'authorization') ?? '').trim())?.[1] ?? '';
    // an API key as a bearer: the key's own window
    if (bearer.startsWith('qmk_')) return null;
    if (!isAnonymousCall(req, this.anonKey) && (await this.trustedUser(req, functionPath))) return null;
    return this.limiter.take(clientIp(req));
  }
}
