/**
 * Wrong kiosk pairing codes, counted per client address at /rest/v1 (redeem_kiosk_pairing_code is called
 * anonymously, so the database alone can only cap wrong codes globally: 20261220800002, 10 000 in 10 minutes,
 * stays as the backstop). The rule:
 *   - every code exchange is counted for its address BEFORE the call (one auth.rate_limits upsert, so a parallel
 *     burst cannot pass more than `max` per window);
 *   - it is given back when the exchange paired (success), when the answer is `{paired: false, reason: 'used'}`
 *     (a right code the same tablet's burst had just spent), when it was refused with the 429 (it never reached
 *     the database), and on any other outcome that is no answer about the code (an error, a thrown call);
 *   - so only a wrong code (`{paired: false}` without reason 'used') stays counted, and an address over `max`
 *     wrong codes in the window gets 429 KIOSK.TOO_MANY_ATTEMPTS (reason pairing_address) with Retry-After.
 * The service role is not counted. Scope kiosk_pairing_ip (DbRateLimiter), shared by every stack process.
 * History: fix20 (review20 M2), sec21 (count before the call), fix21d (give back on 'used' and on 429).
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

/** A wrong code reserved for an address before the call (sec21); `settleKioskPairing` keeps or gives it back. */
export interface PairingReservation {
  readonly address: string;
  readonly resetAtMs: number;
}

/**
 * Before the call: when it is a code exchange to be limited, counts it for the caller's address and returns the
 * reservation (else null); over the limit, gives it back and throws the 429 (see the rule above). The give-back
 * does not lengthen the fixed window.
 */
export async function checkKioskPairing(
  req: IncomingMessage,
  ctx: PairingLimitContext,
  role: string,
  schema: string,
  name: string,
): Promise<PairingReservation | null> {
  if (
    !ctx.kioskPairingLimiter ||
    schema !== 'public' ||
    name !== KIOSK_PAIRING_RPC ||
    role === 'service_role'
  )
    return null;
  const address = limitAddress(req, ctx.forwardSecret);
  const a = await ctx.kioskPairingLimiter.take(address);
  if (a.ok) return { address, resetAtMs: a.resetAtMs };
  // the address stays locked all the same (its kept wrong codes fill the window); a take that runs before this
  // give-back only sees more, never fewer
  await ctx.kioskPairingLimiter.giveBack(address, a.resetAtMs);
  throw addressLimitError(ctx.log, {
    rpc: name,
    limit: 'kiosk_pairing_ip',
    code: 'KIOSK.TOO_MANY_ATTEMPTS',
    reason: 'pairing_address',
    hint: 'Too many wrong pairing codes from this network; try again later.',
    retryAfterSeconds: a.retryAfterSeconds,
    address,
    resetAtMs: a.resetAtMs,
  });
}

/**
 * After the call (`status` null: the call threw): keeps the reservation for a wrong code only, gives it back
 * otherwise (see the rule above).
 */
export async function settleKioskPairing(
  ctx: PairingLimitContext,
  reservation: PairingReservation | null,
  status: number | null,
  body: string | null,
): Promise<void> {
  if (!reservation || !ctx.kioskPairingLimiter) return;
  let paired: unknown;
  let reason: unknown;
  if (status === 200 && body !== null) {
    try {
      const answer = JSON.parse(body) as { paired?: unknown; reason?: unknown } | null;
      paired = answer?.paired;
      reason = answer?.reason;
    } catch {
      paired = undefined;
    }
  }
  // 'used': the database answers it only for a code spent in the last minute (a tablet's double submit)
  if (paired === false && reason !== 'used') return;
  await ctx.kioskPairingLimiter.giveBack(reservation.address, reservation.resetAtMs);
}
