/**
 * fix20 (review20 M2): wrong kiosk pairing codes counted per client address. redeem_kiosk_pairing_code is called
 * anonymously, so the database alone could only cap wrong codes globally — and one client's 101 guesses locked
 * pairing by code for every clinic. Here, at /rest/v1, an address that typed `max` wrong codes in the window is
 * refused before the database is asked: 429 KIOSK.TOO_MANY_ATTEMPTS (reason pairing_address) with Retry-After.
 * Only wrong codes count (an answer `{paired: false}`), so a clinic pairing many tablets from one network is not
 * slowed; the database's global cap (20261220800002, 10 000 in 10 minutes) stays as the backstop. The service role
 * is not counted. In auth.rate_limits (DbRateLimiter, scope kiosk_pairing_ip), shared by every stack process.
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { addressLimitError, limitAddress } from './http.js';
import type { DbRateLimiter, RateLimit } from './rateLimit.js';

export const KIOSK_PAIRING_RPC = 'redeem_kiosk_pairing_code';

/** Default: 10 wrong codes per 10 minutes per address. */
export const DEFAULT_KIOSK_PAIRING_IP_LIMIT: RateLimit = { max: 10, windowMs: 10 * 60_000 };

export interface PairingLimitContext {
  kioskPairingLimiter?: DbRateLimiter | null;
  forwardSecret?: string | null;
  log: Logger;
}

/**
 * The caller's address when this call is a code exchange to be limited, else null. Refuses (throws the 429) when
 * the address has used up its wrong codes.
 */
export async function checkKioskPairing(
  req: IncomingMessage,
  ctx: PairingLimitContext,
  role: string,
  schema: string,
  name: string,
): Promise<string | null> {
  if (
    !ctx.kioskPairingLimiter ||
    schema !== 'public' ||
    name !== KIOSK_PAIRING_RPC ||
    role === 'service_role'
  )
    return null;
  const address = limitAddress(req, ctx.forwardSecret);
  const a = await ctx.kioskPairingLimiter.check(address);
  if (a.ok) return address;
  throw addressLimitError(ctx.log, {
    rpc: name,
    limit: 'kiosk_pairing_ip',
    code: 'KIOSK.TOO_MANY_ATTEMPTS',
    reason: 'pairing_address',
    hint: 'Too many wrong pairing codes from this network; try again later.',
    retryAfterSeconds: a.retryAfterSeconds,
  });
}

/** After the call: a 200 `{paired: false}` answer is one wrong code for the address. */
export async function countKioskPairing(
  ctx: PairingLimitContext,
  address: string | null,
  status: number,
  body: string | null,
): Promise<void> {
  if (!address || !ctx.kioskPairingLimiter || status !== 200 || body === null) return;
  let paired: unknown;
  try {
    paired = (JSON.parse(body) as { paired?: unknown } | null)?.paired;
  } catch {
    return;
  }
  if (paired === false) await ctx.kioskPairingLimiter.take(address);
}
